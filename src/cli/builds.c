/* builds.c: `exray builds VERSION...`, `--list`, `--check` and `--import`. */
#include "../core/buf.h"
#include "../core/outfile.h"
#include "../core/json.h"
#include "../exchange/builds.h"
#include "../exchange/exposure.h"
#include "cli.h"
#include "open.h"
#include "opts.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const exr_build_row *find_row(const exr_buildtab *t, const exr_build_row *r)
{
    for (size_t i = 0; i < t->n; i++)
        if (exr_version_cmp3(&t->rows[i].build, &r->build) == 0 && t->rows[i].build.p[3] == r->build.p[3] && t->rows[i].kind == r->kind &&
            strcmp(t->rows[i].cu, r->cu) == 0)
            return &t->rows[i];
    return NULL;
}

static void row_text(const exr_build_row *r, char *out, size_t n)
{
    char v[48];
    exr_version_format(&r->build, v, sizeof v);
    snprintf(out, n, "%s %s %s%s%s (%s, %s%s%s)", r->product, r->cu, r->update, r->update[0] ? " " : "", v, exr_rowkind_name(r->kind),
             r->released, r->fixes ? ", fixes " : "",
             r->fixes & 1   ? "proxylogon"
             : r->fixes & 2 ? "proxyshell"
             : r->fixes & 4 ? "proxynotshell"
                            : "");
}

/* Prints what the imported table adds, drops and changes against the built-in one. */
static void print_changes(const exr_buildtab *old, const exr_buildtab *nw, size_t kept)
{
    int added = 0, removed = 0, changed = 0;
    char a[200], b[200];
    for (size_t i = 0; i < nw->n; i++) {
        const exr_build_row *o = find_row(old, &nw->rows[i]);
        row_text(&nw->rows[i], a, sizeof a);
        if (!o) {
            printf("  + %s\n", a);
            added++;
        } else if (strcmp(o->released, nw->rows[i].released) || strcmp(o->update, nw->rows[i].update) || o->fixes != nw->rows[i].fixes) {
            row_text(o, b, sizeof b);
            printf("  ~ %s\n      was %s\n", a, b);
            changed++;
        }
    }
    for (size_t i = 0; i < old->n; i++)
        if (!find_row(nw, &old->rows[i])) {
            row_text(&old->rows[i], a, sizeof a);
            printf("  - %s\n", a);
            removed++;
        }
    if (kept)
        printf("%d added, %d changed, %zu missing from the import and kept (--merge)\n", added, changed, kept);
    else
        printf("%d added, %d changed, %d missing from the import (kept out of the new table; --merge keeps them)\n", added, changed,
               removed);
}

static int do_import(const char *in, const char *outpath, const exr_buildtab *base, bool merge)
{
    exr_buf b, w;
    exr_buf_init(&b);
    exr_buf_init(&w);
    exr_err e = {0, ""};
    if (exr_read_file(in, 64u << 20, &b) != 0) {
        fprintf(stderr, "exray builds: %s: %s\n", in, strerror(errno));
        exr_buf_free(&b);
        return 2;
    }
    exr_buildtab t;
    if (exr_buildtab_import(b.p, b.len, in, base, &t, &e) != 0) {
        fprintf(stderr, "exray builds: %s\n", e.msg);
        exr_buf_free(&b);
        return 2;
    }
    size_t kept = merge ? exr_buildtab_merge_missing(&t, base) : 0;
    char today[16];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    const char *base_name = strrchr(in, '/') ? strrchr(in, '/') + 1 : in;
    exr_buildtab_write(&t, base_name, today, &w);
    int rc = 0;
    /* the written table must load as a table: the same checks as --builds */
    exr_buildtab chk;
    if (exr_buildtab_load_text(&chk, w.p, w.len, "imported table", &e) != 0) {
        fprintf(stderr, "exray builds: the converted table does not load: %s\n", e.msg);
        rc = 2;
    } else {
        exr_buildtab_free(&chk);
        FILE *f = strcmp(outpath, "-") == 0 ? stdout : exr_open_output(outpath, false);
        if (!f || fwrite(w.p, 1, w.len, f) != w.len || (f != stdout && fclose(f) != 0)) {
            fprintf(stderr, "exray builds: %s: %s\n", outpath, strerror(errno));
            rc = 2;
        } else {
            printf("%zu builds from %s written to %s; changes against the built-in table:\n", t.n, in, outpath);
            print_changes(base, &t, kept);
            printf("use it with --builds %s\n", outpath);
        }
    }
    exr_buildtab_free(&t);
    exr_buf_free(&b);
    exr_buf_free(&w);
    return rc;
}

