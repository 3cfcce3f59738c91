/* report.c: see report.h. Every string from the store or a findings file is escaped
 * (exr_html_esc for HTML, cell escaping for Markdown): a hostile host, AS or server name
 * cannot add markup. The page carries no generation time, so a store renders the same
 * page every time (the golden tests rely on it). */
#include "report.h"
#include "data.h"
#include "svg.h"
#include "render.h"
#include "../hunt/findings.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const set_title[EXR_NSETS] = {"ProxyLogon", "ProxyShell", "ProxyNotShell"};
static const char *const set_color[EXR_NSETS] = {"#c0392b", "#2471a3", "#7d3c98"};

typedef struct chart {
    const char *id;
    const char *title;
    int (*present)(const rdata *d);
    void (*html)(const rdata *d, exr_buf *out);
    void (*md)(const rdata *d, exr_buf *out);
} chart;

void exr_rep_md_cell(exr_buf *out, const char *s)
{
    exr_buf_adds(out, " ");
    for (; s && *s; s++) {
        if (*s == '|' || *s == '\\' || *s == '<' || *s == '>' || *s == '`' || *s == '*' || *s == '_' || *s == '[' || *s == ']')
            exr_buf_addc(out, '\\');
        exr_buf_addc(out, (unsigned char)*s < 0x20 ? ' ' : *s);
    }
    exr_buf_adds(out, " |");
}

double exr_rep_pct(long a, long b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

void exr_rep_reading(exr_buf *out, const char *text)
{
    exr_buf_adds(out, "<p class=\"reading\">");
    exr_html_esc(out, text);
    exr_buf_adds(out, "</p>\n");
}

/* ---- 1. exposure today: every host by its present state ---- */

static int has_scans(const rdata *d)
{
    return d->nscans > 0;
}

static void exposure_reading(const rdata *d, char *buf, size_t n)
{
    snprintf(buf, n,
             "Of %ld Exchange servers seen, by their latest observation and every CVE of the tables: %ld compromised, %ld vulnerable, "
             "%ld end-of-life, %ld undetermined, %ld patched, %ld no longer Exchange; %ld have a known exploited CVE open.",
             d->hosts, d->now[EXR_S_COMPROMISED], d->now[EXR_S_VULNERABLE], d->now[EXR_S_EOL], d->now[EXR_S_UNDETERMINED],
             d->now[EXR_S_PATCHED], d->now[EXR_S_NOT_AFFECTED], d->now_kev);
    if (d->missing[0]) {
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, " Not shown until every shard has finished: %s.", d->missing);
    }
}

static void exposure_html(const rdata *d, exr_buf *out)
{
    char buf[800];
    exposure_reading(d, buf, sizeof buf);
    exr_rep_reading(out, buf);
    const char *labels[EXR_NSTATE];
    double v[EXR_NSTATE];
    for (int i = 0; i < EXR_NSTATE; i++) {
        labels[i] = exr_state_names[EXR_NSTATE - 1 - i];
        v[i] = (double)d->now[EXR_NSTATE - 1 - i];
    }
    static const char *const seg[] = {"servers"};
    static const char *const col[] = {"#2471a3"};
    svg_hbars(out, "Exchange servers by state today", labels, EXR_NSTATE, v, 1, seg, col);
    exr_buf_adds(out, "<table><tr><th>state</th><th>servers</th><th>share</th></tr>\n");
    for (int i = EXR_NSTATE - 1; i >= 0; i--)
        exr_buf_printf(out, "<tr><td>%s</td><td>%ld</td><td>%.1f%%</td></tr>\n", exr_state_names[i], d->now[i],
                       exr_rep_pct(d->now[i], d->hosts));
    exr_buf_printf(out, "<tr><td>known exploited CVE open</td><td>%ld</td><td>%.1f%%</td></tr>\n</table>\n", d->now_kev,
                   exr_rep_pct(d->now_kev, d->hosts));
}

