/* builds.c: build table loading and verdicts.
 * The verdict for a set S on a 15.x build, in order:
 *   CU at or after the first CU of that major.minor line that ships S fixed -> patched;
 *   the CU got no fixing SU for S                                         -> vulnerable;
 *   4-part build >= the lowest fixing-SU revision of the CU               -> patched, else vulnerable;
 *   3-part build only                                                     -> undetermined.
 * The lowest fixing revision is used because Microsoft's pages disagree on some
 * revisions (2016 CU8 Mar21SU .8 vs .10); both rows are in the table. */
#include "builds.h"
#include "../core/timefmt.h"
#include "../core/buf.h"
#include "../core/csv.h"
#include "../core/textlines.h"
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

extern const unsigned char exr_data_exchange_builds_csv[];
extern const size_t exr_data_exchange_builds_csv_len;

const char *const exr_vset_name[EXR_NSETS] = {"proxylogon", "proxyshell", "proxynotshell"};

const char *exr_verdict_name(int v)
{
    switch (v) {
    case EXR_V_VULNERABLE: return "vulnerable";
    case EXR_V_PATCHED: return "patched";
    case EXR_V_UNDETERMINED: return "undetermined";
    case EXR_V_NOT_AFFECTED: return "not-affected";
    default: return NULL;
    }
}

static int copyfield(char *dst, size_t n, const char *src)
{
    size_t l = strlen(src);
    if (l >= n)
        return -1;
    memcpy(dst, src, l + 1);
    return 0;
}

static int parse_fixes(const char *s, unsigned *out)
{
    *out = 0;
    while (*s) {
        const char *end = strchr(s, ';');
        size_t l = end ? (size_t)(end - s) : strlen(s);
        int found = 0;
        for (int i = 0; i < EXR_NSETS; i++) {
            if (strlen(exr_vset_name[i]) == l && strncmp(s, exr_vset_name[i], l) == 0) {
                *out |= 1u << i;
                found = 1;
            }
        }
        if (!found && l)
            return -1;
        s += l;
        if (*s == ';')
            s++;
    }
    return 0;
}

