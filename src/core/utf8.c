/* utf8.c: strict UTF-8 (no overlongs, no surrogates, max U+10FFFF). */
#include "utf8.h"
#include "swar.h"
#include <stdint.h>
#include "buf.h"
#include <string.h>

size_t exr_utf8_valid_prefix(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] < 0x80)
        return 1;
    size_t len;
    unsigned min;
    unsigned cp;
    if ((u[0] & 0xe0) == 0xc0) {
        len = 2, min = 0x80, cp = u[0] & 0x1f;
    } else if ((u[0] & 0xf0) == 0xe0) {
        len = 3, min = 0x800, cp = u[0] & 0x0f;
    } else if ((u[0] & 0xf8) == 0xf0) {
        len = 4, min = 0x10000, cp = u[0] & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (u[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

static size_t dirty_at(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        /* eight bytes at a time while they are all ASCII and none is NUL */
        while (i + 8 <= n && !exr_swar_has_high(exr_swar_load(s + i)) && !exr_swar_has_byte(exr_swar_load(s + i), 0))
            i += 8;
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c && c < 0x80) {
            i++;
            continue;
        }
        size_t l = c ? exr_utf8_valid_prefix(s + i, n - i) : 0;
        if (!l)
            return i;
        i += l;
    }
    return n;
}

char *exr_utf8_clean(const char *s, size_t n, size_t *outn)
{
    size_t i = dirty_at(s, n);
    if (i == n)
        return NULL;
    char *out = exr_xmalloc(n * 3 + 1), *o = out;
    memcpy(o, s, i);
    o += i;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t l = c ? exr_utf8_valid_prefix(s + i, n - i) : 0;
        if (!l) {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
            continue;
        }
        memcpy(o, s + i, l);
        o += l;
        i += l;
    }
    *o = 0;
    *outn = (size_t)(o - out);
    return out;
}
