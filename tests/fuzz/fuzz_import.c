/* fuzz_import.c: the Shadowserver CSV and JSON Lines importers, into an in-memory store. */
#include "notify/import.h"
#include <stdint.h>

static void ignore(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static exr_buildtab tab;
    static int loaded;
    exr_err e;
    if (!loaded) {
        if (exr_buildtab_load_default(&tab, &e) != 0)
            __builtin_trap();
        loaded = 1;
    }
    exr_store *s;
    if (exr_store_open(&s, ":memory:", &e) != 0)
        __builtin_trap();
    exr_import_stats st = {0, 0, 0};
    exr_import_text(s, &tab, "fuzz", (const char *)data, size, ignore, NULL, &st, &e);
    exr_store_close(s);
    return 0;
}
