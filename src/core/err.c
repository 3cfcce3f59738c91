/* err.c: see err.h. */
#include "err.h"
#include <stdio.h>

int exr_seterr(exr_err *e, int code, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        e->code = code;
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void exr_clearerr(exr_err *e)
{
    if (e) {
        e->code = 0;
        e->msg[0] = 0;
    }
}
