/* opts_stats.c: the options of `exray stats`. */
#include "opts.h"

static const exr_opt opts[] = {
    [STATS_DB] = {.lng = "db", .arg = "STORE", .help = "the store: an existing SQLite file or a PostgreSQL URI", .group = "Options"},
    [STATS_VULNS] = EXR_OPT_VULNS_FILE,
    [STATS_CVES] = EXR_OPT_CVES,
    [STATS_KEV_ONLY] = EXR_OPT_KEV_ONLY,
};

const exr_cmdspec exr_spec_stats = {
    "stats",
    "--db STORE",
    "patch rate, compromise and remediation per scan",
    "One row per scan, ordered by observation time: Exchange hosts, vulnerable and patched per set, compromised, "
    "hosts notified by then, hosts notified before the scan that are no longer vulnerable (remediated), and the loop by "
    "the scan's end: hosts reminded and escalated (notices sent), and resolved (a notify run saw them fixed by then).",
    opts,
    STATS_NOPTS,
    0,
    0,
    "$ exray stats --db exray.db\n"
    "The campaign, scan by scan.\n",
    "0\tdone\n"
    "2\ta bad option, a store that does not exist, or a store error\n",
};
