/* cvecheck.c: a build's verdict for every CVE of the vulnerability table, by HealthChecker's
 * rule over the build table (see vulns.h). Per (CVE, update): the builds of the build's
 * product line that carry the update decide; a CVE with several updates (fixed again later)
 * is open when any of them is missing. */
#include "builds.h"
#include "vulns.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Mar23SU, and its re-releases Mar23SUv2, ... */
static bool is_update(const char *row_update, const char *su)
{
    size_t n = strlen(su);
    if (strncmp(row_update, su, n) != 0)
        return false;
    const char *r = row_update + n;
    return !*r || (r[0] == 'v' && r[1] >= '0' && r[1] <= '9');
}

enum { C_NA, C_PATCHED, C_UNDET, C_VULN };

/* 2019 for "Feb19SU", 2025 for "Apr25HU" (Microsoft's MmmYY names), else 0 */
static int update_year(const char *su)
{
    if (strlen(su) < 7 || su[3] < '0' || su[3] > '9' || su[4] < '0' || su[4] > '9')
        return 0;
    return 2000 + (su[3] - '0') * 10 + (su[4] - '0');
}

/* An update row of that name, or the CU itself for a CVE fixed by a CU. */
static bool carries(const exr_build_row *r, const char *su)
{
    return ((r->kind == EXR_ROW_SU || r->kind == EXR_ROW_HU) && is_update(r->update, su)) ||
           (r->kind == EXR_ROW_CU && strcmp(r->cu, su) == 0);
}

void exr_buildtab_index_vulns(exr_buildtab *t)
{
    free(t->carr);
    free(t->carr_off);
    t->carr = t->carr_off = NULL;
    if (!t->vulns)
        return;
    size_t nv = t->vulns->n, n = 0, cap = 64;
    t->carr_off = exr_xmalloc((nv + 1) * sizeof *t->carr_off);
    t->carr = exr_xmalloc(cap * sizeof *t->carr);
    for (size_t i = 0; i < nv; i++) {
        t->carr_off[i] = n;
        for (size_t r = 0; r < t->n; r++) {
            if (!carries(&t->rows[r], t->vulns->v[i].update))
                continue;
            if (n == cap)
                t->carr = exr_xrealloc(t->carr, (cap *= 2) * sizeof *t->carr);
            t->carr[n++] = r;
        }
    }
    t->carr_off[nv] = n;
}

/* The build's state for vulnerability row vi on its product line; curel: its CU's release row. */
static int one_update(const exr_buildtab *t, const exr_build_info *bi, size_t vi, const exr_build_row *curel)
{
    const char *su = t->vulns->v[vi].update;
    const exr_build_row *newest = NULL, *own = NULL;
    bool any = t->carr_off[vi + 1] > t->carr_off[vi];
    for (size_t k = t->carr_off[vi]; k < t->carr_off[vi + 1]; k++) {
        const exr_build_row *r = &t->rows[t->carr[k]];
        if (strcmp(r->product, bi->product) != 0)
            continue;
        if (!newest || exr_version_cmp(&r->build, &newest->build) > 0)
            newest = r;
        if (bi->cu && strcmp(r->cu, bi->cu) == 0 && (!own || exr_version_cmp(&r->build, &own->build) < 0))
            own = r;
    }
    /* HealthChecker skips updates from years before the CU's release: a later CU ships them */
    int year = update_year(su);
    if (curel && year > 0 && atoi(curel->released) > year)
        return C_PATCHED;
    if (!newest)
        return any ? C_NA : C_UNDET; /* no build of the line carries it; none at all: the table is old */
    if (bi->v.n == 3) {
        /* OWA's page shows the CU only: its release decides when the CU never got the update */
        if (own)
            return C_UNDET;
        if (curel && exr_version_cmp(&curel->build, &newest->build) >= 0)
            return C_PATCHED;
        return bi->known_cu ? C_VULN : C_UNDET;
    }
    if (exr_version_cmp(&bi->v, &newest->build) >= 0 || (own && exr_version_cmp(&bi->v, &own->build) >= 0))
        return C_PATCHED;
    return bi->known_cu ? C_VULN : C_UNDET;
}

static void add_once(const char **list, int *n, const char *cve)
{
    if (!exr_cve_listed(list, *n, cve) && *n < EXR_MAX_CVES)
        list[(*n)++] = cve;
}

