/* sqlite.c: the SQLite back end of sql.h. */
#include "sql_impl.h"
#include "../core/outfile.h"
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>

int exr_lite_open(exr_db *db, const char *path, bool must_exist)
{
    struct stat st;
    if (must_exist && (stat(path, &st) != 0 || !S_ISREG(st.st_mode))) {
        snprintf(db->err, sizeof db->err, "no such store (exray scan --db or exray import create one)");
        return -1;
    }
    /* a new store holds contacts and victims: created 0600 (SQLite's -wal and -shm files take
     * the database file's mode), and never through a symbolic link */
    if (!must_exist && exr_create_private(path) != 0 && errno != ELOOP) {
        snprintf(db->err, sizeof db->err, "cannot create: %s", strerror(errno));
        return -1;
    }
    if (sqlite3_open_v2(path, &db->lite, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW, NULL) !=
        SQLITE_OK) {
        snprintf(db->err, sizeof db->err, "cannot open: %s", db->lite ? sqlite3_errmsg(db->lite) : "out of memory");
        return -1;
    }
    sqlite3_busy_timeout(db->lite, 5000);
    return 0;
}

int exr_lite_prepare(exr_db *db, const char *sql, exr_stmt *st)
{
    return sqlite3_prepare_v2(db->lite, sql, -1, &st->lite, NULL) == SQLITE_OK ? EXR_SQL_OK : EXR_SQL_ERROR;
}

int exr_lite_step(exr_stmt *st)
{
    int rc = sqlite3_step(st->lite);
    return rc == SQLITE_ROW ? EXR_SQL_ROW : rc == SQLITE_DONE ? EXR_SQL_DONE : EXR_SQL_ERROR;
}
