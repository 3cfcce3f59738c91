/* arena.h: bump allocation for many small blocks freed together (the report's hosts and
 * strings; the store's open batch). exr_arena_reset keeps the memory for the next round, so
 * a batch costs no malloc and no page faults once the first one has run. */
#ifndef EXR_ARENA_H
#define EXR_ARENA_H
#include <stddef.h>

typedef struct exr_arena {
    char **chunks;
    size_t *sizes;
    size_t n;     /* chunks allocated */
    size_t cur;   /* the chunk being filled */
    size_t used;  /* bytes of it in use */
    size_t chunk; /* size of a new chunk; 0: 1 MiB */
} exr_arena;

/* 8-byte aligned; never NULL (allocation failure aborts, as exr_xmalloc). */
void *exr_arena_alloc(exr_arena *a, size_t len);
const char *exr_arena_str(exr_arena *a, const char *s);
/* Every block is given up; the chunks stay for reuse. */
void exr_arena_reset(exr_arena *a);
void exr_arena_free(exr_arena *a);

#endif