static void exposure_md(const rdata *d, exr_buf *out)
{
    char buf[800];
    exposure_reading(d, buf, sizeof buf);
    exr_buf_printf(out, "%s\n\n| state | servers | share |\n|---|---|---|\n", buf);
    for (int i = EXR_NSTATE - 1; i >= 0; i--)
        exr_buf_printf(out, "| %s | %ld | %.1f%% |\n", exr_state_names[i], d->now[i], exr_rep_pct(d->now[i], d->hosts));
    exr_buf_printf(out, "| known exploited CVE open | %ld | %.1f%% |\n", d->now_kev, exr_rep_pct(d->now_kev, d->hosts));
}

/* ---- 2. patch rate over time: every known host by its latest state at each scan ---- */

static long fixed_of(const long *st)
{
    return st[EXR_S_PATCHED] + st[EXR_S_NOT_AFFECTED];
}

static void patch_reading(const rdata *d, char *buf, size_t n)
{
    const rscan *f = &d->scans[0], *l = &d->scans[d->nscans - 1];
    snprintf(buf, n,
             "By the last scan %.1f%% of the %ld Exchange servers known were patched or gone (after the first scan: %.1f%% of %ld); "
             "each server counts by its latest observation by then, so a rescan of a few cannot lower the rate.",
             exr_rep_pct(fixed_of(l->over), l->known), l->known, exr_rep_pct(fixed_of(f->over), f->known), f->known);
}

static void patch_html(const rdata *d, exr_buf *out)
{
    char buf[600];
    patch_reading(d, buf, sizeof buf);
    exr_rep_reading(out, buf);
    int n = (int)d->nscans;
    const char **xl = exr_xcalloc((size_t)n, sizeof *xl);
    char(*labels)[16] = exr_xcalloc((size_t)n, sizeof *labels);
    double *y = exr_xcalloc((size_t)n * 3, sizeof *y);
    for (int i = 0; i < n; i++) {
        const rscan *r = &d->scans[i];
        snprintf(labels[i], sizeof labels[i], "%.10s", r->started);
        xl[i] = labels[i];
        y[i] = exr_rep_pct(fixed_of(r->over), r->known);
        y[n + i] = exr_rep_pct(r->over[EXR_S_VULNERABLE] + r->over[EXR_S_EOL], r->known);
        y[2 * n + i] = exr_rep_pct(r->over[EXR_S_COMPROMISED], r->known);
    }
    svg_series sr[3] = {
        {"patched or gone", "#27ae60", y}, {"vulnerable or end-of-life", "#c0392b", y + n}, {"compromised", "#17202a", y + 2 * n}};
    svg_lines(out, "Known Exchange servers by their latest state, per scan", xl, n, sr, 3, 100, "%");
    exr_buf_adds(out, "<table><tr><th>scan</th><th>date</th><th>Exchange in the scan</th>");
    for (int k = EXR_NSTATE - 1; k >= 0; k--)
        exr_buf_printf(out, "<th>%s</th>", exr_state_names[k]);
    exr_buf_adds(out, "<th>kev_open</th><th>known by then</th><th>patched or gone</th></tr>\n");
    for (int i = 0; i < n; i++) {
        const rscan *r = &d->scans[i];
        exr_buf_printf(out, "<tr><td>%lld</td><td>", r->id);
        exr_html_esc(out, r->started);
        exr_buf_printf(out, "</td><td>%ld</td>", r->exch);
        for (int k = EXR_NSTATE - 1; k >= 0; k--)
            exr_buf_printf(out, "<td>%ld</td>", r->states[k]);
        exr_buf_printf(out, "<td>%ld</td><td>%ld</td><td>%.1f%%</td></tr>\n", r->kev_hosts, r->known,
                       exr_rep_pct(fixed_of(r->over), r->known));
    }
    exr_buf_adds(out, "</table>\n");
    free(xl);
    free(labels);
    free(y);
}

