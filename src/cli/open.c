/* open.c: build table + store for import and report. */
#include "open.h"
#include <stdio.h>

int exr_cli_open_with_builds(const char *cmd, const char *db, bool create, exr_buildtab *tab, exr_store **s, exr_err *e)
{
    if (exr_buildtab_load_default(tab, e) != 0) {
        fprintf(stderr, "exray %s: %s\n", cmd, e->msg);
        return -1;
    }
    if ((create ? exr_store_open(s, db, e) : exr_store_open_existing(s, db, e)) != 0) {
        fprintf(stderr, "exray %s: %s\n", cmd, e->msg);
        exr_buildtab_free(tab);
        return -1;
    }
    return 0;
}
