/* fuzz_rpsl.c: the RPSL (RIPE split dump) reader and the contact join, into an in-memory store. */
#include "notify/rpsl.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/exray-fuzz-rpsl-%d", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    exr_err e;
    exr_store *s;
    if (exr_store_open(&s, ":memory:", &e) != 0)
        __builtin_trap();
    exr_rpsl_stats st = {0, 0, 0, 0, 0};
    const char *files[1] = {path};
    exr_rpsl_import(s, files, 1, "fuzz", NULL, NULL, &st, &e);
    exr_contacts cs;
    exr_contacts_init(&cs);
    exr_contacts_load_store(&cs, s, &e);
    exr_contacts_finish(&cs);
    exr_addr a;
    const char *why;
    if (exr_addr_parse("127.77.0.40", &a))
        exr_contacts_resolve(&cs, &a, 64496, "NL", &why);
    exr_contacts_free(&cs);
    exr_store_close(s);
    return 0;
}