static void patch_md(const rdata *d, exr_buf *out)
{
    char buf[600];
    patch_reading(d, buf, sizeof buf);
    exr_buf_printf(out, "%s\n\n| scan | date | Exchange in the scan |", buf);
    for (int k = EXR_NSTATE - 1; k >= 0; k--)
        exr_buf_printf(out, " %s |", exr_state_names[k]);
    exr_buf_adds(out, " kev_open | known by then | patched or gone |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < d->nscans; i++) {
        const rscan *r = &d->scans[i];
        exr_buf_printf(out, "| %lld |", r->id);
        exr_rep_md_cell(out, r->started);
        exr_buf_printf(out, " %ld |", r->exch);
        for (int k = EXR_NSTATE - 1; k >= 0; k--)
            exr_buf_printf(out, " %ld |", r->states[k]);
        exr_buf_printf(out, " %ld | %ld | %.1f%% |\n", r->kev_hosts, r->known, exr_rep_pct(fixed_of(r->over), r->known));
    }
}

/* ---- the 2021-22 campaigns: a view over their CVEs, per observation ---- */

static void campaign_reading(const rdata *d, char *buf, size_t n)
{
    const rscan *f = &d->scans[0], *l = &d->scans[d->nscans - 1];
    snprintf(buf, n,
             "The three named campaigns alone, a view over their CVEs (a server patched for them can still be open to later "
             "ones, above): in the last scan %.1f%% of %ld observations were patched for ProxyLogon (first scan: %.1f%%), %.1f%% "
             "for ProxyShell, %.1f%% for ProxyNotShell.",
             exr_rep_pct(l->patched[0], l->exch), l->exch, exr_rep_pct(f->patched[0], f->exch), exr_rep_pct(l->patched[1], l->exch),
             exr_rep_pct(l->patched[2], l->exch));
}

static void campaign_html(const rdata *d, exr_buf *out)
{
    char buf[600];
    campaign_reading(d, buf, sizeof buf);
    exr_rep_reading(out, buf);
    int n = (int)d->nscans;
    const char **xl = exr_xcalloc((size_t)n, sizeof *xl);
    char(*labels)[16] = exr_xcalloc((size_t)n, sizeof *labels);
    double *y = exr_xcalloc((size_t)n * EXR_NSETS, sizeof *y);
    for (int i = 0; i < n; i++) {
        snprintf(labels[i], sizeof labels[i], "%.10s", d->scans[i].started);
        xl[i] = labels[i];
        for (int k = 0; k < EXR_NSETS; k++)
            y[k * n + i] = exr_rep_pct(d->scans[i].patched[k], d->scans[i].exch);
    }
    svg_series s[EXR_NSETS];
    for (int k = 0; k < EXR_NSETS; k++)
        s[k] = (svg_series){set_title[k], set_color[k], y + k * n};
    svg_lines(out, "Patched share per campaign per scan", xl, n, s, EXR_NSETS, 100, "%");
    exr_buf_adds(out, "<table><tr><th>scan</th><th>date</th><th>Exchange</th><th>ProxyLogon vulnerable</th><th>patched</th>"
                      "<th>ProxyShell vulnerable</th><th>patched</th><th>ProxyNotShell vulnerable</th><th>patched</th></tr>\n");
    for (int i = 0; i < n; i++) {
        const rscan *r = &d->scans[i];
        exr_buf_printf(out, "<tr><td>%lld</td><td>", r->id);
        exr_html_esc(out, r->started);
        exr_buf_printf(out, "</td><td>%ld</td>", r->exch);
        for (int k = 0; k < EXR_NSETS; k++)
            exr_buf_printf(out, "<td>%ld</td><td>%.1f%%</td>", r->vuln[k], exr_rep_pct(r->patched[k], r->exch));
        exr_buf_adds(out, "</tr>\n");
    }
    exr_buf_adds(out, "</table>\n");
    free(xl);
    free(labels);
    free(y);
}

