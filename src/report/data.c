/* data.c: see data.h. Scans, countries, networks and CUs come from one pass (hosts.c);
 * the notification funnel and the hunt timeline are read here. */
#include "data.h"
#include "hosts.h"
#include "../core/buf.h"
#include "../core/keyset.h"
#include "../hunt/findings.h"
#include <errno.h>
#include "../store/sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *col(exr_stmt *st, int i)
{
    const char *t = exr_stmt_text(st, i);
    return t ? (const char *)t : "";
}

#define PUSH(arr, n, cap)                                                                                                                  \
    do {                                                                                                                                   \
        if ((n) == (cap)) {                                                                                                                \
            (cap) = (cap) ? (cap)*2 : 32;                                                                                                  \
            (arr) = exr_xrealloc((arr), (cap) * sizeof *(arr));                                                                            \
        }                                                                                                                                  \
        memset(&(arr)[(n)], 0, sizeof *(arr));                                                                                             \
    } while (0)

static void note_missing(void *ctx, const char *name, int nshards, const char *missing)
{
    rdata *d = ctx;
    size_t len = strlen(d->missing);
    (void)nshards;
    snprintf(d->missing + len, sizeof d->missing - len, "%s%s (shards missing: %s)", len ? "; " : "", name, missing);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int funnel(exr_db *db, rdata *d, exr_err *e)
{
    exr_stmt *st;
    /* per notified host: its first notice, reminder and escalation, and, when its present
     * state (host_latest: the state every command reports) is patched or not affected, the
     * first such observation since it was last seen open: when it was fixed */
    const char *q =
        "WITH n AS (SELECT d.ip, MIN(t.sent_at) AS notified_at, MIN(CASE WHEN d.kind = 'reminder' THEN t.sent_at END) AS reminded_at,"
        "  MIN(CASE WHEN d.kind = 'escalation' THEN t.sent_at END) AS escalated_at FROM directives d JOIN tickets t ON t.id = d.ticket"
        "  WHERE t.sent_at IS NOT NULL GROUP BY d.ip),"
        " lo AS (SELECT o.ip, MAX(o.time) AS last_open FROM observations o JOIN n ON n.ip = o.ip"
        "  WHERE o.state IN ('compromised', 'vulnerable', 'end-of-life', 'undetermined') GROUP BY o.ip)"
        " SELECT n.notified_at, CASE WHEN l.state IN ('patched', 'not-affected') THEN (SELECT MIN(x.time) FROM observations x"
        "  WHERE x.ip = n.ip AND x.state IN ('patched', 'not-affected') AND x.time > COALESCE(lo.last_open, '')) END,"
        "  n.reminded_at, n.escalated_at FROM n LEFT JOIN host_latest l ON l.ip = n.ip LEFT JOIN lo ON lo.ip = n.ip";
    if (exr_db_prepare(db, q, &st) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "funnel");
    double *days = NULL;
    size_t nd = 0, cap = 0;
    int src;
    while ((src = exr_stmt_step(st)) == EXR_SQL_ROW) {
        d->notified++;
        const char *n = col(st, 0), *p = col(st, 1);
        int64_t tn = exr_parse_time(n, strlen(n)), tp = exr_parse_time(p, strlen(p));
        int64_t tr = exr_parse_time(col(st, 2), strlen(col(st, 2))), te = exr_parse_time(col(st, 3), strlen(col(st, 3)));
        d->reminded += tr != EXR_NO_TIME;
        d->escalated += te != EXR_NO_TIME;
        if (tp != EXR_NO_TIME)
            d->remediated++; /* resolved: as exray cases and stats count it */
        if (tp != EXR_NO_TIME && tn != EXR_NO_TIME && tp >= tn) {
            /* the last kind of notice before the fix */
            d->resolved_after[te != EXR_NO_TIME && te <= tp ? 2 : tr != EXR_NO_TIME && tr <= tp ? 1 : 0]++;
            if (nd == cap) {
                cap = cap ? cap * 2 : 64;
                days = exr_xrealloc(days, cap * sizeof *days);
            }
            days[nd++] = (double)(tp - tn) / 86400000.0;
        } else if (tp != EXR_NO_TIME) {
            d->notified_patched++; /* fixed before the notice went out */
        } else {
            d->notified_open++;
        }
    }
    exr_stmt_finalize(st);
    if (src != EXR_SQL_DONE) {
        free(days);
        return exr_db_seterr(db, e, "read");
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
    int rc = exr_store_incomplete_names(s, &incomplete, note_missing, d, e) < 0 || exr_report_hosts(db, tab, &incomplete, d, e) ? -1 : 0;
    exr_keyset_free(&incomplete);
    if (rc != 0 || funnel(db, d, e))
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
    free(d->cves);
    free(d->hunt);
    memset(d, 0, sizeof *d);
}