static int do_check(const exr_buildtab *tab, long max_age, const char *which)
{
    long age = exr_buildtab_age_days(tab, (long long)time(NULL));
    if (age < 0) {
        printf("%s has no table-date line; its age is unknown. Refresh it: save Microsoft's \"Exchange Server build numbers and "
               "release dates\" page, then exray builds --import PAGE.html -o builds.csv and scan with --builds builds.csv\n",
               which);
        return 1;
    }
    if (age > max_age) {
        printf("%s was last checked on %s, %ld days ago (more than %ld): builds released since are 'newer than the table' and "
               "undetermined. Refresh it: save Microsoft's \"Exchange Server build numbers and release dates\" page "
               "(learn.microsoft.com/exchange/new-features/build-numbers-and-release-dates), then exray builds --import "
               "PAGE.html -o builds.csv, and use --builds builds.csv\n",
               which, tab->table_date, age, max_age);
        return 1;
    }
    printf("%s was last checked on %s, %ld days ago (limit %ld): current\n", which, tab->table_date, age, max_age);
    return 0;
}

static void print_list(const exr_buildtab *tab)
{
    printf("%-7s %-10s %-16s %-10s %-6s %-10s %-10s %s\n", "product", "cu", "build", "released", "kind", "update", "kb", "fixes");
    for (size_t i = 0; i < tab->n; i++) {
        const exr_build_row *r = &tab->rows[i];
        char v[40], fx[64];
        exr_version_format(&r->build, v, sizeof v);
        exr_fixes_format(r->fixes, fx, sizeof fx);
        printf("%-7s %-10s %-16s %-10s %-6s %-10s %-10s %s\n", r->product, r->cu, v, r->released, exr_rowkind_name(r->kind),
               r->update[0] ? r->update : "-", r->kb[0] ? r->kb : "-", fx[0] ? fx : "-");
    }
}

static void print_list_of(const char *title, const char *const *list, int n)
{
    printf("  %-14s %d", title, n);
    for (int i = 0; i < n; i++)
        printf("%s%s", i ? ", " : ": ", list[i]);
    printf("\n");
}

/* The open CVEs grouped by the update that fixes them on the build's line (the known
 * exploited first, as the list is), one line per update. */
static void print_open_by_update(const exr_buildtab *tab, const char *product, const exr_cve_verdicts *cv)
{
    unsigned bit = exr_product_bit(product);
    bool done[EXR_MAX_CVES] = {false};
    printf("  %-14s %d\n", "open CVEs", cv->nopen);
    for (int i = 0; i < cv->nopen; i++) {
        if (done[i])
            continue;
        const char *su = exr_vulntab_fixed_by(tab->vulns, cv->open[i], bit);
        su = su ? su : "?";
        printf("    %-12s", su);
        for (int j = i; j < cv->nopen; j++) {
            const char *sj = exr_vulntab_fixed_by(tab->vulns, cv->open[j], bit);
            if (done[j] || strcmp(sj ? sj : "?", su) != 0)
                continue;
            const exr_vuln *v = exr_vulntab_find(tab->vulns, cv->open[j]);
            printf(" %s%s", cv->open[j], v && v->kev[0] ? " (KEV)" : "");
            done[j] = true;
        }
        printf("\n");
    }
}

/* Every CVE of the vulnerability table: support, open by update, the open ones CISA lists
 * as exploited, undetermined. */