static void campaign_md(const rdata *d, exr_buf *out)
{
    char buf[600];
    campaign_reading(d, buf, sizeof buf);
    exr_buf_printf(out,
                   "%s\n\n| scan | date | Exchange | ProxyLogon vulnerable | patched | ProxyShell vulnerable | patched |"
                   " ProxyNotShell vulnerable | patched |\n|---|---|---|---|---|---|---|---|---|\n",
                   buf);
    for (size_t i = 0; i < d->nscans; i++) {
        const rscan *r = &d->scans[i];
        exr_buf_printf(out, "| %lld |", r->id);
        exr_rep_md_cell(out, r->started);
        exr_buf_printf(out, " %ld |", r->exch);
        for (int k = 0; k < EXR_NSETS; k++)
            exr_buf_printf(out, " %ld | %.1f%% |", r->vuln[k], exr_rep_pct(r->patched[k], r->exch));
        exr_buf_adds(out, "\n");
    }
}

/* ---- 2. by country and network ---- */

static int has_groups(const rdata *d)
{
    return d->ncountries > 0;
}

static void groups_html_one(exr_buf *out, const char *title, const rgroup *g, size_t n, int with_label)
{
    static const char *const seg[] = {"compromised", "vulnerable", "patched"};
    static const char *const col[] = {"#17202a", "#c0392b", "#27ae60"};
    const char **labels = exr_xcalloc(n ? n : 1, sizeof *labels);
    char(*lb)[240] = exr_xcalloc(n ? n : 1, sizeof *lb);
    double *v = exr_xcalloc((n ? n : 1) * 3, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        snprintf(lb[i], sizeof lb[i], "%s%s%s", g[i].key, with_label && g[i].label[0] ? " " : "", with_label ? g[i].label : "");
        labels[i] = lb[i];
        v[i * 3] = (double)g[i].comp;
        v[i * 3 + 1] = (double)g[i].vuln;
        v[i * 3 + 2] = (double)g[i].patched;
    }
    exr_buf_adds(out, "<h3>");
    exr_html_esc(out, title);
    exr_buf_adds(out, "</h3>\n");
    svg_hbars(out, title, labels, (int)n, v, 3, seg, col);
    exr_buf_printf(out, "<table><tr><th>%s</th><th>Exchange</th><th>vulnerable</th><th>patched</th><th>compromised</th></tr>\n",
                   with_label ? "network" : "country");
    for (size_t i = 0; i < n; i++) {
        exr_buf_adds(out, "<tr><td>");
        exr_html_esc(out, lb[i]);
        exr_buf_printf(out, "</td><td>%ld</td><td>%ld</td><td>%ld</td><td>%ld</td></tr>\n", g[i].total, g[i].vuln, g[i].patched, g[i].comp);
    }
    exr_buf_adds(out, "</table>\n");
    free(labels);
    free(lb);
    free(v);
}

static void groups_html(const rdata *d, exr_buf *out)
{
    char buf[400];
    const rgroup *g = &d->countries[0];
    snprintf(buf, sizeof buf,
             "Most Exchange servers are in %s (%ld, %ld of them vulnerable); the latest observation of each server counts.", g->label,
             g->total, g->vuln);
    exr_rep_reading(out, buf);
    groups_html_one(out, "By country", d->countries, d->ncountries, 0);
    groups_html_one(out, "By network (top 20 ASNs)", d->asns, d->nasns, 1);
}

static void groups_md_one(exr_buf *out, const char *title, const rgroup *g, size_t n, int with_label)
{
    exr_buf_printf(out, "\n%s\n\n| %s | Exchange | vulnerable | patched | compromised |\n|---|---|---|---|---|\n", title,
                   with_label ? "network" : "country");
    for (size_t i = 0; i < n; i++) {
        char lb[300];
        snprintf(lb, sizeof lb, "%s%s%s", g[i].key, with_label && g[i].label[0] ? " " : "", with_label ? g[i].label : "");
        exr_buf_adds(out, "|");
        exr_rep_md_cell(out, lb);
        exr_buf_printf(out, " %ld | %ld | %ld | %ld |\n", g[i].total, g[i].vuln, g[i].patched, g[i].comp);
    }
}

