/* pgsplit.c: a whole table read by two PostgreSQL server processes at once. One backend
 * reading 10 M observations (and, the first time after a bulk load, setting every row's
 * hint bits) took longer than the report's own work on the rows; two backends, each over
 * half of the table's pages (TID range scans, PostgreSQL 14), share the server's part on a
 * second core. Both cursors read in one snapshot (exported from the first connection), so
 * rows written meanwhile are in neither half or in one, never both. */
#include "sql_impl.h"
#include "../core/buf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* below this many pages (8 MiB) a second connection is not worth opening */
#define SPLIT_MIN_PAGES 1024

/* per half: its current row not yet returned, rows returned, or no more rows */
enum { HALF_PRIMED = 1, HALF_READING, HALF_DONE };

static exr_stmt *half_stmt(exr_db *db, const char *cols, const char *table, const char *cond)
{
    char q[1400];
    snprintf(q, sizeof q, "SELECT %s FROM %s WHERE %s", cols, table, cond);
    exr_stmt *h = exr_xcalloc(1, sizeof *h);
    h->db = db;
    h->cursor = true;
    exr_pg_prepare(db, q, h);
    return h;
}

/* The second connection, in the first one's snapshot; NULL when it cannot be had (a full
 * server, say): the table is then read by one cursor. */
static exr_db *twin(exr_db *db, const char *snapshot)
{
    exr_db *aux = exr_xcalloc(1, sizeof *aux);
    aux->kind = EXR_DB_PG;
    char q[200];
    snprintf(q, sizeof q, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET TRANSACTION SNAPSHOT '%.100s'", snapshot);
    if (exr_pg_open(aux, db->conninfo) != 0 || exr_pg_exec(aux, q) != EXR_SQL_OK) {
        exr_db_close(aux);
        return NULL;
    }
    return aux;
}

/* st reads the whole table by one cursor: the fallback, and what it reads once reset. A
 * large table is given the two halves here. */
int exr_pg_split(exr_db *db, const char *cols, const char *table, exr_stmt *st)
{
    char q[1400];
    if (PQserverVersion(db->pg) < 140000 || PQtransactionStatus(db->pg) != PQTRANS_IDLE || !db->conninfo)
        return EXR_SQL_OK;
    if (exr_pg_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY") != EXR_SQL_OK)
        return EXR_SQL_ERROR;
    snprintf(q, sizeof q, "SELECT pg_relation_size('%s') / current_setting('block_size')::bigint, pg_export_snapshot()", table);
    /* a server that cannot export a snapshot (a standby, say) is read by one cursor */
    PGresult *r = exr_pg_query(db, q, PGRES_TUPLES_OK);
    long long pages = r && PQntuples(r) == 1 ? atoll(PQgetvalue(r, 0, 0)) : 0;
    exr_db *aux = pages >= SPLIT_MIN_PAGES ? twin(db, PQgetvalue(r, 0, 1)) : NULL;
    PQclear(r);
    if (!aux) {
        exr_pg_exec(db, "COMMIT");
        return EXR_SQL_OK;
    }
    char lo[64], hi[64];
    snprintf(lo, sizeof lo, "ctid < '(%lld,0)'", pages / 2);
    snprintf(hi, sizeof hi, "ctid >= '(%lld,0)'", pages / 2); /* and pages added since */
    st->aux = aux;
    st->half[0] = half_stmt(db, cols, table, lo);
    st->half[1] = half_stmt(aux, cols, table, hi);
    return EXR_SQL_OK;
}

static void mirror(exr_stmt *st, const exr_stmt *h)
{
    st->res = h ? h->res : NULL;
    st->row = h ? h->row : 0;
    st->nrows = h ? h->nrows : 0;
}

static int half_failed(exr_stmt *st, int i)
{
    if (st->half[i]->db != st->db)
        snprintf(st->db->err, sizeof st->db->err, "%s", st->half[i]->db->err);
    mirror(st, NULL);
    return EXR_SQL_ERROR;
}

/* Chunks are taken from the halves in turn: while the caller works through one, both
 * servers prepare their next. */
int exr_pg_split_step(exr_stmt *st)
{
    int *state = st->half_state;
    if (!st->opened) { /* both cursors open at once, so both servers start */
        st->opened = true;
        for (int i = 0; i < 2; i++) {
            int rc = exr_pg_step(st->half[i]);
            if (rc == EXR_SQL_ERROR)
                return half_failed(st, i);
            state[i] = rc == EXR_SQL_ROW ? HALF_PRIMED : HALF_DONE;
        }
        st->cur = 1;
    }
    for (;;) {
        exr_stmt *h = st->half[st->cur];
        if (state[st->cur] == HALF_READING && h->row + 1 < h->nrows) {
            h->row++;
            mirror(st, h);
            return EXR_SQL_ROW;
        }
        /* the chunk in hand is used up: the next comes from the other half, while it lasts */
        int next = state[st->cur ^ 1] != HALF_DONE ? st->cur ^ 1 : st->cur;
        if (state[next] == HALF_DONE) {
            mirror(st, NULL);
            return EXR_SQL_DONE;
        }
        st->cur = next;
        h = st->half[next];
        if (state[next] == HALF_PRIMED) {
            state[next] = HALF_READING;
            mirror(st, h);
            return EXR_SQL_ROW;
        }
        int rc = exr_pg_step(h); /* the half's next chunk */
        if (rc == EXR_SQL_ERROR)
            return half_failed(st, next);
        if (rc == EXR_SQL_ROW) {
            mirror(st, h);
            return EXR_SQL_ROW;
        }
        state[next] = HALF_DONE;
    }
}

void exr_pg_split_clear(exr_stmt *st)
{
    if (!st->half[0])
        return;
    for (int i = 0; i < 2; i++) {
        exr_stmt_finalize(st->half[i]);
        st->half[i] = NULL;
    }
    PQclear(PQexec(st->db->pg, "COMMIT"));
    exr_db_close(st->aux);
    st->aux = NULL;
    mirror(st, NULL);
    st->opened = false;
}
