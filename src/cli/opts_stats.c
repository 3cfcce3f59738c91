/* opts_stats.c: the options of `exray stats`. */
#include "opts.h"

static const exr_opt opts[] = {
    [STATS_DB] = {.lng = "db", .arg = "STORE", .help = "the store: an existing SQLite file or a PostgreSQL URI", .group = "Options"},
    [STATS_FORMAT] = {.lng = "format",
                      .shrt = 'F',
                      .arg = "FMT",
                      .def = "text",
                      .help = "text (a table), json (one object a scan, JSON Lines) or csv (one row a scan, columns named in the "
                              "header)",
                      .group = "Options",
                      .choices = "text json csv"},
    [STATS_VULNS] = EXR_OPT_VULNS_FILE,
    [STATS_CVES] = EXR_OPT_CVES,
    [STATS_KEV_ONLY] = EXR_OPT_KEV_ONLY,
};

const exr_cmdspec exr_spec_stats = {
    "stats",
    "--db STORE",
    "patch rate, compromise and remediation per scan",
    "One row per scan, ordered by observation time: its Exchange hosts by state (compromised, vulnerable, end-of-life, "
    "undetermined, patched, not-affected: every CVE of the tables, the state every command reports), those open to a "
    "known exploited CVE (kev_open), hosts notified by then, hosts notified while open whose newest observation by the "
    "scan's end is patched or not affected (remediated: what exray cases counts resolved), and the loop by the scan's "
    "end: hosts reminded and escalated (notices sent), and resolved (a notify run closed their case by then).",
    opts,
    STATS_NOPTS,
    0,
    0,
    "$ exray stats --db exray.db\n"
    "The campaign, scan by scan.\n"
    "$ exray stats --db exray.db --format json | jq '.states.vulnerable'\n"
    "The vulnerable hosts of each scan.\n",
    "0\tdone\n"
    "2\ta bad option, a store that does not exist, or a store error\n",
};
