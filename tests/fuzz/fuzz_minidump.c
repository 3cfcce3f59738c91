/* fuzz_minidump.c: the minidump reader that tells an LSASS dump by its first module (any
 * file under C:\root or Windows\Temp is hostile input): offsets and lengths from the data
 * never lead a read outside it, and the name written is a NUL-terminated string within
 * the buffer given. */
#include "hunt/minidump.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct mem {
    const uint8_t *p;
    size_t n;
} mem;

static int mem_read(void *ctx, void *buf, size_t n, uint64_t off)
{
    const mem *m = ctx;
    if (off > m->n || n > m->n - off)
        return 1;
    memcpy(buf, m->p + off, n);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mem m = {data, size};
    char out[64];
    memset(out, 'x', sizeof out);
    int r = exr_minidump_process(mem_read, &m, out, sizeof out);
    if (r == 1 && !memchr(out, 0, sizeof out))
        abort();
    if (r == 1)
        exr_minidump_is_lsass(out);
    char one[1];
    exr_minidump_process(mem_read, &m, one, sizeof one);
    return 0;
}
