/* vulns.c: `exray vulns`: the vulnerability table listed (--cves, --kev-only), its age and
 * coverage checked (--check), its KEV dates refreshed from CISA's catalog (--import). */
#include "cli.h"
#include "open.h"
#include "opts.h"
#include "../core/buf.h"
#include "../core/csv.h"
#include "../core/json.h"
#include "../core/outfile.h"
#include "../core/term.h"
#include "../exchange/builds.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

extern const unsigned char exr_data_exchange_vulns_csv[];
extern const size_t exr_data_exchange_vulns_csv_len;

enum { FMT_TEXT, FMT_CSV, FMT_JSON };

static void products_text(unsigned bits, char *out, size_t n)
{
    static const char *const names[] = {"2010", "2013", "2016", "2019", "SE"};
    size_t k = 0;
    out[0] = 0;
    for (unsigned i = 0; i < 5; i++)
        if (bits & (1u << i))
            k += (size_t)snprintf(out + k, k < n ? n - k : 0, "%s%s", k ? " " : "", names[i]);
}

static void list_row(const exr_vuln *v, int fmt)
{
    char prod[32];
    products_text(v->products, prod, sizeof prod);
    if (fmt == FMT_TEXT) {
        char camp[64], conf[160];
        printf("%-16s %-9s %-15s %-10s %-14s %s\n", v->cve, v->update, prod, v->kev[0] ? v->kev : "-",
               v->campaign[0] ? exr_term_safe(v->campaign, camp, sizeof camp) : "-",
               v->config[0] ? exr_term_safe(v->config, conf, sizeof conf) : "-");
        return;
    }
    exr_buf b;
    exr_buf_init(&b);
    if (fmt == FMT_CSV) {
        const char *f[] = {v->update, v->cve, prod, v->kev, v->campaign, v->config};
        for (int i = 0; i < 6; i++)
            exr_csv_put(&b, f[i], i == 0);
        exr_buf_addc(&b, '\n');
    } else {
        exr_json j;
        exr_json_begin(&j, &b);
        exr_json_str(&j, "cve", v->cve);
        exr_json_str(&j, "update", v->update);
        exr_json_str(&j, "products", prod);
        exr_json_str(&j, "kev_added", v->kev[0] ? v->kev : NULL);
        exr_json_str(&j, "campaign", v->campaign[0] ? v->campaign : NULL);
        exr_json_str(&j, "config", v->config[0] ? v->config : NULL);
        exr_json_end(&j);
        exr_buf_addc(&b, '\n');
    }
    fwrite(b.p, 1, b.len, stdout);
    exr_buf_free(&b);
}

/* The selected rows, the known exploited first, each group in table order. */
static void do_list(const exr_vulntab *vt, int fmt)
{
    if (fmt == FMT_TEXT)
        printf("%-16s %-9s %-15s %-10s %-14s %s\n", "cve", "update", "products", "kev_added", "campaign", "config");
    else if (fmt == FMT_CSV)
        printf("update,cve,products,kev_added,campaign,config\n");
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < vt->n; i++)
            if (vt->v[i].selected && (vt->v[i].kev[0] != 0) == (pass == 0))
                list_row(&vt->v[i], fmt);
}

/* One dated part of the table: 0 current, 1 old or undated. */
static int check_age(const char *what, const char *day, long max_age, const char *refresh)
{
    long age = exr_day_age(day, (long long)time(NULL));
    if (age < 0) {
        printf("%s: no date line; its age is unknown. %s\n", what, refresh);
        return 1;
    }
    if (age > max_age) {
        printf("%s: %s, %ld days ago (more than %ld). %s\n", what, day, age, max_age, refresh);
        return 1;
    }
    printf("%s: %s, %ld days ago (limit %ld): current\n", what, day, age, max_age);
    return 0;
}

static int do_check(const exr_buildtab *tab, const char *which, long max_age)
{
    int rc = 0;
    char what[300];
    snprintf(what, sizeof what, "%s, rows last checked against Microsoft's updates", which);
    rc |= check_age(what, tab->vulns->table_date, max_age,
                    "Add the updates Microsoft published since (MSRC's security update guide, CSS-Exchange HealthChecker's "
                    "CVE list) as rows of a copy and use --vulns FILE.");
    snprintf(what, sizeof what, "%s, KEV dates from CISA's catalog of", which);
    rc |= check_age(what, tab->vulns->kev_date, max_age,
                    "Refresh them: exray vulns --import known_exploited_vulnerabilities.csv -o vulns.csv (the catalog from "
                    "cisa.gov/known-exploited-vulnerabilities-catalog or github.com/cisagov/kev-data), then --vulns vulns.csv.");
    const exr_build_row *miss[64];
    size_t n = exr_buildtab_uncovered(tab, miss, 64);
    if (n) {
        printf("the build table has %zu security update%s newer than every update the vulnerability table names: their CVEs "
               "are missing (a build carrying one is judged without them). Add their rows:\n",
               n, n == 1 ? "" : "s");
        for (size_t i = 0; i < n; i++)
            printf("  %.7s released %s\n", miss[i]->update, miss[i]->released);
        rc = 1;
    } else {
        printf("every security update of the build table newer than the table's updates is named: none missing\n");
    }
    return rc;
}

