/* rulecache.h: compiled --rules kept between hunts. Compiling signature-base (741 files)
 * takes libyara longer than scanning a small server's web folders; the compiled rules are
 * saved under a key that is the SHA-256 of exray's and libyara's versions and every rule
 * file's path and content, so any edit compiles afresh. The cache folder must be the
 * user's own (owner, mode 0700, not a symbolic link) and its files 0600: compiled rules run
 * as code inside libyara, so a file anyone else could have written is never loaded. */
#ifndef EXR_RULECACHE_H
#define EXR_RULECACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <yara.h>

/* The default folder: $XDG_CACHE_HOME/exray, else $HOME/.cache/exray; "" when neither is set. */
void exr_rulecache_default_dir(char *out, size_t n);
/* Reads every file once: the key (64 hex digits) and whether any text uses the md5 external
 * variable (the word md5 not after a '.': hash.md5 is the module's). -1 if a file is unreadable. */
int exr_rulecache_key(char *const *files, int n, char key[65], bool *uses_md5);
/* The cached rules for key, or NULL (absent, not the user's own, or not loadable). */
YR_RULES *exr_rulecache_load(const char *dir, const char *key);
/* Saves rules under key (written to a temporary file, then renamed); failures are silent:
 * the cache only saves time. */
void exr_rulecache_save(const char *dir, const char *key, YR_RULES *rules);

#endif
