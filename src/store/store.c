/* store.c: the store over sql.h, for either back end. Observations are written in batches
 * (one transaction per 1000 rows or per second) with one prepared insert; rows are keyed by
 * (scan, ip, port, host) and a conflicting row is ignored, so a resumed scan never
 * duplicates. SQLite runs in WAL mode with synchronous=NORMAL: a committed batch survives a
 * killed process. */
#include "store.h"
#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/keyset.h"
#include "../core/timefmt.h"
#include "../scan/permute.h"
#include "schema.h"
#include "sql.h"
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define OBS_COLS 22
#define OBS_INTO                                                                                                                           \
    "observations(scan_id,ip,port,host_key,hostname,time,status,exchange,build,build_source,product,cu,su,servername,"                     \
    "proxylogon,proxyshell,proxynotshell,webshells,state,kev_open,asserted,record)"
#define BATCH_ROWS 1000 /* and at most a second old */

struct exr_store {
    exr_db *db;
    char name[512]; /* the --db value, any password redacted */
    /* the open batch: rows of OBS_COLS values, kept until a transaction has written them;
     * their text in rowmem, reused from batch to batch */
    char **batch;
    exr_arena rowmem;
    int nrows, caprows;
    int64_t batch_started_ms;
    int batch_rows; /* a batch is written at this many rows (or a second old) */
    /* PostgreSQL: the batch's rows go to the server as they are added, by a COPY inside the
     * batch's transaction, so the server inserts while the caller prepares the next ones;
     * they stay in memory until the commit, for a retry. stream_off: not for this batch. */
    bool streaming, stream_off;
    /* a lost PostgreSQL connection: since when, the next attempt, the wait before it */
    int64_t down_since_ms, next_try_ms, backoff_ms;
    long timeout_ms;
    /* the time span of the rows added since the last exr_store_scan_span, and their scan;
     * exact while every batch went in whole by COPY (a conflict or a retry may have skipped
     * rows: then the span is read back from the table) */
    char span_lo[32], span_hi[32];
    int64_t span_scan;
    bool span_inexact;
};

static void batch_clear(exr_store *s);

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
    s->timeout_ms = 60000;
    s->batch_rows = BATCH_ROWS;
    *out = s;
    return 0;
}

/* The wait before the next attempt to reach the database: 250 ms, doubling to 5 s. */
static int64_t next_backoff(int64_t last_ms)
{
    return last_ms ? (last_ms * 2 > 5000 ? 5000 : last_ms * 2) : 250;
}

int exr_store_open_waiting(exr_store **out, const char *path, long timeout_s, exr_err *e)
{
    int64_t start = exr_now_ms(), backoff = next_backoff(0);
    for (;;) {
        if (exr_store_open(out, path, e) == 0) {
            exr_store_set_timeout(*out, timeout_s);
            return 0;
        }
        int64_t waited = exr_now_ms() - start;
        if (!exr_db_unreachable(path))
            return -1;
        if (waited >= timeout_s * 1000) {
            char why[sizeof e->msg];
            snprintf(why, sizeof why, "%s", e->msg);
            return exr_seterr(e, EXR_ESTORE, "%s; unreachable for more than %ld s (--db-timeout)", why, timeout_s);
        }
        if (backoff > timeout_s * 1000 - waited)
            backoff = timeout_s * 1000 - waited;
        usleep((useconds_t)(backoff * 1000));
        backoff = next_backoff(backoff);
    }
}

static int flush(exr_store *s, bool wait, exr_err *e);

/* Ends an open COPY before the connection is used for anything else. */
static void settle(exr_store *s)
{
    if (s->streaming) {
        exr_err e = {0, ""};
        flush(s, false, &e); /* a failure keeps the rows for the next commit, which reports it */
    }
}

exr_db *exr_store_db(exr_store *s)
{
    settle(s);
    return s->db;
}

