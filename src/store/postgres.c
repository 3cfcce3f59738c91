/* postgres.c: the PostgreSQL back end of sql.h (libpq). Statements run with PQexecParams,
 * parameters and results as text; `?`/`?N` placeholders become $N. */
#include "sql_impl.h"
#include "../core/buf.h"
#include "../core/utf8.h"
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

static void pg_error(exr_db *db, const char *msg)
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
        pg_error(db, db->pg ? PQerrorMessage(db->pg) : "out of memory");
        return -1;
    }
    PQsetNoticeProcessor(db->pg, quiet_notice, NULL);
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
        pg_error(db, PQerrorMessage(db->pg));
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
        pg_error(db, PQerrorMessage(db->pg));
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
        pg_error(db, "too many parameters");
        return EXR_SQL_ERROR;
    }
    return EXR_SQL_OK;
}

/* COPY's text format: backslash, tab, newline and carriage return escaped, \N for NULL */
static void copy_field(exr_buf *b, const char *v)
{
    if (!v) {
        exr_buf_adds(b, "\\N");
        return;
    }
    size_t cn;
    char *clean = exr_utf8_clean(v, strlen(v), &cn); /* as sql.c's bind: valid UTF-8 only */
    if (clean)
        v = clean;
    while (*v) {
        size_t plain = strcspn(v, "\\\t\n\r");
        exr_buf_add(b, v, plain);
        v += plain;
        if (!*v)
            break;
        switch (*v++) {
        case '\\': exr_buf_adds(b, "\\\\"); break;
        case '\t': exr_buf_adds(b, "\\t"); break;
        case '\n': exr_buf_adds(b, "\\n"); break;
        default: exr_buf_adds(b, "\\r"); break;
        }
    }
    free(clean);
}

static int run(exr_db *db, const char *sql, ExecStatusType want)
{
    PGresult *r = PQexec(db->pg, sql);
    int ok = PQresultStatus(r) == want;
    if (!ok)
        pg_error(db, PQerrorMessage(db->pg));
    PQclear(r);
    return ok ? 0 : -1;
}

/* A COPY in progress: rows gathered in db->copybuf and sent 64 KiB at a time, so the server
 * inserts while the caller prepares the next rows. */
int exr_pg_copy_begin(exr_db *db, const char *into)
{
    char q[1400];
    snprintf(q, sizeof q, "COPY %s FROM STDIN", into);
    exr_buf_reset(&db->copybuf);
    db->copy_ok = true;
    return run(db, q, PGRES_COPY_IN) == 0 ? EXR_SQL_OK : EXR_SQL_ERROR;
}

static void copy_send(exr_db *db)
{
    if (db->copy_ok && db->copybuf.len && PQputCopyData(db->pg, db->copybuf.p, (int)db->copybuf.len) != 1) {
        pg_error(db, PQerrorMessage(db->pg));
        db->copy_ok = false;
    }
    exr_buf_reset(&db->copybuf);
}

int exr_pg_copy_row(exr_db *db, int ncols, const char *const *vals)
{
    for (int c = 0; c < ncols; c++) {
        if (c)
            exr_buf_addc(&db->copybuf, '\t');
        copy_field(&db->copybuf, vals[c]);
    }
    exr_buf_addc(&db->copybuf, '\n');
    if (db->copybuf.len >= (64u << 10))
        copy_send(db);
    return db->copy_ok ? EXR_SQL_OK : EXR_SQL_ERROR;
}

int exr_pg_copy_end(exr_db *db, bool *conflict)
{
    *conflict = false;
    copy_send(db);
    bool ok = db->copy_ok;
    if (PQputCopyEnd(db->pg, ok ? NULL : "exray: write failed") != 1)
        ok = false;
    PGresult *res;
    while ((res = PQgetResult(db->pg)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && ok) {
            const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
            *conflict = state && strcmp(state, "23505") == 0; /* unique_violation */
            pg_error(db, PQerrorMessage(db->pg));
            ok = false;
        }
        PQclear(res);
    }
    return ok ? EXR_SQL_OK : EXR_SQL_ERROR;
}

static int copy_rows(exr_db *db, const char *into, int ncols, const char *const *vals, int nrows, bool *conflict)
{
    *conflict = false;
    if (exr_pg_copy_begin(db, into) != EXR_SQL_OK)
        return -1;
    for (int r = 0; r < nrows; r++)
        if (exr_pg_copy_row(db, ncols, vals + (size_t)r * (size_t)ncols) != EXR_SQL_OK)
            break;
    return exr_pg_copy_end(db, conflict) == EXR_SQL_OK ? 0 : -1;
}

/* Rows go in by COPY, many times faster than INSERT with a parameter per value. Most
 * batches are new rows and are copied straight into the table, under a savepoint. A batch
 * written before (its commit reply lost with the connection) conflicts on its unique key;
 * it is rolled back to the savepoint and copied into a temporary table of the same columns,
 * from which one INSERT ... ON CONFLICT DO NOTHING adds only the rows not there yet.
 * Called inside a transaction (one is opened here otherwise). */
int exr_pg_insert_rows(exr_db *db, const char *into, int ncols, const char *const *vals, int nrows)
{
    int tlen = (int)strcspn(into, "(");
    const char *cols = into + tlen;
    bool own = PQtransactionStatus(db->pg) == PQTRANS_IDLE, conflict = false;
    if (own && run(db, "BEGIN", PGRES_COMMAND_OK) != 0)
        return EXR_SQL_ERROR;
    if (run(db, "SAVEPOINT exr_copy", PGRES_COMMAND_OK) != 0)
        goto fail;
    if (copy_rows(db, into, ncols, vals, nrows, &conflict) == 0) {
        if (run(db, "RELEASE SAVEPOINT exr_copy", PGRES_COMMAND_OK) != 0)
            goto fail;
        goto done;
    }
    if (!conflict || run(db, "ROLLBACK TO SAVEPOINT exr_copy", PGRES_COMMAND_OK) != 0)
        goto fail;
    char q[1400], tmp[200], tmpinto[1400];
    snprintf(tmp, sizeof tmp, "exr_copy_%.*s", tlen, into);
    snprintf(tmpinto, sizeof tmpinto, "%s%s", tmp, cols);
    snprintf(q, sizeof q, "CREATE TEMP TABLE IF NOT EXISTS %s AS SELECT %.*s FROM %.*s WITH NO DATA", tmp, (int)(strlen(cols) - 2), cols + 1,
             tlen, into);
    if (run(db, q, PGRES_COMMAND_OK) != 0 || copy_rows(db, tmpinto, ncols, vals, nrows, &conflict) != 0)
        goto fail;
    snprintf(q, sizeof q, "INSERT INTO %s SELECT * FROM %s ON CONFLICT DO NOTHING; TRUNCATE %s", into, tmp, tmp);
    if (run(db, q, PGRES_COMMAND_OK) != 0)
        goto fail;
done:
    if (own && run(db, "COMMIT", PGRES_COMMAND_OK) != 0)
        goto fail;
    return EXR_SQL_OK;
fail:
    if (own)
        PQclear(PQexec(db->pg, "ROLLBACK"));
    return EXR_SQL_ERROR;
}

void exr_pg_clear(exr_stmt *st)
{
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
        pg_error(st->db, PQerrorMessage(st->db->pg));
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
        if (run(st->db, "BEGIN", PGRES_COMMAND_OK) != 0)
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
        pg_error(st->db, PQerrorMessage(st->db->pg));
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
    pg_error(st->db, PQerrorMessage(st->db->pg));
    return EXR_SQL_ERROR;
}
