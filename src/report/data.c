/* data.c: see data.h. "Latest" means a host's newest Exchange observation. */
#include "data.h"
#include "../core/buf.h"
#include "../core/keyset.h"
#include "../hunt/findings.h"
#include <errno.h>
#include "../store/sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int dberr(exr_db *db, exr_err *e, const char *what)
{
    return exr_seterr(e, EXR_ESTORE, "store: %s: %s", what, exr_db_errmsg(db));
}

static const char *col(exr_stmt *st, int i)
{
    const char *t = exr_stmt_text(st, i);
    return t ? (const char *)t : "";
}

#define PUSH(arr, n, cap)                                                   \
    do {                                                                    \
        if ((n) == (cap)) {                                                 \
            (cap) = (cap) ? (cap) * 2 : 32;                                 \
            (arr) = exr_xrealloc((arr), (cap) * sizeof *(arr));             \
        }                                                                   \
        memset(&(arr)[(n)], 0, sizeof *(arr));                              \
    } while (0)

static void note_missing(void *ctx, const char *name, int nshards, const char *missing)
{
    rdata *d = ctx;
    size_t len = strlen(d->missing);
    (void)nshards;
    snprintf(d->missing + len, sizeof d->missing - len, "%s%s (shards missing: %s)", len ? "; " : "", name, missing);
}

static int scans(exr_db *db, const exr_keyset *incomplete, rdata *d, exr_err *e)
{
    /* SUM(CASE ...) rather than SUM(condition): PostgreSQL does not add booleans */
    /* the shards of one --scan-name are one scan */
    const char *q = "WITH g AS (SELECT COALESCE(name, CAST(id AS TEXT)) AS k, MIN(name) AS name, MIN(id) AS id, MIN(started) AS started"
                    "   FROM scans GROUP BY COALESCE(name, CAST(id AS TEXT)))"
                    " SELECT g.id, g.started,"
                    " SUM(CASE WHEN o.exchange = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN COALESCE(o.webshells, 0) > 0 THEN 1 ELSE 0 END),"
                    " SUM(CASE WHEN o.proxylogon = 'vulnerable' THEN 1 ELSE 0 END), SUM(CASE WHEN o.proxyshell = 'vulnerable' THEN 1 ELSE 0 END),"
                    " SUM(CASE WHEN o.proxynotshell = 'vulnerable' THEN 1 ELSE 0 END), SUM(CASE WHEN o.proxylogon = 'patched' THEN 1 ELSE 0 END),"
                    " SUM(CASE WHEN o.proxyshell = 'patched' THEN 1 ELSE 0 END), SUM(CASE WHEN o.proxynotshell = 'patched' THEN 1 ELSE 0 END),"
                    " SUM(CASE WHEN o.proxylogon = 'undetermined' THEN 1 ELSE 0 END), SUM(CASE WHEN o.proxyshell = 'undetermined' THEN 1 ELSE 0 END),"
                    " SUM(CASE WHEN o.proxynotshell = 'undetermined' THEN 1 ELSE 0 END)"
                    ", g.name FROM g JOIN scans s ON COALESCE(s.name, CAST(s.id AS TEXT)) = g.k JOIN observations o ON o.scan_id = s.id"
                    " GROUP BY g.k, g.name, g.id, g.started ORDER BY g.started, g.id";
    exr_stmt *st;
    if (exr_db_prepare(db, q, &st) != EXR_SQL_OK)
        return dberr(db, e, "scans");
    size_t cap = 0;
    int src;
    while ((src = exr_stmt_step(st)) == EXR_SQL_ROW) {
        if (exr_keyset_has(incomplete, col(st, 13))) /* col: "" for an unnamed scan */
            continue;
        PUSH(d->scans, d->nscans, cap);
        rscan *r = &d->scans[d->nscans++];
        r->id = exr_stmt_int(st, 0);
        snprintf(r->started, sizeof r->started, "%.20s", col(st, 1));
        r->exch = exr_stmt_int(st, 2);
        r->comp = exr_stmt_int(st, 3);
        for (int k = 0; k < EXR_NSETS; k++) {
            r->vuln[k] = exr_stmt_int(st, 4 + k);
            r->patched[k] = exr_stmt_int(st, 7 + k);
            r->undet[k] = exr_stmt_int(st, 10 + k);
        }
    }
    exr_stmt_finalize(st);
    if (src != EXR_SQL_DONE)
        return dberr(db, e, "read");
    return 0;
}