static int write_out(const char *outpath, const exr_buf *w)
{
    FILE *f = strcmp(outpath, "-") == 0 ? stdout : exr_open_output(outpath, false);
    if (!f || fwrite(w->p, 1, w->len, f) != w->len || (f != stdout && fclose(f) != 0)) {
        fprintf(stderr, "exray vulns: %s: %s\n", outpath, strerror(errno));
        return -1;
    }
    return 0;
}

static int do_import(const char *kevpath, const char *vulnsfile, const char *outpath)
{
    exr_buf kev, tab, w, rep;
    exr_buf_init(&kev);
    exr_buf_init(&tab);
    exr_buf_init(&w);
    exr_buf_init(&rep);
    exr_err e = {0, ""};
    int rc = 2, missing = 0;
    if (exr_read_file(kevpath, 64u << 20, &kev) != 0)
        fprintf(stderr, "exray vulns: %s: %s\n", kevpath, strerror(errno));
    else if (vulnsfile && exr_read_file(vulnsfile, 4u << 20, &tab) != 0)
        fprintf(stderr, "exray vulns: %s: %s\n", vulnsfile, strerror(errno));
    else {
        if (!vulnsfile)
            exr_buf_add(&tab, exr_data_exchange_vulns_csv, exr_data_exchange_vulns_csv_len);
        exr_vulntab chk;
        if (exr_vulns_import_kev(tab.p, tab.len, kev.p, kev.len, kevpath, &w, &rep, &missing, &e) != 0)
            fprintf(stderr, "exray vulns: %s\n", e.msg);
        else if (exr_vulntab_load_text(&chk, w.p, w.len, "the new table", &e) != 0)
            fprintf(stderr, "exray vulns: the new table does not load: %s\n", e.msg);
        else {
            exr_vulntab_free(&chk);
            if (write_out(outpath, &w) == 0) {
                FILE *say = strcmp(outpath, "-") == 0 ? stderr : stdout;
                fprintf(say, "KEV dates from %s written to %s:\n", kevpath, outpath);
                fwrite(rep.p, 1, rep.len, say);
                rc = missing ? 1 : 0;
            }
        }
    }
    exr_buf_free(&kev);
    exr_buf_free(&tab);
    exr_buf_free(&w);
    exr_buf_free(&rep);
    return rc;
}

int exr_cmd_vulns(int argc, char **argv)
{
    exr_parsed p;
    int a = exr_opts_parse(&exr_spec_vulns, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    long max_age = 0;
    if (exr_opt_long_or_default(&exr_spec_vulns, &p, VULNS_MAX_AGE, 0, 100000, &max_age) != 0)
        return 2;
    int fmt = p.val[VULNS_FORMAT] ? exr_opt_choice(&exr_spec_vulns, VULNS_FORMAT, p.val[VULNS_FORMAT]) : FMT_TEXT;
    if (fmt < 0)
        return exr_opts_fail(&exr_spec_vulns, "--format: text, csv or json");
    if (p.val[VULNS_IMPORT]) {
        if (!p.val[VULNS_OUTPUT])
            return exr_opts_fail(&exr_spec_vulns, "--import needs -o FILE (or -o - for standard output)");
        return do_import(p.val[VULNS_IMPORT], p.val[VULNS_VULNS], p.val[VULNS_OUTPUT]);
    }
    exr_buildtab tab = {0};
    if (exr_cli_tables("vulns", p.val[VULNS_BUILDS], p.val[VULNS_VULNS], p.val[VULNS_CVES], p.val[VULNS_KEV_ONLY] != NULL, NULL, &tab) != 0)
        return 2;
    int rc = 0;
    if (p.val[VULNS_CHECK])
        rc = do_check(&tab, p.val[VULNS_VULNS] ? p.val[VULNS_VULNS] : "the built-in vulnerability table", max_age);
    else
        do_list(tab.vulns, fmt);
    exr_buildtab_free(&tab);
    return rc;
}
