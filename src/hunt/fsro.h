/* fsro.h: read-only, link-safe file access inside a ROOT. Nothing here writes; files are
 * opened with O_NOATIME where the OS allows and O_NOFOLLOW, and walks never follow a
 * symbolic link (a link could lead out of the triage copy). Names are matched
 * case-insensitively and after %XX decoding (Velociraptor encodes "C:" as "C%3A"). */
#ifndef EXR_FSRO_H
#define EXR_FSRO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Opens a regular file read-only; -1 with errno on failure or if it is a link. */
int exr_open_ro(const char *path);
/* True if the decoded name equals want, ignoring case. */
bool exr_name_eq(const char *name, const char *want);
/* A Velociraptor path with its %XX escapes undone ("C%3A/Program%20Files" is "C:/Program
 * Files"), except %2F, %5C and %00, which would change what is a folder or end the text. */
void exr_pct_decode(const char *in, char *out, size_t n);
/* Resolves rel ("a/b/c", components matched with exr_name_eq) under base into out;
 * returns false if some component is missing or is not a directory (links are not followed). */
bool exr_resolve_ci(const char *base, const char *rel, char *out, size_t n);

typedef int (*exr_walk_cb)(void *ctx, const char *full, const char *name, const struct stat *st);
typedef void (*exr_walk_problem_cb)(void *ctx, const char *full, const char *reason);
/* Calls cb for every regular file under dir, at any depth, never following a link; each
 * directory (device, inode) is entered once. What cannot be walked or read as a regular
 * file (unreadable folder, link, special file, path over the limit) goes to pcb. */
void exr_walk(const char *dir, exr_walk_cb cb, exr_walk_problem_cb pcb, void *ctx);
/* Lists directories directly under dir whose name starts with prefix (ci). */
int exr_list_dirs(const char *dir, const char *prefix, char ***out);

#endif
