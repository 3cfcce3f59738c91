/* fuzz_w3c.c: the IIS W3C log reader and its checks. */
#include "hunt_fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exr_hunt h;
    fuzz_hunt_init(&h);
    exr_hunt_iis_file(&h, fuzz_tmpfile(data, size), "W3SVC1");
    fuzz_hunt_done(&h);
    return 0;
}
