/* utf8.h: UTF-8 validation used when hostile bytes are written into text formats, and the
 * encoding of one code point for hunt's UTF-16 and escape decoders. */
#ifndef EXR_UTF8_H
#define EXR_UTF8_H
#include <stddef.h>

/* Length (1-4) of the valid UTF-8 sequence starting at s, or 0 if it is invalid. */
size_t exr_utf8_valid_prefix(const char *s, size_t n);

/* NULL when s[0..n) is valid UTF-8 without NUL; otherwise a new NUL-terminated copy in
 * which each invalid byte and each NUL is U+FFFD (length in *outn). */
char *exr_utf8_clean(const char *s, size_t n, size_t *outn);

/* Writes code point cp as 1-4 bytes of UTF-8 at o and returns their number. A lone UTF-16
 * surrogate is written as it is (3 bytes): hunt's decoders keep what a file holds. Above
 * U+10FFFF the value U+FFFD is written in the 4-byte form (not minimal; the rules' view has
 * always had it so). */
static inline size_t exr_utf8_put(unsigned char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        cp = 0xFFFD;
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

#endif
