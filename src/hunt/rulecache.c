/* rulecache.c: see rulecache.h. */
#include "rulecache.h"
#include "../core/buf.h"
#include "lines.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void exr_rulecache_default_dir(char *out, size_t n)
{
    const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (x && x[0] == '/')
        snprintf(out, n, "%s/exray", x);
    else if (home && home[0] == '/')
        snprintf(out, n, "%s/.cache/exray", home);
    else
        out[0] = 0;
}

static bool text_uses_md5(const char *t, size_t n)
{
    for (const char *p = t; (p = exr_memcasestr(p, n - (size_t)(p - t), "md5")) != NULL; p += 3) {
        char before = p > t ? p[-1] : ' ', after = p + 3 < t + n ? p[3] : ' ';
        if (before != '.' && before != '_' && !isalnum((unsigned char)before) && after != '_' && after != '(' &&
            !isalnum((unsigned char)after))
            return true;
    }
    return false;
}

int exr_rulecache_key(char *const *files, int n, char key[65], bool *uses_md5)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    char head[128];
    snprintf(head, sizeof head, "exray %s rules cache 1; libyara %d.%d.%d\n", EXRAY_VERSION, YR_MAJOR_VERSION, YR_MINOR_VERSION,
             YR_MICRO_VERSION);
    EVP_DigestUpdate(c, head, strlen(head));
    *uses_md5 = false;
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        exr_buf b;
        exr_buf_init(&b);
        if (exr_read_file(files[i], 64u << 20, &b) != 0) {
            rc = -1;
        } else {
            char len[64];
            snprintf(len, sizeof len, "\n%zu\n", b.len);
            EVP_DigestUpdate(c, files[i], strlen(files[i]) + 1); /* the path names the namespace */
            EVP_DigestUpdate(c, len, strlen(len));
            EVP_DigestUpdate(c, b.p ? b.p : "", b.len);
            *uses_md5 |= text_uses_md5(b.p ? b.p : "", b.len);
        }
        exr_buf_free(&b);
    }
    unsigned char md[32];
    unsigned int l = 0;
    EVP_DigestFinal_ex(c, md, &l);
    EVP_MD_CTX_free(c);
    for (int i = 0; i < 32; i++)
        snprintf(key + 2 * i, 3, "%02x", md[i]);
    return rc;
}

/* The folder, made if absent; false unless it is a real folder of ours that nobody else can write. */
static bool own_dir(const char *dir, bool create)
{
    struct stat st;
    if (lstat(dir, &st) != 0) {
        if (!create || errno != ENOENT)
            return false;
        char parent[4096];
        snprintf(parent, sizeof parent, "%s", dir);
        char *slash = strrchr(parent, '/');
        if (slash && slash != parent) {
            *slash = 0;
            if (lstat(parent, &st) != 0)
                mkdir(parent, 0700); /* ~/.cache itself; its own checks are the OS's */
        }
        if (mkdir(dir, 0700) != 0 || lstat(dir, &st) != 0)
            return false;
    }
    return S_ISDIR(st.st_mode) && st.st_uid == geteuid() && (st.st_mode & 077) == 0;
}

static size_t stream_read(void *ptr, size_t size, size_t count, void *user)
{
    return fread(ptr, size, count, user);
}

static size_t stream_write(const void *ptr, size_t size, size_t count, void *user)
{
    return fwrite(ptr, size, count, user);
}

YR_RULES *exr_rulecache_load(const char *dir, const char *key)
{
    if (!dir || !dir[0] || !own_dir(dir, false))
        return NULL;
    char path[4200];
    snprintf(path, sizeof path, "%s/rules-%s.yarc", dir, key);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
        close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return NULL;
    }
    YR_STREAM s = {f, stream_read, NULL};
    YR_RULES *r = NULL;
    if (yr_rules_load_stream(&s, &r) != ERROR_SUCCESS)
        r = NULL;
    fclose(f);
    return r;
}

void exr_rulecache_save(const char *dir, const char *key, YR_RULES *rules)
{
    if (!dir || !dir[0] || !own_dir(dir, true))
        return;
    char tmp[4200], path[4200];
    snprintf(tmp, sizeof tmp, "%s/.rules-XXXXXX", dir);
    snprintf(path, sizeof path, "%s/rules-%s.yarc", dir, key);
    int fd = mkstemp(tmp); /* 0600, O_EXCL: never through a link someone planted */
    if (fd < 0)
        return;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(tmp);
        return;
    }
    YR_STREAM s = {f, NULL, stream_write};
    bool ok = yr_rules_save_stream(rules, &s) == ERROR_SUCCESS;
    ok &= fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0)
        unlink(tmp);
}
