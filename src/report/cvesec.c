/* cvesec.c: the report's sections from the vulnerability table: the known exploited CVEs
 * over time, the open CVEs by exposed servers, the support states by country and network.
 * Every CVE id and label comes from the tables or the store and is escaped like the rest. */
#include "render.h"
#include "svg.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CVE_ROWS 30 /* the table's length; the rest are counted in one line */

static const char *const line_color[5] = {"#c0392b", "#2471a3", "#7d3c98", "#d68910", "#117a65"};

static const char *kev_cve(const rdata *d, int line)
{
    return d->vulns.cve[d->vulns.cve_of_kev[d->kev_lines[line]]];
}

int exr_rep_has_kev(const rdata *d)
{
    return d->nscans > 0 && d->nkev_lines > 0;
}

static void kev_reading(const rdata *d, char *buf, size_t n)
{
    const rscan *l = &d->scans[d->nscans - 1];
    snprintf(buf, n,
             "In the last scan %.1f%% of %ld Exchange servers of a known version were open to %s, the most widespread "
             "known exploited CVE; one line per CVE in CISA's catalog, the %d most widespread.",
             exr_rep_pct(l->kev[d->kev_lines[0]], l->classified), l->classified, kev_cve(d, 0), d->nkev_lines);
}

void exr_rep_kev_html(const rdata *d, exr_buf *out)
{
    char buf[400];
    kev_reading(d, buf, sizeof buf);
    exr_rep_reading(out, buf);
    int n = (int)d->nscans;
    const char **xl = exr_xcalloc((size_t)n, sizeof *xl);
    char(*labels)[16] = exr_xcalloc((size_t)n, sizeof *labels);
    double *y = exr_xcalloc((size_t)n * 5, sizeof *y);
    svg_series s[5];
    for (int i = 0; i < n; i++) {
        snprintf(labels[i], sizeof labels[i], "%.10s", d->scans[i].started);
        xl[i] = labels[i];
        for (int k = 0; k < d->nkev_lines; k++)
            y[k * n + i] = exr_rep_pct(d->scans[i].kev[d->kev_lines[k]], d->scans[i].classified);
    }
    for (int k = 0; k < d->nkev_lines; k++)
        s[k] = (svg_series){kev_cve(d, k), line_color[k], y + k * n};
    svg_lines(out, "Share of Exchange servers open to each known exploited CVE per scan", xl, n, s, d->nkev_lines, 100, "%");
    exr_buf_adds(out, "<table><tr><th>scan</th><th>date</th><th>known version</th>");
    for (int k = 0; k < d->nkev_lines; k++) {
        exr_buf_adds(out, "<th>");
        exr_html_esc(out, kev_cve(d, k));
        exr_buf_adds(out, " open</th>");
    }
    exr_buf_adds(out, "</tr>\n");
    for (int i = 0; i < n; i++) {
        exr_buf_printf(out, "<tr><td>%lld</td><td>", d->scans[i].id);
        exr_html_esc(out, d->scans[i].started);
        exr_buf_printf(out, "</td><td>%ld</td>", d->scans[i].classified);
        for (int k = 0; k < d->nkev_lines; k++)
            exr_buf_printf(out, "<td>%ld</td>", d->scans[i].kev[d->kev_lines[k]]);
        exr_buf_adds(out, "</tr>\n");
    }
    exr_buf_adds(out, "</table>\n");
    free(xl);
    free(labels);
    free(y);
}

void exr_rep_kev_md(const rdata *d, exr_buf *out)
{
    char buf[400];
    kev_reading(d, buf, sizeof buf);
    exr_buf_printf(out, "%s\n\n| scan | date | known version |", buf);
    for (int k = 0; k < d->nkev_lines; k++) {
        exr_rep_md_cell(out, kev_cve(d, k));
        out->len -= 2; /* " |" */
        exr_buf_adds(out, " open |");
    }
    exr_buf_adds(out, "\n|---|---|---|");
    for (int k = 0; k < d->nkev_lines; k++)
        exr_buf_adds(out, "---|");
    exr_buf_addc(out, '\n');
    for (size_t i = 0; i < d->nscans; i++) {
        exr_buf_printf(out, "| %lld |", d->scans[i].id);
        exr_rep_md_cell(out, d->scans[i].started);
        exr_buf_printf(out, " %ld |", d->scans[i].classified);
        for (int k = 0; k < d->nkev_lines; k++)
            exr_buf_printf(out, " %ld |", d->scans[i].kev[d->kev_lines[k]]);
        exr_buf_addc(out, '\n');
    }
}

int exr_rep_has_cves(const rdata *d)
{
    return d->ncves > 0;
}

static void cves_reading(const rdata *d, char *buf, size_t n)
{
    size_t kev = 0;
    while (kev < d->ncves && d->cves[kev].row->kev[0])
        kev++;
    snprintf(buf, n,
             "%zu CVEs are open by version on at least one of %ld Exchange servers of a known version, %zu of them known "
             "exploited; the latest observation of each server counts.",
             d->ncves, d->classified, kev);
}

static void cve_cells(const rcve *c, exr_buf *out, bool md)
{
    const char *cells[4] = {c->cve, c->row->update, c->row->kev[0] ? c->row->kev : "", c->row->campaign};
    for (int i = 0; i < 4; i++) {
        if (md) {
            exr_rep_md_cell(out, cells[i]);
            continue;
        }
        exr_buf_adds(out, "<td>");
        exr_html_esc(out, cells[i]);
        exr_buf_adds(out, "</td>");
    }
}