void exr_store_close(exr_store *s)
{
    if (!s)
        return;
    exr_err e = {0, ""};
    exr_store_commit(s, &e);
    batch_clear(s);
    free(s->batch);
    exr_arena_free(&s->rowmem);
    exr_db_close(s->db);
    free(s);
}

int exr_store_scan_begin(exr_store *s, const char *args, uint64_t seed, const char *shard, const char *name, const char *targets,
                         int64_t *scan_id, exr_err *e)
{
    settle(s);
    exr_stmt *st;
    if (exr_db_prepare(s->db, "INSERT INTO scans(started,args,seed,shard,tool,name,targets) VALUES(?,?,?,?,?,?,?) RETURNING id", &st) !=
        EXR_SQL_OK)
        return dberr(s, e, "prepare scan");
    char t[32];
    exr_time_stamp(exr_clock_us(), t, sizeof t);
    exr_stmt_bind_text(st, 1, t);
    exr_stmt_bind_text(st, 2, args);
    exr_stmt_bind_int(st, 3, (int64_t)seed);
    exr_stmt_bind_text(st, 4, shard);
    exr_stmt_bind_text(st, 5, "exray " EXRAY_VERSION);
    exr_stmt_bind_text(st, 6, name);
    exr_stmt_bind_text(st, 7, targets);
    int rc = exr_stmt_step(st);
    if (rc == EXR_SQL_ROW)
        *scan_id = exr_stmt_int(st, 0);
    exr_stmt_finalize(st);
    if (rc != EXR_SQL_ROW)
        return dberr(s, e, "insert scan");
    return 0;
}

/* an import's scan row is never a scan to continue, finished or not */
#define NOT_IMPORT "(args IS NULL OR args NOT LIKE 'import %')"

int exr_store_scan_unfinished(exr_store *s, const char *name, const char *want_shard, int64_t *scan_id, uint64_t *seed, char *shard,
                              size_t shardn, exr_err *e)
{
    settle(s);
    exr_stmt *st;
    /* one store may hold the shards of several machines: resume this one's */
    if (exr_db_prepare(s->db,
                       "SELECT id, seed, shard FROM scans WHERE finished IS NULL AND " NOT_IMPORT
                       " AND (CAST(?1 AS TEXT) IS NULL OR name = ?1)"
                       " AND (CAST(?2 AS TEXT) IS NULL OR shard = ?2) ORDER BY id DESC LIMIT 1",
                       &st) != EXR_SQL_OK)
        return dberr(s, e, "prepare resume");
    exr_stmt_bind_text(st, 1, name);
    exr_stmt_bind_text(st, 2, want_shard);
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

int exr_store_scan_info(exr_store *s, int64_t scan_id, char *args, size_t argsn, char *targets, size_t targetsn, exr_err *e)
{
    settle(s);
    exr_stmt *st;
    if (exr_db_prepare(s->db, "SELECT args, targets FROM scans WHERE id = ?", &st) != EXR_SQL_OK)
        return dberr(s, e, "scan info");
    exr_stmt_bind_int(st, 1, scan_id);
    int rc = exr_stmt_step(st);
    if (rc == EXR_SQL_ROW) {
        snprintf(args, argsn, "%s", exr_stmt_text(st, 0) ? exr_stmt_text(st, 0) : "");
        snprintf(targets, targetsn, "%s", exr_stmt_text(st, 1) ? exr_stmt_text(st, 1) : "");
    }
    exr_stmt_finalize(st);
    return rc == EXR_SQL_ROW ? 0 : dberr(s, e, "scan info");
}

int exr_store_scan_discard(exr_store *s, int64_t scan_id, exr_err *e)
{
    if (exr_store_commit(s, e) != 0)
        return -1;
    exr_stmt *st;
    if (exr_db_prepare(s->db, "DELETE FROM scans WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM observations WHERE scan_id = ?1)", &st) !=
        EXR_SQL_OK)
        return dberr(s, e, "discard scan");
    exr_stmt_bind_int(st, 1, scan_id);
    int rc = exr_stmt_step(st);
    exr_stmt_finalize(st);
    return rc == EXR_SQL_DONE ? 0 : dberr(s, e, "discard scan");
}

int exr_store_scan_shards(exr_store *s, const char *name, const char *shard, int *n, int *nshards, uint64_t *seed, bool *finished,
                          exr_err *e)
{
    settle(s);
    exr_stmt *st;
    if (exr_db_prepare(s->db, "SELECT shard, seed, finished FROM scans WHERE name = ? ORDER BY id", &st) != EXR_SQL_OK)
        return dberr(s, e, "shards");
    exr_stmt_bind_text(st, 1, name);
    *n = *nshards = 0;
    *finished = false;
    int rc;
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW) {
        const char *sh = exr_stmt_text(st, 0);
        uint32_t i, k;
        if (exr_shard_parse(sh, &i, &k) && !*n)
            *nshards = (int)k;
        if (!*n)
            *seed = (uint64_t)exr_stmt_int(st, 1);
        if (sh && strcmp(sh, shard) == 0 && !exr_stmt_isnull(st, 2))
            *finished = true;
        (*n)++;
    }
    exr_stmt_finalize(st);
    return rc == EXR_SQL_DONE ? 0 : dberr(s, e, "shards");
}

