/* keyset.h: a set of short strings (open addressing, FNV-1a) for resume bookkeeping:
 * millions of "ip|port" keys in one allocation-light table. */
#ifndef EXR_KEYSET_H
#define EXR_KEYSET_H
#include <stdbool.h>
#include <stddef.h>

typedef struct exr_keyset {
    char **slots;
    size_t cap, n;
} exr_keyset;

void exr_keyset_init(exr_keyset *k);
void exr_keyset_free(exr_keyset *k);
void exr_keyset_add(exr_keyset *k, const char *key);
bool exr_keyset_has(const exr_keyset *k, const char *key);

#endif
