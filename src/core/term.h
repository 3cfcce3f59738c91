/* term.h: text for a terminal. Attacker-chosen names (a triage copy's files and folders, a
 * log's fields) must not reach the terminal as control sequences: ESC could clear the
 * screen or rewrite a line, a newline forge a "Nothing suspicious detected" of its own. */
#ifndef EXR_TERM_H
#define EXR_TERM_H
#include <stddef.h>

/* s with every C0 control, DEL and C1 control (U+0080..U+009F in UTF-8, or a lone byte
 * 0x80..0x9F) written as \xNN (\n, \r, \t as themselves escaped), into buf of n bytes;
 * cut with "..." when it does not fit. Returns buf. */
const char *exr_term_safe(const char *s, char *buf, size_t n);

#endif
