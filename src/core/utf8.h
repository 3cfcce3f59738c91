/* utf8.h: UTF-8 validation used when hostile bytes are written into text formats. */
#ifndef EXR_UTF8_H
#define EXR_UTF8_H
#include <stddef.h>

/* Length (1-4) of the valid UTF-8 sequence starting at s, or 0 if it is invalid. */
size_t exr_utf8_valid_prefix(const char *s, size_t n);

/* NULL when s[0..n) is valid UTF-8 without NUL; otherwise a new NUL-terminated copy in
 * which each invalid byte and each NUL is U+FFFD (length in *outn). */
char *exr_utf8_clean(const char *s, size_t n, size_t *outn);

#endif
