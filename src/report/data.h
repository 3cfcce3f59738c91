/* data.h: the figures a report shows, read from the store: one streamed pass over the
 * observations for the scans and the charts (hosts.c), an indexed query for the funnel. */
#ifndef EXR_REPORT_DATA_H
#define EXR_REPORT_DATA_H
#include "../core/err.h"
#include "../exchange/builds.h"
#include "../store/store.h"
#include "vulnstat.h"
#include "../exchange/exposure.h"
#include <stdint.h>

typedef struct rscan {
    long long id;
    char started[32];
    long exch;
    long vuln[EXR_NSETS], patched[EXR_NSETS], undet[EXR_NSETS]; /* the campaign view, per observation */
    /* hosts seen as Exchange in the scan by their worst state there (exposure.h order), and
     * those open to a known exploited CVE: as exray stats counts them */
    long states[EXR_NSTATE], kev_hosts;
    /* every host known by the end of this scan, each by its latest state by then: a rescan
     * of a subset cannot make the patch rate fall */
    long known, over[EXR_NSTATE];
    long classified;      /* Exchange observations on a build the tables classify */
    long kev[RV_MAX_KEV]; /* of those, open to each known exploited CVE (rdata.vulns numbering) */
} rscan;

typedef struct rgroup {
    char key[64];
    char label[200];
    long total, vuln, patched, comp; /* by the present state: the chart's segments do not overlap */
    long support[RS_N];              /* the hosts' support states (RS_*) */
} rgroup;
/* one CVE of the table and the hosts (latest observation) open to it by version */
typedef struct rcve {
    const char *cve;
    const exr_vuln *row;
    long open;
} rcve;

typedef struct rcu {
    char product[8], cu[16], build[24];
    long hosts, vuln;
    int nofix[EXR_NSETS]; /* per vulnerability set (exr_vset): this CU never received its fix */
    int unsupported;      /* the CU received no fix for some set: only a CU upgrade helps */
} rcu;

typedef struct rhunt {
    int64_t t;
    char check[64];
    char sev[12];
    char path[200];
} rhunt;

typedef struct rdata {
    rscan *scans;
    size_t nscans;
    rgroup *countries, *asns;
    size_t ncountries, nasns;
    rcu *cus;
    size_t ncus;
    rvulns vulns; /* the table's CVEs (the selected ones: --cves, --kev-only) */
    rcve *cves;   /* the CVEs open on some host, KEV first, then by hosts */
    size_t ncves;
    long classified;    /* hosts whose latest build the tables classify */
    long support[RS_N]; /* of all hosts */
    /* today: every host ever seen as Exchange by its present state (the store's host_latest
     * rule), and those whose present observation has a known exploited CVE open */
    long hosts, now[EXR_NSTATE], now_kev;
    int kev_lines[5]; /* the known exploited CVEs (kev bit) drawn over time: most exposed */
    int nkev_lines;
    /* notified hosts: resolved (present state patched or not affected; of them, fixed before
     * the notice went out: notified_patched), and the rest */
    long notified, remediated, notified_patched, notified_open;
    /* of the notified: reminded, escalated; the remediated by the last notice before the fix
     * (0 the first notice, 1 a reminder, 2 an escalation) */
    long reminded, escalated, resolved_after[3];
    double median_days; /* -1: none remediated */
    rhunt *hunt;
    size_t nhunt;
    char hunt_root[300];
    char missing[600]; /* sharded scans left out until every shard finishes, and their missing shards */
} rdata;

int exr_report_gather(exr_store *s, const exr_buildtab *tab, const char *hunt_jsonl, rdata *d, exr_err *e);
void exr_report_data_free(rdata *d);

#endif
