/* vulns.c: the vulnerability table's loader; see vulns.h. */
#include "vulns.h"
#include <stddef.h>
#include "../core/buf.h"
#include "../core/csv.h"
#include "../core/textlines.h"
#include "../core/timefmt.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const unsigned char exr_data_exchange_vulns_csv[];
extern const size_t exr_data_exchange_vulns_csv_len;

unsigned exr_product_bit(const char *p)
{
    static const char *const names[] = {"2010", "2013", "2016", "2019", "SE"};
    for (unsigned i = 0; p && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(p, names[i]) == 0)
            return 1u << i;
    return 0;
}

/* "2013 2016 2019" -> bits; 0 when a word is no product */
static unsigned products_of(const char *s)
{
    unsigned bits = 0;
    char w[8];
    for (const char *p = s; *p;) {
        size_t l = strcspn(p, " ");
        if (l == 0 || l >= sizeof w)
            return 0;
        memcpy(w, p, l);
        w[l] = 0;
        unsigned b = exr_product_bit(w);
        if (!b)
            return 0;
        bits |= b;
        p += l + (p[l] == ' ');
    }
    return bits;
}

static bool cve_id(const char *s)
{
    size_t n = strlen(s);
    if (strncmp(s, "ADV", 3) == 0)
        return n > 3 && n < 16 && strspn(s + 3, "0123456789") == n - 3;
    return n >= 13 && n < 24 && strncmp(s, "CVE-", 4) == 0 && strspn(s + 4, "0123456789") == 4 && s[8] == '-' &&
           strspn(s + 9, "0123456789") == n - 9;
}

/* "# table-date: 2026-12-01" or "# kev-date: ..." into dst (11 bytes) when the day is valid */
static bool dated_comment(const char *line, size_t ll, const char *key, char *dst)
{
    size_t kl = strlen(key);
    if (ll < kl + 10 || strncmp(line, key, kl) != 0)
        return false;
    char d[32];
    int64_t us;
    snprintf(d, sizeof d, "%.10sT00:00:00Z", line + kl);
    if (exr_time_parse(d, &us))
        snprintf(dst, 11, "%.10s", line + kl);
    return true;
}

long exr_day_age(const char *day, long long now)
{
    char d[32];
    int64_t us;
    if (!day || strlen(day) != 10)
        return -1;
    snprintf(d, sizeof d, "%sT00:00:00Z", day);
    if (!exr_time_parse(d, &us))
        return -1;
    long long s = us / 1000000;
    return now <= s ? 0 : (long)((now - s) / 86400);
}

static int fill_row(exr_vuln *v, const exr_csv_row *r, const char *name, int lineno, exr_err *e)
{
    memset(v, 0, sizeof *v);
    const char *su = r->f[0];
    if (!*su || strlen(su) >= sizeof v->update)
        return exr_seterr(e, EXR_EINVAL, "%s:%d: bad update '%.20s'", name, lineno, su);
    if (!cve_id(r->f[1]))
        return exr_seterr(e, EXR_EINVAL, "%s:%d: '%.30s' is not a CVE id", name, lineno, r->f[1]);
    if (!(v->products = products_of(r->f[2])))
        return exr_seterr(e, EXR_EINVAL, "%s:%d: products '%.40s': 2010, 2013, 2016, 2019 or SE, space-separated", name, lineno, r->f[2]);
    const char *k = r->f[3];
    if (*k && (strlen(k) != 10 || k[4] != '-' || k[7] != '-'))
        return exr_seterr(e, EXR_EINVAL, "%s:%d: kev_added '%.20s' is not YYYY-MM-DD", name, lineno, k);
    if (strlen(r->f[4]) >= sizeof v->campaign || strlen(r->f[5]) >= sizeof v->config)
        return exr_seterr(e, EXR_EINVAL, "%s:%d: campaign or config too long", name, lineno);
    snprintf(v->update, sizeof v->update, "%s", su);
    snprintf(v->cve, sizeof v->cve, "%s", r->f[1]);
    snprintf(v->kev, sizeof v->kev, "%s", k);
    snprintf(v->campaign, sizeof v->campaign, "%s", r->f[4]);
    snprintf(v->config, sizeof v->config, "%s", r->f[5]);
    v->selected = true;
    return 0;
}

/* A build's verdict lists hold EXR_MAX_CVES CVEs: a CVE past them would fall through to
 * "patched" without a word, so a table with more distinct CVEs is refused, saying so. */
static int check_distinct(const exr_vulntab *t, const char *name, exr_err *e)
{
    size_t distinct = 0;
    for (size_t i = 0; i < t->n; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = strcmp(t->v[k].cve, t->v[i].cve) == 0;
        distinct += !seen;
    }
    if (distinct > EXR_MAX_CVES)
        return exr_seterr(e, EXR_ELIMIT,
                          "%s: %zu distinct CVEs, more than the %d exray judges per build (the rest would be called patched): "
                          "refused; split the table with --cves, or use a newer exray",
                          name, distinct, EXR_MAX_CVES);
    return 0;
}

