/* builds.h: the Exchange build table (data/exchange-builds.csv, compiled in; --builds
 * overrides) and the verdicts derived from it for ProxyLogon, ProxyShell, ProxyNotShell. */
#ifndef EXR_BUILDS_H
#define EXR_BUILDS_H
#include "../core/buf.h"
#include "../core/err.h"
#include "version.h"
#include "lifecycle.h"
#include "vulns.h"
#include <stdbool.h>

enum exr_vset { EXR_PROXYLOGON = 0, EXR_PROXYSHELL = 1, EXR_PROXYNOTSHELL = 2, EXR_NSETS = 3 };
enum exr_verdict { EXR_V_NULL = 0, EXR_V_VULNERABLE, EXR_V_PATCHED, EXR_V_UNDETERMINED, EXR_V_NOT_AFFECTED };
/* su = security update, hu = hotfix update (Apr24HU, ...): both fix on their CU */
enum exr_rowkind { EXR_ROW_CU = 0, EXR_ROW_CU_OWA = 1, EXR_ROW_SU = 2, EXR_ROW_HU = 3 };

typedef struct exr_build_row {
    char product[8];   /* 2010, 2013, 2016, 2019, SE */
    char cu[16];       /* CU23, SP1, RTM, SP3 RU32 */
    exr_version build; /* always 4 parts */
    char released[11]; /* YYYY-MM-DD or YYYY-MM */
    int kind;
    char update[16]; /* Mar21SU, KB4471389, ... (empty on CU rows) */
    char kb[12];
    unsigned fixes; /* bit per exr_vset */
} exr_build_row;

typedef struct exr_buildtab {
    exr_build_row *rows;
    size_t n;
    char table_date[11];      /* "# table-date: YYYY-MM-DD" of the file: when it was last checked; "" if none */
    exr_vulntab vt;           /* the vulnerability table: the built-in one unless replaced */
    const exr_vulntab *vulns; /* &vt once loaded */
    /* per vulnerability row i: the build rows carrying its update, carr[carr_off[i]..carr_off[i+1]) */
    size_t *carr, *carr_off;
    exr_lifecycle lc; /* data/exchange-lifecycle.csv */
    char asof[11];    /* the day support states are for: today (UTC) unless set */
    bool asof_fixed;  /* set (--as-of): every observation's state is for that day, not its own */
} exr_buildtab;

typedef struct exr_build_info {
    exr_version v;
    bool known_cu;        /* the 3-part build is a CU in the table */
    bool exact;           /* the 4-part build is a row in the table */
    const char *product;  /* NULL when not even the major version is known */
    const char *cu;       /* NULL when the CU is unknown */
    const char *su;       /* update name when exact and an update row, else NULL */
    const char *released; /* of the exact row, else of the CU */
    int verdict[EXR_NSETS];
    const char *why[EXR_NSETS];
    /* the set's CVEs still open: a list when vulnerable (nopen > 0), empty when patched
     * (nopen 0), unknown otherwise (nopen -1) */
    const char *open[EXR_NSETS][4];
    int nopen[EXR_NSETS];
    char whybuf[EXR_NSETS][240];
    exr_cve_verdicts cves; /* every CVE of the vulnerability table */
} exr_build_info;

#define EXR_MAX_SET_CVES 4
extern const char *const exr_vset_cves[EXR_NSETS][EXR_MAX_SET_CVES + 1]; /* NULL-terminated */

extern const char *const exr_vset_name[EXR_NSETS];
const char *exr_verdict_name(int v); /* NULL for EXR_V_NULL */

/* Parses CSV text with header product,cu,build,released,kind,update,kb,fixes.
 * Errors name `name` and the line. */
int exr_buildtab_load_text(exr_buildtab *t, const char *text, size_t len, const char *name, exr_err *e);
int exr_buildtab_load_file(exr_buildtab *t, const char *path, exr_err *e);
int exr_buildtab_load_default(exr_buildtab *t, exr_err *e);
void exr_buildtab_free(exr_buildtab *t);
/* The day (YYYY-MM-DD) support states are computed for; false when day is no date. */
bool exr_buildtab_set_asof(exr_buildtab *t, const char *day);
/* Replaces the vulnerability table (--vulns FILE). */
int exr_buildtab_load_vulns(exr_buildtab *t, const char *path, exr_err *e);
/* Indexes which build rows carry each vulnerability row's update (after either table loads). */
void exr_buildtab_index_vulns(exr_buildtab *t);
/* Fills bi->cves from the vulnerability table (called by exr_build_classify). */
void exr_build_cves(const exr_buildtab *t, exr_build_info *bi);
/* Days since the table's table-date (at time now), or -1 when it has none. */
long exr_buildtab_age_days(const exr_buildtab *t, long long now);
/* Writes the table in its own CSV format, with a header citing sources and table-date. */
void exr_buildtab_write(const exr_buildtab *t, const char *source, const char *table_date, exr_buf *out);
/* Converts Microsoft's "Exchange Server build numbers and release dates" page (saved HTML
 * or its Markdown source) or a CSV with build and name columns (CSS-Exchange style) into a
 * table. The fixing-update bits are set by rule: on each CU the update named Mar21SU fixes
 * ProxyLogon, May21SU ProxyShell, Nov22SU ProxyNotShell; the first CU of a line released
 * after that update ships the fix. cu-owa rows are carried over from base. */
int exr_buildtab_import(const char *text, size_t len, const char *name, const exr_buildtab *base, exr_buildtab *out, exr_err *e);
/* Adds the rows of base the imported table t lacks (a source that lists fewer builds, as
 * ExchangeBuildNumbers.csv lacks the 2018-2020 updates), then sets the fixing bits again.
 * Returns how many were added. */
size_t exr_buildtab_merge_missing(exr_buildtab *t, const exr_buildtab *base);

/* A verdict is only ever 'vulnerable' when a table row justifies it: a build on a line or
 * CU the table does not know is 'undetermined' (or 'not-affected' for Exchange Online's
 * 15.20+ lines), with the reason. */
void exr_build_classify(const exr_buildtab *t, const exr_version *v, exr_build_info *out);
/* The same, remembered for the last builds seen: an import classifies millions of rows
 * of a few hundred builds. Zero-initialise before first use; one per thread; NULL: no memo. */
typedef struct exr_build_memo {
    struct {
        bool used;
        exr_build_info bi;
    } slot[64];
} exr_build_memo;
void exr_build_classify_memo(const exr_buildtab *t, exr_build_memo *m, const exr_version *v, exr_build_info *out);
/* The same for a build as text (a stored or reported one): false, out untouched, when
 * text is NULL or no build number. */
bool exr_build_classify_text(const exr_buildtab *t, exr_build_memo *m, const char *text, exr_build_info *out);
const char *exr_rowkind_name(int kind);
/* The security updates of the build table, released after the newest update the
 * vulnerability table names, that it does not name (their CVEs are missing): at most max,
 * one row per update, in table order. */
size_t exr_buildtab_uncovered(const exr_buildtab *t, const exr_build_row **out, size_t max);
/* "proxylogon;proxyshell" for a fixes mask ("" for none), as the table writes it. */
void exr_fixes_format(unsigned fixes, char *out, size_t n);
/* True when the build is 3-part and some verdict is undetermined: one more request
 * (the ECP manifest) could settle it. */
bool exr_build_wants_revision(const exr_build_info *bi);

#endif
