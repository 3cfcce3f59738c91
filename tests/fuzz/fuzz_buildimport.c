/* fuzz_buildimport.c: exray builds --import on arbitrary bytes (a saved page or CSV from
 * anywhere): no crash, and whatever it accepts writes a table that loads again. */
#include "core/buf.h"
#include "exchange/builds.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    exr_buildtab t, back;
    exr_err e;
    if (exr_buildtab_import(text, size, "fuzz", NULL, &t, &e) == 0) {
        exr_buf w;
        exr_buf_init(&w);
        exr_buildtab_write(&t, "fuzz", "2026-01-01", &w);
        if (exr_buildtab_load_text(&back, w.p, w.len, "written", &e) != 0)
            abort();
        if (back.n != t.n)
            abort();
        exr_buildtab_free(&back);
        exr_buf_free(&w);
        exr_buildtab_free(&t);
    }
    free(text);
    return 0;
}