static void groups_md(const rdata *d, exr_buf *out)
{
    groups_md_one(out, "By country:", d->countries, d->ncountries, 0);
    groups_md_one(out, "By network (top 20 ASNs):", d->asns, d->nasns, 1);
}

/* ---- 3. by version and CU ---- */

static int has_cus(const rdata *d)
{
    return d->ncus > 0;
}

static void cus_reading(const rdata *d, char *buf, size_t n)
{
    long uns = 0, all = 0, per[EXR_NSETS] = {0, 0, 0};
    for (size_t i = 0; i < d->ncus; i++) {
        all += d->cus[i].hosts;
        if (d->cus[i].unsupported)
            uns += d->cus[i].hosts;
        for (int k = 0; k < EXR_NSETS; k++)
            if (d->cus[i].nofix[k])
                per[k] += d->cus[i].hosts;
    }
    snprintf(buf, n,
             "%ld of %ld Exchange servers (%.1f%%) run a cumulative update that never received the fix for at least one "
             "vulnerability set (%s %ld, %s %ld, %s %ld): only a CU upgrade can patch them.",
             uns, all, exr_rep_pct(uns, all), set_title[0], per[0], set_title[1], per[1], set_title[2], per[2]);
}

static void cus_html(const rdata *d, exr_buf *out)
{
    char buf[400];
    cus_reading(d, buf, sizeof buf);
    exr_rep_reading(out, buf);
    size_t n = d->ncus > 25 ? 25 : d->ncus;
    static const char *const seg[] = {"CU can be patched", "CU cannot be patched (upgrade needed)"};
    static const char *const col[] = {"#2471a3", "#e67e22"};
    const char **labels = exr_xcalloc(n ? n : 1, sizeof *labels);
    char(*lb)[40] = exr_xcalloc(n ? n : 1, sizeof *lb);
    double *v = exr_xcalloc((n ? n : 1) * 2, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        snprintf(lb[i], sizeof lb[i], "%s %s", d->cus[i].product, d->cus[i].cu);
        labels[i] = lb[i];
        v[i * 2 + (d->cus[i].unsupported ? 1 : 0)] = (double)d->cus[i].hosts;
    }
    svg_hbars(out, "Exchange servers by version and cumulative update", labels, (int)n, v, 2, seg, col);
    exr_buf_adds(out,
                 "<table><tr><th>version</th><th>CU</th><th>servers</th><th>vulnerable</th>"
                 "<th>ProxyLogon fix for this CU</th><th>ProxyShell fix for this CU</th><th>ProxyNotShell fix for this CU</th></tr>\n");
    for (size_t i = 0; i < d->ncus; i++) {
        exr_buf_adds(out, "<tr><td>");
        exr_html_esc(out, d->cus[i].product);
        exr_buf_adds(out, "</td><td>");
        exr_html_esc(out, d->cus[i].cu);
        exr_buf_printf(out, "</td><td>%ld</td><td>%ld</td>", d->cus[i].hosts, d->cus[i].vuln);
        for (int k = 0; k < EXR_NSETS; k++)
            exr_buf_printf(out, "<td>%s</td>", d->cus[i].nofix[k] ? "no" : "yes");
        exr_buf_adds(out, "</tr>\n");
    }
    exr_buf_adds(out, "</table>\n");
    free(labels);
    free(lb);
    free(v);
}

