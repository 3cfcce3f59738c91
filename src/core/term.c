/* term.c: see term.h. */
#include "term.h"
#include <stdio.h>
#include <string.h>

const char *exr_term_safe(const char *s, char *buf, size_t n)
{
    if (!n)
        return buf;
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        char esc[8] = "";
        unsigned c = *p;
        if (c == '\n' || c == '\r' || c == '\t')
            snprintf(esc, sizeof esc, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
        else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
            snprintf(esc, sizeof esc, "\\x%02x", c);
        else if (c == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* a C1 control as UTF-8 */
            snprintf(esc, sizeof esc, "\\x%02x", *++p);
        size_t add = esc[0] ? strlen(esc) : 1;
        if (k + add + 3 >= n) { /* room kept for "..." and the NUL */
            if (k + 3 < n) {
                memcpy(buf + k, "...", 3);
                k += 3;
            }
            break;
        }
        if (esc[0])
            memcpy(buf + k, esc, add);
        else
            buf[k] = (char)c;
        k += add;
    }
    buf[k < n ? k : n - 1] = 0;
    return buf;
}
