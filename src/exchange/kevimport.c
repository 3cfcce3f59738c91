/* kevimport.c: `exray vulns --import`: the vulnerability table's kev_added column from CISA's
 * Known Exploited Vulnerabilities catalog (cisagov/kev-data known_exploited_vulnerabilities.csv,
 * header cveID,vendorProject,product,...,dateAdded,...), so a CERT refreshes KEV priority the
 * day CISA adds an Exchange CVE, without a release. The table is rewritten as text: its
 * comments and row order stay, only kev_added and the "# kev-date:" line change. */
#include "vulns.h"
#include "../core/csv.h"
#include "../core/textlines.h"
#include "../core/timefmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct kev_entry {
    char cve[24];
    char added[11];
    bool in_table;
} kev_entry;

typedef struct kev_list {
    kev_entry *e;
    size_t n, cap;
    char newest[11]; /* the newest dateAdded of any vendor: the snapshot's day at the latest */
} kev_list;

static bool valid_day(const char *s)
{
    char d[32];
    int64_t us;
    if (strlen(s) != 10)
        return false;
    snprintf(d, sizeof d, "%sT00:00:00Z", s);
    return exr_time_parse(d, &us);
}

static bool cve_like(const char *s)
{
    size_t n = strlen(s);
    return n >= 13 && n < 24 && strncmp(s, "CVE-", 4) == 0 && strspn(s + 4, "0123456789") == 4 && s[8] == '-' &&
           strspn(s + 9, "0123456789") == n - 9;
}

static int column(const exr_csv_row *r, const char *name)
{
    for (int i = 0; i < r->n; i++)
        if (strcasecmp(r->f[i], name) == 0)
            return i;
    return -1;
}

/* One catalog record (already split); Exchange rows are kept. */
static void take_record(kev_list *k, const exr_csv_row *r, const int col[4])
{
    for (int i = 0; i < 4; i++)
        if (col[i] >= r->n)
            return;
    const char *cve = r->f[col[0]], *vendor = r->f[col[1]], *product = r->f[col[2]], *added = r->f[col[3]];
    if (!valid_day(added))
        return;
    if (strcmp(added, k->newest) > 0)
        snprintf(k->newest, sizeof k->newest, "%s", added);
    if (strcasecmp(vendor, "Microsoft") != 0 || !strcasestr(product, "Exchange") || !cve_like(cve))
        return;
    if (k->n == k->cap)
        k->e = exr_xrealloc(k->e, (k->cap = k->cap ? k->cap * 2 : 32) * sizeof *k->e);
    kev_entry *x = &k->e[k->n++];
    snprintf(x->cve, sizeof x->cve, "%s", cve);
    snprintf(x->added, sizeof x->added, "%s", added);
    x->in_table = false;
}

/* A record may span lines (a quoted description with a line break): lines are joined until
 * the quotes balance, at most 64 KiB a record. */
static int read_catalog(const char *kev, size_t klen, const char *name, kev_list *k, exr_err *e)
{
    exr_csv_row r;
    exr_csv_row_init(&r);
    exr_buf rec;
    exr_buf_init(&rec);
    size_t pos = 0, ll;
    const char *line;
    int col[4] = {-1, -1, -1, -1}, lineno = 0, rc = 0;
    while (rc == 0 && exr_text_line(kev, klen, &pos, &line, &ll)) {
        lineno++;
        if (rec.len)
            exr_buf_add(&rec, "\n", 1);
        exr_buf_add(&rec, line, ll);
        if (exr_csv_split(&r, rec.p, rec.len) != 0) {
            if (rec.len > 65536)
                rc = exr_seterr(e, EXR_EINVAL, "%s:%d: a record longer than 64 KiB (an unbalanced quote?)", name, lineno);
            continue;
        }
        rec.len = 0;
        if (col[0] < 0) {
            static const char *const want[] = {"cveID", "vendorProject", "product", "dateAdded"};
            for (int i = 0; i < 4; i++)
                col[i] = column(&r, want[i]);
            if (col[0] < 0 || col[1] < 0 || col[2] < 0 || col[3] < 0)
                rc = exr_seterr(e, EXR_EINVAL, "%s:%d: not CISA's KEV CSV (no cveID, vendorProject, product and dateAdded columns)", name,
                                lineno);
            continue;
        }
        take_record(k, &r, col);
    }
    if (rc == 0 && col[0] < 0)
        rc = exr_seterr(e, EXR_EINVAL, "%s: empty: no header line", name);
    if (rc == 0 && !k->newest[0])
        rc = exr_seterr(e, EXR_EINVAL, "%s: no record with a valid dateAdded", name);
    exr_csv_row_free(&r);
    exr_buf_free(&rec);
    return rc;
}

