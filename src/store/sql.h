/* sql.h: one SQL interface over the two back ends, SQLite (a file path, the default) and
 * PostgreSQL (postgresql:// or postgres:// URIs, or libpq's "host=... dbname=..." form).
 * The queries of scan, import, notify, stats and report are written once against it, with
 * `?` or `?N` placeholders (PostgreSQL gets $N) and SQL both back ends accept; nothing
 * outside src/store includes a database library. Step results keep SQLite's numbering. */
#ifndef EXR_STORE_SQL_H
#define EXR_STORE_SQL_H
#include "../core/err.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct exr_db exr_db;
typedef struct exr_stmt exr_stmt;

enum { EXR_SQL_OK = 0, EXR_SQL_ERROR = 1, EXR_SQL_ROW = 100, EXR_SQL_DONE = 101 };
enum { EXR_DB_SQLITE = 1, EXR_DB_PG = 2 };

/* Which back end a --db value names. */
int exr_db_kind_of(const char *target);
/* Opens a connection; must_exist: a SQLite file must already exist. Messages never carry
 * a password. */
int exr_db_open(exr_db **out, const char *target, bool must_exist, exr_err *e);
/* Whether a failed open may succeed later: a PostgreSQL server that does not answer or is
 * starting or stopping (never a SQLite path, a refused login or a missing database). */
bool exr_db_unreachable(const char *target);
void exr_db_close(exr_db *db);
int exr_db_kind(const exr_db *db);
/* The --db value with any password replaced by "***", for messages and the scans table. */
void exr_db_redact(const char *target, char *out, size_t n);
const char *exr_db_errmsg(exr_db *db);
/* Sets e to "store: WHAT: <the last error>" (EXR_ESTORE); returns what exr_seterr returns. */
int exr_db_seterr(exr_db *db, exr_err *e, const char *what);

/* Statements without parameters or results; may hold several (SQLite and PostgreSQL both
 * run a ;-separated list). */
int exr_db_exec(exr_db *db, const char *sql);
/* A write transaction that excludes every other writer's (SQLite BEGIN IMMEDIATE;
 * PostgreSQL: a transaction-scoped advisory lock), for planning and claiming tickets. */
int exr_db_begin_exclusive(exr_db *db);
int exr_db_begin(exr_db *db);
int exr_db_commit(exr_db *db);
int exr_db_rollback(exr_db *db);

int exr_db_prepare(exr_db *db, const char *sql, exr_stmt **out);
/* A query whose rows are read once, in order, however many there are: PostgreSQL fetches
 * them from a cursor a chunk at a time (in a transaction of its own unless one is open)
 * rather than holding the whole result in memory. No other statement may run on the
 * connection until it is finalized. */
int exr_db_prepare_stream(exr_db *db, const char *sql, exr_stmt **out);
/* Every row of `table` (columns `cols`), in no set order, read as exr_db_prepare_stream
 * reads; PostgreSQL (14 or later) reads a large table by two server processes at once,
 * each over half of it, both in one snapshot. */
int exr_db_prepare_scan(exr_db *db, const char *cols, const char *table, exr_stmt **out);
void exr_stmt_bind_text(exr_stmt *st, int i, const char *v); /* NULL binds NULL; the text is copied */
void exr_stmt_bind_textn(exr_stmt *st, int i, const char *v, size_t n);
void exr_stmt_bind_int(exr_stmt *st, int i, int64_t v);
void exr_stmt_bind_null(exr_stmt *st, int i);
int exr_stmt_step(exr_stmt *st);                  /* EXR_SQL_ROW, EXR_SQL_DONE or EXR_SQL_ERROR */
const char *exr_stmt_text(exr_stmt *st, int col); /* NULL for NULL */
/* Column col of the row `ahead` rows after the current one, when it has already been
 * fetched (PostgreSQL: within the chunk in hand); NULL otherwise. For prefetching. */
const char *exr_stmt_text_ahead(exr_stmt *st, int ahead, int col);
int64_t exr_stmt_int(exr_stmt *st, int col); /* booleans are 0 or 1 */
bool exr_stmt_isnull(exr_stmt *st, int col);
int64_t exr_stmt_changes(exr_stmt *st); /* rows the last step inserted, updated or deleted */
void exr_stmt_reset(exr_stmt *st);      /* ready to bind and step again */
void exr_stmt_finalize(exr_stmt *st);

/* Inserts nrows rows of ncols values each (vals row by row; NULL is NULL) into `into`
 * ("table(col,...)"), ignoring rows that conflict with a unique key: one statement on
 * PostgreSQL, a prepared statement per row on SQLite. Call inside a transaction. */
int exr_db_insert_rows(exr_db *db, const char *into, int ncols, const char *const *vals, int nrows);
/* PostgreSQL only (exr_db_can_stream): rows streamed into `into` ("table(col,...)") by COPY
 * while the caller prepares the next ones, inside the caller's transaction. After
 * exr_db_copy_end no row was added unless it returned EXR_SQL_OK (on a failure, such as a
 * row whose unique key was there already, the transaction must roll back past the COPY). */
bool exr_db_can_stream(exr_db *db);
int exr_db_copy_begin(exr_db *db, const char *into);
int exr_db_copy_row(exr_db *db, int ncols, const char *const *vals);
int exr_db_copy_end(exr_db *db);
/* PostgreSQL: true once the server connection is gone; exr_db_reconnect tries again (0 when
 * connected). SQLite: never lost. */
bool exr_db_lost(exr_db *db);
int exr_db_reconnect(exr_db *db);

/* Version strings of the linked libraries, for --version. */
const char *exr_db_sqlite_version(void);
int exr_db_pq_version(void);

#endif
