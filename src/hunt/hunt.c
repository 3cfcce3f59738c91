/* hunt.c: one hunt over one ROOT. Discovery makes a list of jobs (a log file, an event
 * log, a file to scan), the largest first; -j threads take them in turn. Afterwards the
 * per-root conclusions are drawn: archives matter more when other indicators exist, log
 * folders that start after the exploitation window are flagged, and the build history
 * says whether a fixing build appeared only after the first exploitation trace. */
#include "hunt.h"
#include "../core/buf.h"
#include "fsro.h"
#include "vfs.h"
#include "../core/keyset.h"
#include <sys/stat.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { J_HTTPPROXY, J_ECP, J_OAB, J_IIS, J_EVTX, J_WEB, J_WEBSCRIPT, J_DUMP, J_ARCHIVE };

typedef struct job {
    int kind;
    char *path;
    char *folder;
    char *name;
    long long size, mtime;
    bool noweb;  /* the same file is also a web job: scan it there only */
    bool skip;   /* an archive member that could not be loaded (already reported) */
    long member; /* position in an archive ROOT */
} job;

typedef struct jobs {
    job *j;
    size_t n, cap;
    int kind;
    const char *folder;
    const char *ext; /* required extension or NULL */
    exr_hunt *h;
} jobs;

static int add_cb(void *ctx, const char *full, const char *name, const struct stat *st)
{
    jobs *js = ctx;
    if (js->ext) {
        size_t nl = strlen(name), el = strlen(js->ext);
        if (nl <= el || strcasecmp(name + nl - el, js->ext) != 0)
            return 0;
    }
    if (js->n == js->cap) {
        js->cap = js->cap ? js->cap * 2 : 256;
        js->j = exr_xrealloc(js->j, js->cap * sizeof *js->j);
    }
    const char *base = strrchr(full, '/');
    js->j[js->n++] = (job){js->kind,
                           exr_xstrdup(full),
                           exr_xstrdup(js->folder ? js->folder : ""),
                           exr_xstrdup(base ? base + 1 : name),
                           (long long)st->st_size,
                           (long long)st->st_mtime,
                           false,
                           false,
                           -1};
    return 0;
}

static void walk_problem(void *ctx, const char *full, const char *reason)
{
    jobs *js = ctx;
    exr_hunt_not_examined(&js->h->out, exr_layout_rel(&js->h->lay, full), "%s", reason);
}

/* Every file under dir, at any depth (exr_walk bounds loops by inode). */
static void add_dir_jobs(jobs *js, const char *dir, int kind, const char *folder, const char *ext)
{
    if (!dir || !dir[0])
        return;
    js->kind = kind;
    js->folder = folder;
    js->ext = ext;
    exr_walk(dir, add_cb, walk_problem, js);
}

static int cmp_path(const void *a, const void *b)
{
    const job *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : x->kind - y->kind;
}

static bool is_web(int kind)
{
    return kind == J_WEB || kind == J_WEBSCRIPT;
}

static void dedupe_web(jobs *js)
{
    if (js->n < 2)
        return;
    qsort(js->j, js->n, sizeof *js->j, cmp_path);
    size_t w = 0;
    for (size_t i = 0; i < js->n; i++) {
        job *j = &js->j[i];
        bool dup = false, webseen = false;
        for (size_t k = w; k-- > 0 && strcmp(js->j[k].path, j->path) == 0;) {
            if (is_web(js->j[k].kind)) {
                webseen = true;
                if (is_web(j->kind))
                    dup = true;
            }
        }
        if (dup) {
            free(j->path);
            free(j->folder);
            free(j->name);
            continue;
        }
        if (webseen)
            j->noweb = true;
        js->j[w++] = *j;
    }
    js->n = w;
}

static int cmp_job(const void *a, const void *b)
{
    const job *x = a, *y = b;
    return x->size < y->size ? 1 : x->size > y->size ? -1 : 0;
}

typedef struct pool {
    exr_hunt *h;
    jobs *js;
    size_t next, end;
    pthread_mutex_t mu;
} pool;

