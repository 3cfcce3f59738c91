/* stats.c: `exray stats`, one row per scan from the store. */
#include "../notify/notify.h"
#include "../notify/stats_cves.h"
#include "open.h"
#include "../store/store.h"
#include "opts.h"
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct stats_ctx {
    FILE *out;
    const exr_scan_cves *cves;
    size_t ncves;
} stats_ctx;

static void print_row(void *vctx, const exr_stats_row *r)
{
    stats_ctx *cx = vctx;
    FILE *out = cx->out;
    char cell[3][40];
    for (int k = 0; k < 3; k++)
        snprintf(cell[k], sizeof cell[k], "%lld / %.1f%%", r->vulnerable[k],
                 r->exchange ? 100.0 * (double)r->patched[k] / (double)r->exchange : 0.0);
    char id[32], started[24];
    snprintf(id, sizeof id, "%lld", r->scan);
    /* to the second for reading: the store keeps microseconds, for comparisons */
    snprintf(started, sizeof started, "%.19s%s", r->started ? r->started : "", r->started && strlen(r->started) > 19 ? "Z" : "");
    long long open = 0, kev = 0;
    const char *key = r->name ? r->name : id;
    for (size_t i = 0; i < cx->ncves; i++)
        if (strcmp(cx->cves[i].key, key) == 0) {
            open = cx->cves[i].open;
            kev = cx->cves[i].kev;
        }
    fprintf(out, "%-5s %-20s %8lld %-27s %-27s %-27s %8lld %8lld %11lld %8lld %10lld %8lld %9lld %8lld\n", key, started, r->exchange,
            cell[0], cell[1], cell[2], open, kev, r->compromised, r->notified, r->remediated, r->reminded, r->escalated, r->resolved);
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
    exr_buildtab tab = {0};
    if (exr_cli_tables("stats", NULL, p.val[STATS_VULNS], p.val[STATS_CVES], p.val[STATS_KEV_ONLY] != NULL, NULL, &tab) != 0)
        return 2;
    if (exr_store_open_existing(&s, p.val[STATS_DB], &e) != 0) {
        fprintf(stderr, "exray stats: %s\n", e.msg);
        exr_buildtab_free(&tab);
        return 2;
    }
    stats_ctx cx = {stdout, NULL, 0};
    exr_scan_cves *cves = NULL;
    int rc = exr_stats_cves(s, &tab, &cves, &cx.ncves, &e);
    cx.cves = cves;
    if (rc == 0) {
        printf("%-5s %-20s %8s %-27s %-27s %-27s %8s %8s %11s %8s %10s %8s %9s %8s\n", "scan", "started", "exchange",
               "proxylogon vuln/patched%", "proxyshell vuln/patched%", "proxynotshell vuln/patched%", "open", "kev_open", "compromised",
               "notified", "remediated", "reminded", "escalated", "resolved");
        rc = exr_stats_rows(s, print_row, &cx, &e) != 0 || exr_store_incomplete_scans(s, print_missing, stdout, &e) < 0 ? -1 : 0;
    }
    if (rc != 0)
        fprintf(stderr, "exray stats: %s\n", e.msg);
    free(cves);
    exr_store_close(s);
    exr_buildtab_free(&tab);
    return rc == 0 ? 0 : 2;
}
