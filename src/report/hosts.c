/* hosts.c: see hosts.h. The rules are those the report's SQL had: a scan is the group of
 * scans sharing a name (or its id when unnamed); "latest" orders by time, then row id;
 * a host's present state is the store's host_latest rule (the worst Exchange state of the
 * latest scan it answered in; a web shell stands until a later probe finds none); texts
 * compare byte by byte (SQLite's BINARY, PostgreSQL's "C"). */
#include "hosts.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../store/sql.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Strings compared byte for byte (as the SQL it replaces: "CU1" is not "cu1"), each with a
 * number: the store of distinct values and the index of a chart's groups. */
typedef struct sentry {
    const char *key;
    uint64_t h;
    size_t val;
} sentry;

typedef struct smap {
    sentry *e;
    size_t cap, n;
} smap;

static sentry *smap_find(const smap *m, const char *key, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    while (m->e[i].key && (m->e[i].h != h || strcmp(m->e[i].key, key) != 0))
        i = (i + 1) & (m->cap - 1);
    return &m->e[i];
}

/* key's entry; a new one (the key copied into a, *fresh set) when absent */
static sentry *smap_get(smap *m, exr_arena *a, const char *key, bool *fresh)
{
    if ((m->n + 1) * 2 > m->cap) {
        smap big = {exr_xcalloc(m->cap ? m->cap * 2 : 64, sizeof(sentry)), m->cap ? m->cap * 2 : 64, m->n};
        for (size_t i = 0; i < m->cap; i++)
            if (m->e[i].key)
                *smap_find(&big, m->e[i].key, m->e[i].h) = m->e[i];
        free(m->e);
        *m = big;
    }
    uint64_t h = fnv(key);
    sentry *s = smap_find(m, key, h);
    *fresh = !s->key;
    if (*fresh) {
        s->key = exr_arena_str(a, key);
        s->h = h;
        s->val = 0;
        m->n++;
    }
    return s;
}

/* The few distinct values of product, CU, build, country and AS name, stored once. */
static const char *intern(smap *m, exr_arena *a, const char *s)
{
    if (!s)
        return NULL;
    bool fresh;
    return smap_get(m, a, s, &fresh)->key;
}

/* a verdict word, classified once per row */
enum { V_OTHER, V_VULN, V_UNDET, V_PATCHED };

/* a build as the store has it, and a host's network: stored once, pointed to by hosts */
typedef struct version {
    const char *product, *cu, *build;
    rverdict rv; /* by the vulnerability table, once per distinct build */
} version;

typedef struct netinfo {
    const char *country, *as_name;
    long long asn;
    bool has_asn;
} netinfo;

/* a host in one scan (the shards of a name are one scan): its newest answer there, its worst
 * Exchange state, whether any row was Exchange or had a known exploited CVE open */
typedef struct hscan {
    struct hscan *next;
    const char *t;
    long long aid;
    uint32_t g;       /* the scan's place in time order */
    unsigned char sv; /* EXR_S_*, or NO_STATE */
    unsigned char ex, kev;
    unsigned char shell, clean; /* a probe in the scan found a web shell; found none */
} hscan;
#define NO_STATE 255

/* a few tens of bytes per host: ten million hosts fit in memory */
typedef struct host {
    const char *time; /* of the latest Exchange observation; NULL until one is seen */
    long long id;
    const version *ver;
    const netinfo *net; /* NULL: no host_info row */
    hscan *scans;       /* newest scan first, usually */
    unsigned char v[EXR_NSETS];
    unsigned char now;     /* the present state (host_latest's rule), once the pass is done */
    unsigned char now_kev; /* the present scan had a known exploited CVE open */
    char ip[];
} host;

/* slots keep the hash beside the pointer: a probe reads a host only when the hashes match */
typedef struct hslot {
    uint64_t h;
    host *p;
} hslot;

typedef struct hostmap {
    hslot *slot;
    size_t cap, n;
} hostmap;

static hslot *host_slot(hostmap *m, const char *ip, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    while (m->slot[i].p && (m->slot[i].h != h || strcmp(m->slot[i].p->ip, ip) != 0))
        i = (i + 1) & (m->cap - 1);
    return &m->slot[i];
}

