/* vfs.c: see vfs.h. The archive tree is an array of nodes with a hash from
 * "parent/name" to node, so a collection of a million members lists in linear time.
 * Members are read sequentially (libarchive's natural order; a ZIP with a central
 * directory is opened seekable so skipping a member costs a seek, not a decompression). */
#include "vfs.h"
#include "../core/buf.h"
#include "../core/strmap.h"
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { N_DIR = 'd', N_FILE = 'f', N_LINK = 'l', N_OTHER = 'o' };

typedef struct node {
    char *name;
    int parent;
    int type;
    long long size;
    time_t mtime;
    long member; /* ordinal in the archive, -1 for a folder only implied by its members */
    bool encrypted;
    int *kids;
    int nkids, capk;
    int fd; /* memfd while loaded, else -1 */
} node;

typedef struct refusal {
    char *path, *reason;
} refusal;

struct exr_archive {
    char *file;
    size_t flen;
    node *n;
    int nn, capn;
    exr_strmap idx;
    refusal *ref;
    size_t nref, capref;
    struct archive *rd; /* the sequential reader used by loads */
    long rd_next;       /* ordinal of the next header rd returns */
};

#define MAX_MOUNTS 16
static exr_archive *g_mounts[MAX_MOUNTS];
static int g_nmounts;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

/* ---- the archive tree ---- */

static int node_new(exr_archive *a, int parent, const char *name, int type)
{
    if (a->nn == a->capn) {
        a->capn = a->capn ? a->capn * 2 : 1024;
        a->n = exr_xrealloc(a->n, (size_t)a->capn * sizeof *a->n);
    }
    int i = a->nn++;
    a->n[i] = (node){exr_xstrdup(name), parent, type, 0, 0, -1, false, NULL, 0, 0, -1};
    if (parent >= 0) {
        node *p = &a->n[parent];
        if (p->nkids == p->capk) {
            p->capk = p->capk ? p->capk * 2 : 8;
            p->kids = exr_xrealloc(p->kids, (size_t)p->capk * sizeof *p->kids);
        }
        p->kids[p->nkids++] = i;
        char key[64 + 4096];
        snprintf(key, sizeof key, "%d/%s", parent, name);
        char v[24];
        snprintf(v, sizeof v, "%d", i);
        exr_strmap_set(&a->idx, key, v);
    }
    return i;
}

static int child(const exr_archive *a, int parent, const char *name)
{
    char key[64 + 4096];
    snprintf(key, sizeof key, "%d/%s", parent, name);
    const char *v = exr_strmap_get(&a->idx, key);
    return v ? atoi(v) : -1;
}

static void refuse(exr_archive *a, const char *path, const char *reason)
{
    if (a->nref == a->capref) {
        a->capref = a->capref ? a->capref * 2 : 8;
        a->ref = exr_xrealloc(a->ref, a->capref * sizeof *a->ref);
    }
    a->ref[a->nref++] = (refusal){exr_xstrdup(path), exr_xstrdup(reason)};
}

/* Adds one member: its folders are created as needed; a later member of the same name
 * replaces an earlier one, as unzip does. */
