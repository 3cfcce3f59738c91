/* sqlite.c: the SQLite store. WAL mode with synchronous=NORMAL: a committed batch survives
 * a killed process; one prepared insert reused for every row. Rows are keyed by
 * (scan, ip, port, host) with INSERT OR IGNORE so a resumed scan never duplicates. */
#include "store.h"
#include "../core/buf.h"
#include "../core/timefmt.h"
#include <sqlite3.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct exr_store {
    sqlite3 *db;
    sqlite3_stmt *ins;
    bool in_tx;
    int pending;
    int64_t tx_started_ms;
};

static const char *schema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS scans("
    " id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, args TEXT, seed INTEGER, shard TEXT,"
    " tool TEXT);"
    "CREATE TABLE IF NOT EXISTS observations("
    " id INTEGER PRIMARY KEY, scan_id INTEGER NOT NULL REFERENCES scans(id), ip TEXT NOT NULL,"
    " port INTEGER NOT NULL, host_key TEXT NOT NULL, hostname TEXT, time TEXT NOT NULL, status TEXT NOT NULL,"
    " exchange INTEGER NOT NULL, build TEXT, build_source TEXT, product TEXT, cu TEXT, su TEXT, servername TEXT,"
    " proxylogon TEXT, proxyshell TEXT, proxynotshell TEXT, webshells INTEGER, record TEXT NOT NULL,"
    " UNIQUE(scan_id, ip, port, host_key));"
    "CREATE INDEX IF NOT EXISTS observations_ip ON observations(ip, port);"
    "CREATE TABLE IF NOT EXISTS host_info(ip TEXT PRIMARY KEY, asn INTEGER, as_name TEXT, country TEXT);"
    "CREATE TABLE IF NOT EXISTS optout(address TEXT PRIMARY KEY, added TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS tickets(id TEXT PRIMARY KEY, recipient TEXT NOT NULL, org TEXT, template TEXT NOT NULL,"
    " day TEXT NOT NULL, created TEXT NOT NULL, sent_at TEXT, delivery TEXT);"
    "CREATE TABLE IF NOT EXISTS directives(id INTEGER PRIMARY KEY, ip TEXT NOT NULL, port INTEGER, state TEXT NOT NULL,"
    " recipient TEXT NOT NULL, template TEXT NOT NULL, ticket TEXT NOT NULL REFERENCES tickets(id), created TEXT NOT NULL,"
    " observation_id INTEGER);"
    "CREATE INDEX IF NOT EXISTS directives_ip ON directives(ip, recipient);"
    "CREATE TABLE IF NOT EXISTS ticket_day(day TEXT PRIMARY KEY, last INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS contacts_db(kind INTEGER NOT NULL, lo TEXT, hi TEXT, asn INTEGER, email TEXT NOT NULL,"
    " org TEXT, source TEXT NOT NULL);"
    /* per host: first seen, first seen vulnerable, patched at (first clean observation after
     * a vulnerable one), compromised at (first web shell), notified at and the first ticket */
    "CREATE VIEW IF NOT EXISTS host_history AS SELECT h.ip, h.first_seen, h.first_vulnerable, h.compromised_at,"
    " (SELECT MIN(x.time) FROM observations x WHERE x.ip = h.ip AND x.exchange = 1 AND x.time > h.first_vulnerable"
    "   AND COALESCE(x.proxylogon, '') <> 'vulnerable' AND COALESCE(x.proxyshell, '') <> 'vulnerable'"
    "   AND COALESCE(x.proxynotshell, '') <> 'vulnerable') AS patched_at,"
    " (SELECT MIN(t.sent_at) FROM directives d JOIN tickets t ON t.id = d.ticket WHERE d.ip = h.ip AND t.sent_at IS NOT NULL) AS notified_at,"
    " (SELECT t.id FROM directives d JOIN tickets t ON t.id = d.ticket WHERE d.ip = h.ip AND t.sent_at IS NOT NULL ORDER BY t.sent_at LIMIT 1) AS ticket"
    " FROM (SELECT ip, MIN(time) AS first_seen,"
    "   MIN(CASE WHEN proxylogon = 'vulnerable' OR proxyshell = 'vulnerable' OR proxynotshell = 'vulnerable' THEN time END) AS first_vulnerable,"
    "   MIN(CASE WHEN webshells > 0 THEN time END) AS compromised_at"
    "   FROM observations WHERE exchange = 1 GROUP BY ip) h;";

static int dberr(exr_store *s, exr_err *e, const char *what)
{
    return exr_seterr(e, EXR_ESTORE, "sqlite: %s: %s", what, sqlite3_errmsg(s->db));
}

/* Ticket states (pending -> sending -> sent | failed | uncertain) on stores made before them:
 * a ticket with a send time is sent, every other one pending. */
static int migrate_tickets(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('tickets') WHERE name = 'state'", -1, &st, NULL) != SQLITE_OK)
        return -1;
    bool have = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (have)
        return 0;
    return sqlite3_exec(db,
                        "BEGIN IMMEDIATE;"
                        "ALTER TABLE tickets ADD COLUMN state TEXT NOT NULL DEFAULT 'pending';"
                        "ALTER TABLE tickets ADD COLUMN run_id TEXT;"
                        "ALTER TABLE tickets ADD COLUMN lease_until TEXT;"
                        "UPDATE tickets SET state = 'sent' WHERE sent_at IS NOT NULL;"
                        "CREATE INDEX IF NOT EXISTS tickets_state ON tickets(state);"
                        "COMMIT;",
                        NULL, NULL, NULL) == SQLITE_OK
               ? 0
               : -1;
}

int exr_store_open_existing(exr_store **out, const char *path, exr_err *e)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return exr_seterr(e, EXR_ESTORE, "%s: no such store (exray scan --db or exray import create one)", path);
    return exr_store_open(out, path, e);
}

