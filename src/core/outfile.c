/* outfile.c: see outfile.h. */
#include "outfile.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

FILE *exr_open_output(const char *path, bool append)
{
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
    if (strncmp(path, "/dev/", 5) != 0)
        flags |= O_NOFOLLOW;
    int fd = open(path, flags, 0600);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, append ? "a" : "w");
    if (!f) {
        int err = errno;
        close(fd);
        errno = err;
    }
    return f;
}

int exr_create_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0)
        return close(fd);
    return errno == EEXIST ? 0 : -1;
}
