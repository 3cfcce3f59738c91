/* version.h: Exchange build numbers ("15.2.858.5", OWA's 3-part "15.2.858", the log
 * form "15.01.2375.007"). */
#ifndef EXR_VERSION_H
#define EXR_VERSION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct exr_version {
    int n;         /* 3 or 4 parts */
    uint32_t p[4]; /* p[3] is 0 when n == 3 */
} exr_version;

/* Parses exactly "a.b.c" or "a.b.c.d" (each part 1-6 digits, leading zeros allowed). */
bool exr_version_parse(const char *s, size_t len, exr_version *v);
/* Scans s for the longest run that is a version starting at s; returns chars used or 0. */
size_t exr_version_scan(const char *s, size_t len, exr_version *v);
/* A build as an administrator finds it: a.b.c[.d], or Exchange's AdminDisplayVersion
 * ("Version 15.1 (Build 2507.6)", what Get-ExchangeServer shows), leading and trailing
 * blanks allowed; zero-padded parts (15.01.2507.006, the file version's form) read as numbers. */
bool exr_version_parse_any(const char *s, exr_version *v);
void exr_version_format(const exr_version *v, char *out, size_t n);
/* Compares the first three parts only. */
int exr_version_cmp3(const exr_version *a, const exr_version *b);
/* Compares all four parts (a 3-part build's fourth is 0). */
int exr_version_cmp(const exr_version *a, const exr_version *b);

#endif
