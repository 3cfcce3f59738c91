/* exposure.h: the one place a server's state is decided. Every command (scan records and
 * summary, import, the store, stats, report, hosts, notify, cases, IntelMQ and CSV output,
 * rescan selection) reads the state this module gives and judges nothing on its own.
 *
 * From one observation (Exchange or not, the build's per-CVE verdicts, web-shell evidence,
 * the CVEs a feed asserted) and the lifecycle on the observation's day:
 *   compromised   a web shell was seen
 *   vulnerable    any CVE open (by the build, or asserted by the feed); kev_open counts the
 *                 known exploited among them
 *   end-of-life   nothing open, but the product line gets no security updates any more
 *   undetermined  the build cannot decide (a CU-level build, no build, a line the tables do
 *                 not know, a build newer than the table)
 *   patched       nothing open or undecided by version; configuration-dependent CVEs are
 *                 listed to check, they never decide the state
 *   not-affected  not Exchange, or Exchange Online
 * The order is the severity order: a host is in the worst state that applies. The campaigns
 * (ProxyLogon, ...) are named groups of CVEs, a view over the same lists. */
#ifndef EXR_EXPOSURE_H
#define EXR_EXPOSURE_H
#include "builds.h"
#include <stdbool.h>

enum exr_state { EXR_S_NOT_AFFECTED = 0, EXR_S_PATCHED, EXR_S_UNDETERMINED, EXR_S_EOL, EXR_S_VULNERABLE, EXR_S_COMPROMISED, EXR_NSTATE };
/* "not-affected", "patched", "undetermined", "end-of-life", "vulnerable", "compromised" */
extern const char *const exr_state_names[EXR_NSTATE];
/* The index of a state's name, or -1. */
int exr_state_parse(const char *name);
/* A comma-separated list of state names into a mask of bits 1 << EXR_S_*; -1 when a name is
 * not a state or the list is empty. */
int exr_state_mask(const char *list, unsigned *mask);
/* compromised, vulnerable, end-of-life: a case stays open while its host is in one. */
bool exr_state_is_open(int state);

#define EXR_MAX_ASSERTED 32

typedef struct exr_exposure {
    int state;                           /* EXR_S_*, or -1: no answer (the host did not answer) */
    int nopen;                           /* CVEs open: the build's and the feed's, each once */
    int nkev;                            /* of them in CISA's KEV catalog */
    int nundet;                          /* undetermined by version (configuration-independent) */
    int nconfig;                         /* configuration-dependent, at or above their update: check the configuration */
    char asserted[EXR_MAX_ASSERTED][24]; /* feed-asserted CVEs the build does not show open */
    int nasserted;
    const char *support;       /* supported, extended-security-updates, end-of-life, or NULL */
    const char *support_since; /* the end of support (or of the ESU window) it follows, or NULL */
    bool esu_evidence;         /* carries an update only ESU customers receive */
    char support_day[11];      /* the day the support state is for: the observation's (or --as-of) */
    const char *why;           /* one line: what decided the state */
} exr_exposure;

/* What one observation says. bi: the classified build, or NULL when none was read.
 * asserted: the CVE ids (any case) a feed's tag named open, or NULL. day: the observation's
 * day (YYYY-MM-DD), for the support state; NULL: the table's as-of day. answered: false when
 * the host did not answer (no state). The table's --as-of day, when set, stands for every
 * observation's day. */
typedef struct exr_observed {
    bool answered;
    bool exchange;
    const exr_build_info *bi;
    bool shell;
    const char *const *asserted;
    int nasserted;
    const char *day;
} exr_observed;

void exr_exposure_of(const exr_buildtab *t, const exr_observed *o, exr_exposure *x);

/* The CVE ids of a feed's tag ("exchange;cve-2021-26855;cve-2021-27065"): upper-cased into
 * out, at most max; returns how many. */
int exr_tag_cves(const char *tag, char out[][24], int max);

/* The asserted CVEs as the store keeps them, space-separated (NULL when none). */
const char *exr_asserted_text(const char (*ids)[24], int n, char *out, size_t len);

/* A digest of the tables a state depends on (builds, vulnerabilities and their selection,
 * lifecycle), 16 hex digits: the store recomputes its states when it changes. */
void exr_tables_digest(const exr_buildtab *t, char out[17]);

#endif
