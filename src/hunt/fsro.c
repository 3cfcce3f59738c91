/* fsro.c: see fsro.h. */
#include "fsro.h"
#include "../core/buf.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int exr_open_ro(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC); /* O_NOATIME needs ownership */
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return -1;
    }
    return fd;
}

static int hexv(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool exr_name_eq(const char *name, const char *want)
{
    const char *p = name;
    const char *w = want;
    while (*p && *w) {
        int c = (unsigned char)*p;
        if (c == '%' && hexv(p[1]) >= 0 && hexv(p[2]) >= 0) {
            c = hexv(p[1]) * 16 + hexv(p[2]);
            p += 3;
        } else {
            p++;
        }
        if (tolower(c) != tolower((unsigned char)*w))
            return false;
        w++;
    }
    return !*p && !*w;
}

bool exr_resolve_ci(const char *base, const char *rel, char *out, size_t n)
{
    char cur[4096];
    snprintf(cur, sizeof cur, "%s", base);
    const char *p = rel;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t l = slash ? (size_t)(slash - p) : strlen(p);
        char comp[256];
        if (l == 0 || l >= sizeof comp) {
            p += l + (slash ? 1 : 0);
            continue;
        }
        memcpy(comp, p, l);
        comp[l] = 0;
        DIR *d = opendir(cur);
        if (!d)
            return false;
        struct dirent *de;
        bool found = false;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
                continue;
            if (exr_name_eq(de->d_name, comp)) {
                char next[4096];
                int k = snprintf(next, sizeof next, "%s/%s", cur, de->d_name);
                struct stat st;
                if (k > 0 && (size_t)k < sizeof next && lstat(next, &st) == 0 && S_ISDIR(st.st_mode)) {
                    memcpy(cur, next, (size_t)k + 1);
                    found = true;
                    break;
                }
            }
        }
        closedir(d);
        if (!found)
            return false;
        p += l + (slash ? 1 : 0);
    }
    if (strlen(cur) >= n)
        return false;
    memcpy(out, cur, strlen(cur) + 1);
    return true;
}

static void walk_rec(const char *dir, int depth, int maxdepth, exr_walk_cb cb, void *ctx)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
            continue;
        char full[4096];
        int k = snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
        if (k <= 0 || (size_t)k >= sizeof full)
            continue;
        struct stat st;
        if (lstat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth < maxdepth)
                walk_rec(full, depth + 1, maxdepth, cb, ctx);
        } else if (S_ISREG(st.st_mode)) {
            if (cb(ctx, full, de->d_name, &st) != 0)
                break;
        }
    }
    closedir(d);
}

void exr_walk(const char *dir, int maxdepth, exr_walk_cb cb, void *ctx)
{
    walk_rec(dir, 0, maxdepth, cb, ctx);
}

int exr_list_dirs(const char *dir, const char *prefix, char ***out)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0, cap = 0;
    size_t pl = strlen(prefix);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (strncasecmp(de->d_name, prefix, pl) != 0)
            continue;
        char full[4096];
        int k = snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
        struct stat st;
        if (k <= 0 || (size_t)k >= sizeof full || lstat(full, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = exr_xrealloc(*out, (size_t)cap * sizeof **out);
        }
        (*out)[n++] = exr_xstrdup(full);
    }
    closedir(d);
    return n;
}
