/* fuzz_http.c: the HTTP response parser and the fingerprint logic on arbitrary bytes,
 * fed in pieces whose sizes come from the input, as a hostile server would send them. */
#include "scan/fingerprint.h"
#include "scan/http.h"
#include "scan/record.h"
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static exr_buildtab tab;
    static int loaded;
    if (!loaded) {
        exr_err e;
        if (exr_buildtab_load_default(&tab, &e) != 0)
            __builtin_trap();
        loaded = 1;
    }
    if (size < 2)
        return 0;
    size_t step = (size_t)data[0] % 64 + 1;
    int req = data[1] % 3;
    data += 2;
    size -= 2;
    exr_http_resp r;
    exr_http_init(&r, false);
    exr_fp fp;
    exr_fp_init(&fp);
    size_t off = 0;
    int rc = EXR_HTTP_MORE;
    while (off < size && rc != EXR_HTTP_ERR) {
        size_t k = size - off < step ? size - off : step, used;
        rc = exr_http_feed(&r, (const char *)data + off, k, &used);
        off += used;
        if (rc == EXR_HTTP_DONE) {
            exr_fp_observe(&fp, req, &r);
            (void)exr_fp_next(&fp, &tab);
            exr_http_reset(&r, false);
            rc = EXR_HTTP_MORE;
            if (used == 0)
                off++;
        } else if (used == 0) {
            break;
        }
    }
    if (rc == EXR_HTTP_MORE && exr_http_eof(&r) == EXR_HTTP_DONE)
        exr_fp_observe(&fp, req, &r);
    exr_result res;
    memset(&res, 0, sizeof res);
    res.fp = fp;
    res.status = EXR_STATUS_OK;
    exr_result_finish(&res, &tab);
    exr_buf out;
    exr_buf_init(&out);
    exr_result_json(&res, &out);
    exr_result_csv(&res, &out);
    exr_buf_free(&out);
    exr_version v;
    bool g;
    exr_fp_body_build((const char *)data, size, &v, &g);
    exr_fp_manifest_build((const char *)data, size, &v);
    exr_http_free(&r);
    return 0;
}
