/* postgres.c: the PostgreSQL back end of sql.h (libpq). Statements run with PQexecParams,
 * parameters and results as text; `?`/`?N` placeholders become $N. */
#include "sql_impl.h"
#include "../core/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int exr_pg_open(exr_db *db, const char *conninfo)
{
    /* the --db value is expanded as a connection string; keywords before it are defaults it
     * may override */
    const char *keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *vals[] = {"5", "exray", conninfo, NULL};
    db->pg = PQconnectdbParams(keys, vals, 1);
    if (!db->pg || PQstatus(db->pg) != CONNECTION_OK) {
        pg_error(db, db->pg ? PQerrorMessage(db->pg) : "out of memory");
        return -1;
    }
    PQsetNoticeProcessor(db->pg, quiet_notice, NULL);
    return 0;
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
    for (; *v; v++) {
        switch (*v) {
        case '\\': exr_buf_adds(b, "\\\\"); break;
        case '\t': exr_buf_adds(b, "\\t"); break;
        case '\n': exr_buf_adds(b, "\\n"); break;
        case '\r': exr_buf_adds(b, "\\r"); break;
        default: exr_buf_addc(b, *v);
        }
    }
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

/* Rows go in by COPY into a temporary table of the same columns, then one INSERT ... SELECT
 * that skips conflicting rows (COPY itself cannot): many times faster than a multi-row
 * INSERT with a parameter per value. */
int exr_pg_insert_rows(exr_db *db, const char *into, int ncols, const char *const *vals, int nrows)
{
    size_t tlen = strcspn(into, "(");
    const char *cols = into + tlen;
    char q[1400];
    snprintf(q, sizeof q, "CREATE TEMP TABLE IF NOT EXISTS exr_copy_%.*s AS SELECT %.*s FROM %.*s WITH NO DATA", (int)tlen, into,
             (int)(strlen(cols) - 2), cols + 1, (int)tlen, into);
    if (run(db, q, PGRES_COMMAND_OK) != 0)
        return EXR_SQL_ERROR;
    snprintf(q, sizeof q, "COPY exr_copy_%.*s%s FROM STDIN", (int)tlen, into, cols);
    if (run(db, q, PGRES_COPY_IN) != 0)
        return EXR_SQL_ERROR;
    exr_buf b;
    exr_buf_init(&b);
    int ok = 1;
    for (int r = 0; r < nrows && ok; r++) {
        for (int c = 0; c < ncols; c++) {
            if (c)
                exr_buf_addc(&b, '\t');
            copy_field(&b, vals[(size_t)r * (size_t)ncols + (size_t)c]);
        }
        exr_buf_addc(&b, '\n');
        if (b.len >= (1u << 20) || r == nrows - 1) {
            ok = PQputCopyData(db->pg, b.p, (int)b.len) == 1;
            exr_buf_reset(&b);
        }
    }
    exr_buf_free(&b);
    if (PQputCopyEnd(db->pg, ok ? NULL : "exray: write failed") != 1)
        ok = 0;
    PGresult *res;
    while ((res = PQgetResult(db->pg)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && ok) {
            pg_error(db, PQerrorMessage(db->pg));
            ok = 0;
        }
        PQclear(res);
    }
    if (!ok)
        return EXR_SQL_ERROR;
    snprintf(q, sizeof q, "INSERT INTO %s SELECT * FROM exr_copy_%.*s ON CONFLICT DO NOTHING; TRUNCATE exr_copy_%.*s", into, (int)tlen,
             into, (int)tlen, into);
    return run(db, q, PGRES_COMMAND_OK) == 0 ? EXR_SQL_OK : EXR_SQL_ERROR;
}

void exr_pg_clear(exr_stmt *st)
{
    PQclear(st->res);
    st->res = NULL;
    st->row = st->nrows = 0;
}

int exr_pg_step(exr_stmt *st)
{
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