static void cus_md(const rdata *d, exr_buf *out)
{
    char buf[400];
    cus_reading(d, buf, sizeof buf);
    exr_buf_printf(out,
                   "%s\n\n| version | CU | servers | vulnerable | ProxyLogon fix for this CU | ProxyShell fix for this CU |"
                   " ProxyNotShell fix for this CU |\n|---|---|---|---|---|---|---|\n",
                   buf);
    for (size_t i = 0; i < d->ncus; i++) {
        exr_buf_adds(out, "|");
        exr_rep_md_cell(out, d->cus[i].product);
        exr_rep_md_cell(out, d->cus[i].cu);
        exr_buf_printf(out, " %ld | %ld |", d->cus[i].hosts, d->cus[i].vuln);
        for (int k = 0; k < EXR_NSETS; k++)
            exr_buf_printf(out, " %s |", d->cus[i].nofix[k] ? "no" : "yes");
        exr_buf_adds(out, "\n");
    }
}

/* ---- 4. notification funnel ---- */

static int has_funnel(const rdata *d)
{
    return d->nscans > 0;
}

static void funnel_reading(const rdata *d, char *buf, size_t n)
{
    if (!d->notified) {
        snprintf(buf, n, "No notification has been sent from this store yet.");
        return;
    }
    char med[64] = "none remediated yet";
    if (d->median_days >= 0)
        snprintf(med, sizeof med, "median %.1f days from the first notice", d->median_days);
    char before[96] = "";
    if (d->notified_patched)
        snprintf(before, sizeof before, "; %ld of the resolved were fixed before their notice went out", d->notified_patched);
    snprintf(buf, n,
             "%ld servers notified, %ld reminded, %ld escalated; %ld (%.1f%%) resolved (patched or no longer Exchange now), %s: "
             "%ld after the first notice alone, %ld after a reminder, %ld after an escalation%s.",
             d->notified, d->reminded, d->escalated, d->remediated, exr_rep_pct(d->remediated, d->notified), med, d->resolved_after[0],
             d->resolved_after[1], d->resolved_after[2], before);
}

static void funnel_cells(const rdata *d, const char *open, const char *sep, const char *close, exr_buf *out)
{
    long v[] = {d->notified,          d->reminded,          d->escalated,        d->remediated,   d->resolved_after[0],
                d->resolved_after[1], d->resolved_after[2], d->notified_patched, d->notified_open};
    exr_buf_adds(out, open);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        exr_buf_printf(out, "%ld%s", v[i], sep);
    if (d->median_days >= 0)
        exr_buf_printf(out, "%.1f", d->median_days);
    else
        exr_buf_adds(out, "-");
    exr_buf_adds(out, close);
}

static const char *const funnel_cols[] = {"notified",
                                          "reminded",
                                          "escalated",
                                          "resolved",
                                          "resolved after the first notice",
                                          "resolved after a reminder",
                                          "resolved after an escalation",
                                          "patched before notice",
                                          "still open",
                                          "median days to resolution"};

static void funnel_html(const rdata *d, exr_buf *out)
{
    char buf[600];
    funnel_reading(d, buf, sizeof buf);
    exr_rep_reading(out, buf);
    static const char *const seg[] = {"servers"};
    static const char *const col[] = {"#2471a3"};
    const char *labels[] = {"notified", "reminded", "escalated", "resolved", "patched before notice", "still open"};
    double v[] = {(double)d->notified,   (double)d->reminded,         (double)d->escalated,
                  (double)d->remediated, (double)d->notified_patched, (double)d->notified_open};
    svg_hbars(out, "Notification funnel", labels, 6, v, 1, seg, col);
    exr_buf_adds(out, "<table><tr>");
    for (size_t i = 0; i < sizeof funnel_cols / sizeof funnel_cols[0]; i++)
        exr_buf_printf(out, "<th>%s</th>", funnel_cols[i]);
    exr_buf_adds(out, "</tr>\n");
    funnel_cells(d, "<tr><td>", "</td><td>", "</td></tr></table>\n", out);
}

