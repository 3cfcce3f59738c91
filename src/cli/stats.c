/* stats.c: `exray stats`, one row per scan from the store. */
#include "../notify/notify.h"
#include "../store/store.h"
#include "args.h"
#include "cli.h"
#include <stdio.h>

static const char USAGE[] = "usage: exray stats --db FILE\n"
                            "  one row per scan: Exchange hosts, vulnerable and patched per set, compromised,\n"
                            "  notified, remediated after notice\n";

int exr_cmd_stats(int argc, char **argv)
{
    const char *db = NULL;
    const char *pos[1];
    int npos;
    exr_flag flags[] = {{"--db", &db}};
    int a = exr_args_scan("stats", argc, argv, 1, flags, 1, pos, 0, &npos, USAGE);
    if (a != EXR_ARGS_OK)
        return a == EXR_ARGS_HELP ? 0 : 2;
    if (!db) {
        fprintf(stderr, "exray stats: --db FILE is required\n%s", USAGE);
        return 2;
    }
    exr_err e = {0, ""};
    exr_store *s;
    if (exr_store_open_existing(&s, db, &e) != 0 || exr_stats_print(s, stdout, &e) != 0) {
        fprintf(stderr, "exray stats: %s\n", e.msg);
        return 2;
    }
    exr_store_close(s);
    return 0;
}