static void print_cves(const exr_buildtab *tab, const char *product, const exr_cve_verdicts *cv)
{
    if (!cv->classified)
        return;
    printf("  %-14s %s", "support", cv->support ? cv->support : "unknown");
    if (cv->support_since)
        printf(" (since %s)", cv->support_since);
    if (cv->esu_evidence)
        printf("; carries an update only Extended Security Update customers receive: enrolled");
    printf(" as of %s\n", tab->asof);
    print_list_of("known exploited", cv->kev_open, cv->nkev);
    print_open_by_update(tab, product, cv);
    print_list_of("undetermined", cv->undetermined, cv->nundet);
}

/* One CVE of the build's product: its verdict, the updates that fix it, KEV, campaign. */
static void json_cve(exr_json *j, const exr_vulntab *vt, size_t first, unsigned bit, const exr_cve_verdicts *cv)
{
    const exr_vuln *v = &vt->v[first];
    const char *verdict = exr_cve_listed(cv->open, cv->nopen, v->cve)            ? "vulnerable"
                          : exr_cve_listed(cv->undetermined, cv->nundet, v->cve) ? "undetermined"
                          : exr_cve_listed(cv->not_affected, cv->nna, v->cve)    ? "not-affected"
                                                                                 : "patched";
    exr_json_obj_open(j, v->cve);
    exr_json_str(j, "verdict", verdict);
    exr_json_arr_open(j, "fixed_by");
    for (size_t k = first; k < vt->n; k++)
        if (strcmp(vt->v[k].cve, v->cve) == 0 && (vt->v[k].products & bit))
            exr_json_str(j, NULL, vt->v[k].update);
    exr_json_arr_close(j);
    exr_json_str(j, "kev", v->kev[0] ? v->kev : NULL);
    exr_json_str(j, "campaign", v->campaign[0] ? v->campaign : NULL);
    exr_json_str(j, "config", v->config[0] ? v->config : NULL);
    exr_json_obj_close(j);
}

/* --format json: one object a line (what scripts and the differential check read). */
static void print_build_json(const exr_buildtab *tab, const exr_version *v, const exr_build_info *bi, const exr_exposure *x)
{
    exr_buf out;
    exr_buf_init(&out);
    exr_json j;
    char vs[40];
    exr_version_format(v, vs, sizeof vs);
    exr_json_begin(&j, &out);
    exr_json_str(&j, "build", vs);
    exr_json_str(&j, "product", bi->product);
    exr_json_str(&j, "cu", bi->cu);
    exr_json_str(&j, "su", bi->su);
    /* the state every command gives a server on this build (no web shell seen), as of --as-of */
    exr_json_str(&j, "state", x->state >= 0 ? exr_state_names[x->state] : NULL);
    exr_json_int(&j, "kev_open", x->nkev);
    const exr_cve_verdicts *cv = &bi->cves;
    if (cv->classified && cv->support) {
        exr_json_obj_open(&j, "support");
        exr_json_str(&j, "state", cv->support);
        exr_json_str(&j, "since", cv->support_since);
        exr_json_bool(&j, "esu_evidence", cv->esu_evidence);
        exr_json_str(&j, "as_of", tab->asof);
        exr_json_obj_close(&j);
    } else {
        exr_json_null(&j, "support");
    }
    for (int s = 0; s < EXR_NSETS; s++)
        exr_json_str(&j, exr_vset_name[s], exr_verdict_name(bi->verdict[s]));
    unsigned bit = bi->product ? exr_product_bit(bi->product) : 0;
    if (!cv->classified || !tab->vulns) {
        exr_json_null(&j, "cves");
    } else {
        exr_json_obj_open(&j, "cves");
        const exr_vulntab *vt = tab->vulns;
        for (size_t i = 0; i < vt->n; i++) {
            bool seen = false; /* the first row of each CVE for this product */
            for (size_t k = 0; k < i && !seen; k++)
                seen = strcmp(vt->v[k].cve, vt->v[i].cve) == 0 && (vt->v[k].products & bit);
            if ((vt->v[i].products & bit) && !seen)
                json_cve(&j, vt, i, bit, cv);
        }
        exr_json_obj_close(&j);
    }
    exr_json_end(&j);
    exr_buf_addc(&out, '\n');
    fwrite(out.p, 1, out.len, stdout);
    exr_buf_free(&out);
}

