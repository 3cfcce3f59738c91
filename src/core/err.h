/* err.h: error reporting for library code. Library functions never exit() or print;
 * they fill an exr_err (code + message naming the file/line or host) and return -1. */
#ifndef EXR_ERR_H
#define EXR_ERR_H
#include <stdarg.h>

enum exr_errcode { EXR_OK = 0, EXR_EINVAL = 1, EXR_EIO = 2, EXR_ENOMEM = 3, EXR_ELIMIT = 4, EXR_ESTORE = 5 };

typedef struct exr_err {
    int code;
    char msg[512];
} exr_err;

/* Sets code and a printf-style message; returns -1 so callers can `return exr_seterr(...)`. */
int exr_seterr(exr_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void exr_clearerr(exr_err *e);

#endif
