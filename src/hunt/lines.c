/* lines.c: see lines.h. */
#include "lines.h"
#include "../core/buf.h"
#include "fsro.h"
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define BUFSZ (EXR_LINE_MAX + 65536)

int exr_lines_open(exr_lines *r, const char *path)
{
    memset(r, 0, sizeof *r);
    r->fd = exr_open_ro(path);
    if (r->fd < 0)
        return -1;
    r->buf = exr_xmalloc(BUFSZ);
    return 0;
}

void exr_lines_close(exr_lines *r)
{
    if (r->fd >= 0)
        close(r->fd);
    free(r->buf);
    r->buf = NULL;
    r->fd = -1;
}

static int fill(exr_lines *r)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    while (r->len < BUFSZ && !r->eof) {
        ssize_t n = read(r->fd, r->buf + r->len, BUFSZ - r->len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 0)
            r->eof = true;
        r->len += (size_t)n;
        if (n > 0)
            break;
    }
    return 0;
}

int exr_lines_next(exr_lines *r, const char **line, size_t *len, bool *toolong)
{
    *toolong = false;
    for (;;) {
        char *start = r->buf + r->pos;
        size_t avail = r->len - r->pos;
        char *nl = avail ? memchr(start, '\n', avail) : NULL;
        if (nl || (r->eof && avail)) {
            size_t l = nl ? (size_t)(nl - start) : avail;
            r->pos += l + (nl ? 1 : 0);
            r->lineno++;
            if (!r->bom_checked) {
                r->bom_checked = true;
                if (l >= 3 && (unsigned char)start[0] == 0xef && (unsigned char)start[1] == 0xbb && (unsigned char)start[2] == 0xbf) {
                    start += 3;
                    l -= 3;
                }
            }
            if (l && start[l - 1] == '\r')
                l--;
            *line = start;
            *len = l;
            return 1;
        }
        if (r->eof)
            return 0;
        if (avail >= EXR_LINE_MAX) {
            /* a line longer than the limit: drop bytes until the next newline */
            r->lineno++;
            *toolong = true;
            r->pos = r->len;
            for (;;) {
                if (fill(r) < 0)
                    return -1;
                char *p = memchr(r->buf + r->pos, '\n', r->len - r->pos);
                if (p) {
                    r->pos = (size_t)(p - r->buf) + 1;
                    break;
                }
                r->pos = r->len;
                if (r->eof)
                    break;
            }
            *line = "";
            *len = 0;
            return 1;
        }
        if (fill(r) < 0)
            return -1;
    }
}

/* Iterative wildcard match (backtrack to the last '*' only): O(n*m) worst case, so a
 * hostile megabyte-long field cannot make it explode. */
bool exr_like(const char *s, size_t n, const char *p)
{
    size_t si = 0;
    const char *star = NULL;
    size_t star_si = 0;
    while (si < n) {
        if (*p == '*') {
            star = ++p;
            star_si = si;
            continue;
        }
        if (*p && (*p == '?' || tolower((unsigned char)*p) == tolower((unsigned char)s[si]))) {
            p++;
            si++;
            continue;
        }
        if (!star)
            return false;
        p = star;
        si = ++star_si;
    }
    while (*p == '*')
        p++;
    return *p == 0;
}

const char *exr_memcasestr(const char *h, size_t n, const char *needle)
{
    size_t nn = strlen(needle);
    if (nn == 0)
        return h;
    if (n < nn)
        return NULL;
    int f0 = tolower((unsigned char)needle[0]);
    int F0 = toupper((unsigned char)needle[0]);
    const char *end = h + n - nn;
    for (const char *p = h; p <= end; p++) {
        const char *a = memchr(p, f0, (size_t)(end - p) + 1);
        const char *b = f0 != F0 ? memchr(p, F0, (size_t)(end - p) + 1) : NULL;
        const char *c = a && b ? (a < b ? a : b) : a ? a : b;
        if (!c)
            return NULL;
        if (strncasecmp(c, needle, nn) == 0)
            return c;
        p = c;
    }
    return NULL;
}
