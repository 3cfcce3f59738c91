/* exposure.c: see exposure.h. */
#include "exposure.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *const exr_state_names[EXR_NSTATE] = {"not-affected", "patched", "undetermined", "end-of-life", "vulnerable", "compromised"};

int exr_state_parse(const char *name)
{
    for (int i = 0; name && i < EXR_NSTATE; i++)
        if (strcmp(name, exr_state_names[i]) == 0)
            return i;
    return -1;
}

int exr_state_mask(const char *list, unsigned *mask)
{
    *mask = 0;
    for (const char *p = list; p && *p;) {
        size_t l = strcspn(p, ",");
        char name[32];
        if (l == 0 || l >= sizeof name)
            return -1;
        memcpy(name, p, l);
        name[l] = 0;
        int st = exr_state_parse(name);
        if (st < 0)
            return -1;
        *mask |= 1u << st;
        p += l + (p[l] == ',');
    }
    return *mask ? 0 : -1;
}

bool exr_state_is_open(int state)
{
    return state == EXR_S_COMPROMISED || state == EXR_S_VULNERABLE || state == EXR_S_EOL;
}

int exr_tag_cves(const char *tag, char out[][24], int max)
{
    int n = 0;
    for (const char *p = tag; p && *p && n < max;) {
        const char *e = strchr(p, ';');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        /* cve-YYYY-NNNN...: 4 digits, a dash, 4 to 7 digits */
        bool ok = l >= 13 && l <= 16 && strncasecmp(p, "cve-", 4) == 0 && p[8] == '-';
        for (size_t i = 4; ok && i < l; i++)
            ok = i == 8 || isdigit((unsigned char)p[i]);
        if (ok) {
            for (size_t i = 0; i < l; i++)
                out[n][i] = (char)toupper((unsigned char)p[i]);
            out[n][l] = 0;
            bool dup = false;
            for (int k = 0; k < n && !dup; k++)
                dup = strcmp(out[k], out[n]) == 0;
            n += !dup;
        }
        p += l + (e != NULL);
    }
    return n;
}

/* The configuration-independent and -dependent CVEs among the undetermined ones. */
static void count_undetermined(const exr_buildtab *t, const exr_cve_verdicts *cv, exr_exposure *x)
{
    for (int i = 0; i < cv->nundet; i++) {
        /* the list points into the table: its row without a search (every host of a scan) */
        long k = exr_vulntab_index(t->vulns, cv->undetermined[i]);
        const exr_vuln *v = k >= 0 ? &t->vulns->v[k] : NULL;
        if (v && v->config[0])
            x->nconfig++;
        else
            x->nundet++;
    }
}