static kev_entry *kev_find(kev_list *k, const char *cve)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->e[i].cve, cve) == 0)
            return &k->e[i];
    return NULL;
}

/* One data row of the table, with its kev_added from the catalog; reports a change once per CVE. */
static void rewrite_row(exr_csv_row *r, kev_list *k, exr_buf *out, exr_buf *report, int *changes)
{
    kev_entry *x = kev_find(k, r->f[1]);
    const char *now = x ? x->added : "";
    if (x)
        x->in_table = true;
    if (strcmp(r->f[3], now) != 0) {
        exr_buf_printf(report, "  ~ %s kev_added %s (was %s)\n", r->f[1], *now ? now : "none: no longer in the catalog",
                       r->f[3][0] ? r->f[3] : "none");
        (*changes)++;
    }
    for (int i = 0; i < r->n; i++) {
        const char *f = i == 3 ? now : r->f[i];
        if (i)
            exr_buf_add(out, ",", 1);
        if (strpbrk(f, ",\"\r\n"))
            exr_csv_put(out, f, 1);
        else
            exr_buf_add(out, f, strlen(f));
    }
    exr_buf_add(out, "\n", 1);
}

static int rewrite_table(const char *table, size_t tlen, kev_list *k, exr_buf *out, exr_buf *report, exr_err *e)
{
    exr_csv_row r;
    exr_csv_row_init(&r);
    size_t pos = 0, ll;
    const char *line;
    bool header = false, dated = false;
    int lineno = 0, rc = 0, changes = 0;
    while (rc == 0 && exr_text_line(table, tlen, &pos, &line, &ll)) {
        lineno++;
        if (ll >= 12 && strncmp(line, "# kev-date: ", 12) == 0) {
            exr_buf_printf(out, "# kev-date: %s\n", k->newest);
            dated = true;
        } else if (ll == 0 || line[0] == '#') {
            exr_buf_add(out, line, ll);
            exr_buf_add(out, "\n", 1);
        } else if (exr_csv_split(&r, line, ll) != 0 || r.n != 6) {
            rc = exr_seterr(e, EXR_EINVAL, "vulnerability table:%d: not 6 CSV fields", lineno);
        } else if (!header) {
            if (!dated)
                exr_buf_printf(out, "# kev-date: %s\n", k->newest);
            exr_buf_add(out, line, ll);
            exr_buf_add(out, "\n", 1);
            header = true;
        } else {
            rewrite_row(&r, k, out, report, &changes);
        }
    }
    exr_csv_row_free(&r);
    exr_buf_printf(report, "%d kev_added value%s changed\n", changes, changes == 1 ? "" : "s");
    return rc;
}

int exr_vulns_import_kev(const char *table, size_t tlen, const char *kev, size_t klen, const char *kev_name, exr_buf *out, exr_buf *report,
                         int *nmissing, exr_err *e)
{
    kev_list k = {0};
    *nmissing = 0;
    int rc = read_catalog(kev, klen, kev_name, &k, e);
    if (rc == 0)
        rc = rewrite_table(table, tlen, &k, out, report, e);
    for (size_t i = 0; rc == 0 && i < k.n; i++)
        if (!k.e[i].in_table) {
            exr_buf_printf(report,
                           "  ! %s is an Exchange CVE in the catalog (added %s) with no row: add the update that fixes it "
                           "(MSRC's update guide) as a row\n",
                           k.e[i].cve, k.e[i].added);
            (*nmissing)++;
        }
    if (rc == 0)
        exr_buf_printf(report, "%zu Exchange CVEs in the catalog of %s (newest dateAdded), %d without a row\n", k.n, k.newest, *nmissing);
    free(k.e);
    return rc;
}
