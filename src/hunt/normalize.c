/* normalize.c: see normalize.h. Every step reads at r and writes at w <= r, so steps 2-4
 * run in place over the decoded text; each is one linear pass with bounded look-ahead. */
#include "normalize.h"
#include "../core/hex.h"
#include "../core/utf8.h"
#include <string.h>

#define COMMENT_MAX 4096
#define SNIFF 256

size_t exr_norm_cap(size_t n)
{
    return 3 * n + 64;
}

static size_t utf16_decode(const unsigned char *in, size_t n, int be, unsigned char *out)
{
    size_t w = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        unsigned long u = be ? (unsigned long)(in[i] << 8 | in[i + 1]) : (unsigned long)(in[i + 1] << 8 | in[i]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
            unsigned long lo = be ? (unsigned long)(in[i + 2] << 8 | in[i + 3]) : (unsigned long)(in[i + 3] << 8 | in[i + 2]);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        if (u == 0)
            u = ' ';
        w += exr_utf8_put(out + w, u);
    }
    return w;
}

/* 1 = UTF-16LE, 2 = UTF-16BE, 0 = neither: ASCII-range text has a NUL in every other byte */
static int sniff_utf16(const unsigned char *in, size_t n)
{
    size_t m = n < SNIFF ? n : SNIFF;
    m &= ~(size_t)1;
    if (m < 8)
        return 0;
    size_t odd = 0, even = 0;
    for (size_t i = 0; i < m; i += 2) {
        even += in[i] == 0;
        odd += in[i + 1] == 0;
    }
    size_t pairs = m / 2;
    if (odd * 10 >= pairs * 6 && even * 20 <= pairs)
        return 1;
    if (even * 10 >= pairs * 6 && odd * 20 <= pairs)
        return 2;
    return 0;
}

static int printable(unsigned c)
{
    return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\r' || c == '\n';
}

/* A binary file keeps its bytes and gets its UTF-16LE strings (>= 4 characters) appended. */
static size_t binary_view(const unsigned char *in, size_t n, unsigned char *out)
{
    memcpy(out, in, n);
    size_t w = n;
    out[w++] = '\n';
    for (size_t s = 0; s < 2; s++) {
        size_t i = s;
        while (i + 1 < n) {
            size_t j = i;
            while (j + 1 < n && in[j + 1] == 0 && printable(in[j]))
                j += 2;
            if ((j - i) / 2 >= 4) {
                for (size_t k = i; k < j; k += 2)
                    out[w++] = in[k];
                out[w++] = '\n';
            }
            i = j > i ? j : i + 2;
        }
    }
    return w;
}

/* The next byte at or after i that is one of a step's few trigger characters, by memchr per
 * character, each remembered until passed: most of a text is copied in runs, not byte by
 * byte. Steps write only behind the read position, so what lies ahead stays as found. */
typedef struct finder {
    const unsigned char *b;
    size_t n;
    int k;
    unsigned char c[4];
    size_t pos[4];
} finder;

static size_t find_one(const unsigned char *b, size_t n, size_t i, unsigned char c)
{
    const unsigned char *p = i < n ? memchr(b + i, c, n - i) : NULL;
    return p ? (size_t)(p - b) : n;
}

static void finder_init(finder *f, const unsigned char *b, size_t n, const char *chars)
{
    f->b = b;
    f->n = n;
    f->k = 0;
    for (const char *c = chars; *c && f->k < 4; c++, f->k++) {
        f->c[f->k] = (unsigned char)*c;
        f->pos[f->k] = find_one(b, n, 0, (unsigned char)*c);
    }
}

static size_t finder_next(finder *f, size_t i)
{
    size_t best = f->n;
    for (int j = 0; j < f->k; j++) {
        if (f->pos[j] < i)
            f->pos[j] = find_one(f->b, f->n, i, f->c[j]);
        if (f->pos[j] < best)
            best = f->pos[j];
    }
    return best;
}

/* Copies b[r..t) to w (a no-op while nothing before has changed). */
static void copy_run(unsigned char *b, size_t *w, size_t *r, size_t t)
{
    if (*w != *r)
        memmove(b + *w, b + *r, t - *r);
    *w += t - *r;
    *r = t;
}

static size_t strip_comments(unsigned char *b, size_t n)
{
    size_t w = 0, r = 0;
    finder f;
    finder_init(&f, b, n, "/<");
    while (r < n) {
        copy_run(b, &w, &r, finder_next(&f, r));
        if (r >= n)
            break;
        if (b[r] == '/' && r + 1 < n && b[r + 1] == '*') {
            size_t lim = n - r < COMMENT_MAX ? n - r : COMMENT_MAX;
            unsigned char *end = memmem(b + r + 2, lim > 2 ? lim - 2 : 0, "*/", 2);
            if (end) {
                b[w++] = ' ';
                r = (size_t)(end - b) + 2;
                continue;
            }
        } else if (b[r] == '<' && r + 3 < n && b[r + 1] == '%' && b[r + 2] == '-' && b[r + 3] == '-') {
            size_t lim = n - r < COMMENT_MAX ? n - r : COMMENT_MAX;
            unsigned char *end = memmem(b + r + 4, lim > 4 ? lim - 4 : 0, "--%>", 4);
            if (end) {
                b[w++] = ' ';
                r = (size_t)(end - b) + 4;
                continue;
            }
        }
        b[w++] = b[r++];
    }
    return w;
}

