/* state.h: what a stored observation's build says to notify, by the build and vulnerability
 * tables: the host's state, whether it was exposed to an exploited CVE, and the lines naming
 * each open CVE in a notice. Verdicts are derived when read, never stored per CVE: a CVE
 * published after the scan applies to the builds the store already holds. */
#ifndef EXR_NOTIFY_STATE_H
#define EXR_NOTIFY_STATE_H
#include "../core/buf.h"
#include "../exchange/builds.h"
#include <stdbool.h>

/* The verdicts of a stored build string, or NULL when the tables do not classify it (no
 * build, another product line): then the observation's stored set verdicts speak. memo may
 * be NULL; bi is the caller's. */
const exr_build_info *exr_state_classify(const exr_buildtab *tab, exr_build_memo *memo, const char *build, exr_build_info *bi);
/* The open (or undetermined) CVEs of a ticket's hosts, each once, for ${cves}. */
typedef struct exr_cve_notes {
    const char *cve[EXR_MAX_CVES];
    const char *fixed_by[EXR_MAX_CVES];
    int n;
} exr_cve_notes;
void exr_cve_notes_add(exr_cve_notes *nt, const exr_buildtab *tab, const exr_build_info *bi, bool undetermined);
/* One line per CVE, KEV first: id, fixing update, KEV date, campaign, advisory link; at
 * most max lines, then a line saying how many more the attachment's tags list. */
void exr_cve_notes_render(const exr_cve_notes *nt, const exr_buildtab *tab, int max, exr_buf *out);
/* "ProxyShell, ProxyNotShell; 23 CVEs, 3 known exploited" ("" for none) */
void exr_cve_notes_summary(const exr_cve_notes *nt, const exr_buildtab *tab, char *out, size_t n);

#endif