/* The latest observation per Exchange host and the hosts ever seen with a web shell are
 * computed once into temporary tables that the charts share. */
#define LATEST ""

static int temp_tables(exr_db *db, exr_err *e)
{
    /* SQLite names the temporary schema temp (and an index goes with it); PostgreSQL pg_temp */
    bool pg = exr_db_kind(db) == EXR_DB_PG;
    char q[1200];
    snprintf(q, sizeof q,
             "DROP TABLE IF EXISTS %1$slatest; DROP TABLE IF EXISTS %1$scomp;"
             /* latest = newest observation time, ties by row id */
             "CREATE TEMP TABLE latest AS SELECT o.* FROM observations o JOIN (SELECT id AS mid FROM (SELECT id, ROW_NUMBER()"
             " OVER (PARTITION BY ip ORDER BY time DESC, id DESC) AS rn FROM observations WHERE exchange = 1) r WHERE rn = 1) l"
             " ON o.id = l.mid;"
             "CREATE INDEX %2$slatest_ip ON latest(ip);"
             "CREATE TEMP TABLE comp AS SELECT DISTINCT ip FROM observations WHERE webshells > 0;"
             "CREATE INDEX %2$scomp_ip ON comp(ip);",
             pg ? "pg_temp." : "temp.", pg ? "" : "temp.");
    if (exr_db_exec(db, q) != EXR_SQL_OK)
        return dberr(db, e, "latest observations");
    return 0;
}

static int groups(exr_db *db, const char *keyexpr, const char *labelexpr, int limit, rgroup **out, size_t *n, exr_err *e)
{
    char q[2600];
    snprintf(q, sizeof q,
             LATEST "SELECT %s AS k, MIN(%s), COUNT(*),"
                    " SUM(CASE WHEN latest.proxylogon = 'vulnerable' OR latest.proxyshell = 'vulnerable' OR latest.proxynotshell = 'vulnerable'"
                    "   THEN 1 ELSE 0 END),"
                    " SUM(CASE WHEN COALESCE(latest.proxylogon, '') NOT IN ('vulnerable', 'undetermined') AND COALESCE(latest.proxyshell, '') NOT IN"
                    " ('vulnerable', 'undetermined') AND COALESCE(latest.proxynotshell, '') NOT IN ('vulnerable', 'undetermined') THEN 1 ELSE 0 END),"
                    " SUM(CASE WHEN latest.ip IN (SELECT ip FROM comp) THEN 1 ELSE 0 END),"
                    " SUM(CASE WHEN (latest.proxylogon = 'vulnerable' OR latest.proxyshell = 'vulnerable' OR latest.proxynotshell = 'vulnerable')"
                    "   AND latest.ip NOT IN (SELECT ip FROM comp) THEN 1 ELSE 0 END),"
                    " SUM(CASE WHEN COALESCE(latest.proxylogon, '') NOT IN ('vulnerable', 'undetermined') AND COALESCE(latest.proxyshell, '') NOT IN"
                    " ('vulnerable', 'undetermined') AND COALESCE(latest.proxynotshell, '') NOT IN ('vulnerable', 'undetermined')"
                    "   AND latest.ip NOT IN (SELECT ip FROM comp) THEN 1 ELSE 0 END)"
                    " FROM latest LEFT JOIN host_info h ON h.ip = latest.ip GROUP BY k ORDER BY 3 DESC, k LIMIT %d",
             keyexpr, labelexpr, limit);
    exr_stmt *st;
    if (exr_db_prepare(db, q, &st) != EXR_SQL_OK)
        return dberr(db, e, "groups");
    size_t cap = 0;
    int src;
    while ((src = exr_stmt_step(st)) == EXR_SQL_ROW) {
        PUSH(*out, *n, cap);
        rgroup *g = &(*out)[(*n)++];
        snprintf(g->key, sizeof g->key, "%s", col(st, 0));
        snprintf(g->label, sizeof g->label, "%s", col(st, 1));
        g->total = exr_stmt_int(st, 2);
        g->vuln = exr_stmt_int(st, 3);
        g->patched = exr_stmt_int(st, 4);
        g->comp = exr_stmt_int(st, 5);
        g->vuln_x = exr_stmt_int(st, 6);
        g->patched_x = exr_stmt_int(st, 7);
    }
    exr_stmt_finalize(st);
    if (src != EXR_SQL_DONE)
        return dberr(db, e, "read");
    return 0;
}