static void add_member(exr_archive *a, const char *raw, int type, long long size, time_t mtime, long ordinal, bool enc)
{
    char *p = exr_xstrdup(raw);
    for (char *q = p; *q; q++)
        if (*q == '\\')
            *q = '/';
    int cur = 0;
    char *save = NULL;
    char *comp[1024];
    int nc = 0;
    for (char *t = strtok_r(p, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (!strcmp(t, "."))
            continue;
        if (!strcmp(t, "..") || nc == 1024 || strlen(t) > 255) {
            refuse(a, raw, "unsafe member name ('..', too deep or a component over 255 bytes): not placed in the tree");
            free(p);
            return;
        }
        comp[nc++] = t;
    }
    if (!nc) {
        free(p);
        return;
    }
    for (int i = 0; i < nc; i++) {
        bool last = i == nc - 1;
        int k = child(a, cur, comp[i]);
        if (k < 0)
            k = node_new(a, cur, comp[i], last ? type : N_DIR);
        else if (last && a->n[k].type != N_DIR && type != N_DIR)
            a->n[k].type = type;
        else if (!last && a->n[k].type != N_DIR) {
            refuse(a, raw, "a member lies below a file of the same name: not placed in the tree");
            free(p);
            return;
        }
        cur = k;
    }
    node *nd = &a->n[cur];
    if (nd->type != N_DIR || type == N_DIR) {
        nd->size = size;
        nd->mtime = mtime;
        nd->member = type == N_DIR ? -1 : ordinal;
        nd->encrypted = enc;
    }
    if (type == N_DIR && nd->mtime == 0)
        nd->mtime = mtime;
    free(p);
}

static struct archive *open_reader(const char *file)
{
    struct archive *r = archive_read_new();
    archive_read_support_format_zip_seekable(r);
    archive_read_support_format_all(r);
    archive_read_support_filter_all(r);
    if (archive_read_open_filename(r, file, 1 << 16) != ARCHIVE_OK) {
        archive_read_free(r);
        return NULL;
    }
    return r;
}

int exr_archive_mount(const char *file, exr_archive **out, exr_err *e)
{
    *out = NULL;
    struct archive *r = open_reader(file);
    if (!r)
        return exr_seterr(e, EXR_EIO, "%s: not an archive libarchive can read", file);
    exr_archive *a = exr_xmalloc(sizeof *a);
    memset(a, 0, sizeof *a);
    a->file = exr_xstrdup(file);
    a->flen = strlen(a->file);
    while (a->flen > 1 && a->file[a->flen - 1] == '/')
        a->file[--a->flen] = 0;
    exr_strmap_init(&a->idx);
    node_new(a, -1, "", N_DIR);
    struct archive_entry *en;
    long ord = 0;
    int rc;
    while ((rc = archive_read_next_header(r, &en)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
        if (ord == EXR_ARCHIVE_MAX_MEMBERS) {
            char why[200];
            snprintf(why, sizeof why, "more than %d members: the listing stopped there; what follows was not examined",
                     EXR_ARCHIVE_MAX_MEMBERS);
            refuse(a, "", why);
            rc = ARCHIVE_EOF;
            break;
        }
        const char *name = archive_entry_pathname(en);
        if (!name)
            name = archive_entry_pathname_utf8(en);
        mode_t ft = archive_entry_filetype(en);
        int type = ft == AE_IFDIR ? N_DIR : ft == AE_IFREG ? N_FILE : ft == AE_IFLNK ? N_LINK : N_OTHER;
        if (archive_entry_hardlink(en))
            type = N_LINK;
        if (name)
            add_member(a, name, type, archive_entry_size_is_set(en) ? (long long)archive_entry_size(en) : -1, archive_entry_mtime(en), ord,
                       archive_entry_is_encrypted(en) != 0);
        else {
            char why[64];
            snprintf(why, sizeof why, "member %ld has no readable name", ord);
            refuse(a, "(unnamed)", why);
        }
        ord++;
        archive_read_data_skip(r);
    }
    if (rc != ARCHIVE_EOF) {
        char why[600];
        snprintf(why, sizeof why, "the listing stopped at member %ld: %.400s; what follows it was not examined", ord,
                 archive_error_string(r) ? archive_error_string(r) : "read error");
        refuse(a, "", why);
    }
    archive_read_free(r);
    pthread_mutex_lock(&g_mu);
    if (g_nmounts == MAX_MOUNTS) {
        pthread_mutex_unlock(&g_mu);
        exr_archive_unmount(a);
        return exr_seterr(e, EXR_ELIMIT, "%s: too many archives open at once", file);
    }
    g_mounts[g_nmounts++] = a;
    pthread_mutex_unlock(&g_mu);
    *out = a;
    return 0;
}

void exr_archive_unmount(exr_archive *a)
{
    if (!a)
        return;
    pthread_mutex_lock(&g_mu);
    for (int i = 0; i < g_nmounts; i++)
        if (g_mounts[i] == a) {
            g_mounts[i] = g_mounts[--g_nmounts];
            break;
        }
    pthread_mutex_unlock(&g_mu);
    for (int i = 0; i < a->nn; i++) {
        free(a->n[i].name);
        free(a->n[i].kids);
        if (a->n[i].fd >= 0)
            close(a->n[i].fd);
    }
    free(a->n);
    for (size_t i = 0; i < a->nref; i++) {
        free(a->ref[i].path);
        free(a->ref[i].reason);
    }
    free(a->ref);
    exr_strmap_free(&a->idx);
    if (a->rd)
        archive_read_free(a->rd);
    free(a->file);
    free(a);
}

/* The mount holding path and the node it names, or NULL (a real path). *nd = -1 when the
 * path is inside the mount but names nothing. */
static exr_archive *lookup(const char *path, int *nd)
{
    exr_archive *a = NULL;
    pthread_mutex_lock(&g_mu);
    for (int i = 0; i < g_nmounts; i++) {
        exr_archive *m = g_mounts[i];
        if (strncmp(path, m->file, m->flen) == 0 && (path[m->flen] == '/' || path[m->flen] == 0)) {
            a = m;
            break;
        }
    }
    pthread_mutex_unlock(&g_mu);
    if (!a)
        return NULL;
    const char *p = path + a->flen;
    int cur = 0;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *s = strchr(p, '/');
        size_t l = s ? (size_t)(s - p) : strlen(p);
        char comp[256];
        if (l >= sizeof comp) {
            *nd = -1;
            return a;
        }
        memcpy(comp, p, l);
        comp[l] = 0;
        cur = child(a, cur, comp);
        if (cur < 0) {
            *nd = -1;
            return a;
        }
        p += l;
    }
    *nd = cur;
    return a;
}

long exr_archive_member(const exr_archive *a, const char *path)
{
    int nd;
    exr_archive *m = lookup(path, &nd);
    if (m != a || nd < 0)
        return -1;
    return a->n[nd].member;
}

size_t exr_archive_nrefused(const exr_archive *a)
{
    return a->nref;
}

void exr_archive_refused(const exr_archive *a, size_t i, const char **path, const char **reason)
{
    *path = a->ref[i].path;
    *reason = a->ref[i].reason;
}

/* An unnamed file on disk (TMPDIR, else /tmp) for a member too large to keep in memory. */
static int disk_file(void)
{
    const char *dir = getenv("TMPDIR");
    int fd = open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && dir && *dir)
        fd = open("/tmp", O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
    return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
    for (size_t off = 0; off < n;) {
        ssize_t w = write(fd, p + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

/* Moves what the memfd holds to a file on disk; the new fd, or -1. */
static int spill(int memfd, long long len)
{
    int fd = disk_file();
    if (fd < 0)
        return -1;
    /* memfd and disk are different file systems: copy_file_range may not cross them */
    char buf[1 << 16];
    for (off_t in = 0; in < len;) {
        ssize_t k = pread(memfd, buf, sizeof buf, in);
        if (k <= 0 || write_all(fd, buf, (size_t)k) != 0) {
            close(fd);
            return -1;
        }
        in += k;
    }
    close(memfd);
    return fd;
}

/* Reads the current member's data into a memfd, moved to an unnamed file on disk past
 * EXR_ARCHIVE_MEM_MAX; -1 with why filled on failure. A member that expands more than
 * EXR_ARCHIVE_RATIO_MAX times its compressed size (past the first EXR_ARCHIVE_MEM_MAX) is an
 * archive bomb and not read on. */
static int read_member(struct archive *r, char *why, size_t wn)
{
    int fd = memfd_create("exray-member", MFD_CLOEXEC);
    if (fd < 0) {
        snprintf(why, wn, "memfd_create: %s", strerror(errno));
        return -1;
    }
    static const size_t CH = 1 << 16;
    char *buf = exr_xmalloc(CH);
    long long total = 0, raw0 = archive_filter_bytes(r, -1);
    bool on_disk = false;
    for (;;) {
        la_ssize_t k = archive_read_data(r, buf, CH);
        if (k == 0)
            break;
        if (k < 0) {
            snprintf(why, wn, "cannot decompress: %.400s", archive_error_string(r) ? archive_error_string(r) : "read error");
            goto fail;
        }
        total += k;
        if (total > EXR_ARCHIVE_MEMBER_MAX) {
            snprintf(why, wn, "member larger than the %lld GiB hard limit for one archive member", EXR_ARCHIVE_MEMBER_MAX >> 30);
            goto fail;
        }
        long long raw = archive_filter_bytes(r, -1) - raw0;
        if (total > EXR_ARCHIVE_MEM_MAX && total > EXR_ARCHIVE_RATIO_MAX * (raw > 0 ? raw : 1)) {
            snprintf(why, wn, "decompresses to over %d times its compressed size (an archive bomb?): not read past %lld MiB",
                     EXR_ARCHIVE_RATIO_MAX, total >> 20);
            goto fail;
        }
        if (!on_disk && total > EXR_ARCHIVE_MEM_MAX) {
            int dfd = spill(fd, total - k);
            if (dfd < 0) {
                snprintf(why, wn, "no room on disk for a %lld MiB member: %s", total >> 20, strerror(errno));
                goto fail;
            }
            fd = dfd;
            on_disk = true;
        }
        if (write_all(fd, buf, (size_t)k) != 0) {
            snprintf(why, wn, "no %s for the member: %s", on_disk ? "disk space" : "memory", strerror(errno));
            goto fail;
        }
    }
    free(buf);
    return fd;
fail:
    free(buf);
    close(fd);
    return -1;
}

void exr_archive_load(exr_archive *a, const char *const *paths, size_t n, exr_archive_fail_cb fail, void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        int nd;
        if (lookup(paths[i], &nd) != a || nd < 0 || a->n[nd].member < 0 || a->n[nd].fd >= 0)
            continue;
        node *x = &a->n[nd];
        if (x->encrypted) {
            fail(ctx, paths[i], "encrypted archive member (no password is ever tried)");
            continue;
        }
        if (a->rd && a->rd_next > x->member) { /* behind us: start again */
            archive_read_free(a->rd);
            a->rd = NULL;
        }
        if (!a->rd) {
            a->rd = open_reader(a->file);
            a->rd_next = 0;
            if (!a->rd) {
                fail(ctx, paths[i], "the archive could not be reopened");
                continue;
            }
        }
        struct archive_entry *en;
        int rc = ARCHIVE_OK;
        while (a->rd_next <= x->member && ((rc = archive_read_next_header(a->rd, &en)) == ARCHIVE_OK || rc == ARCHIVE_WARN)) {
            a->rd_next++;
            if (a->rd_next - 1 == x->member)
                break;
            archive_read_data_skip(a->rd);
        }
        if (a->rd_next - 1 != x->member || (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)) {
            char why[600];
            snprintf(why, sizeof why, "member not reached: %.400s",
                     archive_error_string(a->rd) ? archive_error_string(a->rd) : "read error");
            fail(ctx, paths[i], why);
            archive_read_free(a->rd);
            a->rd = NULL;
            continue;
        }
        char why[600];
        x->fd = read_member(a->rd, why, sizeof why);
        if (x->fd < 0) {
            fail(ctx, paths[i], why);
            archive_read_free(a->rd); /* the stream may be in any state now */
            a->rd = NULL;
        }
    }
}

void exr_archive_release(exr_archive *a, const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int nd;
        if (lookup(paths[i], &nd) == a && nd >= 0 && a->n[nd].fd >= 0) {
            close(a->n[nd].fd);
            a->n[nd].fd = -1;
        }
    }
}

/* ---- the calls every reader uses ---- */

struct exr_fs_dir {
    DIR *d;
    exr_archive *a;
    int node, i;
};

exr_fs_dir *exr_fs_opendir(const char *path)
{
    int nd;
    exr_archive *a = lookup(path, &nd);
    exr_fs_dir *r;
    if (a) {
        if (nd < 0 || a->n[nd].type != N_DIR) {
            errno = nd < 0 ? ENOENT : ENOTDIR;
            return NULL;
        }
        r = exr_xmalloc(sizeof *r);
        *r = (exr_fs_dir){NULL, a, nd, 0};
        return r;
    }
    DIR *d = opendir(path);
    if (!d)
        return NULL;
    r = exr_xmalloc(sizeof *r);
    *r = (exr_fs_dir){d, NULL, -1, 0};
    return r;
}

const char *exr_fs_readdir(exr_fs_dir *d)
{
    if (d->a) {
        node *p = &d->a->n[d->node];
        return d->i < p->nkids ? d->a->n[p->kids[d->i++]].name : NULL;
    }
    struct dirent *de;
    while ((de = readdir(d->d)))
        if (!(de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2]))))
            return de->d_name;
    return NULL;
}

