/* normalize.h: the text view that exray's own web-shell rules read. Web shells hide the
 * same few calls behind encodings and obfuscation (UTF-16, comments between every token,
 * "ev"+"al" concatenation, \u0065 and &#101; escapes); undoing those once here lets one
 * behavioural rule match every spelling instead of one rule per sample. */
#ifndef EXR_NORMALIZE_H
#define EXR_NORMALIZE_H
#include <stddef.h>

/* Capacity the output buffer needs for n input bytes. */
size_t exr_norm_cap(size_t n);
/* Writes the normalised view of in[0..n) to out (at least exr_norm_cap(n) bytes) and
 * returns its length. Steps, in order:
 *  1. text encoding: UTF-16LE/BE (by BOM or by the NUL pattern of the first bytes) becomes
 *     UTF-8, a UTF-8 BOM is dropped; a binary file (NULs, not UTF-16) keeps its bytes and
 *     gets its UTF-16LE strings appended, so compiled pages and PST files show their text;
 *  2. block comments: every closed comment up to 4 KiB long is removed;
 *  3. escapes: \uXXXX, \UXXXXXXXX, \xHH and HTML character references become characters;
 *  4. concatenation of literals: a closing quote, '+' or '&', and an opening quote are
 *     removed, so "ev" & "al" reads "eval" (ASCII, GBK and Unicode curly quotes). */
size_t exr_normalize(const unsigned char *in, size_t n, unsigned char *out);

#endif
