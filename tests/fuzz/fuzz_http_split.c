/* fuzz_http_split.c: a differential target for the HTTP response parser. The same bytes
 * fed whole and fed in random pieces (sizes from the input's first 8 bytes) must give the
 * same outcome: result, status, every header, body, keep-alive, truncation and bytes used. */
#include "scan/http.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int run(exr_http_resp *r, const uint8_t *d, size_t n, uint64_t seed, size_t *total)
{
    size_t off = 0;
    int rc = EXR_HTTP_MORE;
    while (off < n && rc == EXR_HTTP_MORE) {
        size_t k = n - off;
        if (seed) {
            size_t piece = (size_t)(seed % 97) + 1;
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            if (piece < k)
                k = piece;
        }
        size_t used = 0;
        rc = exr_http_feed(r, (const char *)d + off, k, &used);
        off += used;
        if (rc == EXR_HTTP_MORE && used < k)
            abort(); /* MORE must consume everything it was given */
    }
    if (rc == EXR_HTTP_MORE)
        rc = exr_http_eof(r);
    *total = off;
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8)
        return 0;
    uint64_t seed;
    memcpy(&seed, data, 8);
    seed |= 1;
    data += 8;
    size -= 8;
    exr_http_resp a, b;
    exr_http_init(&a, false);
    exr_http_init(&b, false);
    size_t ua, ub;
    int ra = run(&a, data, size, 0, &ua);
    int rb = run(&b, data, size, seed, &ub);
    if (ra != rb)
        abort();
    if (ra == EXR_HTTP_DONE) {
        if (a.status != b.status || a.nhdrs != b.nhdrs || a.keep_alive != b.keep_alive || a.truncated != b.truncated || ua != ub)
            abort();
        for (int i = 0; i < a.nhdrs; i++)
            if (strcmp(a.hdrs[i].name, b.hdrs[i].name) != 0 || strcmp(a.hdrs[i].value, b.hdrs[i].value) != 0)
                abort();
        if (a.body.len != b.body.len || (a.body.len && memcmp(a.body.p, b.body.p, a.body.len) != 0))
            abort();
    }
    exr_http_free(&a);
    exr_http_free(&b);
    return 0;
}
