/* fuzz_ecpoab.c: the ECP Server and OABGeneratorLog line parsers, and time parsing. */
#include "hunt_fuzz_util.h"
#include "hunt/lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exr_hunt h;
    fuzz_hunt_init(&h);
    const char *p = fuzz_tmpfile(data, size);
    exr_hunt_ecp_file(&h, p);
    exr_hunt_oab_file(&h, p);
    exr_parse_time((const char *)data, size);
    if (size < 4096) {
        char pat[64];
        size_t n = size < 63 ? size : 63;
        memcpy(pat, data, n);
        pat[n] = 0;
        exr_like((const char *)data, size, pat);
        exr_like((const char *)data, size, "ServerInfo~*/*Reset*VirtualDirectory#");
    }
    fuzz_hunt_done(&h);
    return 0;
}
