/* stats.h: the per-scan series (exray stats, the report's table): per scan, its Exchange
 * hosts by state (the stored state, exposure.h: one answer everywhere), those open to a
 * known exploited CVE, and the notification loop by the scan's end. The shards of one
 * --scan-name are one scan, left out until every shard has finished. */
#ifndef EXR_REPORT_STATS_H
#define EXR_REPORT_STATS_H
#include "../core/err.h"
#include "../exchange/exposure.h"
#include "../store/store.h"

typedef struct exr_stats_row {
    long long scan;
    const char *started;
    const char *name;             /* the --scan-name of a sharded scan, or NULL */
    long long exchange;           /* hosts seen as Exchange in the scan */
    long long states[EXR_NSTATE]; /* of them, by their worst state in the scan */
    long long kev_open;           /* of them, open to a CVE in CISA's KEV catalog */
    long long notified;           /* hosts sent a notice by the scan's end */
    /* of the hosts sent a first notice while open (or undetermined) by the scan's end, those
     * whose newest observation by then is patched or not-affected: what exray cases counts
     * resolved and notify resolves */
    long long remediated;
    long long reminded, escalated; /* hosts sent a reminder, an escalation, by the scan's end */
    long long resolved;            /* hosts whose case notify closed (a resolved directive) by then */
} exr_stats_row;
typedef void (*exr_stats_cb)(void *ctx, const exr_stats_row *r);
int exr_stats_rows(exr_store *s, exr_stats_cb cb, void *ctx, exr_err *e);

#endif
