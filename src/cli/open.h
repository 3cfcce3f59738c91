/* open.h: the built-in build table and a store, for the commands that need both. */
#ifndef EXR_CLI_OPEN_H
#define EXR_CLI_OPEN_H

#include "../exchange/builds.h"
#include "../store/store.h"
#include <stdbool.h>

/* create: the store may be new (import); otherwise it must exist. Errors go to stderr
 * under the command's name. */
int exr_cli_open_with_builds(const char *cmd, const char *db, bool create, exr_buildtab *tab, exr_store **s, exr_err *e);

#endif
