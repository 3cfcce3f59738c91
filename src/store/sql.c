/* sql.c: sql.h's calls, dispatched to SQLite (sqlite.c) or PostgreSQL (postgres.c). */
#include "sql_impl.h"
#include "../core/utf8.h"
#include "../core/buf.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int exr_db_kind_of(const char *t)
{
    if (!strncmp(t, "postgresql://", 13) || !strncmp(t, "postgres://", 11))
        return EXR_DB_PG;
    /* libpq's keyword form starts with a connection keyword and '=' ("host=db dbname=x");
     * anything else, "/srv/host=1.db" included, is a file */
    static const char *const keys[] = {"host",
                                       "hostaddr",
                                       "port",
                                       "dbname",
                                       "user",
                                       "password",
                                       "passfile",
                                       "service",
                                       "sslmode",
                                       "connect_timeout",
                                       "application_name",
                                       "options",
                                       "target_session_attrs"};
    size_t k = strspn(t, "abcdefghijklmnopqrstuvwxyz_");
    for (size_t i = 0; t[k] == '=' && i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i]) == k && !strncmp(t, keys[i], k))
            return EXR_DB_PG;
    return EXR_DB_SQLITE;
}

/* A value for the keyword form: quoted when it holds a space, a quote or a backslash (or
 * is empty), as libpq reads it back. */
static void put_value(exr_buf *b, const char *v)
{
    if (*v && !strpbrk(v, " \t\n\r'\\")) {
        exr_buf_adds(b, v);
        return;
    }
    exr_buf_addc(b, '\'');
    for (; *v; v++) {
        if (*v == '\'' || *v == '\\')
            exr_buf_addc(b, '\\');
        exr_buf_addc(b, *v);
    }
    exr_buf_addc(b, '\'');
}

/* The connection as libpq parsed it, the password (in any spelling: spaces around '=',
 * %-escapes, a URI's userinfo or query) shown as ***. Built from the parse, never from the
 * text: what libpq cannot parse is not shown at all. */
void exr_db_redact(const char *t, char *out, size_t n)
{
    if (exr_db_kind_of(t) != EXR_DB_PG) {
        snprintf(out, n, "%s", t);
        return;
    }
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(t, &err);
    if (!opts) {
        PQfreemem(err);
        snprintf(out, n, "(a PostgreSQL connection string libpq cannot parse)");
        return;
    }
    exr_buf b;
    exr_buf_init(&b);
    bool uri = strncmp(t, "postgres", 8) == 0;
    const char *user = NULL, *host = NULL, *port = NULL, *dbname = NULL;
    bool pw = false;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val)
            continue;
        if (!strcmp(o->keyword, "password")) {
            pw = true;
            if (!uri)
                exr_buf_printf(&b, "%spassword=***", b.len ? " " : "");
            continue;
        }
        if (uri && !strcmp(o->keyword, "user"))
            user = o->val;
        else if (uri && !strcmp(o->keyword, "host"))
            host = o->val;
        else if (uri && !strcmp(o->keyword, "port"))
            port = o->val;
        else if (uri && !strcmp(o->keyword, "dbname"))
            dbname = o->val;
        else if (!uri) {
            exr_buf_printf(&b, "%s%s=", b.len ? " " : "", o->keyword);
            put_value(&b, o->val);
        }
    }
    if (uri) {
        /* scheme://user:***@host:port/dbname?the rest (values %-escaped as needed) */
        exr_buf q;
        exr_buf_init(&q);
        for (PQconninfoOption *o = opts; o->keyword; o++)
            if (o->val && strcmp(o->keyword, "password") && strcmp(o->keyword, "user") && strcmp(o->keyword, "host") &&
                strcmp(o->keyword, "port") && strcmp(o->keyword, "dbname")) {
                exr_buf_printf(&q, "%s%s=", q.len ? "&" : "?", o->keyword);
                for (const unsigned char *c = (const unsigned char *)o->val; *c; c++)
                    exr_buf_printf(&q, isalnum(*c) || strchr("-._~", *c) ? "%c" : "%%%02X", *c);
            }
        exr_buf_adds(&b, "postgresql://");
        if (user || pw)
            exr_buf_printf(&b, "%s%s@", user ? user : "", pw ? ":***" : "");
        bool v6 = host && strchr(host, ':') && !strchr(host, ',');
        exr_buf_printf(&b, "%s%s%s%s%s%s%s", v6 ? "[" : "", host ? host : "", v6 ? "]" : "", port ? ":" : "", port ? port : "",
                       dbname ? "/" : "", dbname ? dbname : "");
        exr_buf_adds(&b, q.p ? q.p : "");
        exr_buf_free(&q);
    }
    PQconninfoFree(opts);
    snprintf(out, n, "%.*s", (int)b.len, b.p ? b.p : "");
    exr_buf_free(&b);
}

