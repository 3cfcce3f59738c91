/* store.c: the store over sql.h, for either back end. Observations are written in batches
 * (one transaction per 1000 rows or per second) with one prepared insert; rows are keyed by
 * (scan, ip, port, host) and a conflicting row is ignored, so a resumed scan never
 * duplicates. SQLite runs in WAL mode with synchronous=NORMAL: a committed batch survives a
 * killed process. */
#include "store.h"
#include "../core/buf.h"
#include "../core/timefmt.h"
#include "schema.h"
#include "sql.h"
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct exr_store {
    exr_db *db;
    char name[512]; /* the --db value, any password redacted */
    exr_stmt *ins;
    bool in_tx;
    int pending;
    int64_t tx_started_ms;
};

static int dberr(exr_store *s, exr_err *e, const char *what)
{
    return exr_seterr(e, EXR_ESTORE, "%s: %s: %s", s->name, what, exr_db_errmsg(s->db));
}

void exr_store_redact(const char *target, char *out, size_t n)
{
    exr_db_redact(target, out, n);
}

int exr_store_open_existing(exr_store **out, const char *path, exr_err *e)
{
    return exr_store_open_as(out, path, true, e);
}

int exr_store_open(exr_store **out, const char *path, exr_err *e)
{
    return exr_store_open_as(out, path, false, e);
}

