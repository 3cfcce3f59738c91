/* fuzz_kevimport.c: exray vulns --import on an arbitrary catalog (a file from anywhere):
 * no crash, and whatever it accepts writes a table that loads, with as many rows. */
#include "core/buf.h"
#include "exchange/vulns.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char exr_data_exchange_vulns_csv[];
extern const size_t exr_data_exchange_vulns_csv_len;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exr_buf out, rep;
    exr_buf_init(&out);
    exr_buf_init(&rep);
    exr_err e;
    int missing;
    exr_vulntab base, back;
    if (exr_vulntab_load_default(&base, &e) != 0)
        abort();
    if (exr_vulns_import_kev((const char *)exr_data_exchange_vulns_csv, exr_data_exchange_vulns_csv_len, (const char *)data, size, "fuzz",
                             &out, &rep, &missing, &e) == 0) {
        if (exr_vulntab_load_text(&back, out.p, out.len, "written", &e) != 0 || back.n != base.n)
            abort();
        exr_vulntab_free(&back);
    }
    exr_vulntab_free(&base);
    exr_buf_free(&out);
    exr_buf_free(&rep);
    return 0;
}