/* Rows ahead of the one being worked on: their slots (PREFETCH_SLOT rows ahead), then the
 * host a slot points to (PREFETCH_HOST ahead, once the slot is in cache) are fetched into
 * cache early, so a probe of a table of millions of hosts does not wait on memory twice. */
enum { PREFETCH_SLOT = 12, PREFETCH_HOST = 6 };

static void host_prefetch(const hostmap *m, const char *ip, bool deref)
{
    if (!ip || !m->cap)
        return;
    const hslot *s = &m->slot[(size_t)fnv(ip) & (m->cap - 1)];
    if (!deref)
        __builtin_prefetch(s);
    else if (s->p)
        __builtin_prefetch(s->p);
}

static host *host_find(hostmap *m, const char *ip)
{
    return m->cap ? host_slot(m, ip, fnv(ip))->p : NULL;
}

static host *host_get(hostmap *m, exr_arena *a, const char *ip)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        hostmap big = {exr_xcalloc(cap, sizeof(hslot)), cap, m->n};
        exr_advise_huge(big.slot, cap * sizeof(hslot));
        for (size_t i = 0; i < m->cap; i++)
            if (m->slot[i].p)
                *host_slot(&big, m->slot[i].p->ip, m->slot[i].h) = m->slot[i];
        free(m->slot);
        *m = big;
    }
    uint64_t h = fnv(ip);
    hslot *s = host_slot(m, ip, h);
    if (!s->p) {
        size_t l = strlen(ip) + 1;
        host *x = exr_arena_alloc(a, sizeof *x + l);
        memset(x, 0, sizeof *x);
        memcpy(x->ip, ip, l);
        s->h = h;
        s->p = x;
        m->n++;
    }
    return s->p;
}

typedef struct scanrow {
    long long id;
    uint32_t g; /* the scan's group (its name, or itself) in time order */
    const char *name, *started, *key;
    long n, exch;
    long vuln[EXR_NSETS], patched[EXR_NSETS], undet[EXR_NSETS];
    long classified, kev[RV_MAX_KEV];
} scanrow;

typedef struct pass {
    exr_db *db;
    exr_arena a;
    smap words, versions; /* interned values; builds as (product, CU, build) */
    hostmap hosts;
    scanrow *scans;
    size_t nscans;
    rvulns *vulns;
    const version *lastv; /* the previous row's: consecutive rows often share a build */
    size_t ngroups;
} pass;

static int cmp_scan_id(const void *x, const void *y)
{
    const scanrow *a = x, *b = y;
    return (a->id > b->id) - (a->id < b->id);
}

/* Each scan's group, numbered in time order (the group's first start, then its least id),
 * as the report lists them. */
typedef struct gord {
    const char *key, *started;
    long long id;
} gord;

