/* stats.c: `exray stats`, one row per scan from the store. */
#include "../notify/notify.h"
#include "../store/store.h"
#include "opts.h"
#include "cli.h"
#include <stdio.h>
#include <string.h>

static void print_row(void *ctx, const exr_stats_row *r)
{
    FILE *out = ctx;
    char cell[3][40];
    for (int k = 0; k < 3; k++)
        snprintf(cell[k], sizeof cell[k], "%lld / %.1f%%", r->vulnerable[k], r->exchange ? 100.0 * (double)r->patched[k] / (double)r->exchange : 0.0);
    char id[32], started[24];
    snprintf(id, sizeof id, "%lld", r->scan);
    /* to the second for reading: the store keeps microseconds, for comparisons */
    snprintf(started, sizeof started, "%.19s%s", r->started ? r->started : "", r->started && strlen(r->started) > 19 ? "Z" : "");
    fprintf(out, "%-5s %-20s %8lld %-27s %-27s %-27s %11lld %8lld %10lld\n", r->name ? r->name : id, started, r->exchange, cell[0], cell[1], cell[2],
            r->compromised, r->notified, r->remediated);
}

static void print_missing(void *ctx, const char *name, int nshards, const char *missing)
{
    fprintf(ctx, "scan %s: shards missing: %s (shown when all %d have finished)\n", name, missing, nshards);
}

int exr_cmd_stats(int argc, char **argv)
{
    exr_parsed p;
    int a = exr_opts_parse(&exr_spec_stats, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    if (!p.val[STATS_DB])
        return exr_opts_fail(&exr_spec_stats, "--db FILE is required");
    exr_err e = {0, ""};
    exr_store *s = NULL;
    if (exr_store_open_existing(&s, p.val[STATS_DB], &e) != 0) {
        fprintf(stderr, "exray stats: %s\n", e.msg);
        return 2;
    }
    printf("%-5s %-20s %8s %-27s %-27s %-27s %11s %8s %10s\n", "scan", "started", "exchange", "proxylogon vuln/patched%",
           "proxyshell vuln/patched%", "proxynotshell vuln/patched%", "compromised", "notified", "remediated");
    if (exr_stats_rows(s, print_row, stdout, &e) != 0 || exr_store_incomplete_scans(s, print_missing, stdout, &e) < 0) {
        fprintf(stderr, "exray stats: %s\n", e.msg);
        exr_store_close(s);
        return 2;
    }
    exr_store_close(s);
    return 0;
}
