/* opts_vulns.c: the options of `exray vulns`. */
#include "opts.h"

static const exr_opt opts[] = {
    [VULNS_VULNS] = EXR_OPT_VULNS_FILE,
    [VULNS_BUILDS] = {.lng = "builds",
                      .shrt = 'b',
                      .arg = "FILE",
                      .def = "the built-in table",
                      .help = "with --check: the build table whose updates the vulnerability table must name",
                      .group = "Vulnerabilities"},
    [VULNS_CVES] = EXR_OPT_CVES,
    [VULNS_KEV_ONLY] = EXR_OPT_KEV_ONLY,
    [VULNS_FORMAT] = {.lng = "format",
                      .shrt = 'F',
                      .arg = "FMT",
                      .def = "text",
                      .help = "text, csv (the table's own columns) or json (one object a row)",
                      .group = "Options",
                      .choices = "text csv json"},
    [VULNS_CHECK] = {.lng = "check",
                     .help = "exit 1 when the table or its KEV dates are older than --max-age days, or when the build table has security "
                             "updates the vulnerability table does not name, saying how to refresh it",
                     .group = "Options"},
    [VULNS_MAX_AGE] = {.lng = "max-age",
                       .arg = "DAYS",
                       .def = "90",
                       .help = "with --check: the age the table and its KEV snapshot may reach",
                       .group = "Options"},
    [VULNS_IMPORT] = {.lng = "import",
                      .arg = "FILE",
                      .help =
                          "set kev_added from CISA's catalog (known_exploited_vulnerabilities.csv from cisagov/kev-data or cisa.gov) and "
                          "write the table to -o",
                      .man =
                          "Every Exchange CVE of the catalog gets its dateAdded; a CVE the catalog no longer lists loses it; an Exchange "
                          "CVE of the catalog with no row is named, and the exit status is 1, since only a row with its fixing update "
                          "makes it a verdict.",
                      .group = "Options"},
    [VULNS_OUTPUT] = {.lng = "output",
                      .shrt = 'o',
                      .arg = "FILE",
                      .help = "with --import: where the table goes ('-' = standard output)",
                      .group = "Options"},
};

const exr_cmdspec exr_spec_vulns = {
    "vulns",
    "[--vulns FILE] [--cves LIST | --kev-only] [--format text|csv|json]\n[--vulns FILE] [--builds FILE] --check [--max-age DAYS]\n"
    "[--vulns FILE] --import known_exploited_vulnerabilities.csv -o FILE",
    "list the vulnerability table, check its age, refresh its KEV dates",
    "The vulnerability table is one row per CVE and the update that fixes it: the products, CISA KEV date, campaign and the "
    "configuration without which the update alone does not fix it. Every verdict per CVE (scan, builds, notify, stats, report) "
    "comes from it and the build table. The list shows the known exploited first.",
    opts,
    VULNS_NOPTS,
    0,
    0,
    "$ exray vulns --kev-only\n"
    "The Exchange CVEs in CISA's catalog, their fixing updates and dates.\n"
    "$ exray vulns --import known_exploited_vulnerabilities.csv -o vulns.csv\n"
    "KEV dates from today's catalog; then scan, notify and report with --vulns vulns.csv.\n",
    "0\tdone; with --check: current\n"
    "1\twith --check: old, or updates are missing; with --import: an Exchange CVE of the catalog has no row\n"
    "2\ta bad option, or a table or catalog that does not load\n",
};
