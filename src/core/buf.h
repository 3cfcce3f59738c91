/* buf.h: growable byte buffer used for output records, HTTP bodies and file contents.
 * Always NUL-terminated so text helpers can treat it as a C string; allocation failure
 * aborts (a scanner that cannot allocate a few KB cannot do anything useful). */
#ifndef EXR_BUF_H
#define EXR_BUF_H
#include <stddef.h>
#include <stdarg.h>
#include <string.h>

typedef struct exr_buf {
    char *p;
    size_t len;
    size_t cap;
} exr_buf;

void exr_buf_init(exr_buf *b);
void exr_buf_free(exr_buf *b);
void exr_buf_reset(exr_buf *b);
/* room for extra more bytes and the NUL; inline, as record writers call it per value */
void exr_buf_grow(exr_buf *b, size_t extra);
static inline void exr_buf_reserve(exr_buf *b, size_t extra)
{
    if (b->len + extra + 1 > b->cap)
        exr_buf_grow(b, extra);
}
static inline void exr_buf_add(exr_buf *b, const void *data, size_t n)
{
    exr_buf_reserve(b, n);
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = 0;
}
void exr_buf_adds(exr_buf *b, const char *s);
/* one byte: inline, since record writers append most of their output a byte at a time */
static inline void exr_buf_addc(exr_buf *b, char c)
{
    if (b->len + 2 > b->cap)
        exr_buf_grow(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = 0;
}
void exr_buf_printf(exr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Decimal text of v in out (24 bytes hold any value), without printf's cost; returns out. */
const char *exr_fmt_int(long long v, char *out);
/* "p0.p1...": count unsigned numbers joined by dots in out (n bytes, truncated and
 * NUL-terminated as snprintf would); addresses and builds are formatted per stored row. */
void exr_fmt_dotted(char *out, size_t n, const unsigned *parts, int count);
/* Drops the first n bytes (used by stream parsers that consumed a prefix). */
void exr_buf_consume(exr_buf *b, size_t n);

/* Called before aborting when memory runs out; set by the front end (main.c). */
extern void (*exr_oom_hook)(void);
void *exr_xmalloc(size_t n);
void *exr_xcalloc(size_t n, size_t m);
void *exr_xrealloc(void *p, size_t n);
char *exr_xstrdup(const char *s);
char *exr_xstrndup(const char *s, size_t n);

/* A large block about to be filled or probed at random: ask for transparent huge pages, so
 * filling 300 MB costs a few hundred page faults rather than 75,000 and random probes miss
 * the TLB less (a hint, for blocks of 8 MiB or more; ignored where unsupported). */
void exr_advise_huge(void *p, size_t n);
/* Reads a whole file (limit bytes at most); returns 0 or -1 with errno set. */
int exr_read_file(const char *path, size_t limit, exr_buf *out);

#endif