static void funnel_md(const rdata *d, exr_buf *out)
{
    char buf[600];
    funnel_reading(d, buf, sizeof buf);
    exr_buf_printf(out, "%s\n\n|", buf);
    for (size_t i = 0; i < sizeof funnel_cols / sizeof funnel_cols[0]; i++)
        exr_buf_printf(out, " %s |", funnel_cols[i]);
    exr_buf_adds(out, "\n|");
    for (size_t i = 0; i < sizeof funnel_cols / sizeof funnel_cols[0]; i++)
        exr_buf_adds(out, "---|");
    funnel_cells(d, "\n| ", " | ", " |\n", out);
}

/* ---- 5. hunt timeline ---- */

static int has_hunt(const rdata *d)
{
    return d->nhunt > 0;
}

static const char *sev_color(const char *s)
{
    return strcmp(s, "critical") == 0 ? "#17202a" : strcmp(s, "high") == 0 ? "#c0392b" : strcmp(s, "medium") == 0 ? "#e67e22" : "#95a5a6";
}

static void hunt_html(const rdata *d, exr_buf *out)
{
    char buf[600], a[32], b[32];
    exr_fmt_ms(d->hunt[0].t, a, sizeof a);
    exr_fmt_ms(d->hunt[d->nhunt - 1].t, b, sizeof b);
    snprintf(buf, sizeof buf, "%zu timed findings on %.200s from %s to %s.", d->nhunt, d->hunt_root, a, b);
    exr_rep_reading(out, buf);
    const char *rows[32];
    int nrows = 0;
    int *row = exr_xcalloc(d->nhunt, sizeof *row);
    int64_t *t = exr_xcalloc(d->nhunt, sizeof *t);
    const char **colors = exr_xcalloc(d->nhunt, sizeof *colors);
    for (size_t i = 0; i < d->nhunt; i++) {
        int r;
        for (r = 0; r < nrows; r++)
            if (strcmp(rows[r], d->hunt[i].check) == 0)
                break;
        if (r == nrows && nrows < 32)
            rows[nrows++] = d->hunt[i].check;
        row[i] = r < 32 ? r : 31;
        t[i] = d->hunt[i].t;
        colors[i] = sev_color(d->hunt[i].sev);
    }
    svg_timeline(out, "Hunt findings over time", t, row, colors, (int)d->nhunt, rows, nrows);
    exr_buf_adds(out, "<table><tr><th>time</th><th>severity</th><th>check</th><th>path</th></tr>\n");
    for (size_t i = 0; i < d->nhunt; i++) {
        char tm[32];
        exr_fmt_ms(d->hunt[i].t, tm, sizeof tm);
        exr_buf_printf(out, "<tr><td>%s</td><td>", tm);
        exr_html_esc(out, d->hunt[i].sev);
        exr_buf_adds(out, "</td><td>");
        exr_html_esc(out, d->hunt[i].check);
        exr_buf_adds(out, "</td><td>");
        exr_html_esc(out, d->hunt[i].path);
        exr_buf_adds(out, "</td></tr>\n");
    }
    exr_buf_adds(out, "</table>\n");
    free(row);
    free(t);
    free(colors);
}

static void hunt_md(const rdata *d, exr_buf *out)
{
    exr_buf_adds(out, "| time | severity | check | path |\n|---|---|---|---|\n");
    for (size_t i = 0; i < d->nhunt; i++) {
        char tm[32];
        exr_fmt_ms(d->hunt[i].t, tm, sizeof tm);
        exr_buf_printf(out, "| %s |", tm);
        exr_rep_md_cell(out, d->hunt[i].sev);
        exr_rep_md_cell(out, d->hunt[i].check);
        exr_rep_md_cell(out, d->hunt[i].path);
        exr_buf_addc(out, '\n');
    }
}