static int cus(exr_db *db, const exr_buildtab *tab, rdata *d, exr_err *e)
{
    const char *q = LATEST "SELECT COALESCE(product, '?'), COALESCE(cu, '?'), MIN(build), COUNT(*),"
                           " SUM(CASE WHEN proxylogon = 'vulnerable' OR proxyshell = 'vulnerable' OR proxynotshell = 'vulnerable' THEN 1 ELSE 0 END)"
                           " FROM latest GROUP BY 1, 2 ORDER BY 4 DESC, 1, 2";
    exr_stmt *st;
    if (exr_db_prepare(db, q, &st) != EXR_SQL_OK)
        return dberr(db, e, "cus");
    size_t cap = 0;
    int src;
    while ((src = exr_stmt_step(st)) == EXR_SQL_ROW) {
        PUSH(d->cus, d->ncus, cap);
        rcu *c = &d->cus[d->ncus++];
        snprintf(c->product, sizeof c->product, "%s", col(st, 0));
        snprintf(c->cu, sizeof c->cu, "%s", col(st, 1));
        snprintf(c->build, sizeof c->build, "%s", col(st, 2));
        c->hosts = exr_stmt_int(st, 3);
        c->vuln = exr_stmt_int(st, 4);
        /* per set, the CU alone (3-part) is vulnerable when it never received that set's fix
         * (no SU, not a fixed CU): only a CU upgrade can patch it */
        exr_version v;
        if (c->build[0] && exr_version_parse(c->build, strlen(c->build), &v)) {
            v.n = 3;
            v.p[3] = 0;
            exr_build_info bi;
            exr_build_classify(tab, &v, &bi);
            for (int k = 0; k < EXR_NSETS; k++) {
                c->nofix[k] = bi.verdict[k] == EXR_V_VULNERABLE;
                c->unsupported |= c->nofix[k];
            }
        }
    }
    exr_stmt_finalize(st);
    if (src != EXR_SQL_DONE)
        return dberr(db, e, "read");
    return 0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int funnel(exr_db *db, rdata *d, exr_err *e)
{
    exr_stmt *st;
    /* host_history's definition, restricted to the notified hosts first (fast on big stores) */
    const char *q =
        "WITH n AS (SELECT d.ip, MIN(t.sent_at) AS notified_at FROM directives d JOIN tickets t ON t.id = d.ticket"
        "  WHERE t.sent_at IS NOT NULL GROUP BY d.ip),"
        " fv AS (SELECT o.ip, MIN(o.time) AS first_vulnerable FROM observations o JOIN n ON n.ip = o.ip WHERE o.exchange = 1 AND"
        "  (o.proxylogon = 'vulnerable' OR o.proxyshell = 'vulnerable' OR o.proxynotshell = 'vulnerable') GROUP BY o.ip)"
        " SELECT n.notified_at, (SELECT MIN(x.time) FROM observations x WHERE x.ip = n.ip AND x.exchange = 1 AND x.time > fv.first_vulnerable"
        "  AND COALESCE(x.proxylogon, '') <> 'vulnerable' AND COALESCE(x.proxyshell, '') <> 'vulnerable'"
        "  AND COALESCE(x.proxynotshell, '') <> 'vulnerable') FROM n LEFT JOIN fv ON fv.ip = n.ip";
    if (exr_db_prepare(db, q, &st) != EXR_SQL_OK)
        return dberr(db, e, "funnel");
    double *days = NULL;
    size_t nd = 0, cap = 0;
    int src;
    while ((src = exr_stmt_step(st)) == EXR_SQL_ROW) {
        d->notified++;
        const char *n = col(st, 0), *p = col(st, 1);
        int64_t tn = exr_parse_time(n, strlen(n)), tp = exr_parse_time(p, strlen(p));
        if (tp != EXR_NO_TIME && tn != EXR_NO_TIME && tp >= tn) {
            d->remediated++;
            if (nd == cap) {
                cap = cap ? cap * 2 : 64;
                days = exr_xrealloc(days, cap * sizeof *days);
            }
            days[nd++] = (double)(tp - tn) / 86400000.0;
        } else {
            d->notified_open++;
        }
    }
    exr_stmt_finalize(st);
    if (src != EXR_SQL_DONE) {
        free(days);
        return dberr(db, e, "read");
    }
    d->median_days = -1;
    if (nd) {
        qsort(days, nd, sizeof *days, cmp_d);
        d->median_days = nd % 2 ? days[nd / 2] : (days[nd / 2 - 1] + days[nd / 2]) / 2;
    }
    free(days);
    return 0;
}

/* the few fields of a hunt finding a timeline needs; values are bounded and copied */
static void jfield(const char *line, const char *key, char *out, size_t n)
{
    out[0] = 0;
    char pat[40];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = strstr(line, pat);
    if (!p)
        return;
    p += strlen(pat);
    size_t k = 0;
    while (*p && *p != '"' && k + 1 < n) {
        if (*p == '\\' && p[1]) {
            p++;
            out[k++] = *p == 'n' || *p == 'r' || *p == 't' ? ' ' : *p;
            p++;
            continue;
        }
        out[k++] = *p++;
    }
    out[k] = 0;
}

static int hunt(const char *path, rdata *d, exr_err *e)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return exr_seterr(e, EXR_EIO, "%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0, hcap = 0;
    while (getline(&line, &cap, f) > 0) {
        char t[40];
        jfield(line, "time", t, sizeof t);
        int64_t ms = exr_parse_time(t, strlen(t));
        if (ms == EXR_NO_TIME)
            continue;
        PUSH(d->hunt, d->nhunt, hcap);
        rhunt *h = &d->hunt[d->nhunt++];
        h->t = ms;
        jfield(line, "check", h->check, sizeof h->check);
        jfield(line, "severity", h->sev, sizeof h->sev);
        jfield(line, "path", h->path, sizeof h->path);
        if (!d->hunt_root[0])
            jfield(line, "root", d->hunt_root, sizeof d->hunt_root);
    }
    free(line);
    fclose(f);
    return 0;
}

int exr_report_gather(exr_store *s, const exr_buildtab *tab, const char *hunt_jsonl, rdata *d, exr_err *e)
{
    memset(d, 0, sizeof *d);
    exr_db *db = exr_store_db(s);
    exr_keyset incomplete;
    exr_keyset_init(&incomplete);
    int rc = exr_store_incomplete_names(s, &incomplete, note_missing, d, e) < 0 || scans(db, &incomplete, d, e) ? -1 : 0;
    exr_keyset_free(&incomplete);
    if (rc != 0 || temp_tables(db, e) || groups(db, "COALESCE(h.country, '--')", "COALESCE(h.country, 'unknown')", 20, &d->countries, &d->ncountries, e) ||
        groups(db, "COALESCE('AS' || h.asn, 'unknown')", "COALESCE(h.as_name, '')", 20, &d->asns, &d->nasns, e) || cus(db, tab, d, e) ||
        funnel(db, d, e))
        return -1;
    if (hunt_jsonl && hunt(hunt_jsonl, d, e) != 0)
        return -1;
    return 0;
}

void exr_report_data_free(rdata *d)
{
    free(d->scans);
    free(d->countries);
    free(d->asns);
    free(d->cus);
    free(d->hunt);
    memset(d, 0, sizeof *d);
}
