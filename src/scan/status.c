/* status.c: see status.h. */
#include "status.h"
#include <string.h>

const char *const exr_status_name[EXR_NSTATUS] = {"ok",    "refused",     "timeout",   "tls-error", "http-error",
                                                  "reset", "unreachable", "dns-error", "error"};

int exr_status_parse(const char *s)
{
    for (int i = 0; s && i < EXR_NSTATUS; i++)
        if (strcmp(s, exr_status_name[i]) == 0)
            return i;
    return -1;
}
