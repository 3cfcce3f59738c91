/* schema.h: the store's tables, created or migrated on first use. */
#ifndef EXR_STORE_SCHEMA_H
#define EXR_STORE_SCHEMA_H
#include "../core/err.h"
#include "sql.h"

#define EXR_SCHEMA_VERSION 8

/* Creates what is missing and migrates older stores, inside one transaction; on PostgreSQL
 * under an advisory lock, so scanners starting at once do not race. */
int exr_schema_apply(exr_db *db, exr_err *e);

#endif
