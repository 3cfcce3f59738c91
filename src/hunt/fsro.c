/* fsro.c: see fsro.h. */
#include "fsro.h"
#include "vfs.h"
#include "../core/buf.h"
#include "../core/hex.h"
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
    return exr_fs_open(path);
}

bool exr_name_eq(const char *name, const char *want)
{
    const char *p = name;
    const char *w = want;
    while (*p && *w) {
        int c = (unsigned char)*p;
        if (c == '%' && exr_hex_digit((unsigned char)p[1]) >= 0 && exr_hex_digit((unsigned char)p[2]) >= 0) {
            c = exr_hex_digit((unsigned char)p[1]) * 16 + exr_hex_digit((unsigned char)p[2]);
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

void exr_pct_decode(const char *in, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = in; *p && k + 1 < n; p++) {
        int hi = *p == '%' ? exr_hex_digit((unsigned char)p[1]) : -1, lo = hi >= 0 ? exr_hex_digit((unsigned char)p[2]) : -1;
        int c = lo >= 0 ? hi * 16 + lo : -1;
        if (c > 0 && c != '/' && c != '\\') {
            out[k++] = (char)c;
            p += 2;
        } else {
            out[k++] = *p;
        }
    }
    out[k] = 0;
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
        exr_fs_dir *d = exr_fs_opendir(cur);
        if (!d)
            return false;
        const char *dn;
        bool found = false;
        while ((dn = exr_fs_readdir(d))) {
            if (exr_name_eq(dn, comp)) {
                char next[4096];
                int k = snprintf(next, sizeof next, "%s/%s", cur, dn);
                struct stat st;
                if (k > 0 && (size_t)k < sizeof next && exr_fs_lstat(next, &st) == 0 && S_ISDIR(st.st_mode)) {
                    memcpy(cur, next, (size_t)k + 1);
                    found = true;
                    break;
                }
            }
        }
        exr_fs_closedir(d);
        if (!found)
            return false;
        p += l + (slash ? 1 : 0);
    }
    if (strlen(cur) >= n)
        return false;
    memcpy(out, cur, strlen(cur) + 1);
    return true;
}

/* Directories already walked, by (device, inode): a bind mount or a junction copied as a
 * directory cannot make the walk loop, and no depth limit is needed. */
typedef struct seen {
    struct {
        dev_t dev;
        ino_t ino;
        bool used;
    } * slot;
    size_t n, cap; /* open addressing, cap a power of two */
} seen;

static size_t seen_hash(dev_t d, ino_t i, size_t cap)
{
    unsigned long long x = (unsigned long long)i * 0x9E3779B97F4A7C15ull ^ (unsigned long long)d;
    x ^= x >> 29;
    return (size_t)x & (cap - 1);
}

/* true if (d, i) was not in the set (and is now) */
static bool seen_add(seen *s, dev_t d, ino_t i)
{
    if (2 * (s->n + 1) > s->cap) {
        seen g = {0};
        g.cap = s->cap ? s->cap * 2 : 256;
        g.slot = exr_xmalloc(g.cap * sizeof *g.slot);
        memset(g.slot, 0, g.cap * sizeof *g.slot);
        for (size_t k = 0; k < s->cap; k++)
            if (s->slot[k].used) {
                size_t h = seen_hash(s->slot[k].dev, s->slot[k].ino, g.cap);
                while (g.slot[h].used)
                    h = (h + 1) & (g.cap - 1);
                g.slot[h] = s->slot[k];
                g.n++;
            }
        free(s->slot);
        *s = g;
    }
    size_t h = seen_hash(d, i, s->cap);
    while (s->slot[h].used) {
        if (s->slot[h].dev == d && s->slot[h].ino == i)
            return false;
        h = (h + 1) & (s->cap - 1);
    }
    s->slot[h].dev = d;
    s->slot[h].ino = i;
    s->slot[h].used = true;
    s->n++;
    return true;
}

void exr_walk(const char *dir, exr_walk_cb cb, exr_walk_problem_cb pcb, void *ctx)
{
    /* an explicit stack of paths: no recursion, no open DIR* per level */
    char **stack = NULL;
    size_t ns = 0, cap = 0;
    seen vis = {0};
    struct stat st0;
    if (exr_fs_lstat(dir, &st0) != 0 || !S_ISDIR(st0.st_mode))
        return;
    seen_add(&vis, st0.st_dev, st0.st_ino);
    stack = exr_xrealloc(stack, (cap = 16) * sizeof *stack);
    stack[ns++] = exr_xstrdup(dir);
    bool stop = false;
    while (ns && !stop) {
        char *cur = stack[--ns];
        exr_fs_dir *d = exr_fs_opendir(cur);
        if (!d) {
            if (pcb)
                pcb(ctx, cur, strerror(errno));
            free(cur);
            continue;
        }
        const char *dn;
        while (!stop && (dn = exr_fs_readdir(d))) {
            char full[4096];
            int k = snprintf(full, sizeof full, "%s/%s", cur, dn);
            if (k <= 0 || (size_t)k >= sizeof full) {
                if (pcb) {
                    full[sizeof full - 1] = 0;
                    pcb(ctx, full, "path longer than 4095 bytes (the walk's hard limit)");
                }
                continue;
            }
            struct stat st;
            if (exr_fs_lstat(full, &st) != 0) {
                if (pcb)
                    pcb(ctx, full, strerror(errno));
                continue;
            }
            if (S_ISDIR(st.st_mode)) {
                if (!seen_add(&vis, st.st_dev, st.st_ino))
                    continue;
                if (ns == cap)
                    stack = exr_xrealloc(stack, (cap *= 2) * sizeof *stack);
                stack[ns++] = exr_xstrdup(full);
            } else if (S_ISREG(st.st_mode)) {
                if (cb(ctx, full, dn, &st) != 0)
                    stop = true;
            } else if (S_ISLNK(st.st_mode)) {
                if (pcb)
                    pcb(ctx, full, "symbolic link, not followed (it could lead out of the copy)");
            } else if (pcb) {
                pcb(ctx, full, "not a regular file (device, FIFO or socket)");
            }
        }
        exr_fs_closedir(d);
        free(cur);
    }
    while (ns)
        free(stack[--ns]);
    free(stack);
    free(vis.slot);
}

int exr_list_dirs(const char *dir, const char *prefix, char ***out)
{
    *out = NULL;
    exr_fs_dir *d = exr_fs_opendir(dir);
    if (!d)
        return 0;
    int n = 0, cap = 0;
    size_t pl = strlen(prefix);
    const char *dn;
    while ((dn = exr_fs_readdir(d))) {
        if (dn[0] == '.')
            continue;
        if (strncasecmp(dn, prefix, pl) != 0)
            continue;
        char full[4096];
        int k = snprintf(full, sizeof full, "%s/%s", dir, dn);
        struct stat st;
        if (k <= 0 || (size_t)k >= sizeof full || exr_fs_lstat(full, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            *out = exr_xrealloc(*out, (size_t)cap * sizeof **out);
        }
        (*out)[n++] = exr_xstrdup(full);
    }
    exr_fs_closedir(d);
    return n;
}
