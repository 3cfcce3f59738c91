/* fuzz_build.c: build numbers and the builds-file loader (a --builds FILE is input). */
#include "exchange/builds.h"
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static exr_buildtab deftab;
    static int loaded;
    if (!loaded) {
        exr_err e;
        if (exr_buildtab_load_default(&deftab, &e) != 0)
            __builtin_trap();
        loaded = 1;
    }
    exr_version v;
    if (exr_version_parse((const char *)data, size, &v)) {
        exr_build_info bi;
        exr_build_classify(&deftab, &v, &bi);
        char s[64];
        exr_version_format(&v, s, sizeof s);
        exr_build_wants_revision(&bi);
    }
    exr_version_scan((const char *)data, size, &v);
    exr_buildtab t;
    exr_err e;
    if (exr_buildtab_load_text(&t, (const char *)data, size, "fuzz", &e) == 0) {
        if (exr_version_parse("15.1.2176", 9, &v)) {
            exr_build_info bi;
            exr_build_classify(&t, &v, &bi);
        }
        exr_buildtab_free(&t);
    }
    return 0;
}
