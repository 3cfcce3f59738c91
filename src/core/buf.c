/* buf.c: see buf.h. */
#include "buf.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

void (*exr_oom_hook)(void);

/* Out of memory has no way on: the front end's hook says so, then the process aborts. */
static void out_of_memory(void)
{
    if (exr_oom_hook)
        exr_oom_hook();
    abort();
}

void *exr_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *exr_xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *exr_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        out_of_memory();
    }
    return q;
}

char *exr_xstrdup(const char *s)
{
    return exr_xstrndup(s, strlen(s));
}

char *exr_xstrndup(const char *s, size_t n)
{
    char *p = exr_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void exr_buf_init(exr_buf *b)
{
    b->p = NULL;
    b->len = b->cap = 0;
}

void exr_buf_free(exr_buf *b)
{
    free(b->p);
    exr_buf_init(b);
}

void exr_buf_reset(exr_buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = 0;
}

void exr_buf_grow(exr_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->p = exr_xrealloc(b->p, cap);
    b->cap = cap;
}

void exr_buf_adds(exr_buf *b, const char *s)
{
    exr_buf_add(b, s, strlen(s));
}

const char *exr_fmt_int(long long v, char *out)
{
    char t[24];
    int n = 0, k = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        t[n++] = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        out[k++] = '-';
    while (n)
        out[k++] = t[--n];
    out[k] = 0;
    return out;
}

void exr_fmt_dotted(char *out, size_t n, const unsigned *parts, int count)
{
    char t[16 * 11];
    size_t k = 0;
    for (int i = 0; i < count && i < 16; i++) {
        if (i)
            t[k++] = '.';
        k += strlen(exr_fmt_int(parts[i], t + k));
    }
    if (!n)
        return;
    if (k > n - 1)
        k = n - 1;
    memcpy(out, t, k);
    out[k] = 0;
}

void exr_buf_printf(exr_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        exr_buf_add(b, tmp, (size_t)n);
        return;
    }
    exr_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void exr_buf_consume(exr_buf *b, size_t n)
{
    if (n >= b->len) {
        exr_buf_reset(b);
        return;
    }
    memmove(b->p, b->p + n, b->len - n);
    b->len -= n;
    b->p[b->len] = 0;
}

void exr_advise_huge(void *mem, size_t n)
{
    char *p = mem;
    if (n < (8u << 20))
        return;
    uintptr_t lo = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, hi = ((uintptr_t)p + n) & ~(uintptr_t)4095;
    if (hi > lo)
        madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

int exr_read_file(const char *path, size_t limit, exr_buf *out)
{
    int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    /* a regular file's size known: one allocation, read straight into it */
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 && (size_t)sb.st_size <= limit) {
        exr_buf_reserve(out, (size_t)sb.st_size);
        exr_advise_huge(out->p + out->len, out->cap - out->len);
    }
    int err = 0;
    for (;;) {
        if (out->len + 1 >= out->cap)
            exr_buf_reserve(out, 65536);
        size_t room = out->cap - out->len - 1;
        if (room > limit + 1 - out->len) /* one byte past the limit tells a file too large */
            room = limit + 1 - out->len;
        ssize_t n = read(fd, out->p + out->len, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? EIO : 0;
            break;
        }
        out->len += (size_t)n;
        if (out->len > limit) {
            err = EFBIG;
            break;
        }
    }
    if (fd != 0)
        close(fd);
    if (err) {
        errno = err;
        return -1;
    }
    out->p[out->len] = 0;
    return 0;
}