/* Calls cb for the logical scan held in done[0..n) when a shard is missing. */
static int report_missing(const char *name, int nshards, const unsigned char *done, exr_store_missing_cb cb, void *ctx)
{
    char missing[512] = "";
    size_t len = 0;
    int more = 0;
    for (int i = 0; i < nshards; i++) {
        if (done[i])
            continue;
        if (len + 48 < sizeof missing)
            len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%d/%d", len ? " " : "", i, nshards);
        else
            more++;
    }
    if (more)
        snprintf(missing + len, sizeof missing - len, " and %d more", more);
    if (!len)
        return 0;
    cb(ctx, name, nshards, missing);
    return 1;
}

int exr_store_incomplete_scans(exr_store *s, exr_store_missing_cb cb, void *ctx, exr_err *e)
{
    settle(s);
    exr_stmt *st;
    if (exr_db_prepare(s->db, "SELECT name, shard, finished FROM scans WHERE name IS NOT NULL ORDER BY name, id", &st) != EXR_SQL_OK)
        return dberr(s, e, "shards");
    char cur[256] = "";
    int nshards = 0, count = 0, rc;
    unsigned char *done = exr_xcalloc(EXR_MAX_SHARDS, 1); /* --shard allows up to this many */
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW) {
        const char *name = exr_stmt_text(st, 0), *sh = exr_stmt_text(st, 1);
        if (strcmp(name, cur) != 0) {
            if (cur[0])
                count += report_missing(cur, nshards, done, cb, ctx);
            snprintf(cur, sizeof cur, "%s", name);
            memset(done, 0, EXR_MAX_SHARDS);
            nshards = 0;
        }
        uint32_t i, k;
        if (exr_shard_parse(sh, &i, &k)) {
            if (!nshards)
                nshards = (int)k;
            if ((int)k == nshards && !exr_stmt_isnull(st, 2))
                done[i] = 1;
        }
    }
    exr_stmt_finalize(st);
    if (rc == EXR_SQL_DONE && cur[0])
        count += report_missing(cur, nshards, done, cb, ctx);
    free(done);
    return rc == EXR_SQL_DONE ? count : dberr(s, e, "shards");
}

typedef struct names_ctx {
    exr_keyset *names;
    exr_store_missing_cb cb;
    void *ctx;
} names_ctx;

static void add_name(void *vctx, const char *name, int nshards, const char *missing)
{
    names_ctx *c = vctx;
    exr_keyset_add(c->names, name);
    if (c->cb)
        c->cb(c->ctx, name, nshards, missing);
}

int exr_store_incomplete_names(exr_store *s, exr_keyset *names, exr_store_missing_cb cb, void *ctx, exr_err *e)
{
    names_ctx c = {names, cb, ctx};
    return exr_store_incomplete_scans(s, add_name, &c, e);
}

