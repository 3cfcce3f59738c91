/* strmap.h: string -> string map (open addressing, FNV-1a), for joining RPSL objects. */
#ifndef EXR_STRMAP_H
#define EXR_STRMAP_H
#include <stddef.h>

typedef struct exr_strmap {
    char **keys, **vals;
    size_t cap, n;
} exr_strmap;

void exr_strmap_init(exr_strmap *m);
void exr_strmap_free(exr_strmap *m);
/* Sets key to val (both copied); an existing value is replaced. */
void exr_strmap_set(exr_strmap *m, const char *key, const char *val);
const char *exr_strmap_get(const exr_strmap *m, const char *key);

#endif
