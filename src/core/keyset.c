/* keyset.c: see keyset.h. */
#include "keyset.h"
#include "buf.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

void exr_keyset_init(exr_keyset *k)
{
    k->slots = NULL;
    k->cap = k->n = 0;
}

void exr_keyset_free(exr_keyset *k)
{
    for (size_t i = 0; i < k->cap; i++)
        free(k->slots[i]);
    free(k->slots);
    exr_keyset_init(k);
}

static void insert_raw(char **slots, size_t cap, char *key)
{
    size_t i = fnv(key) & (cap - 1);
    while (slots[i])
        i = (i + 1) & (cap - 1);
    slots[i] = key;
}

void exr_keyset_add(exr_keyset *k, const char *key)
{
    if (exr_keyset_has(k, key))
        return;
    if ((k->n + 1) * 2 > k->cap) {
        size_t nc = k->cap ? k->cap * 2 : 1024;
        char **ns = exr_xcalloc(nc, sizeof *ns);
        for (size_t i = 0; i < k->cap; i++)
            if (k->slots[i])
                insert_raw(ns, nc, k->slots[i]);
        free(k->slots);
        k->slots = ns;
        k->cap = nc;
    }
    insert_raw(k->slots, k->cap, exr_xstrdup(key));
    k->n++;
}

bool exr_keyset_has(const exr_keyset *k, const char *key)
{
    if (!k->cap)
        return false;
    size_t i = fnv(key) & (k->cap - 1);
    while (k->slots[i]) {
        if (strcmp(k->slots[i], key) == 0)
            return true;
        i = (i + 1) & (k->cap - 1);
    }
    return false;
}