static void run_job(exr_hunt *h, job *j)
{
    switch (j->kind) {
    case J_HTTPPROXY: exr_hunt_httpproxy_file(h, j->path, j->folder); break;
    case J_ECP: exr_hunt_ecp_file(h, j->path); break;
    case J_OAB: exr_hunt_oab_file(h, j->path); break;
    case J_IIS: exr_hunt_iis_file(h, j->path, j->folder); break;
    case J_EVTX: exr_hunt_evtx_file(h, j->path); break;
    case J_WEB:
    case J_WEBSCRIPT: exr_hunt_web_file(h, j->path, j->name, j->mtime); break;
    case J_DUMP:
        exr_hunt_dump_file(h, j->path, j->name, j->mtime);
        if (!j->noweb && exr_hunt_aspnet_name(j->name)) /* staged pages in Temp */
            exr_hunt_web_file(h, j->path, j->name, j->mtime);
        break;
    case J_ARCHIVE:
        exr_hunt_archive_file(h, j->path, j->name, j->mtime);
        if (!j->noweb && exr_hunt_aspnet_name(j->name)) /* ProxyShell pointed virtual directories at ProgramData */
            exr_hunt_web_file(h, j->path, j->name, j->mtime);
        break;
    }
    __atomic_add_fetch(&h->files_read, 1, __ATOMIC_RELAXED);
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->end)
            break;
        if (!p->js->j[i].skip)
            run_job(p->h, &p->js->j[i]);
    }
    exr_hunt_thread_end();
    return NULL;
}