int exr_vulntab_load_text(exr_vulntab *t, const char *text, size_t len, const char *name, exr_err *e)
{
    memset(t, 0, sizeof *t);
    exr_csv_row r;
    exr_csv_row_init(&r);
    size_t pos = 0, cap = 0;
    const char *line;
    size_t ll;
    int lineno = 0, rc = 0;
    bool header = false;
    while (rc == 0 && exr_text_line(text, len, &pos, &line, &ll)) {
        lineno++;
        if (dated_comment(line, ll, "# table-date: ", t->table_date) || dated_comment(line, ll, "# kev-date: ", t->kev_date))
            continue;
        if (ll == 0 || line[0] == '#')
            continue;
        if (memchr(line, 0, ll) || exr_csv_split(&r, line, ll) != 0) {
            rc = exr_seterr(e, EXR_EINVAL, "%s:%d: malformed CSV", name, lineno);
            break;
        }
        if (!header) {
            static const char *const want[] = {"update", "cve", "products", "kev_added", "campaign", "config"};
            for (int i = 0; i < 6 && rc == 0; i++)
                if (r.n != 6 || strcmp(r.f[i], want[i]) != 0)
                    rc = exr_seterr(e, EXR_EINVAL, "%s:%d: header must be update,cve,products,kev_added,campaign,config", name, lineno);
            header = true;
            continue;
        }
        if (r.n != 6) {
            rc = exr_seterr(e, EXR_EINVAL, "%s:%d: expected 6 fields, got %d", name, lineno, r.n);
            break;
        }
        if (t->n == cap)
            t->v = exr_xrealloc(t->v, (cap = cap ? cap * 2 : 128) * sizeof *t->v);
        if (t->n >= EXR_MAX_CVES * 2) {
            rc = exr_seterr(e, EXR_ELIMIT, "%s:%d: more than %d rows", name, lineno, EXR_MAX_CVES * 2);
            break;
        }
        rc = fill_row(&t->v[t->n], &r, name, lineno, e);
        if (rc == 0)
            t->n++;
    }
    exr_csv_row_free(&r);
    if (rc == 0 && !header)
        rc = exr_seterr(e, EXR_EINVAL, "%s: no header line", name);
    if (rc == 0)
        rc = check_distinct(t, name, e);
    if (rc != 0)
        exr_vulntab_free(t);
    return rc;
}

int exr_vulntab_load_file(exr_vulntab *t, const char *path, exr_err *e)
{
    exr_buf b;
    exr_buf_init(&b);
    if (exr_read_file(path, 4u << 20, &b) != 0) {
        int err = errno;
        exr_buf_free(&b);
        return exr_seterr(e, EXR_EIO, "%s: %s", path, strerror(err));
    }
    int rc = exr_vulntab_load_text(t, b.p, b.len, path, e);
    exr_buf_free(&b);
    return rc;
}

int exr_vulntab_load_default(exr_vulntab *t, exr_err *e)
{
    return exr_vulntab_load_text(t, (const char *)exr_data_exchange_vulns_csv, exr_data_exchange_vulns_csv_len,
                                 "data/exchange-vulns.csv (built in)", e);
}

void exr_vulntab_free(exr_vulntab *t)
{
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

bool exr_cve_listed(const char *const *list, int n, const char *cve)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], cve) == 0)
            return true;
    return false;
}

const exr_vuln *exr_vulntab_find(const exr_vulntab *t, const char *cve)
{
    for (size_t i = 0; t && i < t->n; i++)
        if (strcmp(t->v[i].cve, cve) == 0)
            return &t->v[i];
    return NULL;
}

const char *exr_vulntab_fixed_by(const exr_vulntab *t, const char *cve, unsigned product_bit)
{
    for (size_t i = 0; t && i < t->n; i++)
        if (strcmp(t->v[i].cve, cve) == 0 && (t->v[i].products & product_bit))
            return t->v[i].update;
    return NULL;
}

/* whether row v is what one --cves item names */
static bool item_names(const exr_vuln *v, const char *item)
{
    if (!strcasecmp(item, "all"))
        return true;
    if (!strcasecmp(item, "kev"))
        return v->kev[0] != 0;
    return !strcasecmp(item, v->cve) || (v->campaign[0] && !strcasecmp(item, v->campaign));
}

int exr_vulntab_select(exr_vulntab *t, const char *list, exr_err *e)
{
    for (size_t i = 0; i < t->n; i++)
        t->v[i].selected = false;
    for (const char *p = list; *p;) {
        size_t l = strcspn(p, ",");
        char item[40];
        if (l == 0 || l >= sizeof item)
            return exr_seterr(e, EXR_EINVAL, "--cves: '%.40s' is not a CVE id, campaign, 'kev' or 'all'", p);
        memcpy(item, p, l);
        item[l] = 0;
        bool any = false;
        for (size_t i = 0; i < t->n; i++)
            if (item_names(&t->v[i], item))
                any = t->v[i].selected = true;
        if (!any)
            return exr_seterr(e, EXR_EINVAL, "--cves: '%s' names no row of the vulnerability table", item);
        p += l + (p[l] == ',');
    }
    return 0;
}

long exr_vulntab_index(const exr_vulntab *t, const char *cve)
{
    /* the lists hold &v[i].cve: its row is found without a search */
    if (!t || !t->n || !cve)
        return -1;
    const char *base = (const char *)t->v, *end = (const char *)(t->v + t->n), *p = cve;
    if (p < base || p >= end)
        return -1;
    size_t off = (size_t)(p - base);
    if (off % sizeof *t->v != offsetof(exr_vuln, cve))
        return -1;
    return (long)(off / sizeof *t->v);
}
