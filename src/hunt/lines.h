/* lines.h: a bounded line reader for log files. Lines longer than EXR_LINE_MAX are
 * skipped (and reported), NUL bytes and a UTF-8 BOM are tolerated, memory stays fixed. */
#ifndef EXR_LINES_H
#define EXR_LINES_H
#include <stdbool.h>
#include <stddef.h>

#define EXR_LINE_MAX (1u << 20)

typedef struct exr_lines {
    int fd;
    char *buf;
    size_t len, pos;
    long lineno;
    bool eof;
    bool bom_checked;
} exr_lines;

int exr_lines_open(exr_lines *r, const char *path); /* -1 with errno */
/* 1 = a line (without CR/LF), 0 = end, -1 = read error. *toolong is set when the line
 * was longer than EXR_LINE_MAX and has been skipped (line/len then empty). */
int exr_lines_next(exr_lines *r, const char **line, size_t *len, bool *toolong);
void exr_lines_close(exr_lines *r);

/* PowerShell -like: '*' and '?' wildcards, case-insensitive (ASCII). */
bool exr_like(const char *s, size_t n, const char *pat);
/* Case-insensitive substring search in a length-delimited buffer. */
const char *exr_memcasestr(const char *h, size_t n, const char *needle);

#endif