/* One build: what it is and its verdict per set. */
static int print_build(const exr_buildtab *tab, const char *arg, bool json)
{
    exr_version v;
    if (!exr_version_parse_any(arg, &v)) {
        fprintf(stderr, "exray builds: '%s' is not a build number (a.b.c, a.b.c.d or \"Version 15.1 (Build 2507.6)\")\n", arg);
        return 2;
    }
    exr_build_info bi;
    exr_build_classify(tab, &v, &bi);
    exr_observed o = {.answered = true, .exchange = true, .bi = &bi};
    exr_exposure x;
    exr_exposure_of(tab, &o, &x);
    if (json) {
        print_build_json(tab, &v, &bi, &x);
        return 0;
    }
    char vs[40];
    exr_version_format(&v, vs, sizeof vs);
    printf("%s: Exchange %s %s%s%s", vs, bi.product ? bi.product : "(unknown version)", bi.cu ? bi.cu : "(unknown CU)", bi.su ? " " : "",
           bi.su ? bi.su : "");
    if (bi.released)
        printf(", released %s", bi.released);
    printf(v.n == 3   ? " (CU-level build: the SU level is not visible)\n"
           : bi.exact ? "\n"
                      : " (revision not in the table; compared numerically)\n");
    printf("  %-14s %-13s %s\n", "state", x.state >= 0 ? exr_state_names[x.state] : "-", x.why);
    for (int s = 0; s < EXR_NSETS; s++)
        printf("  %-14s %-13s %s\n", exr_vset_name[s], exr_verdict_name(bi.verdict[s]), bi.why[s]);
    print_cves(tab, bi.product, &bi.cves);
    return 0;
}

static int run_builds(const exr_parsed *p, const exr_buildtab *tab, long max_age)
{
    const char *file = p->val[BUILDS_BUILDS];
    if (p->val[BUILDS_IMPORT]) {
        if (!p->val[BUILDS_OUTPUT])
            return exr_opts_fail(&exr_spec_builds, "--import needs -o FILE (or -o - for standard output)");
        return do_import(p->val[BUILDS_IMPORT], p->val[BUILDS_OUTPUT], tab, p->val[BUILDS_MERGE] != NULL);
    }
    if (p->val[BUILDS_CHECK])
        return do_check(tab, max_age, file ? file : "the built-in build table");
    if (p->val[BUILDS_LIST]) {
        print_list(tab);
        return 0;
    }
    if (p->npos == 0)
        return exr_opts_fail(&exr_spec_builds, "give a build number such as 15.2.858.5, or --list");
    bool json = p->val[BUILDS_FORMAT] && exr_opt_choice(&exr_spec_builds, BUILDS_FORMAT, p->val[BUILDS_FORMAT]) == 1;
    if (p->val[BUILDS_FORMAT] && exr_opt_choice(&exr_spec_builds, BUILDS_FORMAT, p->val[BUILDS_FORMAT]) < 0)
        return exr_opts_fail(&exr_spec_builds, "--format: text or json");
    int rc = 0;
    for (int i = 0; i < p->npos; i++)
        if (print_build(tab, p->pos[i], json) != 0)
            rc = 2;
    return rc;
}

int exr_cmd_builds(int argc, char **argv)
{
    exr_parsed p;
    int a = exr_opts_parse(&exr_spec_builds, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    long max_age = 0;
    if (exr_opt_long_or_default(&exr_spec_builds, &p, BUILDS_MAX_AGE, 0, 100000, &max_age) != 0)
        return 2;
    exr_buildtab tab = {0};
    if (exr_cli_tables("builds", p.val[BUILDS_BUILDS], p.val[BUILDS_VULNS], p.val[BUILDS_CVES], p.val[BUILDS_KEV_ONLY] != NULL,
                       p.val[BUILDS_AS_OF], &tab) != 0)
        return 2;
    int rc = run_builds(&p, &tab, max_age);
    exr_buildtab_free(&tab);
    return rc;
}
