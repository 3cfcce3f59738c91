/* open.h: the built-in build table and a store, for the commands that need both. */
#ifndef EXR_CLI_OPEN_H
#define EXR_CLI_OPEN_H

#include "../exchange/builds.h"
#include "../store/store.h"
#include <stdbool.h>

/* create: the store may be new (import); otherwise it must exist. Errors go to stderr
 * under the command's name. */
/* The build and vulnerability tables for a command: builds/vulns files (NULL: built in),
 * cves (--cves LIST, or NULL), kev_only (--kev-only), asof (--as-of DAY for support states,
 * or NULL: today). Errors go to stderr under the command's name. */
int exr_cli_tables(const char *cmd, const char *builds, const char *vulns, const char *cves, bool kev_only, const char *asof,
                   exr_buildtab *tab);
int exr_cli_open_with_builds(const char *cmd, const char *db, bool create, exr_buildtab *tab, exr_store **s, exr_err *e);

/* Brings the store's states up to the tables in use (exr_store_restate), saying on standard
 * error how many changed; -1 with the error printed. */
int exr_cli_restate(const char *cmd, exr_store *s, const exr_buildtab *tab);

#endif
