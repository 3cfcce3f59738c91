/* sql_impl.h: the two back ends behind sql.h (sqlite.c, postgres.c); sql.c dispatches. */
#ifndef EXR_STORE_SQL_IMPL_H
#define EXR_STORE_SQL_IMPL_H
#include "sql.h"
#include "../core/buf.h"
#include <libpq-fe.h>
#include <sqlite3.h>

#define EXR_PG_MAXPARAMS 64

struct exr_db {
    int kind;
    sqlite3 *lite;
    PGconn *pg;
    char *conninfo; /* PostgreSQL: as opened, for a second connection (pgsplit.c) */
    char err[512];
    exr_buf copybuf; /* PostgreSQL: COPY data not sent yet */
    bool copy_ok;
    /* the column types of the last COPY target (pgcopy.c), looked up once per target */
    char copy_into[1400];
    unsigned char copy_type[EXR_PG_MAXPARAMS];
    int copy_ncols;
    bool copy_binary; /* every column of copy_into has a binary writer: COPY in the binary format */
};

struct exr_stmt {
    exr_db *db;
    sqlite3_stmt *lite;
    /* PostgreSQL: the translated text, the parameters as text, the result being read */
    char *sql;
    int nparams;
    char *params[EXR_PG_MAXPARAMS];
    PGresult *res;
    int row, nrows;
    int64_t changes;
    /* exr_db_prepare_stream on PostgreSQL: rows come from a cursor, a chunk at a time */
    bool cursor, opened, own_tx, in_flight;
    /* exr_db_prepare_scan on PostgreSQL (pgsplit.c): two cursors over halves of a table,
     * the second on a connection of its own; res, row and nrows mirror the half in hand */
    exr_stmt *half[2];
    int half_state[2];
    int cur;
    exr_db *aux;
};

int exr_lite_open(exr_db *db, const char *path, bool must_exist);
int exr_lite_prepare(exr_db *db, const char *sql, exr_stmt *st);
int exr_lite_step(exr_stmt *st);

int exr_pg_open(exr_db *db, const char *conninfo);
int exr_pg_exec(exr_db *db, const char *sql);
int exr_pg_prepare(exr_db *db, const char *sql, exr_stmt *st);
int exr_pg_step(exr_stmt *st);
void exr_pg_clear(exr_stmt *st);
int exr_pg_reconnect(exr_db *db);
bool exr_pg_unreachable(const char *conninfo);
void exr_pg_error(exr_db *db, const char *msg);
/* the result when its status is `want`; otherwise NULL, the error set */
PGresult *exr_pg_query(exr_db *db, const char *sql, ExecStatusType want);
int exr_pg_run(exr_db *db, const char *sql, ExecStatusType want);
int exr_pg_split(exr_db *db, const char *cols, const char *table, exr_stmt *st);
int exr_pg_split_step(exr_stmt *st);
void exr_pg_split_clear(exr_stmt *st);
int exr_pg_copy_begin(exr_db *db, const char *into);
int exr_pg_copy_row(exr_db *db, int ncols, const char *const *vals);
int exr_pg_copy_end(exr_db *db, bool *conflict);
int exr_pg_insert_rows(exr_db *db, const char *into, int ncols, const char *const *vals, int nrows);

#endif