int exr_store_scan_keys(exr_store *s, int64_t scan_id, exr_store_key_cb cb, void *ctx, exr_err *e)
{
    settle(s);
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

static void batch_clear(exr_store *s)
{
    exr_arena_reset(&s->rowmem);
    s->nrows = 0;
    s->stream_off = false;
}

/* One transaction for the whole batch, in statements of at most BATCH_ROWS rows. */
static int write_batch(exr_store *s)
{
    if (exr_db_begin(s->db) != EXR_SQL_OK)
        return -1;
    for (int r = 0; r < s->nrows; r += BATCH_ROWS) {
        int n = s->nrows - r < BATCH_ROWS ? s->nrows - r : BATCH_ROWS;
        if (exr_db_insert_rows(s->db, OBS_INTO, OBS_COLS, (const char *const *)s->batch + (size_t)r * OBS_COLS, n) != EXR_SQL_OK) {
            exr_db_rollback(s->db);
            return -1;
        }
    }
    if (exr_db_commit(s->db) != EXR_SQL_OK) {
        exr_db_rollback(s->db);
        return -1;
    }
    return 0;
}

/* Ends the batch's COPY and commits it: 0 when written; otherwise the transaction is rolled
 * back and the batch goes the ordinary way (a conflicting row: through the temporary table
 * that skips it; a lost connection: retried with backoff). No savepoint is needed: the
 * batch is still in memory to write again. */
static int end_stream(exr_store *s)
{
    s->streaming = false;
    if (exr_db_copy_end(s->db) == EXR_SQL_OK && exr_db_commit(s->db) == EXR_SQL_OK)
        return 0;
    exr_db_rollback(s->db);
    return -1;
}

/* After a row joined the batch: on PostgreSQL, send it now (the first row opens the
 * transaction and the COPY). Any failure leaves the rows to the ordinary write. */
static void stream_row(exr_store *s, const char *const *row)
{
    if (s->stream_off || s->down_since_ms || !exr_db_can_stream(s->db))
        return;
    if (!s->streaming) {
        if (s->nrows != 1 || exr_db_begin(s->db) != EXR_SQL_OK) { /* rows from before a failure: not streamed */
            s->stream_off = true;
            return;
        }
        if (exr_db_copy_begin(s->db, OBS_INTO) != EXR_SQL_OK) {
            exr_db_rollback(s->db);
            s->stream_off = true;
            return;
        }
        s->streaming = true;
    }
    if (exr_db_copy_row(s->db, OBS_COLS, row) != EXR_SQL_OK) {
        end_stream(s);
        s->stream_off = true;
    }
}

/* Writes the open batch. A lost PostgreSQL connection keeps the batch and tries again with
 * backoff: a batch whose commit reply was lost is written again harmlessly, as rows that
 * are already there are ignored. wait: block until written or --db-timeout; otherwise
 * return and try again on a later call. */
static int flush(exr_store *s, bool wait, exr_err *e)
{
    if (s->streaming && end_stream(s) == 0) {
        batch_clear(s);
        s->down_since_ms = s->backoff_ms = 0;
        return 0;
    }
    if (s->nrows)
        s->span_inexact = true;
    while (s->nrows) {
        int64_t now = exr_now_ms();
        if (!s->down_since_ms || now >= s->next_try_ms) {
            if ((!exr_db_lost(s->db) || exr_db_reconnect(s->db) == 0) && write_batch(s) == 0) {
                batch_clear(s);
                s->down_since_ms = s->backoff_ms = 0;
                return 0;
            }
            if (!exr_db_lost(s->db))
                return dberr(s, e, "write observations");
            if (!s->down_since_ms)
                s->down_since_ms = now;
            s->backoff_ms = next_backoff(s->backoff_ms);
            s->next_try_ms = now + s->backoff_ms;
        }
        if (now - s->down_since_ms > s->timeout_ms)
            return exr_seterr(e, EXR_ESTORE,
                              "%s: unreachable for more than %ld s (--db-timeout): %s; %d observations not written"
                              " (--resume scans those hosts again)",
                              s->name, s->timeout_ms / 1000, exr_db_errmsg(s->db), s->nrows);
        if (!wait)
            return 0;
        usleep((useconds_t)((s->next_try_ms - now) * 1000));
    }
    return 0;
}

int exr_store_commit(exr_store *s, exr_err *e)
{
    return flush(s, true, e);
}

void exr_store_set_timeout(exr_store *s, long seconds)
{
    s->timeout_ms = seconds * 1000;
}

void exr_store_set_batch(exr_store *s, int rows)
{
    s->batch_rows = rows > 0 ? rows : BATCH_ROWS;
}

/* A row's values go into one block of the batch's arena. An empty optional value is NULL. */
static void pack_row(exr_arena *mem, char **v, const char *const *src, const bool *opt, size_t lastlen)
{
    size_t len[OBS_COLS], total = 0;
    for (int i = 0; i < OBS_COLS; i++) {
        len[i] = i == OBS_COLS - 1 ? lastlen : src[i] && (!opt[i] || *src[i]) ? strlen(src[i]) : (size_t)-1;
        total += len[i] == (size_t)-1 ? 0 : len[i] + 1;
    }
    char *p = exr_arena_alloc(mem, total);
    for (int i = 0; i < OBS_COLS; i++) {
        if (len[i] == (size_t)-1) {
            v[i] = NULL;
            continue;
        }
        memcpy(p, src[i], len[i]);
        p[len[i]] = 0;
        v[i] = p;
        p += len[i] + 1;
    }
}

int exr_store_add(exr_store *s, int64_t scan_id, const exr_result *r, const char *json, size_t jsonlen, exr_err *e)
{
    char ip[EXR_ADDRSTRLEN], t[32], bv[40], sid[24], port[24], exch[24], shells[24], kev[24], asserted[EXR_MAX_ASSERTED * 24];
    exr_addr_format(&r->addr, ip, sizeof ip);
    if (r->status == EXR_STATUS_DNS_ERROR)
        ip[0] = 0;
    exr_time_stamp(r->time_us, t, sizeof t);
    bool hb = r->fp.exchange && r->fp.have_build;
    if (hb)
        exr_version_format(&r->fp.build, bv, sizeof bv);
    if (s->nrows == s->caprows) {
        s->caprows = s->caprows ? s->caprows * 2 : BATCH_ROWS;
        s->batch = exr_xrealloc(s->batch, (size_t)s->caprows * OBS_COLS * sizeof *s->batch);
    }
    if (!s->nrows)
        s->batch_started_ms = exr_now_ms();
    const char *src[OBS_COLS] = {exr_fmt_int(scan_id, sid),
                                 ip,
                                 exr_fmt_int(r->port, port),
                                 r->hostname,
                                 r->hostname,
                                 t,
                                 exr_status_name[r->status],
                                 exr_fmt_int(r->fp.exchange, exch),
                                 hb ? bv : NULL,
                                 hb ? exr_bsrc_name(r->fp.build_source) : NULL,
                                 hb ? r->bi.product : NULL,
                                 hb ? r->bi.cu : NULL,
                                 hb ? r->bi.su : NULL,
                                 r->fp.servername,
                                 NULL,
                                 NULL,
                                 NULL,
                                 r->webshell_probe ? exr_fmt_int(r->webshell_control_hit ? 0 : r->nwebshells, shells) : NULL,
                                 r->x.state >= 0 ? exr_state_names[r->x.state] : NULL,
                                 r->x.state >= 0 ? exr_fmt_int(r->x.nkev, kev) : NULL,
                                 exr_asserted_text(r->asserted, r->nasserted, asserted, sizeof asserted),
                                 json};
    static const bool opt[OBS_COLS] = {[4] = true,  [8] = true,  [9] = true,  [10] = true, [11] = true, [12] = true,
                                       [13] = true, [14] = true, [15] = true, [16] = true, [20] = true};
    for (int k = 0; k < EXR_NSETS; k++)
        src[14 + k] = exr_verdict_name(exr_result_verdict(r, k));
    char **row = s->batch + (size_t)s->nrows++ * OBS_COLS;
    pack_row(&s->rowmem, row, src, opt, jsonlen);
    if (!s->span_lo[0] || strcmp(t, s->span_lo) < 0)
        snprintf(s->span_lo, sizeof s->span_lo, "%s", t);
    if (strcmp(t, s->span_hi) > 0)
        snprintf(s->span_hi, sizeof s->span_hi, "%s", t);
    if (s->span_scan && s->span_scan != scan_id)
        s->span_inexact = true;
    s->span_scan = scan_id;
    stream_row(s, (const char *const *)row);
    if (s->nrows >= s->batch_rows || exr_now_ms() - s->batch_started_ms >= 1000)
        return flush(s, false, e);
    return 0;
}

int exr_store_scan_span(exr_store *s, int64_t scan_id, exr_err *e)
{
    if (exr_store_commit(s, e) != 0)
        return -1;
    /* byte order, as MIN/MAX compare the time column (SQLite's BINARY, PostgreSQL's "C") */
    bool known = !s->span_inexact && s->span_scan == scan_id && s->span_lo[0];
    exr_stmt *st;
    if (exr_db_prepare(s->db,
                       known ? "UPDATE scans SET started = ?2, finished = ?3 WHERE id = ?1"
                             : "UPDATE scans SET started = m.lo, finished = m.hi"
                               " FROM (SELECT MIN(time) AS lo, MAX(time) AS hi FROM observations WHERE scan_id = ?1) AS m"
                               " WHERE scans.id = ?1 AND m.lo IS NOT NULL",
                       &st) != EXR_SQL_OK)
        return dberr(s, e, "prepare span");
    exr_stmt_bind_int(st, 1, scan_id);
    if (known) {
        exr_stmt_bind_text(st, 2, s->span_lo);
        exr_stmt_bind_text(st, 3, s->span_hi);
    }
    int rc = exr_stmt_step(st);
    exr_stmt_finalize(st);
    s->span_lo[0] = s->span_hi[0] = 0;
    s->span_scan = 0;
    s->span_inexact = false;
    return rc == EXR_SQL_DONE ? 0 : dberr(s, e, "scan span");
}

int exr_store_rescan_targets(exr_store *s, unsigned states, const char *notified_since, bool resuming, exr_store_key_cb cb, void *ctx,
                             exr_err *e)
{
    settle(s);
    /* each host's latest observation (by time) and what it was then, and whether a web shell
     * was ever seen on its address (one pass of window functions, no per-host subquery); a resumed rescan leaves
     * out its own unfinished scan so that it rescans the same population it started with */
    const char *q =
        "WITH seen AS (SELECT * FROM observations WHERE exchange = 1 AND NOT (?1 = 1 AND scan_id ="
        "   (SELECT id FROM scans WHERE finished IS NULL AND " NOT_IMPORT " ORDER BY id DESC LIMIT 1))),"
        " latest AS (SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY ip, port ORDER BY time DESC, id DESC) AS rn,"
        "   MAX(CASE WHEN COALESCE(webshells, 0) > 0 THEN 1 ELSE 0 END) OVER (PARTITION BY ip) AS ever_shell FROM seen) r WHERE rn = 1)"
        " SELECT l.ip, l.port, l.hostname, l.ever_shell, l.state"
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
        int sx = exr_stmt_int(st, 3) ? EXR_S_COMPROMISED : exr_state_parse(exr_stmt_text(st, 4));
        if (sx < 0 || !(states & 1u << sx))
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
    exr_time_stamp(exr_clock_us(), t, sizeof t);
    exr_stmt_bind_text(st, 1, t);
    exr_stmt_bind_int(st, 2, scan_id);
    int rc = exr_stmt_step(st);
    exr_stmt_finalize(st);
    if (rc != EXR_SQL_DONE)
        return dberr(s, e, "finish scan");
    return 0;
}
