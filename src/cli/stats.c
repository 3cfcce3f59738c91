/* stats.c: `exray stats`, one row per scan from the store, as a table, JSON Lines or CSV. */
#include "../core/buf.h"
#include "../core/csv.h"
#include "../core/json.h"
#include "../report/stats.h"
#include "open.h"
#include "../store/store.h"
#include "opts.h"
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FMT_TEXT, FMT_JSON, FMT_CSV };

/* the loop's columns, after the states */
static const char *const loop_cols[] = {"kev_open", "notified", "remediated", "reminded", "escalated", "resolved"};

static void loop_values(const exr_stats_row *r, long long v[6])
{
    v[0] = r->kev_open, v[1] = r->notified, v[2] = r->remediated, v[3] = r->reminded, v[4] = r->escalated, v[5] = r->resolved;
}

typedef struct stats_ctx {
    FILE *out;
    int fmt;
} stats_ctx;

static void key_of(const exr_stats_row *r, char *key, size_t n, char *started, size_t sn)
{
    snprintf(key, n, "%s", r->name ? r->name : "");
    if (!r->name)
        snprintf(key, n, "%lld", r->scan);
    /* to the second for reading: the store keeps microseconds, for comparisons */
    snprintf(started, sn, "%.19s%s", r->started, strlen(r->started) > 19 ? "Z" : "");
}

static void print_text(FILE *out, const exr_stats_row *r)
{
    char key[128], started[32];
    long long v[6];
    key_of(r, key, sizeof key, started, sizeof started);
    loop_values(r, v);
    fprintf(out, "%-5s %-20s %8lld", key, started, r->exchange);
    for (int i = EXR_NSTATE - 1; i >= 0; i--)
        fprintf(out, " %12lld", r->states[i]);
    for (int i = 0; i < 6; i++)
        fprintf(out, " %10lld", v[i]);
    fputc('\n', out);
}

static void print_json(FILE *out, const exr_stats_row *r)
{
    char key[128], started[32];
    long long v[6];
    key_of(r, key, sizeof key, started, sizeof started);
    loop_values(r, v);
    exr_buf b;
    exr_buf_init(&b);
    exr_json j;
    exr_json_begin(&j, &b);
    exr_json_str(&j, "scan", key);
    exr_json_str(&j, "started", r->started);
    exr_json_int(&j, "exchange", r->exchange);
    exr_json_obj_open(&j, "states");
    for (int i = EXR_NSTATE - 1; i >= 0; i--)
        exr_json_int(&j, exr_state_names[i], r->states[i]);
    exr_json_obj_close(&j);
    for (int i = 0; i < 6; i++)
        exr_json_int(&j, loop_cols[i], v[i]);
    exr_json_end(&j);
    fprintf(out, "%.*s\n", (int)b.len, b.p);
    exr_buf_free(&b);
}

static void print_csv(FILE *out, const exr_stats_row *r)
{
    char key[128], started[32], n[32];
    long long v[6];
    key_of(r, key, sizeof key, started, sizeof started);
    loop_values(r, v);
    exr_buf b;
    exr_buf_init(&b);
    exr_csv_put(&b, key, 1);
    exr_csv_put(&b, r->started, 0);
    exr_csv_put(&b, exr_fmt_int(r->exchange, n), 0);
    for (int i = EXR_NSTATE - 1; i >= 0; i--)
        exr_csv_put(&b, exr_fmt_int(r->states[i], n), 0);
    for (int i = 0; i < 6; i++)
        exr_csv_put(&b, exr_fmt_int(v[i], n), 0);
    fprintf(out, "%.*s\n", (int)b.len, b.p);
    exr_buf_free(&b);
}

static void print_row(void *vctx, const exr_stats_row *r)
{
    stats_ctx *cx = vctx;
    if (cx->fmt == FMT_JSON)
        print_json(cx->out, r);
    else if (cx->fmt == FMT_CSV)
        print_csv(cx->out, r);
    else
        print_text(cx->out, r);
}

static void print_header(FILE *out, int fmt)
{
    if (fmt == FMT_JSON)
        return;
    fprintf(out, fmt == FMT_CSV ? "scan,started,exchange" : "%-5s %-20s %8s", "scan", "started", "exchange");
    for (int i = EXR_NSTATE - 1; i >= 0; i--)
        fprintf(out, fmt == FMT_CSV ? ",%s" : " %12s", exr_state_names[i]);
    for (int i = 0; i < 6; i++)
        fprintf(out, fmt == FMT_CSV ? ",%s" : " %10s", loop_cols[i]);
    fputc('\n', out);
}

static void print_missing(void *ctx, const char *name, int nshards, const char *missing)
{
    FILE *f = ctx;
    fprintf(f, "%sscan %s: shards missing: %s (shown when all %d have finished)\n", f == stderr ? "exray stats: " : "", name, missing,
            nshards);
}

int exr_cmd_stats(int argc, char **argv)
{
    exr_parsed p;
    int a = exr_opts_parse(&exr_spec_stats, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    if (!p.val[STATS_DB])
        return exr_opts_fail(&exr_spec_stats, "--db FILE is required");
    int fmt = p.val[STATS_FORMAT] ? exr_opt_choice(&exr_spec_stats, STATS_FORMAT, p.val[STATS_FORMAT]) : FMT_TEXT;
    if (fmt < 0)
        return 2;
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
    int rc = exr_cli_restate("stats", s, &tab);
    if (rc == 0) {
        stats_ctx cx = {stdout, fmt};
        print_header(stdout, fmt);
        /* shards still missing: under the table, or on standard error for JSON and CSV (the
         * rows stay machine-readable) */
        FILE *miss = fmt == FMT_TEXT ? stdout : stderr;
        rc = exr_stats_rows(s, print_row, &cx, &e) != 0 || exr_store_incomplete_scans(s, print_missing, miss, &e) < 0 ? -1 : 0;
        if (rc != 0)
            fprintf(stderr, "exray stats: %s\n", e.msg);
    }
    exr_store_close(s);
    exr_buildtab_free(&tab);
    return rc == 0 && fflush(stdout) == 0 ? 0 : 2;
}
