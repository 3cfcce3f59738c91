/* opts_builds.c: the options of `exray builds`. */
#include "opts.h"

static const exr_opt opts[] = {
    [BUILDS_BUILDS] = {.lng = "builds",
                       .shrt = 'b',
                       .arg = "FILE",
                       .def = "the built-in table",
                       .help = "the build table to read",
                       .group = "Vulnerabilities"},
    [BUILDS_VULNS] = EXR_OPT_VULNS_FILE,
    [BUILDS_CVES] = EXR_OPT_CVES,
    [BUILDS_KEV_ONLY] = EXR_OPT_KEV_ONLY,
    [BUILDS_AS_OF] = EXR_OPT_AS_OF,
    [BUILDS_FORMAT] =
        {"format", 'F', "FMT", "text",
         "text, or json: one object a line with build, product, cu, su, support {state, since, esu_evidence}, the sets' verdicts "
         "and cves {id: {verdict, fixed_by, kev, campaign}} for every CVE of the build's product",
         NULL, "Options", "text json", 0},
    [BUILDS_LIST] = {.lng = "list", .shrt = 'l', .help = "print the whole table", .group = "Options"},
    [BUILDS_CHECK] = {.lng = "check",
                      .help = "exit 1 when the table was last checked more than --max-age days ago, saying how to refresh it",
                      .group = "Options"},
    [BUILDS_MAX_AGE] =
        {.lng = "max-age", .arg = "DAYS", .def = "90", .help = "with --check: the age a table may reach", .group = "Options"},
    [BUILDS_IMPORT] = {.lng = "import",
                       .arg = "FILE",
                       .help = "convert Microsoft's build-number page (saved HTML or its Markdown source), Get-ExchangeBuildNumber's "
                               "ExchangeBuildNumbers.csv or another CSV with build and name columns into the table format",
                       .man = "The campaign sets' fixing updates are set by rule (Mar21SU, May21SU and Nov22SU on each CU, and the first "
                              "CU released after them); every other CVE's verdict follows from the update names (Feb23SU, Apr25HU...) "
                              "the import carries. What the import adds, changes and drops against the current table is printed.",
                       .group = "Options"},
    [BUILDS_MERGE] = {.lng = "merge",
                      .help = "with --import: keep the rows of the current table the import lacks (ExchangeBuildNumbers.csv has no "
                              "2018-2020 updates)",
                      .group = "Options"},
    [BUILDS_OUTPUT] = {.lng = "output",
                       .shrt = 'o',
                       .arg = "FILE",
                       .help = "with --import: where the table goes ('-' = standard output)",
                       .group = "Options"},
};

const exr_cmdspec exr_spec_builds = {
    "builds",
    "[--builds FILE] VERSION...\n[--builds FILE] --list\n[--builds FILE] --check [--max-age DAYS]\n--import PAGE.html|PAGE.md|builds.csv "
    "[--merge] -o FILE",
    "look up an Exchange build number, list the build table, check its age or import a new one",
    "Prints what an Exchange build is (product, CU, security update) and its verdict for ProxyLogon, ProxyShell and "
    "ProxyNotShell. A 3-part build (what OWA's page path shows) is undetermined when its CU received a fixing "
    "security update; a build the table does not describe is never vulnerable.",
    opts,
    BUILDS_NOPTS,
    0,
    -1,
    "$ exray builds 15.2.858.2 15.1.2176\n"
    "What two builds are, and their verdicts.\n"
    "$ exray builds --import build-numbers-and-release-dates.html -o builds.csv\n"
    "Make a current table from Microsoft's page saved from a browser; then scan with --builds builds.csv.\n",
    "0\tdone; with --check: the table is current\n"
    "1\twith --check: the table is older than --max-age days\n"
    "2\ta bad option or build number, or a table that does not load\n",
};
