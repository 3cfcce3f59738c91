/* csv.h: RFC 4180 CSV for one record per line (quoted fields, doubled quotes) and a
 * field writer that quotes whenever a value holds a separator, quote or line break. */
#ifndef EXR_CSV_H
#define EXR_CSV_H
#include "buf.h"
#include <stddef.h>

#define EXR_CSV_MAXF 64

typedef struct exr_csv_row {
    int n;                 /* number of fields */
    char *f[EXR_CSV_MAXF]; /* NUL-terminated fields, pointing into storage */
    exr_buf storage;
} exr_csv_row;

void exr_csv_row_init(exr_csv_row *r);
void exr_csv_row_free(exr_csv_row *r);
/* Splits one line (without its line break). Returns 0, or -1 on an unterminated quote
 * or more than EXR_CSV_MAXF fields. */
int exr_csv_split(exr_csv_row *r, const char *line, size_t len);
/* Appends one field, quoted if needed; sep is written before it unless first. A field
 * starting with = + - @ TAB or CR is written quoted with a leading apostrophe (formula
 * injection), the one place every CSV output goes through. */
void exr_csv_put(exr_buf *out, const char *s, int first);

#endif