int exr_store_open_as(exr_store **out, const char *target, bool must_exist, exr_err *e)
{
    exr_store *s = exr_xcalloc(1, sizeof *s);
    exr_db_redact(target, s->name, sizeof s->name);
    if (exr_db_open(&s->db, target, must_exist, e) != 0) {
        free(s);
        return -1;
    }
    if (exr_schema_apply(s->db, e) != 0) {
        char why[sizeof e->msg];
        snprintf(why, sizeof why, "%s", e->msg);
        exr_seterr(e, EXR_ESTORE, "%s: %s", s->name, why);
        exr_db_close(s->db);
        free(s);
        return -1;
    }
    if (exr_db_prepare(s->db,
                       "INSERT INTO observations(scan_id,ip,port,host_key,hostname,time,status,exchange,build,"
                       "build_source,product,cu,su,servername,proxylogon,proxyshell,proxynotshell,webshells,record)"
                       " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                       &s->ins) != EXR_SQL_OK) {
        dberr(s, e, "prepare");
        exr_db_close(s->db);
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

exr_db *exr_store_db(exr_store *s)
{
    return s->db;
}

void exr_store_close(exr_store *s)
{
    if (!s)
        return;
    if (s->in_tx)
        exr_db_exec(s->db, "COMMIT");
    exr_stmt_finalize(s->ins);
    exr_db_close(s->db);
    free(s);
}

int exr_store_scan_begin(exr_store *s, const char *args, uint64_t seed, const char *shard, int64_t *scan_id, exr_err *e)
{
    exr_stmt *st;
    if (exr_db_prepare(s->db, "INSERT INTO scans(started,args,seed,shard,tool) VALUES(?,?,?,?,?) RETURNING id", &st) != EXR_SQL_OK)
        return dberr(s, e, "prepare scan");
    char t[32];
    exr_time_rfc3339(time(NULL), t, sizeof t);
    exr_stmt_bind_text(st, 1, t);
    exr_stmt_bind_text(st, 2, args);
    exr_stmt_bind_int(st, 3, (int64_t)seed);
    exr_stmt_bind_text(st, 4, shard);
    exr_stmt_bind_text(st, 5, "exray " EXRAY_VERSION);
    int rc = exr_stmt_step(st);
    if (rc == EXR_SQL_ROW)
        *scan_id = exr_stmt_int(st, 0);
    exr_stmt_finalize(st);
    if (rc != EXR_SQL_ROW)
        return dberr(s, e, "insert scan");
    return 0;
}

int exr_store_scan_unfinished(exr_store *s, int64_t *scan_id, uint64_t *seed, char *shard, size_t shardn, exr_err *e)
{
    exr_stmt *st;
    if (exr_db_prepare(s->db, "SELECT id, seed, shard FROM scans WHERE finished IS NULL ORDER BY id DESC LIMIT 1", &st) != EXR_SQL_OK)
        return dberr(s, e, "prepare resume");
    int rc = exr_stmt_step(st);
    int found = 0;
    if (rc == EXR_SQL_ROW) {
        *scan_id = exr_stmt_int(st, 0);
        *seed = (uint64_t)exr_stmt_int(st, 1);
        const char *sh = exr_stmt_text(st, 2);
        snprintf(shard, shardn, "%s", sh ? (const char *)sh : "");
        found = 1;
    } else if (rc != EXR_SQL_DONE) {
        exr_stmt_finalize(st);
        return dberr(s, e, "query resume");
    }
    exr_stmt_finalize(st);
    return found;
}

int exr_store_scan_keys(exr_store *s, int64_t scan_id, exr_store_key_cb cb, void *ctx, exr_err *e)
{
    exr_stmt *st;
    if (exr_db_prepare(s->db, "SELECT ip, port, host_key FROM observations WHERE scan_id=?", &st) != EXR_SQL_OK)
        return dberr(s, e, "prepare keys");
    exr_stmt_bind_int(st, 1, scan_id);
    int rc;
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW) {
        const char *ip = exr_stmt_text(st, 0);
        const char *hk = exr_stmt_text(st, 2);
        cb(ctx, ip ? ip : "", exr_stmt_int(st, 1), hk && *hk ? hk : NULL);
    }
    exr_stmt_finalize(st);
    if (rc != EXR_SQL_DONE)
        return dberr(s, e, "read keys");
    return 0;
}

int exr_store_commit(exr_store *s, exr_err *e)
{
    if (!s->in_tx)
        return 0;
    if (exr_db_exec(s->db, "COMMIT") != EXR_SQL_OK)
        return dberr(s, e, "commit");
    s->in_tx = false;
    s->pending = 0;
    return 0;
}

static void bind_opt(exr_stmt *st, int i, const char *v)
{
    if (v && *v)
        exr_stmt_bind_text(st, i, v);
    else
        exr_stmt_bind_null(st, i);
}

int exr_store_add(exr_store *s, int64_t scan_id, const exr_result *r, const char *json, size_t jsonlen, exr_err *e)
{
    if (!s->in_tx) {
        if (exr_db_exec(s->db, "BEGIN") != EXR_SQL_OK)
            return dberr(s, e, "begin");
        s->in_tx = true;
        s->tx_started_ms = exr_now_ms();
    }
    char ip[EXR_ADDRSTRLEN], t[32], bv[40];
    exr_addr_format(&r->addr, ip, sizeof ip);
    if (strcmp(r->status, "dns-error") == 0)
        ip[0] = 0;
    exr_time_rfc3339(r->time, t, sizeof t);
    bool hb = r->fp.exchange && r->fp.have_build;
    if (hb)
        exr_version_format(&r->fp.build, bv, sizeof bv);
    exr_stmt *st = s->ins;
    exr_stmt_reset(st);
    exr_stmt_bind_int(st, 1, scan_id);
    exr_stmt_bind_text(st, 2, ip);
    exr_stmt_bind_int(st, 3, r->port);
    exr_stmt_bind_text(st, 4, r->hostname);
    bind_opt(st, 5, r->hostname);
    exr_stmt_bind_text(st, 6, t);
    exr_stmt_bind_text(st, 7, r->status);
    exr_stmt_bind_int(st, 8, r->fp.exchange);
    bind_opt(st, 9, hb ? bv : NULL);
    bind_opt(st, 10, hb ? exr_bsrc_name(r->fp.build_source) : NULL);
    bind_opt(st, 11, hb ? r->bi.product : NULL);
    bind_opt(st, 12, hb ? r->bi.cu : NULL);
    bind_opt(st, 13, hb ? r->bi.su : NULL);
    bind_opt(st, 14, r->fp.servername);
    for (int k = 0; k < EXR_NSETS; k++)
        bind_opt(st, 15 + k, exr_verdict_name(exr_result_verdict(r, k)));
    if (r->webshell_probe)
        exr_stmt_bind_int(st, 18, r->webshell_control_hit ? 0 : r->nwebshells);
    else
        exr_stmt_bind_null(st, 18);
    exr_stmt_bind_textn(st, 19, json, jsonlen);
    if (exr_stmt_step(st) != EXR_SQL_DONE)
        return dberr(s, e, "insert observation");
    s->pending++;
    if (s->pending >= 1000 || exr_now_ms() - s->tx_started_ms >= 1000)
        return exr_store_commit(s, e);
    return 0;
}

int exr_store_scan_span(exr_store *s, int64_t scan_id, exr_err *e)
{
    if (exr_store_commit(s, e) != 0)
        return -1;
    exr_stmt *st;
    if (exr_db_prepare(s->db, "UPDATE scans SET started = (SELECT MIN(time) FROM observations WHERE scan_id = ?1),"
                           " finished = (SELECT MAX(time) FROM observations WHERE scan_id = ?1)"
                           " WHERE id = ?1 AND EXISTS(SELECT 1 FROM observations WHERE scan_id = ?1)", &st) != EXR_SQL_OK)
        return dberr(s, e, "prepare span");
    exr_stmt_bind_int(st, 1, scan_id);
    int rc = exr_stmt_step(st);
    exr_stmt_finalize(st);
    return rc == EXR_SQL_DONE ? 0 : dberr(s, e, "scan span");
}

int exr_store_rescan_targets(exr_store *s, unsigned states, const char *notified_since, bool resuming, exr_store_key_cb cb, void *ctx,
                             exr_err *e)
{
    /* each host's latest observation (by time) and what it was then, and whether a web shell
     * was ever seen on its address (one pass of window functions, no per-host subquery); a resumed rescan leaves
     * out its own unfinished scan so that it rescans the same population it started with */
    const char *q =
        "WITH seen AS (SELECT * FROM observations WHERE exchange = 1 AND NOT (?1 = 1 AND scan_id ="
        "   (SELECT id FROM scans WHERE finished IS NULL ORDER BY id DESC LIMIT 1))),"
        " latest AS (SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY ip, port ORDER BY time DESC, id DESC) AS rn,"
        "   MAX(CASE WHEN COALESCE(webshells, 0) > 0 THEN 1 ELSE 0 END) OVER (PARTITION BY ip) AS ever_shell FROM seen) r WHERE rn = 1)"
        " SELECT l.ip, l.port, l.hostname, l.ever_shell,"
        "  (l.proxylogon = 'vulnerable' OR l.proxyshell = 'vulnerable' OR l.proxynotshell = 'vulnerable'),"
        "  (l.proxylogon = 'undetermined' OR l.proxyshell = 'undetermined' OR l.proxynotshell = 'undetermined')"
        " FROM latest l WHERE CAST(?2 AS TEXT) IS NULL OR EXISTS(SELECT 1 FROM directives d JOIN tickets t ON t.id = d.ticket"
        "   WHERE d.ip = l.ip AND t.sent_at IS NOT NULL AND t.sent_at >= CAST(?2 AS TEXT))"
        " ORDER BY l.ip, l.port";
    exr_stmt *st;
    if (exr_db_prepare(s->db, q, &st) != EXR_SQL_OK)
        return dberr(s, e, "rescan targets");
    exr_stmt_bind_int(st, 1, resuming);
    if (notified_since)
        exr_stmt_bind_text(st, 2, notified_since);
    else
        exr_stmt_bind_null(st, 2);
    int rc, n = 0;
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW) {
        bool comp = exr_stmt_int(st, 3), vul = exr_stmt_int(st, 4), und = exr_stmt_int(st, 5);
        unsigned state = comp ? EXR_RESCAN_COMPROMISED : vul ? EXR_RESCAN_VULNERABLE : und ? EXR_RESCAN_UNDETERMINED : EXR_RESCAN_PATCHED;
        if (!(states & state))
            continue;
        cb(ctx, exr_stmt_text(st, 0), exr_stmt_int(st, 1), exr_stmt_text(st, 2));
        n++;
    }
    exr_stmt_finalize(st);
    return rc == EXR_SQL_DONE ? n : dberr(s, e, "rescan targets");
}

int exr_store_scan_finish(exr_store *s, int64_t scan_id, exr_err *e)
{
    if (exr_store_commit(s, e) != 0)
        return -1;
    exr_stmt *st;
    if (exr_db_prepare(s->db, "UPDATE scans SET finished=? WHERE id=?", &st) != EXR_SQL_OK)
        return dberr(s, e, "prepare finish");
    char t[32];
    exr_time_rfc3339(time(NULL), t, sizeof t);
    exr_stmt_bind_text(st, 1, t);
    exr_stmt_bind_int(st, 2, scan_id);
    int rc = exr_stmt_step(st);
    exr_stmt_finalize(st);
    if (rc != EXR_SQL_DONE)
        return dberr(s, e, "finish scan");
    return 0;
}
