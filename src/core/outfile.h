/* outfile.h: opening a file exray writes (findings, timelines, reports, scan records,
 * tables). A triage copy or a shared folder may hold a symbolic link planted where an
 * output will go: an output never follows one, and is created 0600 (the umask may make it
 * stricter): findings, scan records and stores name victims and their contacts. */
#ifndef EXR_OUTFILE_H
#define EXR_OUTFILE_H
#include <stdbool.h>
#include <stdio.h>

/* A path under /dev/ (/dev/null, /dev/stdout, a terminal) is opened as
 * given. Anything else: O_NOFOLLOW, created 0600, truncated (append: appended to).
 * NULL with errno set (ELOOP for a link). */
FILE *exr_open_output(const char *path, bool append);
/* Creates path 0600 if it does not exist (a store about to be created); 0 or -1 (errno). */
int exr_create_private(const char *path);

#endif