static int cmp_gord(const void *x, const void *y)
{
    const gord *a = x, *b = y;
    int c = strcmp(a->started ? a->started : "", b->started ? b->started : "");
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

static void order_groups(pass *p)
{
    gord *gs = exr_xcalloc(p->nscans ? p->nscans : 1, sizeof *gs);
    size_t n = 0;
    for (size_t i = 0; i < p->nscans; i++) {
        const scanrow *s = &p->scans[i];
        size_t k;
        for (k = 0; k < n && strcmp(gs[k].key, s->key) != 0; k++)
            ;
        if (k == n)
            gs[n++] = (gord){s->key, s->started, s->id};
        else if (s->started && (!gs[k].started || strcmp(s->started, gs[k].started) < 0))
            gs[k].started = s->started;
    }
    if (n)
        qsort(gs, n, sizeof *gs, cmp_gord);
    for (size_t i = 0; i < p->nscans; i++)
        for (size_t k = 0; k < n; k++)
            if (strcmp(gs[k].key, p->scans[i].key) == 0)
                p->scans[i].g = (uint32_t)k;
    p->ngroups = n;
    free(gs);
}

static int read_scans(pass *p, exr_err *e)
{
    exr_stmt *st;
    if (exr_db_prepare(p->db, "SELECT id, name, started FROM scans", &st) != EXR_SQL_OK)
        return exr_db_seterr(p->db, e, "scans");
    size_t cap = 0;
    int rc;
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW) {
        if (p->nscans == cap) {
            cap = cap ? cap * 2 : 16;
            p->scans = exr_xrealloc(p->scans, cap * sizeof *p->scans);
        }
        scanrow *s = &p->scans[p->nscans++];
        memset(s, 0, sizeof *s);
        s->id = exr_stmt_int(st, 0);
        s->name = exr_stmt_text(st, 1) ? exr_arena_str(&p->a, exr_stmt_text(st, 1)) : NULL;
        s->started = exr_stmt_text(st, 2) ? exr_arena_str(&p->a, exr_stmt_text(st, 2)) : NULL;
        char idtext[24];
        snprintf(idtext, sizeof idtext, "%lld", s->id);
        s->key = s->name ? s->name : exr_arena_str(&p->a, idtext); /* COALESCE(name, CAST(id AS TEXT)) */
    }
    exr_stmt_finalize(st);
    if (rc != EXR_SQL_DONE)
        return exr_db_seterr(p->db, e, "read scans");
    if (p->nscans) /* qsort must not be given NULL, even for no rows */
        qsort(p->scans, p->nscans, sizeof *p->scans, cmp_scan_id);
    order_groups(p);
    return 0;
}

static scanrow *scan_of(pass *p, long long id, scanrow *last)
{
    if (last && last->id == id)
        return last;
    scanrow key = {.id = id};
    return p->nscans ? bsearch(&key, p->scans, p->nscans, sizeof *p->scans, cmp_scan_id) : NULL;
}

static void count_row(scanrow *s, const unsigned char *vk, bool exch)
{
    s->n++;
    s->exch += exch;
    for (int k = 0; k < EXR_NSETS; k++) {
        s->vuln[k] += vk[k] == V_VULN;
        s->patched[k] += vk[k] == V_PATCHED;
        s->undet[k] += vk[k] == V_UNDET;
    }
}

/* the three words start with different letters: one strcmp at most */
static unsigned char verdict_kind(const char *v)
{
    return !v                                              ? V_OTHER
           : v[0] == 'v' && strcmp(v, "vulnerable") == 0   ? V_VULN
           : v[0] == 'p' && strcmp(v, "patched") == 0      ? V_PATCHED
           : v[0] == 'u' && strcmp(v, "undetermined") == 0 ? V_UNDET
                                                           : V_OTHER;
}

/* parts joined by "\1" into key (n bytes, cut as snprintf cuts): once or twice per row,
 * where snprintf was a quarter of the pass */
static void join_key(char *key, size_t n, const char *const *parts, int count)
{
    size_t k = 0;
    for (int i = 0; i < count && k + 1 < n; i++) {
        if (i)
            key[k++] = '\1';
        size_t l = strlen(parts[i]);
        if (l > n - 1 - k)
            l = n - 1 - k;
        memcpy(key + k, parts[i], l);
        k += l;
    }
    key[k < n ? k : n - 1] = 0;
}

/* one lookup for the three: "\2" stands for NULL, "\1" separates */
static const version *version_of(pass *p, const char *product, const char *cu, const char *build)
{
    char key[600];
    join_key(key, sizeof key, (const char *const[]){product ? product : "\2", cu ? cu : "\2", build ? build : "\2"}, 3);
    bool fresh;
    sentry *s = smap_get(&p->versions, &p->a, key, &fresh);
    if (fresh) {
        version *v = exr_arena_alloc(&p->a, sizeof *v);
        v->product = intern(&p->words, &p->a, product);
        v->cu = intern(&p->words, &p->a, cu);
        v->build = intern(&p->words, &p->a, build);
        exr_rverdict_of(p->vulns, &p->a, build, &v->rv);
        s->val = (size_t)(uintptr_t)v;
    }
    return (const version *)(uintptr_t)s->val;
}

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* the row's build, without a hash lookup when it is the previous row's */
static const version *row_version(pass *p, exr_stmt *st)
{
    const char *product = exr_stmt_text(st, 4), *cu = exr_stmt_text(st, 5), *build = exr_stmt_text(st, 6);
    const version *l = p->lastv;
    if (l && same(l->build, build) && same(l->cu, cu) && same(l->product, product))
        return l;
    return p->lastv = version_of(p, product, cu, build);
}

