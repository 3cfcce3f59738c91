/* minidump.h: which process a Windows minidump (MDMP) holds, read from its module list,
 * whose first module is the process's own executable. An LSASS dump is credential theft
 * whatever the intruder named it ("l.dmp", "1.tmp"), so the name alone does not decide. */
#ifndef EXR_MINIDUMP_H
#define EXR_MINIDUMP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads n bytes at off into buf: 0 when all were read, 1 when the data ends first, -1 on a
 * read error (errno set). */
typedef int (*exr_md_read)(void *ctx, void *buf, size_t n, uint64_t off);

/* 1 when the data is a minidump (its "MDMP" signature), with the first module's path in out
 * (UTF-8, cut to n - 1 bytes; empty when the module list is missing, truncated or
 * malformed); 0 when it is not a minidump or shorter than a header; -1 on a read error.
 * Reads a bounded number of bytes. */
int exr_minidump_process(exr_md_read rd, void *ctx, char *out, size_t n);

/* Whether a module path names lsass.exe (any folder, any case). */
bool exr_minidump_is_lsass(const char *path);

#endif
