/* arena.c: see arena.h. */
#include "arena.h"
#include "buf.h"
#include <stdlib.h>
#include <string.h>

void *exr_arena_alloc(exr_arena *a, size_t len)
{
    len = (len + 7) & ~(size_t)7;
    if (!a->n || a->used + len > a->sizes[a->cur]) {
        size_t want = a->chunk ? a->chunk : (size_t)1 << 20;
        if (want < len)
            want = len;
        size_t next = a->n ? a->cur + 1 : 0;
        if (next == a->n) {
            a->chunks = exr_xrealloc(a->chunks, (a->n + 1) * sizeof *a->chunks);
            a->sizes = exr_xrealloc(a->sizes, (a->n + 1) * sizeof *a->sizes);
            a->chunks[a->n] = NULL;
            a->sizes[a->n++] = 0;
        }
        if (a->sizes[next] < len) { /* a kept chunk too small for this block */
            free(a->chunks[next]);
            a->chunks[next] = exr_xmalloc(want);
            a->sizes[next] = want;
            exr_advise_huge(a->chunks[next], want);
        }
        a->cur = next;
        a->used = 0;
    }
    void *p = a->chunks[a->cur] + a->used;
    a->used += len;
    return p;
}

const char *exr_arena_str(exr_arena *a, const char *s)
{
    size_t l = strlen(s) + 1;
    return memcpy(exr_arena_alloc(a, l), s, l);
}

void exr_arena_reset(exr_arena *a)
{
    a->cur = 0;
    a->used = 0;
}

void exr_arena_free(exr_arena *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->chunks[i]);
    free(a->chunks);
    free(a->sizes);
    memset(a, 0, sizeof *a);
}