static void count_cves(scanrow *s, const version *v)
{
    s->classified += v->rv.classified;
    for (uint32_t m = v->rv.kevmask; m; m &= m - 1)
        s->kev[__builtin_ctz(m)]++;
}

static void note_latest(pass *p, host *h, const version *ver, const unsigned char *vk, const char *time, long long id)
{
    if (h->time) {
        int c = strcmp(time, h->time);
        if (c < 0 || (c == 0 && id < h->id))
            return;
    }
    if (!h->time || strcmp(time, h->time) != 0)
        h->time = exr_arena_str(&p->a, time);
    h->id = id;
    h->ver = ver;
    memcpy(h->v, vk, sizeof h->v);
}

/* A row of the host in scan group g: its answer, and when Exchange its state. */
static void note_scan(pass *p, host *h, uint32_t g, const char *time, long long id, int state, bool exch, bool kev, int probe)
{
    hscan *c = h->scans;
    while (c && c->g != g)
        c = c->next;
    if (!c) {
        c = exr_arena_alloc(&p->a, sizeof *c);
        *c = (hscan){h->scans, exr_arena_str(&p->a, time), id, g, NO_STATE, 0, 0, 0, 0};
        h->scans = c;
    } else {
        if (strcmp(time, c->t) > 0)
            c->t = exr_arena_str(&p->a, time);
        if (id > c->aid)
            c->aid = id;
    }
    c->shell |= probe > 0;
    c->clean |= probe == 0;
    if (exch && state >= 0) {
        c->ex = 1;
        c->kev |= kev;
        if (c->sv == NO_STATE || state > c->sv)
            c->sv = (unsigned char)state;
    }
}

/* The one pass over every observation. */
static int read_observations(pass *p, exr_err *e)
{
    exr_stmt *st;
    if (exr_db_prepare_scan(p->db,
                            "scan_id, ip, time, id, product, cu, build, proxylogon, proxyshell, proxynotshell, exchange, webshells, state,"
                            " kev_open",
                            "observations", &st) != EXR_SQL_OK)
        return exr_db_seterr(p->db, e, "observations");
    scanrow *last = NULL;
    int rc;
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW) {
        host_prefetch(&p->hosts, exr_stmt_text_ahead(st, PREFETCH_SLOT, 1), false);
        host_prefetch(&p->hosts, exr_stmt_text_ahead(st, PREFETCH_HOST, 1), true);
        bool exch = exr_stmt_int(st, 10) == 1, comp = exr_stmt_int(st, 11) > 0;
        unsigned char vk[EXR_NSETS];
        for (int k = 0; k < EXR_NSETS; k++)
            vk[k] = verdict_kind(exr_stmt_text(st, 7 + k));
        scanrow *s = scan_of(p, exr_stmt_int(st, 0), last);
        const version *ver = exch ? row_version(p, st) : NULL;
        if (s) {
            count_row(s, vk, exch);
            if (ver)
                count_cves(s, ver);
            last = s;
        }
        const char *ip = exr_stmt_text(st, 1), *time = exr_stmt_text(st, 2), *state = exr_stmt_text(st, 12);
        if (!ip || !time || !ip[0])
            continue;
        /* every answer counts, whatever the order rows come in (PostgreSQL reads the table in
         * halves at once); only hosts seen as Exchange at some time are reported */
        if (!exch && !comp && !state)
            continue;
        host *h = host_get(&p->hosts, &p->a, ip);
        if (exch)
            note_latest(p, h, ver, vk, time, exr_stmt_int(st, 3));
        if (s && state)
            note_scan(p, h, s->g, time, exr_stmt_int(st, 3), exr_state_parse(state), exch, exr_stmt_int(st, 13) > 0,
                      exr_stmt_isnull(st, 11) ? -1 : exr_stmt_int(st, 11) > 0);
    }
    exr_stmt_finalize(st);
    return rc == EXR_SQL_DONE ? 0 : exr_db_seterr(p->db, e, "read observations");
}

