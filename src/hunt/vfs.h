/* vfs.h: the file tree a hunt reads. Either the real file system (a mounted drive or an
 * extracted triage copy) or a collection archive (a Velociraptor offline-collector or
 * KAPE ZIP, also tar) read with libarchive and never extracted to disk: its listing is
 * held in memory as a tree, and the files a hunt needs are decompressed, in archive
 * order and in bounded batches, into anonymous memory files (memfd). Every reader in
 * src/hunt goes through these calls, so both kinds of ROOT give the same findings. */
#ifndef EXR_VFS_H
#define EXR_VFS_H
#include "../core/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

typedef struct exr_fs_dir exr_fs_dir;
exr_fs_dir *exr_fs_opendir(const char *path); /* NULL with errno */
const char *exr_fs_readdir(exr_fs_dir *d);    /* next name (not . or ..), NULL at the end */
void exr_fs_closedir(exr_fs_dir *d);
int exr_fs_lstat(const char *path, struct stat *st);
/* A regular file, read-only, never through a link; -1 with errno. An archive member must
 * have been loaded (exr_archive_load), else ENODATA. */
int exr_fs_open(const char *path);
/* A path that a library opening files by name (libevtx) can use for this file. */
const char *exr_fs_native(const char *path, char *buf, size_t n);

typedef struct exr_archive exr_archive;
/* Hard limit on one member's size; a larger member is reported as not examined. */
#define EXR_ARCHIVE_MEMBER_MAX (4LL << 30)
/* A member is kept in memory up to this size, then in an unnamed file on disk (TMPDIR). */
#define EXR_ARCHIVE_MEM_MAX (16LL << 20)
/* Past EXR_ARCHIVE_MEM_MAX, a member expanding more than this many times its compressed
 * size is an archive bomb: not examined. Logs compress 10-50 times; zeros 1000. */
#define EXR_ARCHIVE_RATIO_MAX 250
/* Members listed at most (each costs ~0.5 KiB of tree): the rest are not examined. */
#define EXR_ARCHIVE_MAX_MEMBERS 100000
/* Lists the archive and mounts it under its own path: afterwards "FILE/uploads/..." names
 * its members for every exr_fs_* call. Members that cannot be listed or whose names are
 * unsafe are kept for exr_archive_refused. */
int exr_archive_mount(const char *file, exr_archive **out, exr_err *e);
void exr_archive_unmount(exr_archive *a);
/* The member's position in the archive (for reading in archive order), or -1. */
long exr_archive_member(const exr_archive *a, const char *path);
/* Decompresses the members at these paths (sorted by exr_archive_member) into memory;
 * each one that fails is passed to fail with the reason. */
typedef void (*exr_archive_fail_cb)(void *ctx, const char *path, const char *reason);
void exr_archive_load(exr_archive *a, const char *const *paths, size_t n, exr_archive_fail_cb fail, void *ctx);
/* Frees the memory of loaded members. */
void exr_archive_release(exr_archive *a, const char *const *paths, size_t n);
/* Members left out at listing time (unsafe names, encrypted, listing errors): count, and
 * the i-th as a path and a reason. */
size_t exr_archive_nrefused(const exr_archive *a);
void exr_archive_refused(const exr_archive *a, size_t i, const char **path, const char **reason);

#endif
