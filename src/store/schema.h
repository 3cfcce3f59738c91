/* schema.h: the store's tables, created or migrated on first use. */
#ifndef EXR_STORE_SCHEMA_H
#define EXR_STORE_SCHEMA_H
#include "../core/err.h"
#include "sql.h"

#define EXR_SCHEMA_VERSION 8

/* A web shell once found stands until a later probe of the host finds none: a patch does not
 * remove a back door, and a scan without the probe cannot say it is gone. */
#define EXR_SHELL_STANDS(ip)                                                                                                               \
    "EXISTS(SELECT 1 FROM observations w WHERE w.ip = " ip " AND w.webshells > 0 AND NOT EXISTS(SELECT 1 FROM observations c"              \
    " WHERE c.ip = w.ip AND c.webshells = 0 AND c.time > w.time))"

/* Creates what is missing and migrates older stores, inside one transaction; on PostgreSQL
 * under an advisory lock, so scanners starting at once do not race. */
int exr_schema_apply(exr_db *db, exr_err *e);

#endif