static int read_host_info(pass *p, exr_err *e)
{
    exr_stmt *st;
    if (exr_db_prepare_stream(p->db, "SELECT ip, asn, as_name, country FROM host_info", &st) != EXR_SQL_OK)
        return exr_db_seterr(p->db, e, "host_info");
    int rc;
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW) {
        const char *ip = exr_stmt_text(st, 0);
        host *h = ip ? host_find(&p->hosts, ip) : NULL;
        if (!h || !h->time)
            continue;
        netinfo *n = exr_arena_alloc(&p->a, sizeof *n);
        n->has_asn = !exr_stmt_isnull(st, 1);
        n->asn = exr_stmt_int(st, 1);
        n->as_name = intern(&p->words, &p->a, exr_stmt_text(st, 2));
        n->country = intern(&p->words, &p->a, exr_stmt_text(st, 3));
        h->net = n;
    }
    exr_stmt_finalize(st);
    return rc == EXR_SQL_DONE ? 0 : exr_db_seterr(p->db, e, "read host_info");
}

/* per scan group: hosts by worst state there (gst), with a known exploited CVE (gkev), and
 * the change in the latest states of all known hosts (delta) */
typedef struct timeline {
    long (*gst)[EXR_NSTATE], *gkev, (*delta)[EXR_NSTATE], *newly;
} timeline;

static int cmp_hscan_time(const void *x, const void *y)
{
    const hscan *a = *(const hscan *const *)x, *b = *(const hscan *const *)y;
    int c = strcmp(a->t, b->t);
    return c ? c : (a->aid > b->aid) - (a->aid < b->aid);
}

/* One host's scans in time order: its state after each (a web shell stands until a later
 * probe finds none, as host_latest says), the counts, and its present state. */
static void host_timeline(host *h, timeline *tl, hscan **buf, size_t cap)
{
    size_t n = 0;
    for (hscan *c = h->scans; c && n < cap; c = c->next)
        buf[n++] = c;
    if (n > 1)
        qsort(buf, n, sizeof *buf, cmp_hscan_time);
    int prev = -1;
    bool stands = false;
    for (size_t i = 0; i < n; i++) {
        const hscan *c = buf[i];
        if (c->ex && c->sv != NO_STATE) {
            tl->gst[c->g][c->sv]++;
            tl->gkev[c->g] += c->kev;
        }
        stands = c->shell ? true : c->clean ? false : stands;
        int now = stands ? EXR_S_COMPROMISED : !c->ex ? EXR_S_NOT_AFFECTED : c->sv != NO_STATE ? c->sv : EXR_S_UNDETERMINED;
        if (prev < 0)
            tl->newly[c->g]++;
        else
            tl->delta[c->g][prev]--;
        tl->delta[c->g][now]++;
        prev = now;
        h->now_kev = c->ex && c->kev;
    }
    h->now = prev < 0 ? NO_STATE : (unsigned char)prev;
}

static void timelines(pass *p, rdata *d, timeline *tl)
{
    size_t ng = p->ngroups ? p->ngroups : 1;
    tl->gst = exr_xcalloc(ng, sizeof *tl->gst);
    tl->gkev = exr_xcalloc(ng, sizeof *tl->gkev);
    tl->delta = exr_xcalloc(ng, sizeof *tl->delta);
    tl->newly = exr_xcalloc(ng, sizeof *tl->newly);
    hscan *buf[256];
    for (size_t i = 0; i < p->hosts.cap; i++) {
        host *h = p->hosts.slot[i].p;
        if (!h || !h->time)
            continue;
        host_timeline(h, tl, buf, sizeof buf / sizeof buf[0]);
        if (h->now == NO_STATE)
            continue;
        d->hosts++;
        d->now[h->now]++;
        d->now_kev += h->now_kev;
    }
    /* running sums: the latest state of every host known by each scan */
    for (size_t g = 1; g < p->ngroups; g++) {
        tl->newly[g] += tl->newly[g - 1];
        for (int k = 0; k < EXR_NSTATE; k++)
            tl->delta[g][k] += tl->delta[g - 1][k];
    }
}

