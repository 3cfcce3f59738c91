/* textlines.h: iterating the lines of a text held in memory (data files, reports). */
#ifndef EXR_TEXTLINES_H
#define EXR_TEXTLINES_H
#include <stdbool.h>
#include <stddef.h>

/* Next line of text[0..len) from *pos: sets *line and *n (without LF or a trailing CR),
 * advances *pos; false at the end. */
bool exr_text_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n);

#endif