int exr_db_open(exr_db **out, const char *target, bool must_exist, exr_err *e)
{
    exr_db *db = exr_xcalloc(1, sizeof *db);
    db->kind = exr_db_kind_of(target);
    int rc = db->kind == EXR_DB_PG ? exr_pg_open(db, target) : exr_lite_open(db, target, must_exist);
    if (rc != 0) {
        char shown[512];
        exr_db_redact(target, shown, sizeof shown);
        exr_seterr(e, EXR_ESTORE, "%s: %s", shown, db->err);
        exr_db_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

bool exr_db_unreachable(const char *target)
{
    return exr_db_kind_of(target) == EXR_DB_PG && exr_pg_unreachable(target);
}

void exr_db_close(exr_db *db)
{
    if (!db)
        return;
    if (db->lite)
        sqlite3_close(db->lite);
    if (db->pg)
        PQfinish(db->pg);
    free(db->conninfo);
    exr_buf_free(&db->copybuf);
    free(db);
}

int exr_db_kind(const exr_db *db)
{
    return db->kind;
}

const char *exr_db_errmsg(exr_db *db)
{
    if (db->kind == EXR_DB_SQLITE && db->lite)
        return sqlite3_errmsg(db->lite);
    return db->err;
}

int exr_db_seterr(exr_db *db, exr_err *e, const char *what)
{
    return exr_seterr(e, EXR_ESTORE, "store: %s: %s", what, exr_db_errmsg(db));
}

int exr_db_exec(exr_db *db, const char *sql)
{
    if (db->kind == EXR_DB_PG)
        return exr_pg_exec(db, sql);
    return sqlite3_exec(db->lite, sql, NULL, NULL, NULL) == SQLITE_OK ? EXR_SQL_OK : EXR_SQL_ERROR;
}

int exr_db_begin_exclusive(exr_db *db)
{
    /* one lock number for every exclusive writer of this database */
    return exr_db_exec(db, db->kind == EXR_DB_PG ? "BEGIN; SELECT pg_advisory_xact_lock(7274617901)" : "BEGIN IMMEDIATE");
}

int exr_db_begin(exr_db *db)
{
    return exr_db_exec(db, "BEGIN");
}

int exr_db_commit(exr_db *db)
{
    return exr_db_exec(db, "COMMIT");
}

int exr_db_rollback(exr_db *db)
{
    return exr_db_exec(db, "ROLLBACK");
}

int exr_db_prepare(exr_db *db, const char *sql, exr_stmt **out)
{
    exr_stmt *st = exr_xcalloc(1, sizeof *st);
    st->db = db;
    int rc = db->kind == EXR_DB_PG ? exr_pg_prepare(db, sql, st) : exr_lite_prepare(db, sql, st);
    if (rc != EXR_SQL_OK) {
        exr_stmt_finalize(st);
        *out = NULL;
        return EXR_SQL_ERROR;
    }
    *out = st;
    return EXR_SQL_OK;
}

int exr_db_prepare_stream(exr_db *db, const char *sql, exr_stmt **out)
{
    if (exr_db_prepare(db, sql, out) != EXR_SQL_OK)
        return EXR_SQL_ERROR;
    (*out)->cursor = db->kind == EXR_DB_PG;
    return EXR_SQL_OK;
}

int exr_db_prepare_scan(exr_db *db, const char *cols, const char *table, exr_stmt **out)
{
    char q[1024];
    snprintf(q, sizeof q, "SELECT %s FROM %s", cols, table);
    if (exr_db_prepare_stream(db, q, out) != EXR_SQL_OK)
        return EXR_SQL_ERROR;
    if (db->kind == EXR_DB_PG && exr_pg_split(db, cols, table, *out) != EXR_SQL_OK) {
        exr_stmt_finalize(*out);
        *out = NULL;
        return EXR_SQL_ERROR;
    }
    return EXR_SQL_OK;
}

static void pg_param(exr_stmt *st, int i, char *v)
{
    if (i < 1 || i > EXR_PG_MAXPARAMS) {
        free(v);
        return;
    }
    free(st->params[i - 1]);
    st->params[i - 1] = v;
}

void exr_stmt_bind_textn(exr_stmt *st, int i, const char *v, size_t n)
{
    if (!v) {
        exr_stmt_bind_null(st, i);
        return;
    }
    /* text is stored as valid UTF-8 on both back ends: PostgreSQL refuses invalid bytes and
     * NUL in text, and a hostile byte must neither fail a write nor make the stores differ */
    size_t cn;
    char *clean = exr_utf8_clean(v, n, &cn);
    if (clean)
        v = clean, n = cn;
    if (st->db->kind == EXR_DB_SQLITE)
        sqlite3_bind_text(st->lite, i, v, (int)n, SQLITE_TRANSIENT);
    else
        pg_param(st, i, exr_xstrndup(v, n));
    free(clean);
}

void exr_stmt_bind_text(exr_stmt *st, int i, const char *v)
{
    exr_stmt_bind_textn(st, i, v, v ? strlen(v) : 0);
}

void exr_stmt_bind_int(exr_stmt *st, int i, int64_t v)
{
    if (st->db->kind == EXR_DB_SQLITE) {
        sqlite3_bind_int64(st->lite, i, v);
        return;
    }
    char b[32];
    snprintf(b, sizeof b, "%lld", (long long)v);
    pg_param(st, i, exr_xstrdup(b));
}

void exr_stmt_bind_null(exr_stmt *st, int i)
{
    if (st->db->kind == EXR_DB_SQLITE)
        sqlite3_bind_null(st->lite, i);
    else
        pg_param(st, i, NULL);
}

int exr_stmt_step(exr_stmt *st)
{
    return st->db->kind == EXR_DB_SQLITE ? exr_lite_step(st) : exr_pg_step(st);
}

/* row's value in col of a PostgreSQL result, NULL for SQL NULL or out of range. libpq gives
 * NULL as "": only an empty value needs asking whether it is NULL. */
static const char *pg_text(exr_stmt *st, int row, int col)
{
    if (!st->res || row < 0 || row >= st->nrows || col >= PQnfields(st->res))
        return NULL;
    const char *v = PQgetvalue(st->res, row, col);
    return v[0] || !PQgetisnull(st->res, row, col) ? v : NULL;
}

const char *exr_stmt_text(exr_stmt *st, int col)
{
    if (st->db->kind == EXR_DB_SQLITE)
        return (const char *)sqlite3_column_text(st->lite, col);
    return pg_text(st, st->row, col);
}

const char *exr_stmt_text_ahead(exr_stmt *st, int ahead, int col)
{
    return st->db->kind == EXR_DB_SQLITE || st->row < 0 ? NULL : pg_text(st, st->row + ahead, col);
}

int64_t exr_stmt_int(exr_stmt *st, int col)
{
    if (st->db->kind == EXR_DB_SQLITE)
        return sqlite3_column_int64(st->lite, col);
    const char *v = exr_stmt_text(st, col);
    if (!v)
        return 0;
    if (v[0] == 't' && !v[1])
        return 1; /* PostgreSQL booleans */
    if (v[0] == 'f' && !v[1])
        return 0;
    /* up to 18 digits, optionally negative (ids, ports, counts: most of a report's values),
     * without strtoll's locale and overflow work; anything else goes to strtoll */
    const char *d = v + (v[0] == '-');
    int64_t x = 0;
    int i = 0;
    for (; i < 18 && d[i] >= '0' && d[i] <= '9'; i++)
        x = x * 10 + (d[i] - '0');
    if (i > 0 && !d[i])
        return v[0] == '-' ? -x : x;
    return strtoll(v, NULL, 10);
}

bool exr_stmt_isnull(exr_stmt *st, int col)
{
    if (st->db->kind == EXR_DB_SQLITE)
        return sqlite3_column_type(st->lite, col) == SQLITE_NULL;
    return exr_stmt_text(st, col) == NULL;
}

int64_t exr_stmt_changes(exr_stmt *st)
{
    return st->db->kind == EXR_DB_SQLITE ? sqlite3_changes(st->db->lite) : st->changes;
}

void exr_stmt_reset(exr_stmt *st)
{
    if (st->db->kind == EXR_DB_SQLITE) {
        sqlite3_reset(st->lite);
        sqlite3_clear_bindings(st->lite);
        return;
    }
    exr_pg_clear(st);
    for (int i = 0; i < EXR_PG_MAXPARAMS; i++) {
        free(st->params[i]);
        st->params[i] = NULL;
    }
}

void exr_stmt_finalize(exr_stmt *st)
{
    if (!st)
        return;
    if (st->db->kind == EXR_DB_SQLITE)
        sqlite3_finalize(st->lite);
    else
        exr_stmt_reset(st);
    free(st->sql);
    free(st);
}

int exr_db_insert_rows(exr_db *db, const char *into, int ncols, const char *const *vals, int nrows)
{
    if (db->kind == EXR_DB_PG)
        return exr_pg_insert_rows(db, into, ncols, vals, nrows);
    exr_buf q;
    exr_buf_init(&q);
    exr_buf_printf(&q, "INSERT INTO %s VALUES(", into);
    for (int c = 0; c < ncols; c++)
        exr_buf_adds(&q, c ? ",?" : "?");
    exr_buf_adds(&q, ") ON CONFLICT DO NOTHING");
    exr_stmt *st;
    int rc = exr_db_prepare(db, q.p, &st);
    exr_buf_free(&q);
    for (int r = 0; rc == EXR_SQL_OK && r < nrows; r++) {
        exr_stmt_reset(st);
        for (int c = 0; c < ncols; c++)
            exr_stmt_bind_text(st, c + 1, vals[(size_t)r * (size_t)ncols + (size_t)c]);
        if (exr_stmt_step(st) != EXR_SQL_DONE)
            rc = EXR_SQL_ERROR;
    }
    exr_stmt_finalize(st);
    return rc;
}

bool exr_db_can_stream(exr_db *db)
{
    return db->kind == EXR_DB_PG;
}

int exr_db_copy_begin(exr_db *db, const char *into)
{
    return db->kind == EXR_DB_PG ? exr_pg_copy_begin(db, into) : EXR_SQL_ERROR;
}

int exr_db_copy_row(exr_db *db, int ncols, const char *const *vals)
{
    return db->kind == EXR_DB_PG ? exr_pg_copy_row(db, ncols, vals) : EXR_SQL_ERROR;
}

int exr_db_copy_end(exr_db *db)
{
    bool conflict;
    return db->kind == EXR_DB_PG ? exr_pg_copy_end(db, &conflict) : EXR_SQL_ERROR;
}

bool exr_db_lost(exr_db *db)
{
    return db->kind == EXR_DB_PG && PQstatus(db->pg) != CONNECTION_OK;
}

int exr_db_reconnect(exr_db *db)
{
    if (db->kind != EXR_DB_PG)
        return 0;
    return exr_pg_reconnect(db);
}

const char *exr_db_sqlite_version(void)
{
    return sqlite3_libversion();
}

int exr_db_pq_version(void)
{
    return PQlibVersion();
}