static void timeline_free(timeline *tl)
{
    free(tl->gst);
    free(tl->gkev);
    free(tl->delta);
    free(tl->newly);
}

/* the shards of one name are one scan: ids, start and name are the group's least */
static void group_scans(pass *p, const exr_keyset *incomplete, const timeline *tl, rdata *d)
{
    size_t cap = 0;
    for (size_t i = 0; i < p->nscans; i++) {
        scanrow *g = &p->scans[i];
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = strcmp(p->scans[j].key, g->key) != 0;
        if (!first)
            continue;
        rscan r;
        memset(&r, 0, sizeof r);
        r.id = g->id;
        const char *started = g->started, *name = g->name;
        long n = 0;
        for (size_t j = i; j < p->nscans; j++) {
            scanrow *s = &p->scans[j];
            if (strcmp(s->key, g->key) != 0)
                continue;
            if (s->started && (!started || strcmp(s->started, started) < 0))
                started = s->started;
            if (s->name && (!name || strcmp(s->name, name) < 0))
                name = s->name;
            n += s->n;
            r.exch += s->exch;
            for (int k = 0; k < EXR_NSETS; k++) {
                r.vuln[k] += s->vuln[k];
                r.patched[k] += s->patched[k];
                r.undet[k] += s->undet[k];
            }
            r.classified += s->classified;
            for (int k = 0; k < RV_MAX_KEV; k++)
                r.kev[k] += s->kev[k];
        }
        if (!n || exr_keyset_has(incomplete, name ? name : ""))
            continue;
        memcpy(r.states, tl->gst[g->g], sizeof r.states);
        r.kev_hosts = tl->gkev[g->g];
        memcpy(r.over, tl->delta[g->g], sizeof r.over);
        r.known = tl->newly[g->g];
        /* to the second for reading (the store keeps microseconds) */
        snprintf(r.started, sizeof r.started, "%.19s%s", started ? started : "", started && strlen(started) >= 19 ? "Z" : "");
        if (d->nscans == cap) {
            cap = cap ? cap * 2 : 16;
            d->scans = exr_xrealloc(d->scans, cap * sizeof *d->scans);
        }
        d->scans[d->nscans++] = r;
    }
}

