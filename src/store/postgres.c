/* postgres.c: the PostgreSQL back end of sql.h (libpq). Statements run with PQexecParams,
 * parameters and results as text; `?`/`?N` placeholders become $N. */
#include "sql_impl.h"
#include "../core/buf.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

/* libpq would write server notices to the terminal; a library keeps quiet. */
static void quiet_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

void exr_pg_error(exr_db *db, const char *msg)
{
    snprintf(db->err, sizeof db->err, "postgresql: %s", msg);
    size_t n = strlen(db->err);
    while (n && (db->err[n - 1] == '\n' || db->err[n - 1] == ' '))
        db->err[--n] = 0;
    for (char *p = db->err; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
}

/* the --db value is expanded as a connection string; keywords before it are defaults it
 * may override */
static const char *const open_keys[] = {"connect_timeout", "application_name", "dbname", NULL};

int exr_pg_open(exr_db *db, const char *conninfo)
{
    const char *vals[] = {"5", "exray", conninfo, NULL};
    db->pg = PQconnectdbParams(open_keys, vals, 1);
    if (!db->pg || PQstatus(db->pg) != CONNECTION_OK) {
        exr_pg_error(db, db->pg ? PQerrorMessage(db->pg) : "out of memory");
        return -1;
    }
    PQsetNoticeProcessor(db->pg, quiet_notice, NULL);
    db->conninfo = exr_xstrdup(conninfo);
    return 0;
}

bool exr_pg_unreachable(const char *conninfo)
{
    /* no answer, or a server that is starting or stopping; not a refused password or a
     * missing database, which waiting does not mend */
    const char *vals[] = {"5", "exray", conninfo, NULL};
    PGPing p = PQpingParams(open_keys, vals, 1);
    return p == PQPING_NO_RESPONSE || p == PQPING_REJECT;
}

int exr_pg_reconnect(exr_db *db)
{
    PQreset(db->pg);
    if (PQstatus(db->pg) != CONNECTION_OK) {
        exr_pg_error(db, PQerrorMessage(db->pg));
        return -1;
    }
    return 0;
}

int exr_pg_exec(exr_db *db, const char *sql)
{
    PGresult *r = PQexec(db->pg, sql);
    ExecStatusType s = PQresultStatus(r);
    int ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
    if (!ok)
        exr_pg_error(db, PQerrorMessage(db->pg));
    PQclear(r);
    return ok ? EXR_SQL_OK : EXR_SQL_ERROR;
}

/* ?N -> $N, ? -> $(highest so far + 1), outside quotes; returns the highest index. */
static int translate(const char *in, exr_buf *out)
{
    int max = 0;
    char quote = 0;
    for (const char *p = in; *p; p++) {
        if (quote) {
            exr_buf_addc(out, *p);
            if (*p == quote)
                quote = 0;
            continue;
        }
        if (*p == '\'' || *p == '"') {
            quote = *p;
            exr_buf_addc(out, *p);
            continue;
        }
        if (*p != '?') {
            exr_buf_addc(out, *p);
            continue;
        }
        int n = 0;
        while (p[1] >= '0' && p[1] <= '9')
            n = n * 10 + (*++p - '0');
        if (!n)
            n = max + 1;
        if (n > max)
            max = n;
        exr_buf_printf(out, "$%d", n);
    }
    return max;
}

int exr_pg_prepare(exr_db *db, const char *sql, exr_stmt *st)
{
    exr_buf b;
    exr_buf_init(&b);
    st->nparams = translate(sql, &b);
    st->sql = exr_xstrndup(b.p, b.len);
    exr_buf_free(&b);
    if (st->nparams > EXR_PG_MAXPARAMS) {
        exr_pg_error(db, "too many parameters");
        return EXR_SQL_ERROR;
    }
    return EXR_SQL_OK;
}

PGresult *exr_pg_query(exr_db *db, const char *sql, ExecStatusType want)
{
    PGresult *r = PQexec(db->pg, sql);
    if (PQresultStatus(r) == want)
        return r;
    exr_pg_error(db, PQerrorMessage(db->pg));
    PQclear(r);
    return NULL;
}

int exr_pg_run(exr_db *db, const char *sql, ExecStatusType want)
{
    PGresult *r = exr_pg_query(db, sql, want);
    PQclear(r);
    return r ? 0 : -1;
}

void exr_pg_clear(exr_stmt *st)
{
    exr_pg_split_clear(st);
    PQclear(st->res);
    st->res = NULL;
    st->row = st->nrows = 0;
    if (st->in_flight) {
        PGresult *r;
        while ((r = PQgetResult(st->db->pg)) != NULL)
            PQclear(r);
        st->in_flight = false;
    }
    if (st->opened) {
        PQclear(PQexec(st->db->pg, st->own_tx ? "CLOSE exr_cursor; COMMIT" : "CLOSE exr_cursor"));
        st->opened = st->own_tx = false;
    }
}

#define FETCH_ROWS 20000
#define FETCH_SQL "FETCH FORWARD " STR(FETCH_ROWS) " FROM exr_cursor"

/* The next chunk is asked for as soon as one arrives, so the server reads it while the
 * caller works through this one. */
static int fetch(exr_stmt *st)
{
    PQclear(st->res);
    st->row = st->nrows = 0;
    if (st->in_flight) {
        st->res = PQgetResult(st->db->pg);
        PGresult *extra;
        while ((extra = PQgetResult(st->db->pg)) != NULL)
            PQclear(extra);
        st->in_flight = false;
    } else {
        st->res = PQexec(st->db->pg, FETCH_SQL);
    }
    if (PQresultStatus(st->res) != PGRES_TUPLES_OK) {
        exr_pg_error(st->db, PQerrorMessage(st->db->pg));
        return EXR_SQL_ERROR;
    }
    st->nrows = PQntuples(st->res);
    if (st->nrows == FETCH_ROWS && PQsendQuery(st->db->pg, FETCH_SQL) == 1)
        st->in_flight = true;
    return st->nrows ? EXR_SQL_ROW : EXR_SQL_DONE;
}

/* exr_db_prepare_stream: DECLARE a cursor for the query, then FETCH a chunk at a time. */
static int cursor_step(exr_stmt *st)
{
    if (st->opened) {
        if (!st->nrows)
            return EXR_SQL_DONE;
        if (++st->row < st->nrows)
            return EXR_SQL_ROW;
        if (!st->in_flight) { /* a short chunk was the last */
            st->nrows = 0;
            return EXR_SQL_DONE;
        }
        return fetch(st);
    }
    if (PQtransactionStatus(st->db->pg) == PQTRANS_IDLE) {
        if (exr_pg_run(st->db, "BEGIN", PGRES_COMMAND_OK) != 0)
            return EXR_SQL_ERROR;
        st->own_tx = true;
    }
    size_t n = strlen(st->sql) + 64;
    char *q = exr_xmalloc(n);
    snprintf(q, n, "DECLARE exr_cursor NO SCROLL CURSOR FOR %s", st->sql);
    PGresult *r = PQexecParams(st->db->pg, q, st->nparams, NULL, (const char *const *)st->params, NULL, NULL, 0);
    free(q);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        exr_pg_error(st->db, PQerrorMessage(st->db->pg));
        if (st->own_tx)
            PQclear(PQexec(st->db->pg, "ROLLBACK"));
        st->own_tx = false;
        return EXR_SQL_ERROR;
    }
    st->opened = true;
    return fetch(st);
}

int exr_pg_step(exr_stmt *st)
{
    if (st->half[0])
        return exr_pg_split_step(st);
    if (st->cursor)
        return cursor_step(st);
    if (st->res) {
        st->row++;
        return st->row < st->nrows ? EXR_SQL_ROW : EXR_SQL_DONE;
    }
    st->res = PQexecParams(st->db->pg, st->sql, st->nparams, NULL, (const char *const *)st->params, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(st->res);
    if (s == PGRES_TUPLES_OK) {
        st->nrows = PQntuples(st->res);
        st->row = 0;
        const char *ct = PQcmdTuples(st->res);
        st->changes = *ct ? atoll(ct) : 0; /* INSERT ... RETURNING */
        return st->nrows ? EXR_SQL_ROW : EXR_SQL_DONE;
    }
    if (s == PGRES_COMMAND_OK) {
        const char *ct = PQcmdTuples(st->res);
        st->changes = *ct ? atoll(ct) : 0;
        st->nrows = 0;
        return EXR_SQL_DONE;
    }
    exr_pg_error(st->db, PQerrorMessage(st->db->pg));
    return EXR_SQL_ERROR;
}
