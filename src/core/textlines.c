/* textlines.c: see textlines.h. */
#include "textlines.h"
#include <string.h>

bool exr_text_line(const char *text, size_t len, size_t *pos, const char **line, size_t *n)
{
    if (*pos >= len)
        return false;
    const char *l = text + *pos;
    const char *nl = memchr(l, '\n', len - *pos);
    size_t ll = nl ? (size_t)(nl - l) : len - *pos;
    *pos += ll + (nl ? 1 : 0);
    if (ll && l[ll - 1] == '\r')
        ll--;
    *line = l;
    *n = ll;
    return true;
}
