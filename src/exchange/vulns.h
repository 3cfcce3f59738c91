/* vulns.h: the vulnerability table (data/exchange-vulns.csv, compiled in; --vulns FILE
 * overrides): one row per CVE and the update that fixes it, the products it applies to,
 * its KEV date, campaign and configuration dependence. A CVE's verdict for a build comes from
 * the build table by HealthChecker's rule (CSS-Exchange Test-ExchangeBuildGreaterOrEqualThan-
 * SecurityPatch): no build of the product carries the update -> not affected (undetermined
 * when the table lists none at all); at or above the newest build carrying it -> patched;
 * at or above the one on its own CU -> patched; else vulnerable. A new CVE is a new row. */
#ifndef EXR_VULNS_H
#define EXR_VULNS_H
#include "../core/buf.h"
#include "../core/err.h"
#include <stdbool.h>
#include <stddef.h>

#define EXR_MAX_CVES 192

typedef struct exr_vuln {
    char update[16]; /* Mar21SU, Apr25HU */
    char cve[24];
    unsigned products; /* bit per product line: exr_product_bit */
    char kev[11];      /* CISA KEV dateAdded, "" when not listed */
    char campaign[24]; /* ProxyLogon, ... or "" */
    char config[120];  /* what else the fix needs, or "" */
    bool selected;     /* counted in a build's verdicts (--cves, --kev-only); true by default */
} exr_vuln;

typedef struct exr_vulntab {
    exr_vuln *v;
    size_t n;
    char table_date[11]; /* "# table-date: YYYY-MM-DD": rows last checked against the sources; "" if none */
    char kev_date[11];   /* "# kev-date: YYYY-MM-DD": the KEV catalog snapshot kev_added reflects; "" if none */
} exr_vulntab;

/* The CVE verdicts of one build: lists of CVE ids (pointers into the table), each once. */
typedef struct exr_cve_verdicts {
    bool classified;                /* an Exchange line the table describes */
    const char *open[EXR_MAX_CVES]; /* the KEV ones first */
    int nopen;
    const char *undetermined[EXR_MAX_CVES];
    int nundet;
    const char *kev_open[EXR_MAX_CVES]; /* the open ones in CISA's KEV catalog */
    int nkev;
    const char *not_affected[EXR_MAX_CVES]; /* listed for the line, but no build of it has the update */
    int nna;
    bool revision_helps;       /* a 3-part build some CVE is undetermined for only by the missing revision */
    const char *support;       /* supported, extended-security-updates, end-of-life; NULL unknown */
    const char *support_since; /* the end of support (or of the ESU window) it follows, or NULL */
    bool esu_evidence;         /* carries an update only ESU customers receive */
    const char *support_as_of; /* the day (YYYY-MM-DD) the support state is for */
} exr_cve_verdicts;

/* 2010 1, 2013 2, 2016 4, 2019 8, SE 16; 0 for anything else. */
unsigned exr_product_bit(const char *product);
/* CSV with header update,cve,products,kev_added,campaign,config; errors name the line. */
int exr_vulntab_load_text(exr_vulntab *t, const char *text, size_t len, const char *name, exr_err *e);
int exr_vulntab_load_file(exr_vulntab *t, const char *path, exr_err *e);
int exr_vulntab_load_default(exr_vulntab *t, exr_err *e);
void exr_vulntab_free(exr_vulntab *t);
/* Days from day (YYYY-MM-DD) to now (Unix seconds), or -1 when day is empty or no date. */
long exr_day_age(const char *day, long long now);
/* --cves LIST: keeps in every verdict only the CVEs LIST names, comma-separated: a CVE id,
 * a campaign (ProxyLogon, any case), "kev" (in CISA's catalog) or "all". An item that
 * matches no row is an error naming it (a typo must not silently select nothing). */
int exr_vulntab_select(exr_vulntab *t, const char *list, exr_err *e);
/* Whether cve is one of list[0..n). */
bool exr_cve_listed(const char *const *list, int n, const char *cve);
/* The row of a CVE (its first), or NULL. */
const exr_vuln *exr_vulntab_find(const exr_vulntab *t, const char *cve);
/* The row index of a CVE id pointer taken from a verdict list (it points into the table),
 * or -1. */
long exr_vulntab_index(const exr_vulntab *t, const char *cve);
/* The first update that fixes cve on a product line (exr_product_bit), or NULL. */
const char *exr_vulntab_fixed_by(const exr_vulntab *t, const char *cve, unsigned product_bit);

/* What `exray vulns --import` does with CISA's catalog (known_exploited_vulnerabilities.csv):
 * table is the text of a vulnerability table; out receives it with kev_added set from the
 * catalog's dateAdded for every Exchange CVE and cleared for a CVE the catalog no longer lists,
 * comments kept, "# kev-date:" set to the newest dateAdded in the catalog. report receives one
 * line per change and per Exchange CVE of the catalog the table has no row for (*nmissing). */
int exr_vulns_import_kev(const char *table, size_t tlen, const char *kev, size_t klen, const char *kev_name, exr_buf *out, exr_buf *report,
                         int *nmissing, exr_err *e);

#endif