/* Parses exactly k hex digits at p (p has at least k bytes); -1 if not. */
static long hexn(const unsigned char *p, int k)
{
    long v = 0;
    for (int i = 0; i < k; i++) {
        int h = exr_hex_digit(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t decode_escapes(unsigned char *b, size_t n)
{
    size_t w = 0, r = 0;
    unsigned char tmp[4];
    finder f;
    finder_init(&f, b, n, "\\&");
    while (r < n) {
        copy_run(b, &w, &r, finder_next(&f, r));
        if (r >= n)
            break;
        long cp = -1;
        size_t used = 0;
        if (b[r] == '\\' && r + 1 < n) {
            unsigned char c = b[r + 1];
            if (c == 'u' && r + 6 <= n && (cp = hexn(b + r + 2, 4)) >= 0)
                used = 6;
            else if (c == 'U' && r + 10 <= n && (cp = hexn(b + r + 2, 8)) >= 0)
                used = 10;
            else if (c == 'x' && r + 4 <= n && (cp = hexn(b + r + 2, 2)) >= 0)
                used = 4;
            else
                cp = -1;
        } else if (b[r] == '&' && r + 3 < n && b[r + 1] == '#') {
            size_t i = r + 2;
            int hex = 0;
            if (b[i] == 'x' || b[i] == 'X') {
                hex = 1;
                i++;
            }
            long v = 0;
            size_t d = 0;
            while (i < n && d < 8) {
                int h = hex ? exr_hex_digit(b[i]) : (b[i] >= '0' && b[i] <= '9' ? b[i] - '0' : -1);
                if (h < 0)
                    break;
                v = v * (hex ? 16 : 10) + h;
                i++;
                d++;
            }
            if (d && i < n && b[i] == ';') {
                cp = v;
                used = i + 1 - r;
            }
        }
        if (cp >= 0 && used) {
            size_t k = exr_utf8_put(tmp, cp == 0 ? ' ' : (unsigned long)cp);
            if (k <= used) {
                memcpy(b + w, tmp, k);
                w += k;
                r += used;
                continue;
            }
        }
        b[w++] = b[r++];
    }
    return w;
}

/* Length of a quote character at p (ASCII, GBK curly quotes A1 B0/B1, UTF-8 U+2018..U+201D), or 0. */
static size_t quote_len(const unsigned char *p, size_t left)
{
    if (left >= 1 && (p[0] == '"' || p[0] == '\''))
        return 1;
    if (left >= 2 && p[0] == 0xA1 && (p[1] == 0xB0 || p[1] == 0xB1))
        return 2;
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x98 && p[2] <= 0x9D)
        return 3;
    return 0;
}

static size_t skip_space(const unsigned char *b, size_t i, size_t n)
{
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    return i;
}

/* 'a', 'b', 'c' (a key or name spelt as a char array) -> 'abc'; returns input bytes used or 0 */
static size_t join_chars(unsigned char *b, size_t r, size_t n, size_t *w)
{
    if (!(r + 2 < n && b[r] == '\'' && b[r + 1] != '\'' && b[r + 1] != '\\' && b[r + 2] == '\''))
        return 0;
    size_t i = r + 3, k = 0;
    unsigned char tmp[COMMENT_MAX];
    tmp[k++] = b[r + 1];
    for (;;) {
        size_t j = skip_space(b, i, n);
        if (!(j < n && b[j] == ','))
            break;
        j = skip_space(b, j + 1, n);
        if (!(j + 2 < n && b[j] == '\'' && b[j + 1] != '\'' && b[j + 1] != '\\' && b[j + 2] == '\''))
            break;
        if (k == sizeof tmp)
            break;
        tmp[k++] = b[j + 1];
        i = j + 3;
    }
    if (k < 2)
        return 0;
    b[(*w)++] = '\'';
    memcpy(b + *w, tmp, k); /* k < i - r: the output stays behind the input */
    *w += k;
    b[(*w)++] = '\'';
    return i - r;
}

static size_t skip_space(const unsigned char *b, size_t i, size_t n);
static size_t join_literals(unsigned char *b, size_t n)
{
    size_t w = 0, r = 0;
    finder f;
    finder_init(&f, b, n, "\"'\xA1\xE2"); /* every quote_len and join_chars start */
    while (r < n) {
        copy_run(b, &w, &r, finder_next(&f, r));
        if (r >= n)
            break;
        size_t used = join_chars(b, r, n, &w);
        if (used) {
            r += used;
            continue;
        }
        size_t q = quote_len(b + r, n - r);
        if (q) {
            size_t i = skip_space(b, r + q, n);
            if (i < n && (b[i] == '+' || b[i] == '&')) {
                i = skip_space(b, i + 1, n);
                if (i + 1 < n && b[i] == '_') /* VB line continuation */
                    i = skip_space(b, i + 1, n);
                size_t q2 = i < n ? quote_len(b + i, n - i) : 0;
                if (q2) {
                    r = i + q2;
                    continue;
                }
            }
            memmove(b + w, b + r, q);
            w += q;
            r += q;
            continue;
        }
        b[w++] = b[r++];
    }
    return w;
}

size_t exr_normalize(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t len;
    if (n >= 2 && in[0] == 0xFF && in[1] == 0xFE)
        len = utf16_decode(in + 2, n - 2, 0, out);
    else if (n >= 2 && in[0] == 0xFE && in[1] == 0xFF)
        len = utf16_decode(in + 2, n - 2, 1, out);
    else {
        int u = sniff_utf16(in, n);
        if (u)
            len = utf16_decode(in, n, u == 2, out);
        else if (n >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF) {
            memcpy(out, in + 3, n - 3);
            len = n - 3;
        } else if (memchr(in, 0, n < 4096 ? n : 4096)) {
            len = binary_view(in, n, out);
        } else {
            memcpy(out, in, n);
            len = n;
        }
    }
    len = strip_comments(out, len);
    len = decode_escapes(out, len);
    len = join_literals(out, len);
    return len;
}