static int cmp_rscan(const void *x, const void *y)
{
    const rscan *a = x, *b = y;
    int c = strcmp(a->started, b->started);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* A chart's groups (countries, networks): key, the least label of its hosts, counts. */
typedef struct gacc {
    rgroup g;
    char label[200];
    bool have_label;
} gacc;

typedef struct chart {
    gacc *arr;
    size_t n, cap;
    smap index;
} chart;

typedef struct cuacc {
    const char *product, *cu, *build;
    long hosts, vuln;
} cuacc;

typedef struct cutab {
    cuacc *arr;
    size_t n, cap;
    smap index;
} cutab;

#define GROW(arr, n, cap)                                                                                                                  \
    do {                                                                                                                                   \
        if ((n) == (cap)) {                                                                                                                \
            (cap) = (cap) ? (cap)*2 : 64;                                                                                                  \
            (arr) = exr_xrealloc((arr), (cap) * sizeof *(arr));                                                                            \
        }                                                                                                                                  \
    } while (0)

/* by the present state: open (vulnerable, end-of-life; compromised counts apart) */
static bool is_vuln(const host *h)
{
    return h->now == EXR_S_VULNERABLE || h->now == EXR_S_EOL;
}

static bool is_patched(const host *h)
{
    return h->now == EXR_S_PATCHED || h->now == EXR_S_NOT_AFFECTED;
}

static bool is_comp(const host *h)
{
    return h->now == EXR_S_COMPROMISED;
}

static void chart_add(chart *c, exr_arena *a, const char *key, const char *label, const host *h)
{
    bool fresh;
    sentry *s = smap_get(&c->index, a, key, &fresh);
    if (fresh) {
        GROW(c->arr, c->n, c->cap);
        s->val = c->n;
        gacc *g = &c->arr[c->n++];
        memset(g, 0, sizeof *g);
        size_t l = strlen(key) < sizeof g->g.key - 1 ? strlen(key) : sizeof g->g.key - 1;
        memcpy(g->g.key, key, l);
        g->g.key[l] = 0;
    }
    gacc *g = &c->arr[s->val];
    if (!g->have_label || strcmp(label, g->label) < 0)
        snprintf(g->label, sizeof g->label, "%s", label);
    g->have_label = true;
    bool v = is_vuln(h), pt = is_patched(h);
    g->g.total++;
    g->g.vuln += v;
    g->g.patched += pt;
    g->g.comp += is_comp(h);
    g->g.support[h->ver->rv.support]++;
}

static int cmp_group(const void *x, const void *y)
{
    const gacc *a = x, *b = y;
    if (a->g.total != b->g.total)
        return a->g.total > b->g.total ? -1 : 1;
    return strcmp(a->g.key, b->g.key);
}

/* the 20 largest groups, then by key */
static void chart_finish(chart *c, rgroup **out, size_t *nout)
{
    if (c->n)
        qsort(c->arr, c->n, sizeof *c->arr, cmp_group);
    *nout = c->n < 20 ? c->n : 20;
    *out = exr_xcalloc(*nout ? *nout : 1, sizeof **out);
    for (size_t i = 0; i < *nout; i++) {
        (*out)[i] = c->arr[i].g;
        snprintf((*out)[i].label, sizeof(*out)[i].label, "%s", c->arr[i].label);
    }
    free(c->arr);
    free(c->index.e);
}

static void cu_add(cutab *t, exr_arena *a, const host *h)
{
    const char *product = h->ver->product ? h->ver->product : "?", *cu = h->ver->cu ? h->ver->cu : "?";
    char key[600];
    join_key(key, sizeof key, (const char *const[]){product, cu}, 2);
    bool fresh;
    sentry *s = smap_get(&t->index, a, key, &fresh);
    if (fresh) {
        GROW(t->arr, t->n, t->cap);
        s->val = t->n;
        cuacc *c = &t->arr[t->n++];
        memset(c, 0, sizeof *c);
        c->product = product;
        c->cu = cu;
    }
    cuacc *c = &t->arr[s->val];
    if (h->ver->build && (!c->build || strcmp(h->ver->build, c->build) < 0))
        c->build = h->ver->build;
    c->hosts++;
    c->vuln += is_vuln(h) || is_comp(h);
}

static int cmp_cu(const void *x, const void *y)
{
    const cuacc *a = x, *b = y;
    if (a->hosts != b->hosts)
        return a->hosts > b->hosts ? -1 : 1;
    int c = strcmp(a->product, b->product);
    return c ? c : strcmp(a->cu, b->cu);
}

/* per set, the CU alone (3-part) is vulnerable when it never received that set's fix (no
 * SU, not a fixed CU): only a CU upgrade can patch it */
static void classify_cu(const exr_buildtab *tab, rcu *c)
{
    exr_version v;
    if (!c->build[0] || !exr_version_parse(c->build, strlen(c->build), &v))
        return;
    v.n = 3;
    v.p[3] = 0;
    exr_build_info bi;
    exr_build_classify(tab, &v, &bi);
    for (int k = 0; k < EXR_NSETS; k++) {
        c->nofix[k] = bi.verdict[k] == EXR_V_VULNERABLE;
        c->unsupported |= c->nofix[k];
    }
}

static void cu_finish(cutab *t, const exr_buildtab *tab, rdata *d)
{
    if (t->n)
        qsort(t->arr, t->n, sizeof *t->arr, cmp_cu);
    d->cus = exr_xcalloc(t->n ? t->n : 1, sizeof *d->cus);
    for (size_t i = 0; i < t->n; i++) {
        rcu *c = &d->cus[d->ncus++];
        snprintf(c->product, sizeof c->product, "%s", t->arr[i].product);
        snprintf(c->cu, sizeof c->cu, "%s", t->arr[i].cu);
        snprintf(c->build, sizeof c->build, "%s", t->arr[i].build ? t->arr[i].build : "");
        c->hosts = t->arr[i].hosts;
        c->vuln = t->arr[i].vuln;
        classify_cu(tab, c);
    }
    free(t->arr);
    free(t->index.e);
}

/* one host's latest build in the CVE table and the support counts */
static void cves_add(rdata *d, long *open, const version *v)
{
    d->classified += v->rv.classified;
    d->support[v->rv.support]++;
    for (int i = 0; i < v->rv.nopen; i++)
        open[v->rv.open[i]]++;
}

static int cmp_rcve(const void *x, const void *y)
{
    const rcve *a = x, *b = y;
    bool ka = a->row->kev[0], kb = b->row->kev[0];
    if (ka != kb)
        return ka ? -1 : 1;
    if (a->open != b->open)
        return a->open > b->open ? -1 : 1;
    return strcmp(a->cve, b->cve);
}

/* the CVEs open somewhere, KEV first; the most exposed known exploited ones get a line */
static void cves_finish(rdata *d, const long *open)
{
    d->cves = exr_xcalloc((size_t)(d->vulns.n ? d->vulns.n : 1), sizeof *d->cves);
    for (int i = 0; i < d->vulns.n; i++)
        if (open[i] > 0)
            d->cves[d->ncves++] = (rcve){d->vulns.cve[i], d->vulns.row[i], open[i]};
    if (d->ncves)
        qsort(d->cves, d->ncves, sizeof *d->cves, cmp_rcve);
    for (size_t i = 0; i < d->ncves && d->nkev_lines < 5; i++) {
        if (!d->cves[i].row->kev[0])
            break;
        for (int k = 0; k < d->vulns.nkev; k++)
            if (d->vulns.cve[d->vulns.cve_of_kev[k]] == d->cves[i].cve)
                d->kev_lines[d->nkev_lines++] = k;
    }
}

/* Countries, networks and CUs of every host with an Exchange observation, in one walk. */
static void charts(pass *p, const exr_buildtab *tab, rdata *d)
{
    chart byc = {0}, bya = {0};
    cutab cus = {0};
    long open[EXR_MAX_CVES] = {0};
    for (size_t i = 0; i < p->hosts.cap; i++) {
        const host *h = p->hosts.slot[i].p;
        if (!h || !h->time || h->now == NO_STATE)
            continue;
        const char *country = h->net ? h->net->country : NULL, *as_name = h->net ? h->net->as_name : NULL;
        chart_add(&byc, &p->a, country ? country : "--", country ? country : "unknown", h);
        char asn[32];
        bool has_asn = h->net && h->net->has_asn;
        if (has_asn)
            snprintf(asn, sizeof asn, "AS%lld", h->net->asn);
        chart_add(&bya, &p->a, has_asn ? asn : "unknown", as_name ? as_name : "", h);
        cu_add(&cus, &p->a, h);
        cves_add(d, open, h->ver);
    }
    cves_finish(d, open);
    chart_finish(&byc, &d->countries, &d->ncountries);
    chart_finish(&bya, &d->asns, &d->nasns);
    cu_finish(&cus, tab, d);
}

int exr_report_hosts(exr_db *db, const exr_buildtab *tab, const exr_keyset *incomplete, rdata *d, exr_err *e)
{
    pass p;
    memset(&p, 0, sizeof p);
    p.db = db;
    p.a.chunk = (size_t)16 << 20;
    exr_rvulns_init(&d->vulns, tab);
    p.vulns = &d->vulns;
    int rc = read_scans(&p, e) || read_observations(&p, e) || read_host_info(&p, e) ? -1 : 0;
    timeline tl = {0};
    if (rc == 0) {
        timelines(&p, d, &tl);
        group_scans(&p, incomplete, &tl, d);
        if (d->nscans)
            qsort(d->scans, d->nscans, sizeof *d->scans, cmp_rscan);
        charts(&p, tab, d);
    }
    timeline_free(&tl);
    free(p.hosts.slot);
    free(p.scans);
    free(p.words.e);
    free(p.versions.e);
    exr_arena_free(&p.a);
    return rc;
}