static void run_pool(exr_hunt *h, jobs *js, size_t from, size_t to, int nt)
{
    pool p = {h, js, from, to, PTHREAD_MUTEX_INITIALIZER};
    pthread_t th[64];
    int started = 0;
    for (int i = 0; i < nt && i < 64; i++)
        if (pthread_create(&th[started], NULL, worker, &p) == 0)
            started++;
    if (!started) /* no thread to be had: the work is done all the same, here */
        worker(&p);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

static int cmp_member(const void *a, const void *b)
{
    const job *x = a, *y = b;
    return x->member < y->member ? -1 : x->member > y->member;
}

typedef struct load_ctx {
    exr_hunt *h;
    exr_keyset failed;
} load_ctx;

static void load_failed(void *ctx, const char *path, const char *reason)
{
    load_ctx *c = ctx;
    exr_hunt_not_examined(&c->h->out, exr_layout_rel(&c->h->lay, path), "%s", reason);
    exr_keyset_add(&c->failed, path);
}

/* An archive ROOT: jobs in archive order, in batches whose members are decompressed into
 * memory together, scanned by the pool, then freed: one sequential pass, bounded memory. */
#define BATCH_BYTES (512LL << 20)
#define BATCH_FILES 4096
static void run_archive(exr_hunt *h, jobs *js, int nt)
{
    const char **paths = exr_xmalloc((BATCH_FILES + 1) * sizeof *paths);
    size_t i = 0;
    while (i < js->n) {
        size_t j = i;
        long long bytes = 0;
        while (j < js->n && (j == i || (bytes + js->j[j].size <= BATCH_BYTES && j - i < BATCH_FILES))) {
            paths[j - i] = js->j[j].path;
            bytes += js->j[j].size;
            j++;
        }
        load_ctx lc = {h, {0}};
        exr_keyset_init(&lc.failed);
        exr_archive_load(h->arch, paths, j - i, load_failed, &lc);
        for (size_t k = i; k < j; k++)
            js->j[k].skip = exr_keyset_has(&lc.failed, js->j[k].path);
        exr_keyset_free(&lc.failed);
        run_pool(h, js, i, j, nt);
        exr_archive_release(h->arch, paths, j - i);
        i = j;
    }
    free(paths);
}

static int cmp_obs(const void *a, const void *b)
{
    const exr_buildobs *x = a, *y = b;
    if (x->hour != y->hour)
        return x->hour < y->hour ? -1 : 1;
    for (int i = 0; i < 4; i++)
        if (x->v[i] != y->v[i])
            return x->v[i] < y->v[i] ? -1 : 1;
    return 0;
}

static void conclude(exr_hunt *h)
{
    exr_hunt_out *o = &h->out;
    /* first exploitation trace: earliest timed finding at medium or above */
    int64_t first = EXR_NO_TIME;
    bool other = false;
    for (size_t i = 0; i < o->nf; i++) {
        const exr_finding *f = &o->f[i];
        if (f->severity >= EXR_SEV_MEDIUM && strcmp(f->check->id, "file.archive") != 0) {
            other = true;
            if (f->time_ms != EXR_NO_TIME && strncmp(f->check->id, "webshell.", 9) != 0 && (first == EXR_NO_TIME || f->time_ms < first))
                first = f->time_ms;
        }
    }
    if (other)
        for (size_t i = 0; i < o->nf; i++)
            if (strcmp(o->f[i].check->id, "file.archive") == 0)
                o->f[i].severity = EXR_SEV_MEDIUM;
    /* coverage */
    const int64_t window = 1614816000000LL; /* logs starting after 2021-03-03 (from 03-04 on) */
    for (int i = 0; i < o->ncov; i++) {
        if (o->cov[i].oldest_ms != EXR_NO_TIME && o->cov[i].oldest_ms >= window) {
            char ev[200], t[32];
            exr_fmt_ms(o->cov[i].oldest_ms, t, sizeof t);
            snprintf(ev, sizeof ev, "%s: %ld files, oldest entry %s", o->cov[i].name, o->cov[i].files, t);
            exr_hunt_add(o, "coverage.window-missed", -1, o->cov[i].name, 0, EXR_NO_TIME, NULL, 0, ev, strlen(ev));
        }
    }
    /* build history */
    if (o->nb) {
        qsort(o->b, o->nb, sizeof *o->b, cmp_obs);
        size_t w = 0;
        for (size_t i = 0; i < o->nb; i++)
            if (!w || cmp_obs(&o->b[w - 1], &o->b[i]) != 0)
                o->b[w++] = o->b[i];
        o->nb = w;
    }
    if (o->nb && first != EXR_NO_TIME && h->opts->builds) {
        int64_t fh = first / 3600000;
        bool vuln_before = false;
        for (size_t i = 0; i < o->nb; i++) {
            exr_version v = {4, {o->b[i].v[0], o->b[i].v[1], o->b[i].v[2], o->b[i].v[3]}};
            exr_build_info bi;
            exr_build_classify(h->opts->builds, &v, &bi);
            if (o->b[i].hour <= fh && bi.verdict[EXR_PROXYLOGON] == EXR_V_VULNERABLE)
                vuln_before = true;
            if (o->b[i].hour > fh && vuln_before && bi.verdict[EXR_PROXYLOGON] == EXR_V_PATCHED) {
                char ev[300], t1[32], t2[32];
                exr_fmt_ms(first, t1, sizeof t1);
                exr_fmt_ms(o->b[i].hour * 3600000, t2, sizeof t2);
                snprintf(ev, sizeof ev, "first exploitation trace %s; fixing build %u.%u.%u.%u (%s %s%s%s) first served at %s", t1, v.p[0],
                         v.p[1], v.p[2], v.p[3], bi.product ? bi.product : "?", bi.cu ? bi.cu : "?", bi.su ? " " : "", bi.su ? bi.su : "",
                         t2);
                exr_hunt_add(o, "build.patched-after-compromise", -1, "", 0, o->b[i].hour * 3600000, NULL, 0, ev, strlen(ev));
                break;
            }
        }
    }
    exr_hunt_sort(o);
}

/* Every job of the layout: the logs, the two event logs the checks read, every file of the
 * web roots (each once), Temp and ProgramData. */
static void list_jobs(exr_hunt *h, jobs *js)
{
    exr_layout *l = &h->lay;
    js->h = h;
    if (l->httpproxy[0]) {
        char **d;
        int n = exr_list_dirs(l->httpproxy, "", &d);
        for (int i = 0; i < n; i++) {
            const char *b = strrchr(d[i], '/');
            add_dir_jobs(js, d[i], J_HTTPPROXY, b ? b + 1 : d[i], ".log");
            free(d[i]);
        }
        free(d);
    }
    add_dir_jobs(js, l->ecpserver, J_ECP, NULL, ".log");
    add_dir_jobs(js, l->oablog, J_OAB, NULL, ".log");
    for (int i = 0; i < l->niis; i++) {
        const char *b = strrchr(l->iis[i], '/');
        add_dir_jobs(js, l->iis[i], J_IIS, b ? b + 1 : l->iis[i], ".log");
    }
    add_dir_jobs(js, l->evtx, J_EVTX, NULL, ".evtx");
    size_t w = 0;
    for (size_t i = 0; i < js->n; i++) {
        if (js->j[i].kind == J_EVTX && !exr_name_eq(js->j[i].name, "Application.evtx") &&
            !exr_name_eq(js->j[i].name, "MSExchange Management.evtx")) {
            free(js->j[i].path);
            free(js->j[i].folder);
            free(js->j[i].name);
            continue;
        }
        js->j[w++] = js->j[i];
    }
    js->n = w;
    for (int i = 0; i < l->nweb; i++)
        add_dir_jobs(js, l->web[i], J_WEB, NULL, NULL);
    for (int i = 0; i < l->nwebscript; i++)
        add_dir_jobs(js, l->webscript[i], J_WEBSCRIPT, NULL, NULL);
    add_dir_jobs(js, l->rootdir, J_DUMP, NULL, NULL);
    add_dir_jobs(js, l->wintemp, J_DUMP, NULL, NULL);
    add_dir_jobs(js, l->programdata, J_ARCHIVE, NULL, NULL);
    /* web roots may overlap (--webroot twice, ProgramData given as a web root): each file
     * is scanned for web shells once */
    dedupe_web(js);
}

int exr_hunt_run(exr_hunt *h, const char *root, const exr_hunt_opts *o, void *rules, exr_err *e)
{
    memset(h, 0, sizeof *h);
    h->opts = o;
    h->rules = rules;
    struct stat rst;
    if (stat(root, &rst) == 0 && S_ISREG(rst.st_mode) && exr_archive_mount(root, &h->arch, e) != 0)
        return -1;
    if (exr_layout_discover(&h->lay, root, &o->ov, e) != 0) {
        exr_archive_unmount(h->arch);
        h->arch = NULL;
        return -1;
    }
    exr_hunt_out_init(&h->out, root);
    h->out.decode_paths = h->lay.pct;
    for (size_t i = 0; h->arch && i < exr_archive_nrefused(h->arch); i++) {
        const char *p, *why;
        exr_archive_refused(h->arch, i, &p, &why);
        exr_hunt_not_examined(&h->out, p, "%s", why);
    }
    jobs js = {0};
    list_jobs(h, &js);
    if (js.n > 1)
        qsort(js.j, js.n, sizeof *js.j, cmp_job);
    int nt = o->threads > 0 ? o->threads : 1;
    if (nt > 64)
        nt = 64;
    if (!h->arch) {
        run_pool(h, &js, 0, js.n, nt);
    } else {
        for (size_t i = 0; i < js.n; i++)
            js.j[i].member = exr_archive_member(h->arch, js.j[i].path);
        if (js.n > 1)
            qsort(js.j, js.n, sizeof *js.j, cmp_member);
        run_archive(h, &js, nt);
    }
    for (size_t i = 0; i < js.n; i++) {
        free(js.j[i].path);
        free(js.j[i].folder);
        free(js.j[i].name);
    }
    free(js.j);
    conclude(h);
    exr_archive_unmount(h->arch);
    h->arch = NULL;
    return 0;
}

void exr_hunt_free(exr_hunt *h)
{
    exr_hunt_out_free(&h->out);
    exr_layout_free(&h->lay);
}
