/* copy.c: a whole store from one back end to another (exray db copy), ids kept so that
 * tickets, directives and observations still refer to each other. */
#include "store.h"
#include "../core/buf.h"
#include "sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct table {
    const char *name, *cols, *order;
    int ncols;
} table;

/* every table, parents first */
static const table tables[] = {
    {"scans", "id,started,finished,args,seed,shard,tool,name", "id", 8},
    {"observations",
     "id,scan_id,ip,port,host_key,hostname,time,status,exchange,build,build_source,product,cu,su,servername,proxylogon,"
     "proxyshell,proxynotshell,webshells,state,kev_open,asserted,record",
     "id", 23},
    {"host_info", "ip,asn,as_name,country", "ip", 4},
    {"optout", "address,added", "address", 2},
    {"tickets", "id,recipient,org,template,day,created,sent_at,delivery,state,run_id,lease_until,kind,refs", "id", 13},
    {"directives", "id,ip,port,state,recipient,template,ticket,created,observation_id,kind,origin,origin_org", "id", 12},
    {"ticket_day", "day,last", "day", 2},
    {"contacts_db", "kind,lo,hi,asn,email,org,source", "source,kind,lo,asn,email", 7},
};

#define CHUNK 1000

static int flush_rows(exr_db *to, const table *t, char **vals, int nrows)
{
    char into[400];
    snprintf(into, sizeof into, "%s(%s)", t->name, t->cols);
    int rc = exr_db_insert_rows(to, into, t->ncols, (const char *const *)vals, nrows);
    for (size_t i = 0; i < (size_t)nrows * (size_t)t->ncols; i++)
        free(vals[i]);
    return rc;
}

static long copy_table(exr_db *from, exr_db *to, const table *t, exr_err *e)
{
    char q[600];
    snprintf(q, sizeof q, "SELECT %s FROM %s ORDER BY %s", t->cols, t->name, t->order);
    exr_stmt *st;
    if (exr_db_prepare(from, q, &st) != EXR_SQL_OK)
        return exr_seterr(e, EXR_ESTORE, "read %s: %s", t->name, exr_db_errmsg(from));
    char **vals = exr_xcalloc((size_t)CHUNK * (size_t)t->ncols, sizeof *vals);
    long n = 0;
    int nrows = 0, rc;
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW) {
        for (int c = 0; c < t->ncols; c++) {
            const char *v = exr_stmt_text(st, c);
            vals[(size_t)nrows * (size_t)t->ncols + (size_t)c] = v ? exr_xstrdup(v) : NULL;
        }
        n++;
        if (++nrows == CHUNK) {
            if (flush_rows(to, t, vals, nrows) != EXR_SQL_OK)
                break;
            nrows = 0;
        }
    }
    bool ok = rc == EXR_SQL_DONE && (nrows == 0 || flush_rows(to, t, vals, nrows) == EXR_SQL_OK);
    if (!ok && rc != EXR_SQL_DONE)
        exr_seterr(e, EXR_ESTORE, "read %s: %s", t->name, exr_db_errmsg(from));
    else if (!ok)
        exr_seterr(e, EXR_ESTORE, "write %s: %s", t->name, exr_db_errmsg(to));
    exr_stmt_finalize(st);
    free(vals);
    return ok ? n : -1;
}

/* After explicit ids, PostgreSQL's identity sequences start past the largest. */
static int advance_ids(exr_db *to)
{
    if (exr_db_kind(to) != EXR_DB_PG)
        return 0;
    return exr_db_exec(to, "SELECT setval(pg_get_serial_sequence('scans', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM scans;"
                           "SELECT setval(pg_get_serial_sequence('observations', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM observations;"
                           "SELECT setval(pg_get_serial_sequence('directives', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM directives;") ==
                   EXR_SQL_OK
               ? 0
               : -1;
}

static int is_empty(exr_db *db, exr_err *e)
{
    exr_stmt *st;
    if (exr_db_prepare(db, "SELECT (SELECT COUNT(*) FROM scans) + (SELECT COUNT(*) FROM tickets) + (SELECT COUNT(*) FROM contacts_db)",
                       &st) != EXR_SQL_OK)
        return exr_seterr(e, EXR_ESTORE, "%s", exr_db_errmsg(db));
    int rc = exr_stmt_step(st);
    int64_t n = rc == EXR_SQL_ROW ? exr_stmt_int(st, 0) : -1;
    exr_stmt_finalize(st);
    if (n < 0)
        return exr_seterr(e, EXR_ESTORE, "%s", exr_db_errmsg(db));
    return n == 0 ? 1 : 0;
}

int exr_store_copy(exr_store *from, exr_store *to, exr_store_copy_cb cb, void *ctx, exr_err *e)
{
    exr_db *src = exr_store_db(from), *dst = exr_store_db(to);
    int empty = is_empty(dst, e);
    if (empty <= 0)
        return empty < 0 ? -1 : exr_seterr(e, EXR_EINVAL, "the target store is not empty: copy into a new one");
    /* one transaction on each side: a consistent snapshot in, all or nothing out */
    if (exr_db_begin(src) != EXR_SQL_OK || exr_db_begin(dst) != EXR_SQL_OK)
        return exr_seterr(e, EXR_ESTORE, "begin: %s", exr_db_errmsg(dst));
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        long n = copy_table(src, dst, &tables[i], e);
        if (n < 0) {
            exr_db_rollback(dst);
            exr_db_rollback(src);
            return -1;
        }
        if (cb)
            cb(ctx, tables[i].name, n);
    }
    if (advance_ids(dst) != 0 || exr_db_commit(dst) != EXR_SQL_OK) {
        exr_seterr(e, EXR_ESTORE, "commit: %s", exr_db_errmsg(dst));
        exr_db_rollback(dst);
        exr_db_rollback(src);
        return -1;
    }
    exr_db_rollback(src);
    return 0;
}
