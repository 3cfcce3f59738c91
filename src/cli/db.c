/* db.c: `exray db copy`, a store from one back end to the other. */
#include "../store/store.h"
#include "cli.h"
#include "opts.h"
#include <stdio.h>
#include <string.h>

static void copied(void *ctx, const char *table, long rows)
{
    (void)ctx;
    fprintf(stderr, "exray db: %-13s %ld rows\n", table, rows);
}

static int db_copy(int argc, char **argv)
{
    const exr_cmdspec *spec = &exr_spec_db_copy;
    exr_parsed p;
    int a = exr_opts_parse(spec, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    if (!p.val[DBCOPY_FROM] || !p.val[DBCOPY_TO])
        return exr_opts_fail(spec, "give --from STORE and --to STORE");
    exr_err e = {0, ""};
    exr_store *from = NULL, *to = NULL;
    int rc = 2;
    if (exr_store_open_existing(&from, p.val[DBCOPY_FROM], &e) == 0 && exr_store_open(&to, p.val[DBCOPY_TO], &e) == 0 &&
        exr_store_copy(from, to, copied, NULL, &e) == 0)
        rc = 0;
    if (rc)
        fprintf(stderr, "exray db: %s\n", e.msg);
    exr_store_close(from);
    exr_store_close(to);
    return rc;
}

int exr_cmd_db(int argc, char **argv)
{
    static const exr_subcmd subs[] = {{"copy", db_copy, &exr_spec_db_copy}};
    return exr_opts_dispatch("db", subs, 1, argc, argv);
}
