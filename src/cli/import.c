/* import.c: `exray import`, Shadowserver reports and exray JSON Lines into the store. */
#include "../notify/import.h"
#include "args.h"
#include "cli.h"
#include "open.h"
#include <stdio.h>

static const char USAGE[] = "usage: exray import --db FILE REPORT...\n"
                            "REPORT: a Shadowserver scan_exchange CSV (2021 or current layout) or exray scan JSON Lines\n";

static void import_report(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "exray import: %s (line skipped)\n", msg);
}

int exr_cmd_import(int argc, char **argv)
{
    const char *db = NULL;
    const char *files[64];
    int nf;
    exr_flag flags[] = {{"--db", &db}};
    int a = exr_args_scan("import", argc, argv, 1, flags, 1, files, 64, &nf, USAGE);
    if (a != EXR_ARGS_OK)
        return a == EXR_ARGS_HELP ? 0 : 2;
    if (!db || !nf) {
        fprintf(stderr, "exray import: %s\n%s", !db ? "--db FILE is required" : "no REPORT given", USAGE);
        return 2;
    }
    exr_err e = {0, ""};
    exr_buildtab tab;
    exr_store *s;
    if (exr_cli_open_with_builds("import", db, true, &tab, &s, &e) != 0)
        return 2;
    int rc = 0;
    for (int i = 0; i < nf; i++) {
        exr_import_stats st = {0, 0, 0};
        if (exr_import_file(s, &tab, files[i], import_report, NULL, &st, &e) != 0) {
            fprintf(stderr, "exray import: %s\n", e.msg);
            rc = 2;
            continue;
        }
        fprintf(stderr, "exray import: %s: %ld rows, %ld imported, %ld skipped\n", files[i], st.rows, st.imported, st.bad);
    }
    exr_store_close(s);
    exr_buildtab_free(&tab);
    return rc;
}