static int valid_date(const char *s)
{
    size_t l = strlen(s);
    if (l != 7 && l != 10)
        return 0;
    for (size_t i = 0; i < l; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return 0;
        } else if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

static int check_header(const exr_csv_row *r, const char *name, int lineno, exr_err *e)
{
    static const char *want[] = {"product", "cu", "build", "released", "kind", "update", "kb", "fixes"};
    if (r->n != 8)
        return exr_seterr(e, EXR_EINVAL, "%s:%d: header must be product,cu,build,released,kind,update,kb,fixes", name, lineno);
    for (int i = 0; i < 8; i++)
        if (strcmp(r->f[i], want[i]) != 0)
            return exr_seterr(e, EXR_EINVAL, "%s:%d: header column %d is '%s', expected '%s'", name, lineno, i + 1, r->f[i], want[i]);
    return 0;
}

static int parse_kind(const char *s, int *kind)
{
    static const struct {
        const char *name;
        int kind;
    } k[] = {{"cu", EXR_ROW_CU}, {"cu-owa", EXR_ROW_CU_OWA}, {"su", EXR_ROW_SU}, {"hu", EXR_ROW_HU}};
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (strcmp(s, k[i].name) == 0) {
            *kind = k[i].kind;
            return 0;
        }
    return -1;
}

/* One data row of the build table, every field checked. */
static int parse_row(const exr_csv_row *r, exr_build_row *row, const char *name, int lineno, exr_err *e)
{
    memset(row, 0, sizeof *row);
    if (r->n != 8)
        return exr_seterr(e, EXR_EINVAL, "%s:%d: expected 8 fields, got %d", name, lineno, r->n);
    if (copyfield(row->product, sizeof row->product, r->f[0]) || !row->product[0])
        return exr_seterr(e, EXR_EINVAL, "%s:%d: bad product '%.20s'", name, lineno, r->f[0]);
    if (copyfield(row->cu, sizeof row->cu, r->f[1]) || !row->cu[0])
        return exr_seterr(e, EXR_EINVAL, "%s:%d: bad cu '%.20s'", name, lineno, r->f[1]);
    if (!exr_version_parse(r->f[2], strlen(r->f[2]), &row->build) || row->build.n != 4)
        return exr_seterr(e, EXR_EINVAL, "%s:%d: build '%.40s' is not a 4-part build number", name, lineno, r->f[2]);
    if (!valid_date(r->f[3]) || copyfield(row->released, sizeof row->released, r->f[3]))
        return exr_seterr(e, EXR_EINVAL, "%s:%d: released '%.20s' is not YYYY-MM-DD or YYYY-MM", name, lineno, r->f[3]);
    int kind = 0;
    if (parse_kind(r->f[4], &kind) != 0)
        return exr_seterr(e, EXR_EINVAL, "%s:%d: kind '%.20s' is not cu, cu-owa, su or hu", name, lineno, r->f[4]);
    row->kind = kind;
    if (copyfield(row->update, sizeof row->update, r->f[5]) || copyfield(row->kb, sizeof row->kb, r->f[6]))
        return exr_seterr(e, EXR_EINVAL, "%s:%d: update or kb too long", name, lineno);
    if ((row->kind == EXR_ROW_SU || row->kind == EXR_ROW_HU) && !row->update[0])
        return exr_seterr(e, EXR_EINVAL, "%s:%d: su row without an update name", name, lineno);
    if (parse_fixes(r->f[7], &row->fixes) != 0)
        return exr_seterr(e, EXR_EINVAL, "%s:%d: fixes '%.40s' must be ;-separated proxylogon, proxyshell, proxynotshell", name, lineno,
                          r->f[7]);
    return 0;
}

int exr_buildtab_load_text(exr_buildtab *t, const char *text, size_t len, const char *name, exr_err *e)
{
    t->rows = NULL;
    t->n = 0;
    t->table_date[0] = 0;
    memset(&t->vt, 0, sizeof t->vt); /* t may be uninitialised memory: nothing of it is freed */
    t->vulns = NULL;
    t->carr = t->carr_off = NULL;
    size_t cap = 0;
    char stamp[EXR_TSTAMP_LEN];
    exr_csv_row r;
    exr_csv_row_init(&r);
    size_t pos = 0;
    int lineno = 0;
    int header_seen = 0;
    const char *line;
    size_t ll;
    while (exr_text_line(text, len, &pos, &line, &ll)) {
        lineno++;
        if (ll >= 24 && strncmp(line, "# table-date: ", 14) == 0) {
            char d[11];
            memcpy(d, line + 14, 10);
            d[10] = 0;
            if (valid_date(d) && strlen(d) == 10)
                memcpy(t->table_date, d, 11);
            continue;
        }
        if (ll == 0 || line[0] == '#')
            continue;
        if (memchr(line, 0, ll)) {
            exr_seterr(e, EXR_EINVAL, "%s:%d: NUL byte in line", name, lineno);
            goto fail;
        }
        if (exr_csv_split(&r, line, ll) != 0) {
            exr_seterr(e, EXR_EINVAL, "%s:%d: malformed CSV", name, lineno);
            goto fail;
        }
        if (!header_seen) {
            if (check_header(&r, name, lineno, e) != 0)
                goto fail;
            header_seen = 1;
            continue;
        }
        exr_build_row row;
        if (parse_row(&r, &row, name, lineno, e) != 0)
            goto fail;
        if (t->n == cap) {
            cap = cap ? cap * 2 : 256;
            t->rows = exr_xrealloc(t->rows, cap * sizeof *t->rows);
        }
        t->rows[t->n++] = row;
    }
    if (!header_seen || t->n == 0) {
        exr_seterr(e, EXR_EINVAL, "%s: no build rows", name);
        goto fail;
    }
    exr_csv_row_free(&r);
    if (exr_lifecycle_load_default(&t->lc, e) != 0 || exr_vulntab_load_default(&t->vt, e) != 0) {
        free(t->rows);
        t->rows = NULL;
        t->n = 0;
        return -1;
    }
    t->vulns = &t->vt;
    exr_buildtab_index_vulns(t);
    exr_time_stamp(exr_clock_us(), stamp, sizeof stamp);
    snprintf(t->asof, sizeof t->asof, "%.10s", stamp);
    t->asof_fixed = false; /* today, until --as-of sets a day */
    return 0;
fail:
    exr_csv_row_free(&r);
    free(t->rows);
    t->rows = NULL;
    t->n = 0;
    return -1;
}

int exr_buildtab_load_file(exr_buildtab *t, const char *path, exr_err *e)
{
    memset(t, 0, sizeof *t); /* freeable whatever happens */
    exr_buf b;
    exr_buf_init(&b);
    if (exr_read_file(path, 16u << 20, &b) != 0) {
        int err = errno;
        exr_buf_free(&b);
        return exr_seterr(e, EXR_EIO, "%s: %s", path, strerror(err));
    }
    int rc = exr_buildtab_load_text(t, b.p, b.len, path, e);
    exr_buf_free(&b);
    return rc;
}

int exr_buildtab_load_default(exr_buildtab *t, exr_err *e)
{
    return exr_buildtab_load_text(t, (const char *)exr_data_exchange_builds_csv, exr_data_exchange_builds_csv_len,
                                  "data/exchange-builds.csv (built in)", e);
}

void exr_buildtab_free(exr_buildtab *t)
{
    free(t->rows);
    t->rows = NULL;
    t->n = 0;
    exr_vulntab_free(&t->vt);
    t->vulns = NULL;
    free(t->carr);
    free(t->carr_off);
    t->carr = t->carr_off = NULL;
}

bool exr_buildtab_set_asof(exr_buildtab *t, const char *day)
{
    char full[32];
    int64_t us;
    if (!day || strlen(day) != 10)
        return false;
    snprintf(full, sizeof full, "%sT00:00:00Z", day);
    if (!exr_time_parse(full, &us))
        return false;
    snprintf(t->asof, sizeof t->asof, "%s", day);
    t->asof_fixed = true;
    return true;
}

int exr_buildtab_load_vulns(exr_buildtab *t, const char *path, exr_err *e)
{
    exr_vulntab vt;
    if (exr_vulntab_load_file(&vt, path, e) != 0)
        return -1;
    exr_vulntab_free(&t->vt);
    t->vt = vt;
    t->vulns = &t->vt;
    exr_buildtab_index_vulns(t);
    return 0;
}

static int same_line(const exr_version *a, const exr_version *b)
{
    return a->p[0] == b->p[0] && a->p[1] == b->p[1];
}

const char *const exr_vset_cves[EXR_NSETS][EXR_MAX_SET_CVES + 1] = {
    {"CVE-2021-26855", "CVE-2021-26857", "CVE-2021-26858", "CVE-2021-27065", NULL},
    {"CVE-2021-34473", "CVE-2021-34523", "CVE-2021-31207", NULL},
    {"CVE-2022-41040", "CVE-2022-41082", NULL},
};

void exr_fixes_format(unsigned fixes, char *out, size_t n)
{
    size_t k = 0;
    out[0] = 0;
    for (int s = 0; s < EXR_NSETS; s++)
        if (fixes & (1u << s))
            k += (size_t)snprintf(out + k, k < n ? n - k : 0, "%s%s", k ? ";" : "", exr_vset_name[s]);
}

const char *exr_rowkind_name(int k)
{
    return k == EXR_ROW_CU ? "cu" : k == EXR_ROW_CU_OWA ? "cu-owa" : k == EXR_ROW_HU ? "hu" : "su";
}

static bool is_update(const exr_build_row *r)
{
    return r->kind == EXR_ROW_SU || r->kind == EXR_ROW_HU;
}

static void set_open_all(exr_build_info *out, int s)
{
    int k = 0;
    for (; exr_vset_cves[s][k]; k++)
        out->open[s][k] = exr_vset_cves[s][k];
    out->nopen[s] = k;
}

/* Appends "; open: CVE-..., ..." to a vulnerable verdict's reason. */
static void why_with_open(exr_build_info *out, int s, const char *base)
{
    char *w = out->whybuf[s];
    size_t n = sizeof out->whybuf[s];
    int k = snprintf(w, n, "%s; open: ", base);
    for (int i = 0; i < out->nopen[s] && k > 0 && (size_t)k < n; i++)
        k += snprintf(w + k, n - (size_t)k, "%s%s", i ? ", " : "", out->open[s][i]);
    out->why[s] = w;
}

/* The rows of the build's product line that decide: the CU row naming it, the exact row,
 * the nearest row below, the line's latest CU. */
typedef struct line_rows {
    const exr_build_row *curow, *exact, *below, *maxcu;
    bool known, online;
} line_rows;

static void find_line_rows(const exr_buildtab *t, const exr_version *v, line_rows *L)
{
    memset(L, 0, sizeof *L);
    for (size_t i = 0; i < t->n; i++) {
        const exr_build_row *r = &t->rows[i];
        if (!same_line(&r->build, v))
            continue;
        L->known = true;
        if ((r->kind == EXR_ROW_CU || r->kind == EXR_ROW_CU_OWA) && (!L->maxcu || exr_version_cmp3(&r->build, &L->maxcu->build) > 0))
            L->maxcu = r;
        int c = exr_version_cmp3(&r->build, v);
        if (c == 0) {
            /* the CU row names the build; a preview sharing RTM's x.y.z yields to RTM */
            if (!L->curow || (L->curow->kind != EXR_ROW_CU && r->kind == EXR_ROW_CU) ||
                (r->kind == EXR_ROW_CU && strcmp(L->curow->cu, "Preview") == 0 && strcmp(r->cu, "Preview") != 0))
                L->curow = r;
            if (v->n == 4 && r->build.p[3] == v->p[3])
                L->exact = r;
        } else if (c < 0 && (!L->below || exr_version_cmp3(&r->build, &L->below->build) > 0)) {
            L->below = r;
        }
    }
    if (L->exact && L->exact->kind == EXR_ROW_CU)
        L->curow = L->exact; /* 15.1.225.16 is the 2016 Preview itself */
    L->online = v->p[0] == 15 && v->p[1] >= 20;
}

static void set_product(const exr_version *v, const line_rows *L, exr_build_info *out)
{
    const exr_build_row *ref = L->curow ? L->curow : L->below;
    if (ref)
        out->product = ref->product;
    else if (v->p[0] == 14)
        out->product = "2010";
    else if (v->p[0] == 15 && v->p[1] <= 2)
        out->product = v->p[1] == 0 ? "2013" : v->p[1] == 1 ? "2016" : "2019";
    else if (L->online)
        out->product = "Online";
    if (L->curow) {
        out->known_cu = true;
        out->cu = L->curow->cu;
        out->released = L->curow->released;
    }
    if (L->exact) {
        out->exact = true;
        out->released = L->exact->released;
        if (is_update(L->exact))
            out->su = L->exact->update;
    }
}

/* A verdict decided before the fixing CU and SU rows are looked at; false if none applies. */
static bool verdict_outside_table(const exr_version *v, const line_rows *L, int s, exr_build_info *out)
{
    if (v->p[0] < 15) {
        out->verdict[s] = v->p[0] == 14 ? EXR_V_NOT_AFFECTED : EXR_V_UNDETERMINED;
        out->why[s] = v->p[0] == 14 ? "Exchange 2010 is not among the versions Microsoft lists as affected"
                                    : "build older than Exchange 2010; not assessed";
        return true;
    }
    if (!L->known) {
        out->verdict[s] = L->online ? EXR_V_NOT_AFFECTED : EXR_V_UNDETERMINED;
        out->why[s] = L->online ? "Exchange Online front end (the 15.20 and later lines are Microsoft's cloud service, not an "
                                  "on-premises server)"
                                : "unknown product line: no build of this major.minor version is in the build table";
        return true;
    }
    /* a build past the line's last known CU is not one the table describes: a newer
     * release (refresh the table) or not a real build at all */
    if (!L->curow && L->maxcu && exr_version_cmp3(v, &L->maxcu->build) > 0) {
        out->verdict[s] = EXR_V_UNDETERMINED;
        snprintf(out->whybuf[s], sizeof out->whybuf[s],
                 "newer than the build table (its latest CU of this line is %s %s, %u.%u.%u); refresh the table (exray builds --check)",
                 L->maxcu->product, L->maxcu->cu, L->maxcu->build.p[0], L->maxcu->build.p[1], L->maxcu->build.p[2]);
        out->why[s] = out->whybuf[s];
        return true;
    }
    return false;
}

/* ProxyShell came in two steps: Apr21SU fixed CVE-2021-34473/34523, May21SU CVE-2021-31207. */
static bool proxyshell_half_fixed(const exr_buildtab *t, const exr_version *v, int s, exr_build_info *out)
{
    if (s != EXR_PROXYSHELL)
        return false;
    for (size_t i = 0; i < t->n; i++) {
        const exr_build_row *r = &t->rows[i];
        if (is_update(r) && strncmp(r->update, "Apr21SU", 7) == 0 && exr_version_cmp3(&r->build, v) == 0 && same_line(&r->build, v) &&
            v->p[3] >= r->build.p[3]) {
            out->open[s][0] = "CVE-2021-31207";
            out->nopen[s] = 1;
            why_with_open(out, s, "build at or above Apr21SU (CVE-2021-34473 and CVE-2021-34523 fixed) but below the fixing May21SU");
            return true;
        }
    }
    return false;
}

static void set_verdict_by_rows(const exr_buildtab *t, const exr_version *v, const line_rows *L, int s, exr_build_info *out)
{
    unsigned bit = 1u << s;
    const exr_build_row *first = NULL; /* first CU of this line that ships the fix */
    for (size_t i = 0; i < t->n; i++) {
        const exr_build_row *r = &t->rows[i];
        if (r->kind == EXR_ROW_CU && (r->fixes & bit) && same_line(&r->build, v) &&
            (!first || exr_version_cmp3(&r->build, &first->build) < 0))
            first = r;
    }
    if (first && exr_version_cmp3(v, &first->build) >= 0) {
        out->verdict[s] = EXR_V_PATCHED;
        out->why[s] = L->curow ? "CU ships the fix" : "build above the first CU that ships the fix (CUs are cumulative)";
        out->nopen[s] = 0;
        return;
    }
    if (!L->curow) {
        out->verdict[s] = EXR_V_UNDETERMINED;
        if (L->below)
            snprintf(out->whybuf[s], sizeof out->whybuf[s], "CU not in the build table (a build after %s %s that the table does not list)",
                     L->below->product, L->below->cu);
        else
            snprintf(out->whybuf[s], sizeof out->whybuf[s], "CU not in the build table (older than any CU of this line it lists)");
        out->why[s] = out->whybuf[s];
        return;
    }
    uint32_t minrev = UINT32_MAX;
    for (size_t i = 0; i < t->n; i++) {
        const exr_build_row *r = &t->rows[i];
        if (is_update(r) && (r->fixes & bit) && exr_version_cmp3(&r->build, v) == 0 && same_line(&r->build, v) && r->build.p[3] < minrev)
            minrev = r->build.p[3];
    }
    if (minrev == UINT32_MAX) {
        out->verdict[s] = EXR_V_VULNERABLE;
        set_open_all(out, s);
        why_with_open(out, s, "CU predates the fix and received no fixing SU");
    } else if (v->n != 4) {
        out->verdict[s] = EXR_V_UNDETERMINED;
        out->why[s] = "CU received a fixing SU; the SU level is not visible";
    } else if (v->p[3] >= minrev) {
        out->verdict[s] = EXR_V_PATCHED;
        out->why[s] = "build at or above the fixing SU";
        out->nopen[s] = 0;
    } else {
        out->verdict[s] = EXR_V_VULNERABLE;
        set_open_all(out, s);
        if (!proxyshell_half_fixed(t, v, s, out))
            why_with_open(out, s, "build below the fixing SU");
    }
}

static void classify_sets(const exr_buildtab *t, const exr_version *v, exr_build_info *out)
{
    memset(out, 0, sizeof *out);
    out->v = *v;
    for (int s = 0; s < EXR_NSETS; s++)
        out->nopen[s] = -1;
    line_rows L;
    find_line_rows(t, v, &L);
    set_product(v, &L, out);
    for (int s = 0; s < EXR_NSETS; s++)
        if (!verdict_outside_table(v, &L, s, out))
            set_verdict_by_rows(t, v, &L, s, out);
}

void exr_build_classify(const exr_buildtab *t, const exr_version *v, exr_build_info *out)
{
    classify_sets(t, v, out);
    exr_build_cves(t, out);
}

bool exr_build_wants_revision(const exr_build_info *bi)
{
    if (bi->v.n == 4)
        return false;
    for (int s = 0; s < EXR_NSETS; s++)
        if (bi->verdict[s] == EXR_V_UNDETERMINED)
            return bi->v.p[0] >= 15;
    /* every CVE, not only the campaigns': SE RTM's page path says nothing of its updates */
    return bi->cves.revision_helps && bi->v.p[0] >= 15;
}

/* why[] may point into the info's own whybuf: a copy points into its own */
static void copy_info(exr_build_info *to, const exr_build_info *from)
{
    *to = *from;
    for (int s = 0; s < EXR_NSETS; s++)
        if (from->why[s] == from->whybuf[s])
            to->why[s] = to->whybuf[s];
}

void exr_build_classify_memo(const exr_buildtab *t, exr_build_memo *m, const exr_version *v, exr_build_info *out)
{
    if (!m) {
        exr_build_classify(t, v, out);
        return;
    }
    uint32_t h = (v->p[0] * 31u + v->p[1]) * 131u + v->p[2] * 7u + v->p[3] + (uint32_t)v->n;
    size_t i = h % (sizeof m->slot / sizeof m->slot[0]);
    const exr_version *k = &m->slot[i].bi.v;
    if (m->slot[i].used && k->n == v->n && memcmp(k->p, v->p, sizeof k->p) == 0) {
        copy_info(out, &m->slot[i].bi);
        return;
    }
    exr_build_classify(t, v, &m->slot[i].bi);
    m->slot[i].used = true;
    copy_info(out, &m->slot[i].bi);
}

bool exr_build_classify_text(const exr_buildtab *t, exr_build_memo *m, const char *text, exr_build_info *out)
{
    exr_version v;
    if (!text || !exr_version_parse(text, strlen(text), &v))
        return false;
    exr_build_classify_memo(t, m, &v, out);
    return true;
}