static const chart charts[] = {
    {"exposure", "Exposure today", has_scans, exposure_html, exposure_md},
    {"patch-rate", "Patch rate over time", has_scans, patch_html, patch_md},
    {"where", "By country and by network", has_groups, groups_html, groups_md},
    {"known-exploited", "Known exploited CVEs over time", exr_rep_has_kev, exr_rep_kev_html, exr_rep_kev_md},
    {"cves", "Open CVEs by exposed servers", exr_rep_has_cves, exr_rep_cves_html, exr_rep_cves_md},
    {"support", "End of support by country and network", exr_rep_has_support, exr_rep_support_html, exr_rep_support_md},
    {"versions", "By Exchange version and cumulative update", has_cus, cus_html, cus_md},
    {"notification", "Notification funnel", has_funnel, funnel_html, funnel_md},
    {"campaigns", "The 2021-22 campaigns (ProxyLogon, ProxyShell, ProxyNotShell)", has_scans, campaign_html, campaign_md},
    {"hunt", "Hunt timeline", has_hunt, hunt_html, hunt_md},
};

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1c2833}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #d5d8dc;padding-bottom:.2em}"
    ".reading{font-size:1.05em;background:#f4f6f7;padding:.5em .8em;border-left:4px solid #2471a3}"
    "svg.chart{display:block;margin:1em 0}svg .grid{stroke:#e5e8e8;stroke-width:1}svg .tick,svg .legend{font-size:12px;fill:#34495e}"
    "table{border-collapse:collapse;font-size:.9em;margin:.5em 0 1em}th,td{border:1px solid #d5d8dc;padding:.25em .6em;text-align:right}"
    "th{background:#f4f6f7}td:first-child,th:first-child{text-align:left}"
    "@media print{body{margin:0;max-width:none}section{break-inside:avoid}}";

int exr_report_write(exr_store *s, const exr_report_opts *o, exr_buf *out, exr_err *e)
{
    rdata d;
    if (exr_report_gather(s, o->builds, o->hunt_jsonl, &d, e) != 0) {
        exr_report_data_free(&d);
        return -1;
    }
    const char *asof = d.nscans ? d.scans[d.nscans - 1].started : "";
    if (o->json) {
        exr_report_json(&d, out);
    } else if (o->markdown) {
        exr_buf_adds(out, "# Exchange exposure report\n\n");
        if (!d.nscans)
            exr_buf_adds(out, "This store holds no scans yet: run `exray scan --db FILE` or `exray import`.\n");
        else
            exr_buf_printf(out, "%zu scans, the last on %s.\n", d.nscans, asof);
        for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
            if (!charts[i].present(&d))
                continue;
            exr_buf_printf(out, "\n## %s\n\n", charts[i].title);
            charts[i].md(&d, out);
        }
    } else {
        exr_buf_adds(
            out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
                 "<title>Exchange exposure report</title><style>");
        exr_buf_adds(out, css);
        exr_buf_adds(out, "</style></head><body>\n<h1>Exchange exposure report</h1>\n");
        if (!d.nscans) {
            exr_buf_adds(out, "<p class=\"reading\">This store holds no scans yet: run <code>exray scan --db FILE</code> or "
                              "<code>exray import</code>.</p>\n");
        } else {
            exr_buf_printf(out, "<p>%zu scans, the last on ", d.nscans);
            exr_html_esc(out, asof);
            exr_buf_adds(out, ". Verdicts are by version: mitigations are not visible from outside.</p>\n");
        }
        for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
            if (!charts[i].present(&d))
                continue;
            exr_buf_printf(out, "<section id=\"%s\"><h2>%s</h2>\n", charts[i].id, charts[i].title);
            charts[i].html(&d, out);
            exr_buf_adds(out, "</section>\n");
        }
        exr_buf_adds(out, "<footer><p>Made by exray " EXRAY_VERSION
                          ". IP-to-network data, when used: ip-location-db (CC BY 4.0 / CC0).</p></footer>\n</body></html>\n");
    }
    exr_report_data_free(&d);
    return 0;
}