static void remove_cve(const char **list, int *n, const char *cve)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(list[i], cve) == 0) {
            memmove(&list[i], &list[i + 1], (size_t)(*n - i - 1) * sizeof *list);
            (*n)--;
            return;
        }
}

void exr_build_cves(const exr_buildtab *t, exr_build_info *bi)
{
    exr_cve_verdicts *cv = &bi->cves;
    memset(cv, 0, sizeof *cv);
    unsigned bit = bi->product ? exr_product_bit(bi->product) : 0;
    if (!t->vulns || !t->carr_off || !bit)
        return; /* Exchange Online, an unknown line: nothing to say per CVE */
    cv->classified = true;
    /* the release of the update the build carries, when it is an update row */
    exr_support sup = exr_support_on(&t->lc, bi->product, bi->cu, t->asof, bi->su ? bi->released : NULL);
    cv->support = sup.state;
    cv->support_since = sup.since;
    cv->esu_evidence = sup.esu_evidence;
    cv->support_as_of = t->asof;
    const exr_vulntab *vt = t->vulns;
    const exr_build_row *curel = NULL;
    for (size_t r = 0; r < t->n && bi->cu; r++)
        if (t->rows[r].kind == EXR_ROW_CU && !strcmp(t->rows[r].product, bi->product) && !strcmp(t->rows[r].cu, bi->cu))
            curel = &t->rows[r];
    /* worst state per CVE over its updates: vulnerable > undetermined > patched */
    for (size_t i = 0; i < vt->n; i++) {
        const exr_vuln *v = &vt->v[i];
        if (!(v->products & bit) || !v->selected)
            continue;
        int st = one_update(t, bi, i, curel);
        if (st == C_UNDET && bi->v.n == 3 && bi->known_cu)
            cv->revision_helps = true;
        if (st == C_PATCHED && v->config[0])
            st = C_UNDET; /* the update alone does not fix it: not visible from outside */
        if (st == C_VULN) {
            remove_cve(cv->undetermined, &cv->nundet, v->cve);
            add_once(cv->open, &cv->nopen, v->cve);
        } else if (st == C_NA) {
            add_once(cv->not_affected, &cv->nna, v->cve);
        } else if (st == C_UNDET) {
            if (!exr_cve_listed(cv->open, cv->nopen, v->cve))
                add_once(cv->undetermined, &cv->nundet, v->cve);
        }
    }
    /* the known exploited first, each group in table order */
    const char *rest[EXR_MAX_CVES];
    int nrest = 0;
    for (int i = 0; i < cv->nopen; i++) {
        const exr_vuln *v = exr_vulntab_find(vt, cv->open[i]);
        if (v && v->kev[0])
            cv->kev_open[cv->nkev++] = cv->open[i];
        else
            rest[nrest++] = cv->open[i];
    }
    memcpy(cv->open, cv->kev_open, (size_t)cv->nkev * sizeof *cv->open);
    memcpy(cv->open + cv->nkev, rest, (size_t)nrest * sizeof *cv->open);
}

/* The security updates of the build table released after the newest update the vulnerability
 * table names, that it does not name: the CVEs they fix are missing (one row each, its first). */
size_t exr_buildtab_uncovered(const exr_buildtab *t, const exr_build_row **out, size_t max)
{
    char newest[11] = "";
    for (size_t i = 0; t->vulns && i < t->vulns->n; i++)
        for (size_t k = t->carr_off[i]; k < t->carr_off[i + 1]; k++)
            if (strcmp(t->rows[t->carr[k]].released, newest) > 0)
                snprintf(newest, sizeof newest, "%s", t->rows[t->carr[k]].released);
    size_t n = 0;
    for (size_t r = 0; r < t->n && n < max; r++) {
        const exr_build_row *b = &t->rows[r];
        if (b->kind != EXR_ROW_SU || update_year(b->update) == 0 || strncmp(b->released, newest, strlen(b->released)) <= 0)
            continue;
        bool named = false, seen = false;
        for (size_t i = 0; t->vulns && i < t->vulns->n && !named; i++)
            named = is_update(b->update, t->vulns->v[i].update);
        /* Sep26SUv2 is Sep26SU again: one line per update */
        for (size_t j = 0; j < n && !seen; j++)
            seen = strncmp(out[j]->update, b->update, 7) == 0;
        if (!named && !seen)
            out[n++] = b;
    }
    return n;
}
