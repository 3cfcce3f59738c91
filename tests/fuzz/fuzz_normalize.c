/* fuzz_normalize.c: the normalised view the web-shell rules read (every file under a web
 * root is hostile input): no read or write out of bounds, and the output never exceeds
 * the documented capacity exr_norm_cap(n); and the view equals the reference's. */
#include "hunt/normalize.h"
#include "../unit/normalize_ref.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cap = exr_norm_cap(size);
    unsigned char *out = malloc(cap);
    if (!out)
        return 0;
    size_t n = exr_normalize(data, size, out);
    if (n > cap)
        abort();
    /* and the fast steps give the reference's bytes */
    unsigned char *ref = malloc(cap);
    if (ref) {
        size_t m = ref_normalize(data, size, ref);
        if (m != n || memcmp(out, ref, n) != 0)
            abort();
        free(ref);
    }
    free(out);
    return 0;
}