void exr_fs_closedir(exr_fs_dir *d)
{
    if (d && d->d)
        closedir(d->d);
    free(d);
}

int exr_fs_lstat(const char *path, struct stat *st)
{
    int nd;
    exr_archive *a = lookup(path, &nd);
    if (!a)
        return lstat(path, st);
    if (nd < 0) {
        errno = ENOENT;
        return -1;
    }
    const node *x = &a->n[nd];
    memset(st, 0, sizeof *st);
    st->st_dev = (dev_t)0xE4A7;
    st->st_ino = (ino_t)nd + 1;
    st->st_nlink = 1;
    st->st_mode = x->type == N_DIR    ? S_IFDIR | 0555
                  : x->type == N_FILE ? S_IFREG | 0444
                  : x->type == N_LINK ? S_IFLNK | 0777
                                      : S_IFIFO | 0444;
    st->st_size = x->size > 0 ? x->size : 0;
    st->st_mtime = x->mtime;
    return 0;
}

int exr_fs_open(const char *path)
{
    int nd;
    exr_archive *a = lookup(path, &nd);
    if (a) {
        if (nd < 0) {
            errno = ENOENT;
            return -1;
        }
        const node *x = &a->n[nd];
        if (x->type != N_FILE) {
            errno = x->type == N_DIR ? EISDIR : ELOOP;
            return -1;
        }
        if (x->fd < 0) {
            errno = ENODATA;
            return -1;
        }
        char p[64];
        snprintf(p, sizeof p, "/proc/self/fd/%d", x->fd);
        return open(p, O_RDONLY | O_CLOEXEC); /* its own file offset */
    }
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

const char *exr_fs_native(const char *path, char *buf, size_t n)
{
    int nd;
    exr_archive *a = lookup(path, &nd);
    if (!a || nd < 0 || a->n[nd].fd < 0)
        return path;
    snprintf(buf, n, "/proc/self/fd/%d", a->n[nd].fd);
    return buf;
}