/* Adds the feed's CVEs the build does not already show open; each counts as open. */
static void add_asserted(const exr_buildtab *t, const exr_observed *o, const exr_cve_verdicts *cv, exr_exposure *x)
{
    for (int i = 0; i < o->nasserted && x->nasserted < EXR_MAX_ASSERTED; i++) {
        char id[24];
        snprintf(id, sizeof id, "%s", o->asserted[i]);
        for (char *p = id; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        bool dup = cv && exr_cve_listed(cv->open, cv->nopen, id);
        for (int k = 0; k < x->nasserted && !dup; k++)
            dup = strcmp(x->asserted[k], id) == 0;
        if (dup)
            continue;
        memcpy(x->asserted[x->nasserted++], id, sizeof id);
        const exr_vuln *v = t && t->vulns ? exr_vulntab_find(t->vulns, id) : NULL;
        x->nopen++;
        x->nkev += v && v->kev[0];
    }
}

/* Exchange Online's front ends (15.20 and later) and Exchange 2010's unaffected line: the
 * build table says not-affected for every campaign and knows no CVE of the line. */
static bool build_not_affected(const exr_build_info *bi)
{
    if (!bi || bi->cves.classified)
        return false;
    for (int s = 0; s < EXR_NSETS; s++)
        if (bi->verdict[s] != EXR_V_NOT_AFFECTED)
            return false;
    return bi->v.n > 0 && bi->v.p[0] == 15;
}

void exr_exposure_of(const exr_buildtab *t, const exr_observed *o, exr_exposure *x)
{
    memset(x, 0, sizeof *x);
    x->state = -1;
    if (!o->answered) {
        x->why = "no answer";
        return;
    }
    if (!o->exchange) {
        x->state = EXR_S_NOT_AFFECTED;
        x->why = "not Exchange";
        return;
    }
    const exr_build_info *bi = o->bi;
    const exr_cve_verdicts *cv = bi && bi->cves.classified ? &bi->cves : NULL;
    if (cv) {
        x->nopen = cv->nopen;
        x->nkev = cv->nkev;
        count_undetermined(t, cv, x);
        const char *day = o->day && o->day[0] && !t->asof_fixed ? o->day : t->asof;
        exr_support sup = exr_support_on(&t->lc, bi->product, bi->cu, day, bi->su ? bi->released : NULL);
        x->support = sup.state;
        x->support_since = sup.since;
        x->esu_evidence = sup.esu_evidence;
        snprintf(x->support_day, sizeof x->support_day, "%s", day);
    }
    add_asserted(t, o, cv, x);
    if (o->shell) {
        x->state = EXR_S_COMPROMISED;
        x->why = "a web shell was found";
    } else if (x->nopen > 0) {
        x->state = EXR_S_VULNERABLE;
        x->why = x->nasserted && (!cv || !cv->nopen) ? "CVEs open, as the feed reported" : "CVEs open by the build";
    } else if (build_not_affected(bi)) {
        x->state = EXR_S_NOT_AFFECTED;
        x->why = "Exchange Online or a line no listed CVE affects";
    } else if (x->support && strcmp(x->support, "end-of-life") == 0) {
        x->state = EXR_S_EOL;
        x->why = "no CVE open by version, but the line receives no security updates";
    } else if (!cv || x->nundet > 0) {
        x->state = EXR_S_UNDETERMINED;
        x->why = !bi ? "no build could be read" : !cv ? "a build the tables do not describe" : "the build cannot decide some CVEs";
    } else {
        x->state = EXR_S_PATCHED;
        x->why = x->nconfig ? "no CVE open by version; check the configuration for the listed ones" : "no CVE open";
    }
}

const char *exr_asserted_text(const char (*ids)[24], int n, char *out, size_t len)
{
    size_t k = 0;
    out[0] = 0;
    for (int i = 0; i < n && k + strlen(ids[i]) + 2 < len; i++)
        k += (size_t)snprintf(out + k, len - k, "%s%s", k ? " " : "", ids[i]);
    return k ? out : NULL;
}

/* FNV-1a, 64 bits: a change detector, not a security boundary */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

void exr_tables_digest(const exr_buildtab *t, char out[17])
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < t->n; i++) {
        const exr_build_row *r = &t->rows[i];
        char v[40];
        exr_version_format(&r->build, v, sizeof v);
        h = fnv(h, r->product, strlen(r->product) + 1);
        h = fnv(h, r->cu, strlen(r->cu) + 1);
        h = fnv(h, v, strlen(v) + 1);
        h = fnv(h, r->released, strlen(r->released) + 1);
        h = fnv(h, r->update, strlen(r->update) + 1);
        h = fnv(h, &r->kind, sizeof r->kind);
    }
    for (size_t i = 0; t->vulns && i < t->vulns->n; i++) {
        const exr_vuln *v = &t->vulns->v[i];
        h = fnv(h, v->update, strlen(v->update) + 1);
        h = fnv(h, v->cve, strlen(v->cve) + 1);
        h = fnv(h, &v->products, sizeof v->products);
        h = fnv(h, v->kev, strlen(v->kev) + 1);
        h = fnv(h, v->config, strlen(v->config) + 1);
        h = fnv(h, &v->selected, sizeof v->selected);
    }
    if (t->asof_fixed) /* --as-of decides support for every observation */
        h = fnv(h, t->asof, strlen(t->asof) + 1);
    for (size_t i = 0; i < t->lc.n; i++) {
        const exr_lifecycle_row *r = &t->lc.rows[i];
        h = fnv(h, r->product, strlen(r->product) + 1);
        h = fnv(h, r->extended_end, strlen(r->extended_end) + 1);
        h = fnv(h, r->esu_end, strlen(r->esu_end) + 1);
        h = fnv(h, r->esu_cus, strlen(r->esu_cus) + 1);
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}
