/* normalize_ref.h: exray's normalisation as it was written first, one plain byte loop per
 * step, kept as the reference the fast implementation (src/hunt/normalize.c) must equal
 * byte for byte (test_rules.c, fuzz_normalize.c). */
#ifndef EXR_NORMALIZE_REF_H
#define EXR_NORMALIZE_REF_H
#include "core/hex.h"
#include "core/utf8.h"
#include <string.h>

#define REF_COMMENT_MAX 4096
#define REF_SNIFF 256

static size_t ref_utf16_decode(const unsigned char *in, size_t n, int be, unsigned char *out)
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
static int ref_sniff_utf16(const unsigned char *in, size_t n)
{
    size_t m = n < REF_SNIFF ? n : REF_SNIFF;
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

static int ref_printable(unsigned c)
{
    return (c >= 0x20 && c < 0x7F) || c == '\t' || c == '\r' || c == '\n';
}

/* A binary file keeps its bytes and gets its UTF-16LE strings (>= 4 characters) appended. */
static size_t ref_binary_view(const unsigned char *in, size_t n, unsigned char *out)
{
    memcpy(out, in, n);
    size_t w = n;
    out[w++] = '\n';
    for (size_t s = 0; s < 2; s++) {
        size_t i = s;
        while (i + 1 < n) {
            size_t j = i;
            while (j + 1 < n && in[j + 1] == 0 && ref_printable(in[j]))
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

static size_t ref_strip_comments(unsigned char *b, size_t n)
{
    size_t w = 0, r = 0;
    while (r < n) {
        if (b[r] == '/' && r + 1 < n && b[r + 1] == '*') {
            size_t lim = n - r < REF_COMMENT_MAX ? n - r : REF_COMMENT_MAX;
            unsigned char *end = memmem(b + r + 2, lim > 2 ? lim - 2 : 0, "*/", 2);
            if (end) {
                b[w++] = ' ';
                r = (size_t)(end - b) + 2;
                continue;
            }
        } else if (b[r] == '<' && r + 3 < n && b[r + 1] == '%' && b[r + 2] == '-' && b[r + 3] == '-') {
            size_t lim = n - r < REF_COMMENT_MAX ? n - r : REF_COMMENT_MAX;
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
static long ref_hexn(const unsigned char *p, int k)
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

static size_t ref_decode_escapes(unsigned char *b, size_t n)
{
    size_t w = 0, r = 0;
    unsigned char tmp[4];
    while (r < n) {
        long cp = -1;
        size_t used = 0;
        if (b[r] == '\\' && r + 1 < n) {
            unsigned char c = b[r + 1];
            if (c == 'u' && r + 6 <= n && (cp = ref_hexn(b + r + 2, 4)) >= 0)
                used = 6;
            else if (c == 'U' && r + 10 <= n && (cp = ref_hexn(b + r + 2, 8)) >= 0)
                used = 10;
            else if (c == 'x' && r + 4 <= n && (cp = ref_hexn(b + r + 2, 2)) >= 0)
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
static size_t ref_quote_len(const unsigned char *p, size_t left)
{
    if (left >= 1 && (p[0] == '"' || p[0] == '\''))
        return 1;
    if (left >= 2 && p[0] == 0xA1 && (p[1] == 0xB0 || p[1] == 0xB1))
        return 2;
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x98 && p[2] <= 0x9D)
        return 3;
    return 0;
}

static size_t ref_skip_space(const unsigned char *b, size_t i, size_t n)
{
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    return i;
}

/* 'a', 'b', 'c' (a key or name spelt as a char array) -> 'abc'; returns input bytes used or 0 */
static size_t ref_join_chars(unsigned char *b, size_t r, size_t n, size_t *w)
{
    if (!(r + 2 < n && b[r] == '\'' && b[r + 1] != '\'' && b[r + 1] != '\\' && b[r + 2] == '\''))
        return 0;
    size_t i = r + 3, k = 0;
    unsigned char tmp[REF_COMMENT_MAX];
    tmp[k++] = b[r + 1];
    for (;;) {
        size_t j = ref_skip_space(b, i, n);
        if (!(j < n && b[j] == ','))
            break;
        j = ref_skip_space(b, j + 1, n);
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

static size_t ref_skip_space(const unsigned char *b, size_t i, size_t n);
static size_t ref_join_literals(unsigned char *b, size_t n)
{
    size_t w = 0, r = 0;
    while (r < n) {
        size_t used = ref_join_chars(b, r, n, &w);
        if (used) {
            r += used;
            continue;
        }
        size_t q = ref_quote_len(b + r, n - r);
        if (q) {
            size_t i = ref_skip_space(b, r + q, n);
            if (i < n && (b[i] == '+' || b[i] == '&')) {
                i = ref_skip_space(b, i + 1, n);
                if (i + 1 < n && b[i] == '_') /* VB line continuation */
                    i = ref_skip_space(b, i + 1, n);
                size_t q2 = i < n ? ref_quote_len(b + i, n - i) : 0;
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

static size_t ref_normalize(const unsigned char *in, size_t n, unsigned char *out)
{
    size_t len;
    if (n >= 2 && in[0] == 0xFF && in[1] == 0xFE)
        len = ref_utf16_decode(in + 2, n - 2, 0, out);
    else if (n >= 2 && in[0] == 0xFE && in[1] == 0xFF)
        len = ref_utf16_decode(in + 2, n - 2, 1, out);
    else {
        int u = ref_sniff_utf16(in, n);
        if (u)
            len = ref_utf16_decode(in, n, u == 2, out);
        else if (n >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF) {
            memcpy(out, in + 3, n - 3);
            len = n - 3;
        } else if (memchr(in, 0, n < 4096 ? n : 4096)) {
            len = ref_binary_view(in, n, out);
        } else {
            memcpy(out, in, n);
            len = n;
        }
    }
    len = ref_strip_comments(out, len);
    len = ref_decode_escapes(out, len);
    len = ref_join_literals(out, len);
    return len;
}

#endif