int exr_store_open(exr_store **out, const char *path, exr_err *e)
{
    exr_store *s = exr_xcalloc(1, sizeof *s);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
        exr_seterr(e, EXR_ESTORE, "%s: cannot open: %s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
        sqlite3_close(s->db);
        free(s);
        return -1;
    }
    sqlite3_busy_timeout(s->db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(s->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
        exr_seterr(e, EXR_ESTORE, "%s: %s", path, msg ? msg : "schema error");
        sqlite3_free(msg);
        sqlite3_close(s->db);
        free(s);
        return -1;
    }
    if (migrate_tickets(s->db) != 0) {
        dberr(s, e, "ticket states");
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(s->db);
        free(s);
        return -1;
    }
    if (sqlite3_prepare_v2(s->db,
                           "INSERT OR IGNORE INTO observations(scan_id,ip,port,host_key,hostname,time,status,exchange,build,"
                           "build_source,product,cu,su,servername,proxylogon,proxyshell,proxynotshell,webshells,record)"
                           " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &s->ins, NULL) != SQLITE_OK) {
        dberr(s, e, "prepare");
        sqlite3_close(s->db);
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

sqlite3 *exr_store_sqlite(exr_store *s)
{
    return s->db;
}

void exr_store_close(exr_store *s)
{
    if (!s)
        return;
    if (s->in_tx)
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
    sqlite3_finalize(s->ins);
    sqlite3_close(s->db);
    free(s);
}

int exr_store_scan_begin(exr_store *s, const char *args, uint64_t seed, const char *shard, int64_t *scan_id, exr_err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO scans(started,args,seed,shard,tool) VALUES(?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
        return dberr(s, e, "prepare scan");
    char t[32];
    exr_time_rfc3339(time(NULL), t, sizeof t);
    sqlite3_bind_text(st, 1, t, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, args, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)seed);
    sqlite3_bind_text(st, 4, shard, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, "exray " EXRAY_VERSION, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return dberr(s, e, "insert scan");
    *scan_id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

int exr_store_scan_unfinished(exr_store *s, int64_t *scan_id, uint64_t *seed, char *shard, size_t shardn, exr_err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT id, seed, shard FROM scans WHERE finished IS NULL ORDER BY id DESC LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK)
        return dberr(s, e, "prepare resume");
    int rc = sqlite3_step(st);
    int found = 0;
    if (rc == SQLITE_ROW) {
        *scan_id = sqlite3_column_int64(st, 0);
        *seed = (uint64_t)sqlite3_column_int64(st, 1);
        const unsigned char *sh = sqlite3_column_text(st, 2);
        snprintf(shard, shardn, "%s", sh ? (const char *)sh : "");
        found = 1;
    } else if (rc != SQLITE_DONE) {
        sqlite3_finalize(st);
        return dberr(s, e, "query resume");
    }
    sqlite3_finalize(st);
    return found;
}

int exr_store_scan_keys(exr_store *s, int64_t scan_id, exr_store_key_cb cb, void *ctx, exr_err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT ip, port, host_key FROM observations WHERE scan_id=?", -1, &st, NULL) != SQLITE_OK)
        return dberr(s, e, "prepare keys");
    sqlite3_bind_int64(st, 1, scan_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *ip = (const char *)sqlite3_column_text(st, 0);
        const char *hk = (const char *)sqlite3_column_text(st, 2);
        cb(ctx, ip ? ip : "", sqlite3_column_int(st, 1), hk && *hk ? hk : NULL);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return dberr(s, e, "read keys");
    return 0;
}

int exr_store_commit(exr_store *s, exr_err *e)
{
    if (!s->in_tx)
        return 0;
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        return dberr(s, e, "commit");
    s->in_tx = false;
    s->pending = 0;
    return 0;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

int exr_store_add(exr_store *s, int64_t scan_id, const exr_result *r, const char *json, size_t jsonlen, exr_err *e)
{
    if (!s->in_tx) {
        if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
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
    sqlite3_stmt *st = s->ins;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, 1, scan_id);
    sqlite3_bind_text(st, 2, ip, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, r->port);
    sqlite3_bind_text(st, 4, r->hostname, -1, SQLITE_TRANSIENT);
    bind_opt(st, 5, r->hostname);
    sqlite3_bind_text(st, 6, t, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, r->status, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, r->fp.exchange);
    bind_opt(st, 9, hb ? bv : NULL);
    bind_opt(st, 10, hb ? exr_bsrc_name(r->fp.build_source) : NULL);
    bind_opt(st, 11, hb ? r->bi.product : NULL);
    bind_opt(st, 12, hb ? r->bi.cu : NULL);
    bind_opt(st, 13, hb ? r->bi.su : NULL);
    bind_opt(st, 14, r->fp.servername);
    for (int k = 0; k < EXR_NSETS; k++)
        bind_opt(st, 15 + k, exr_verdict_name(exr_result_verdict(r, k)));
    if (r->webshell_probe)
        sqlite3_bind_int(st, 18, r->webshell_control_hit ? 0 : r->nwebshells);
    else
        sqlite3_bind_null(st, 18);
    sqlite3_bind_text(st, 19, json, (int)jsonlen, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE)
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
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE scans SET started = (SELECT MIN(time) FROM observations WHERE scan_id = ?1),"
                           " finished = (SELECT MAX(time) FROM observations WHERE scan_id = ?1)"
                           " WHERE id = ?1 AND EXISTS(SELECT 1 FROM observations WHERE scan_id = ?1)",
                           -1, &st, NULL) != SQLITE_OK)
        return dberr(s, e, "prepare span");
    sqlite3_bind_int64(st, 1, scan_id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : dberr(s, e, "scan span");
}

int exr_store_rescan_targets(exr_store *s, unsigned states, const char *notified_since, bool resuming, exr_store_key_cb cb, void *ctx,
                             exr_err *e)
{
    /* each host's latest observation (by time) and what it was then, and whether a web shell
     * was ever seen on its address (one pass of window functions, no per-host subquery); a resumed rescan leaves
     * out its own unfinished scan so that it rescans the same population it started with */
    const char *q =
        "WITH seen AS (SELECT * FROM observations WHERE exchange = 1 AND NOT (?1 AND scan_id ="
        "   (SELECT id FROM scans WHERE finished IS NULL ORDER BY id DESC LIMIT 1))),"
        " latest AS (SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY ip, port ORDER BY time DESC, id DESC) AS rn,"
        "   MAX(COALESCE(webshells, 0) > 0) OVER (PARTITION BY ip) AS ever_shell FROM seen) WHERE rn = 1)"
        " SELECT l.ip, l.port, l.hostname, l.ever_shell,"
        "  (l.proxylogon = 'vulnerable' OR l.proxyshell = 'vulnerable' OR l.proxynotshell = 'vulnerable'),"
        "  (l.proxylogon = 'undetermined' OR l.proxyshell = 'undetermined' OR l.proxynotshell = 'undetermined')"
        " FROM latest l WHERE ?2 IS NULL OR EXISTS(SELECT 1 FROM directives d JOIN tickets t ON t.id = d.ticket"
        "   WHERE d.ip = l.ip AND t.sent_at IS NOT NULL AND t.sent_at >= ?2)"
        " ORDER BY l.ip, l.port";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, q, -1, &st, NULL) != SQLITE_OK)
        return dberr(s, e, "rescan targets");
    sqlite3_bind_int(st, 1, resuming);
    if (notified_since)
        sqlite3_bind_text(st, 2, notified_since, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, 2);
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        bool comp = sqlite3_column_int(st, 3), vul = sqlite3_column_int(st, 4), und = sqlite3_column_int(st, 5);
        unsigned state = comp ? EXR_RESCAN_COMPROMISED : vul ? EXR_RESCAN_VULNERABLE : und ? EXR_RESCAN_UNDETERMINED : EXR_RESCAN_PATCHED;
        if (!(states & state))
            continue;
        cb(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int(st, 1), (const char *)sqlite3_column_text(st, 2));
        n++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? n : dberr(s, e, "rescan targets");
}

int exr_store_scan_finish(exr_store *s, int64_t scan_id, exr_err *e)
{
    if (exr_store_commit(s, e) != 0)
        return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "UPDATE scans SET finished=? WHERE id=?", -1, &st, NULL) != SQLITE_OK)
        return dberr(s, e, "prepare finish");
    char t[32];
    exr_time_rfc3339(time(NULL), t, sizeof t);
    sqlite3_bind_text(st, 1, t, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, scan_id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return dberr(s, e, "finish scan");
    return 0;
}
