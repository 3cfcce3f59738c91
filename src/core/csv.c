/* csv.c: see csv.h. */
#include "csv.h"
#include <stdbool.h>
#include <string.h>

void exr_csv_row_init(exr_csv_row *r)
{
    r->n = 0;
    exr_buf_init(&r->storage);
}

void exr_csv_row_free(exr_csv_row *r)
{
    exr_buf_free(&r->storage);
}

int exr_csv_split(exr_csv_row *r, const char *line, size_t len)
{
    size_t offs[EXR_CSV_MAXF];
    exr_buf_reset(&r->storage);
    exr_buf_reserve(&r->storage, len + EXR_CSV_MAXF);
    r->n = 0;
    size_t i = 0;
    for (;;) {
        if (r->n == EXR_CSV_MAXF)
            return -1;
        offs[r->n++] = r->storage.len;
        if (i < len && line[i] == '"') {
            i++;
            for (;;) {
                if (i >= len)
                    return -1;
                if (line[i] == '"') {
                    if (i + 1 < len && line[i + 1] == '"') {
                        exr_buf_addc(&r->storage, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                exr_buf_addc(&r->storage, line[i++]);
            }
            /* tolerate junk between closing quote and separator */
            while (i < len && line[i] != ',')
                exr_buf_addc(&r->storage, line[i++]);
        } else {
            while (i < len && line[i] != ',')
                exr_buf_addc(&r->storage, line[i++]);
        }
        exr_buf_addc(&r->storage, 0);
        if (i >= len)
            break;
        i++; /* skip ',' */
    }
    for (int k = 0; k < r->n; k++)
        r->f[k] = r->storage.p + offs[k];
    return 0;
}

void exr_csv_put(exr_buf *out, const char *s, int first)
{
    if (!first)
        exr_buf_addc(out, ',');
    if (!s)
        return;
    /* a cell a spreadsheet would take as a formula (OWASP's CSV injection list) is quoted
     * and starts with ': every CSV exray writes may reach a recipient's Excel */
    bool formula = strchr("=+-@\t\r", s[0]) && s[0];
    if (!formula && !strpbrk(s, ",\"\r\n")) {
        exr_buf_adds(out, s);
        return;
    }
    exr_buf_addc(out, '"');
    if (formula)
        exr_buf_addc(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            exr_buf_addc(out, '"');
        exr_buf_addc(out, *p);
    }
    exr_buf_addc(out, '"');
}
