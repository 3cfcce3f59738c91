/* pgcopy.c: bulk writes to PostgreSQL by COPY in its binary format. The text format made the
 * server scan every byte of a row twice, for line ends and then for delimiters and escapes:
 * a sixth of its time in a bulk import. Binary rows are length-prefixed fields, so text goes
 * as it is and the server only checks it; integers go as network-order words. A target with
 * a column of another type is written in the text format. */
#include "sql_impl.h"
#include "../core/buf.h"
#include "../core/utf8.h"
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* per column: how its text value is sent */
enum { COL_TEXT = 't', COL_INT4 = '4', COL_INT8 = '8', COL_OTHER = '?' };
/* type OIDs (pg_type.dat): int8, int4, text, varchar */
enum { OID_INT8 = 20, OID_INT4 = 23, OID_TEXT = 25, OID_VARCHAR = 1043 };

static const char binary_header[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";

/* The types of into's columns ("table(col,...)"), from an empty SELECT of them; cached for
 * the next batch to the same target. */
static int column_types(exr_db *db, const char *into)
{
    if (db->copy_ncols && strcmp(db->copy_into, into) == 0)
        return 0;
    db->copy_ncols = 0;
    db->copy_binary = false;
    size_t tlen = strcspn(into, "(");
    const char *cols = into + tlen;
    size_t clen = strlen(cols);
    if (clen < 2 || cols[clen - 1] != ')' || strlen(into) >= sizeof db->copy_into) {
        exr_pg_error(db, "COPY: bad target");
        return -1;
    }
    char q[1500];
    snprintf(q, sizeof q, "SELECT %.*s FROM %.*s LIMIT 0", (int)(clen - 2), cols + 1, (int)tlen, into);
    PGresult *r = exr_pg_query(db, q, PGRES_TUPLES_OK);
    if (!r)
        return -1;
    if (PQnfields(r) > EXR_PG_MAXPARAMS) {
        exr_pg_error(db, "COPY: too many columns");
        PQclear(r);
        return -1;
    }
    for (int c = 0; c < PQnfields(r); c++) {
        Oid t = PQftype(r, c);
        db->copy_type[c] = t == OID_INT8 ? COL_INT8 : t == OID_INT4 ? COL_INT4 : t == OID_TEXT || t == OID_VARCHAR ? COL_TEXT : COL_OTHER;
    }
    db->copy_ncols = PQnfields(r);
    db->copy_binary = db->copy_ncols > 0 && !memchr(db->copy_type, COL_OTHER, (size_t)db->copy_ncols);
    PQclear(r);
    snprintf(db->copy_into, sizeof db->copy_into, "%s", into);
    return 0;
}

/* A COPY in progress: rows gathered in db->copybuf and sent 64 KiB at a time, so the server
 * inserts while the caller prepares the next rows. */
int exr_pg_copy_begin(exr_db *db, const char *into)
{
    if (column_types(db, into) != 0)
        return EXR_SQL_ERROR;
    char q[1500];
    snprintf(q, sizeof q, "COPY %s FROM STDIN%s", into, db->copy_binary ? " (FORMAT binary)" : "");
    exr_buf_reset(&db->copybuf);
    if (db->copy_binary)
        exr_buf_add(&db->copybuf, binary_header, sizeof binary_header);
    db->copy_ok = true;
    return exr_pg_run(db, q, PGRES_COPY_IN) == 0 ? EXR_SQL_OK : EXR_SQL_ERROR;
}

static void copy_send(exr_db *db)
{
    if (db->copy_ok && db->copybuf.len && PQputCopyData(db->pg, db->copybuf.p, (int)db->copybuf.len) != 1) {
        exr_pg_error(db, PQerrorMessage(db->pg));
        db->copy_ok = false;
    }
    exr_buf_reset(&db->copybuf);
}

/* COPY's text format: backslash, tab, newline and carriage return escaped, \N for NULL */
static void text_field(exr_buf *b, const char *v)
{
    if (!v) {
        exr_buf_adds(b, "\\N");
        return;
    }
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
}

static void put32(exr_buf *b, uint32_t v)
{
    v = htonl(v);
    exr_buf_add(b, &v, 4);
}

/* the binary format: a 32-bit length (-1 for NULL), then the value */
static int binary_field(exr_db *db, int c, const char *v, size_t n)
{
    exr_buf *b = &db->copybuf;
    if (!v) {
        put32(b, UINT32_MAX);
        return 0;
    }
    if (db->copy_type[c] == COL_TEXT) {
        put32(b, (uint32_t)n);
        exr_buf_add(b, v, n);
        return 0;
    }
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    bool four = db->copy_type[c] == COL_INT4;
    if (end == v || *end || errno || (four && (x < INT32_MIN || x > INT32_MAX))) {
        char msg[160];
        snprintf(msg, sizeof msg, "COPY: column %d: \"%.40s\" is not a %d-bit integer", c + 1, v, four ? 32 : 64);
        exr_pg_error(db, msg);
        return -1;
    }
    put32(b, four ? 4 : 8);
    if (!four)
        put32(b, (uint32_t)((uint64_t)x >> 32));
    put32(b, (uint32_t)(uint64_t)x);
    return 0;
}

int exr_pg_copy_row(exr_db *db, int ncols, const char *const *vals)
{
    bool bin = db->copy_binary;
    if (bin && ncols != db->copy_ncols) {
        exr_pg_error(db, "COPY: wrong number of columns");
        db->copy_ok = false;
    }
    if (bin && db->copy_ok) {
        uint16_t n = htons((uint16_t)ncols);
        exr_buf_add(&db->copybuf, &n, 2);
    }
    for (int c = 0; c < ncols && db->copy_ok; c++) {
        size_t n = vals[c] ? strlen(vals[c]) : 0;
        char *clean = vals[c] ? exr_utf8_clean(vals[c], n, &n) : NULL; /* as sql.c's bind: valid UTF-8 only */
        const char *v = clean ? clean : vals[c];
        if (!bin) {
            if (c)
                exr_buf_addc(&db->copybuf, '\t');
            text_field(&db->copybuf, v);
        } else if (binary_field(db, c, v, n) != 0) {
            db->copy_ok = false;
        }
        free(clean);
    }
    if (!bin)
        exr_buf_addc(&db->copybuf, '\n');
    if (db->copybuf.len >= (64u << 10))
        copy_send(db);
    return db->copy_ok ? EXR_SQL_OK : EXR_SQL_ERROR;
}

int exr_pg_copy_end(exr_db *db, bool *conflict)
{
    *conflict = false;
    if (db->copy_binary && db->copy_ok)
        exr_buf_add(&db->copybuf, "\377\377", 2); /* the trailer: a field count of -1 */
    copy_send(db);
    bool ok = db->copy_ok; /* if not, the server is told to abandon the COPY; the error is set */
    if (PQputCopyEnd(db->pg, ok ? NULL : "exray: write failed") != 1)
        ok = false;
    PGresult *res;
    while ((res = PQgetResult(db->pg)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && ok) {
            const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
            *conflict = state && strcmp(state, "23505") == 0; /* unique_violation */
            exr_pg_error(db, PQerrorMessage(db->pg));
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
    if (own && exr_pg_run(db, "BEGIN", PGRES_COMMAND_OK) != 0)
        return EXR_SQL_ERROR;
    if (exr_pg_run(db, "SAVEPOINT exr_copy", PGRES_COMMAND_OK) != 0)
        goto fail;
    if (copy_rows(db, into, ncols, vals, nrows, &conflict) == 0) {
        if (exr_pg_run(db, "RELEASE SAVEPOINT exr_copy", PGRES_COMMAND_OK) != 0)
            goto fail;
        goto done;
    }
    if (!conflict || exr_pg_run(db, "ROLLBACK TO SAVEPOINT exr_copy", PGRES_COMMAND_OK) != 0)
        goto fail;
    char q[1400], tmp[200], tmpinto[1400];
    snprintf(tmp, sizeof tmp, "exr_copy_%.*s", tlen, into);
    snprintf(tmpinto, sizeof tmpinto, "%s%s", tmp, cols);
    snprintf(q, sizeof q, "CREATE TEMP TABLE IF NOT EXISTS %s AS SELECT %.*s FROM %.*s WITH NO DATA", tmp, (int)(strlen(cols) - 2),
             cols + 1, tlen, into);
    if (exr_pg_run(db, q, PGRES_COMMAND_OK) != 0 || copy_rows(db, tmpinto, ncols, vals, nrows, &conflict) != 0)
        goto fail;
    snprintf(q, sizeof q, "INSERT INTO %s SELECT * FROM %s ON CONFLICT DO NOTHING; TRUNCATE %s", into, tmp, tmp);
    if (exr_pg_run(db, q, PGRES_COMMAND_OK) != 0)
        goto fail;
done:
    if (own && exr_pg_run(db, "COMMIT", PGRES_COMMAND_OK) != 0)
        goto fail;
    return EXR_SQL_OK;
fail:
    if (own)
        PQclear(PQexec(db->pg, "ROLLBACK"));
    return EXR_SQL_ERROR;
}
