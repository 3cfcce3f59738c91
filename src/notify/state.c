/* state.c: see state.h. */
#include "state.h"
#include <stdio.h>
#include <string.h>

const exr_build_info *exr_state_classify(const exr_buildtab *tab, exr_build_memo *memo, const char *build, exr_build_info *bi)
{
    if (!tab || !tab->vulns || !exr_build_classify_text(tab, memo, build, bi))
        return NULL;
    return bi->cves.classified ? bi : NULL;
}

static void note_one(exr_cve_notes *nt, const exr_buildtab *tab, unsigned bit, const char *cve)
{
    for (int k = 0; k < nt->n; k++)
        if (strcmp(nt->cve[k], cve) == 0)
            return;
    if (nt->n == EXR_MAX_CVES)
        return;
    nt->cve[nt->n] = cve;
    nt->fixed_by[nt->n++] = exr_vulntab_fixed_by(tab->vulns, cve, bit);
}

void exr_cve_notes_add(exr_cve_notes *nt, const exr_buildtab *tab, const exr_build_info *bi, bool undetermined)
{
    unsigned bit = bi->product ? exr_product_bit(bi->product) : 0;
    const char *const *list = undetermined ? bi->cves.undetermined : bi->cves.open;
    int n = undetermined ? bi->cves.nundet : bi->cves.nopen;
    for (int i = 0; i < n; i++)
        note_one(nt, tab, bit, list[i]);
}

static void note_line(const exr_vuln *v, const char *cve, const char *fixed_by, exr_buf *out)
{
    exr_buf_printf(out, "  %-16s fixed by %-9s", cve, fixed_by ? fixed_by : "?");
    if (v && v->kev[0])
        exr_buf_printf(out, " known exploited (CISA KEV since %s)", v->kev);
    if (v && v->campaign[0])
        exr_buf_printf(out, " %s", v->campaign);
    if (v && v->config[0])
        exr_buf_printf(out, " (the update fixes it only with %s)", v->config);
    exr_buf_printf(out, "\n      https://msrc.microsoft.com/update-guide/vulnerability/%s\n", cve);
}

void exr_cve_notes_render(const exr_cve_notes *nt, const exr_buildtab *tab, int max, exr_buf *out)
{
    int shown = 0;
    for (int pass = 0; pass < 2; pass++) /* the known exploited first */
        for (int i = 0; i < nt->n; i++) {
            const exr_vuln *v = exr_vulntab_find(tab->vulns, nt->cve[i]);
            bool kev = v && v->kev[0];
            if (kev != (pass == 0))
                continue;
            if (shown++ < max)
                note_line(v, nt->cve[i], nt->fixed_by[i], out);
        }
    if (shown > max)
        exr_buf_printf(out, "  ... and %d more: the attached list's tag column names every one\n", shown - max);
    if (!nt->n)
        exr_buf_adds(out, "  (none by version)\n");
}

void exr_cve_notes_summary(const exr_cve_notes *nt, const exr_buildtab *tab, char *out, size_t n)
{
    size_t k = 0;
    int kev = 0;
    out[0] = 0;
    for (int i = 0; i < nt->n; i++) {
        const exr_vuln *v = exr_vulntab_find(tab->vulns, nt->cve[i]);
        kev += v && v->kev[0];
        if (!v || !v->campaign[0] || strstr(out, v->campaign) || k + strlen(v->campaign) + 3 >= n)
            continue;
        k += (size_t)snprintf(out + k, n - k, "%s%s", k ? ", " : "", v->campaign);
    }
    if (nt->n && k + 1 < n)
        snprintf(out + k, n - k, "%s%d CVE%s, %d known exploited", k ? "; " : "", nt->n, nt->n == 1 ? "" : "s", kev);
}