void exr_rep_cves_html(const rdata *d, exr_buf *out)
{
    char buf[400];
    cves_reading(d, buf, sizeof buf);
    exr_rep_reading(out, buf);
    exr_buf_adds(out, "<table><tr><th>CVE</th><th>fixed by</th><th>KEV since</th><th>campaign</th><th>servers open</th>"
                      "<th>share</th></tr>\n");
    for (size_t i = 0; i < d->ncves && i < CVE_ROWS; i++) {
        exr_buf_adds(out, "<tr>");
        cve_cells(&d->cves[i], out, false);
        exr_buf_printf(out, "<td>%ld</td><td>%.1f%%</td></tr>\n", d->cves[i].open, exr_rep_pct(d->cves[i].open, d->classified));
    }
    exr_buf_adds(out, "</table>\n");
    if (d->ncves > CVE_ROWS)
        exr_buf_printf(out, "<p>%zu more CVEs, none known exploited and each open on at most %ld servers, are not listed.</p>\n",
                       d->ncves - CVE_ROWS, d->cves[CVE_ROWS].open);
}

void exr_rep_cves_md(const rdata *d, exr_buf *out)
{
    char buf[400];
    cves_reading(d, buf, sizeof buf);
    exr_buf_printf(out, "%s\n\n| CVE | fixed by | KEV since | campaign | servers open | share |\n|---|---|---|---|---|---|\n", buf);
    for (size_t i = 0; i < d->ncves && i < CVE_ROWS; i++) {
        exr_buf_adds(out, "|");
        cve_cells(&d->cves[i], out, true);
        exr_buf_printf(out, " %ld | %.1f%% |\n", d->cves[i].open, exr_rep_pct(d->cves[i].open, d->classified));
    }
    if (d->ncves > CVE_ROWS)
        exr_buf_printf(out, "\n%zu more CVEs, none known exploited and each open on at most %ld servers, are not listed.\n",
                       d->ncves - CVE_ROWS, d->cves[CVE_ROWS].open);
}

int exr_rep_has_support(const rdata *d)
{
    return d->ncountries > 0 && d->classified > 0;
}

static void support_reading(const rdata *d, char *buf, size_t n)
{
    long all = 0;
    for (int k = 0; k < RS_N; k++)
        all += d->support[k];
    snprintf(buf, n,
             "%ld of %ld Exchange servers (%.1f%%) run a version that no longer receives security updates; %ld are in a paid "
             "extended security update period (as of %s).",
             d->support[RS_EOL], all, exr_rep_pct(d->support[RS_EOL], all), d->support[RS_ESU], d->vulns.tab ? d->vulns.tab->asof : "?");
}

static void support_table(const rgroup *g, size_t n, bool with_label, bool md, exr_buf *out)
{
    if (md)
        exr_buf_printf(out,
                       "\n| %s | Exchange | supported | extended security updates | end of life | unknown |\n|---|---|---|---|---|---|\n",
                       with_label ? "network" : "country");
    else
        exr_buf_printf(out,
                       "<table><tr><th>%s</th><th>Exchange</th><th>supported</th><th>extended security updates</th>"
                       "<th>end of life</th><th>unknown</th></tr>\n",
                       with_label ? "network" : "country");
    for (size_t i = 0; i < n; i++) {
        char lb[300];
        snprintf(lb, sizeof lb, "%s%s%s", g[i].key, with_label && g[i].label[0] ? " " : "", with_label ? g[i].label : "");
        if (md) {
            exr_buf_adds(out, "|");
            exr_rep_md_cell(out, lb);
        } else {
            exr_buf_adds(out, "<tr><td>");
            exr_html_esc(out, lb);
            exr_buf_adds(out, "</td>");
        }
        exr_buf_printf(out, md ? " %ld |" : "<td>%ld</td>", g[i].total);
        for (int k = 0; k < RS_N; k++)
            exr_buf_printf(out, md ? " %ld |" : "<td>%ld</td>", g[i].support[k]);
        exr_buf_adds(out, md ? "\n" : "</tr>\n");
    }
    if (!md)
        exr_buf_adds(out, "</table>\n");
}

void exr_rep_support_html(const rdata *d, exr_buf *out)
{
    char buf[400];
    support_reading(d, buf, sizeof buf);
    exr_rep_reading(out, buf);
    static const char *const seg[] = {"supported", "extended security updates", "end of life"};
    static const char *const col[] = {"#27ae60", "#d68910", "#c0392b"};
    size_t n = d->ncountries;
    const char **labels = exr_xcalloc(n ? n : 1, sizeof *labels);
    double *v = exr_xcalloc((n ? n : 1) * 3, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        labels[i] = d->countries[i].key;
        for (int k = 0; k < 3; k++)
            v[i * 3 + k] = (double)d->countries[i].support[k];
    }
    svg_hbars(out, "Support state of Exchange servers by country", labels, (int)n, v, 3, seg, col);
    free(labels);
    free(v);
    exr_buf_adds(out, "<h3>By country</h3>\n");
    support_table(d->countries, d->ncountries, false, false, out);
    exr_buf_adds(out, "<h3>By network (top 20 ASNs)</h3>\n");
    support_table(d->asns, d->nasns, true, false, out);
}

void exr_rep_support_md(const rdata *d, exr_buf *out)
{
    char buf[400];
    support_reading(d, buf, sizeof buf);
    exr_buf_printf(out, "%s\n\nBy country:\n", buf);
    support_table(d->countries, d->ncountries, false, true, out);
    exr_buf_adds(out, "\nBy network (top 20 ASNs):\n");
    support_table(d->asns, d->nasns, true, true, out);
}
