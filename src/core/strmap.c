/* strmap.c: see strmap.h. Keys are compared case-insensitively: RPSL handles are. */
#include "strmap.h"
#include "buf.h"
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static uint64_t h(const char *s)
{
    uint64_t x = 1469598103934665603ull;
    for (; *s; s++)
        x = (x ^ (unsigned char)tolower((unsigned char)*s)) * 1099511628211ull;
    return x;
}

void exr_strmap_init(exr_strmap *m)
{
    memset(m, 0, sizeof *m);
}

void exr_strmap_free(exr_strmap *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->keys[i]);
        free(m->vals[i]);
    }
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static size_t slot(char **keys, size_t cap, const char *key)
{
    size_t i = h(key) & (cap - 1);
    while (keys[i] && strcasecmp(keys[i], key) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

void exr_strmap_set(exr_strmap *m, const char *key, const char *val)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 1024;
        char **nk = exr_xcalloc(nc, sizeof *nk), **nv = exr_xcalloc(nc, sizeof *nv);
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i])
                continue;
            size_t j = slot(nk, nc, m->keys[i]);
            nk[j] = m->keys[i];
            nv[j] = m->vals[i];
        }
        free(m->keys);
        free(m->vals);
        m->keys = nk;
        m->vals = nv;
        m->cap = nc;
    }
    size_t i = slot(m->keys, m->cap, key);
    if (m->keys[i]) {
        free(m->vals[i]);
        m->vals[i] = exr_xstrdup(val);
        return;
    }
    m->keys[i] = exr_xstrdup(key);
    m->vals[i] = exr_xstrdup(val);
    m->n++;
}

const char *exr_strmap_get(const exr_strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = slot(m->keys, m->cap, key);
    return m->keys[i] ? m->vals[i] : NULL;
}
