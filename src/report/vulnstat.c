/* vulnstat.c: see vulnstat.h. */
#include "vulnstat.h"
#include <string.h>

const char *const exr_rs_name[RS_N] = {"supported", "extended-security-updates", "end-of-life", "unknown"};

void exr_rvulns_init(rvulns *v, const exr_buildtab *tab)
{
    memset(v, 0, sizeof *v);
    v->tab = tab;
    const exr_vulntab *vt = tab ? tab->vulns : NULL;
    for (size_t i = 0; vt && i < vt->n && v->n < EXR_MAX_CVES; i++) {
        if (!vt->v[i].selected)
            continue;
        bool seen = false;
        for (int k = 0; k < v->n && !seen; k++)
            seen = strcmp(v->cve[k], vt->v[i].cve) == 0;
        if (seen)
            continue;
        v->cve[v->n] = vt->v[i].cve;
        v->row[v->n] = &vt->v[i];
        v->kev_index[v->n] = -1;
        if (vt->v[i].kev[0] && v->nkev < RV_MAX_KEV) {
            v->kev_index[v->n] = v->nkev;
            v->cve_of_kev[v->nkev++] = v->n;
        }
        v->n++;
    }
}

static int index_of(const rvulns *v, const char *cve)
{
    for (int k = 0; k < v->n; k++)
        if (v->cve[k] == cve || strcmp(v->cve[k], cve) == 0)
            return k;
    return -1;
}

static unsigned char support_kind(const char *s)
{
    return !s                                            ? RS_UNKNOWN
           : strcmp(s, "supported") == 0                 ? RS_SUPPORTED
           : strcmp(s, "end-of-life") == 0               ? RS_EOL
           : strcmp(s, "extended-security-updates") == 0 ? RS_ESU
                                                         : RS_UNKNOWN;
}

void exr_rverdict_of(const rvulns *v, exr_arena *a, const char *build, rverdict *out)
{
    memset(out, 0, sizeof *out);
    out->support = RS_UNKNOWN;
    if (!v->tab)
        return;
    exr_build_info *bi = exr_arena_alloc(a, sizeof *bi); /* large: not on the stack */
    if (!exr_build_classify_text(v->tab, NULL, build, bi) || !bi->cves.classified)
        return;
    out->classified = true;
    out->support = support_kind(bi->cves.support);
    out->open = exr_arena_alloc(a, (size_t)(bi->cves.nopen ? bi->cves.nopen : 1) * sizeof *out->open);
    for (int i = 0; i < bi->cves.nopen; i++) {
        int k = index_of(v, bi->cves.open[i]);
        if (k < 0)
            continue;
        out->open[out->nopen++] = (uint16_t)k;
        if (v->kev_index[k] >= 0)
            out->kevmask |= 1u << v->kev_index[k];
    }
}
