/* fuzz_exlog.c: the Exchange CSV log reader (#Fields mapping, HttpProxy checks, build history). */
#include "hunt_fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exr_hunt h;
    fuzz_hunt_init(&h);
    exr_hunt_httpproxy_file(&h, fuzz_tmpfile(data, size), size && (data[0] & 1) ? "Ecp" : "Owa");
    fuzz_hunt_done(&h);
    return 0;
}
