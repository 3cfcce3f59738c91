/* fuzz_target.c: target lines, port lists and blocklist files. */
#include "scan/targets.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    exr_targets t;
    exr_targets_init(&t);
    exr_err e;
    /* each line a target; stop at the first error as the CLI does */
    char *p = s;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        if (exr_targets_add_line(&t, p, "fuzz", &e) != 0)
            break;
        p = nl ? nl + 1 : NULL;
    }
    memcpy(s, data, size);
    exr_rangeset bl;
    exr_rangeset_init(&bl);
    if (exr_blocklist_parse(&bl, s, size, "fuzz", &e) == 0) {
        exr_rangeset_free(&t.user_block);
        t.user_block = bl;
    } else {
        exr_rangeset_free(&bl);
    }
    uint16_t ports[EXR_MAX_PORTS];
    int np;
    exr_ports_parse(s, ports, &np, &e);
    if (exr_targets_finish(&t, &e) == 0 && t.ranges.total) {
        exr_addr a;
        exr_rangeset_at(&t.ranges, t.ranges.total - 1, &a);
        exr_rangeset_at(&t.ranges, 0, &a);
    }
    exr_targets_free(&t);
    free(s);
    return 0;
}
