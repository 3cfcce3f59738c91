/* opts_report.c: the options of `exray report`. */
#include "opts.h"

static const exr_opt opts[] = {
    [REPORT_DB] = {.lng = "db", .arg = "STORE", .help = "the store: an existing SQLite file or a PostgreSQL URI", .group = "Options"},
    [REPORT_OUTPUT] =
        {.lng = "output", .shrt = 'o', .arg = "FILE", .def = "standard output", .help = "write the report to FILE", .group = "Options"},
    [REPORT_FORMAT] = {.lng = "format",
                       .shrt = 'F',
                       .arg = "FMT",
                       .def = "html",
                       .help = "html (one self-contained page), md (Markdown tables) or json (the same figures, one object)",
                       .group = "Options",
                       .choices = "html md json"},
    [REPORT_HUNT] = {.lng = "hunt",
                     .arg = "FILE",
                     .help = "also draw a hunt's findings (exray hunt -o) on a time axis",
                     .group = "Options"},
    [REPORT_VULNS] = EXR_OPT_VULNS_FILE,
    [REPORT_CVES] = EXR_OPT_CVES,
    [REPORT_KEV_ONLY] = EXR_OPT_KEV_ONLY,
    [REPORT_AS_OF] = EXR_OPT_AS_OF,
};

const exr_cmdspec exr_spec_report = {
    "report",
    "--db STORE [-o FILE] [--format html|md|json] [--hunt FILE]",
    "the campaign as one self-contained HTML page (or Markdown, or JSON)",
    "Exposure today (every server by its latest state: compromised, vulnerable, end-of-life, undetermined, patched, "
    "not-affected, by every CVE of the tables, the state every command reports); the patch rate over time (every server "
    "known by each scan, by its latest state then); servers by country and network; known exploited and open CVEs; end "
    "of support; by Exchange version and CU; the notification funnel; the 2021-22 campaigns as a view; with --hunt, a "
    "hunt's findings. The HTML page has inline CSS and SVG, no script and no external resource, and the same store "
    "always renders the same bytes; md and json carry the same figures.",
    opts,
    REPORT_NOPTS,
    0,
    0,
    "$ exray report --db exray.db -o report.html\n"
    "The campaign as one page.\n"
    "$ exray report --db exray.db --format md > report.md\n"
    "The same figures as Markdown tables.\n"
    "$ exray report --db exray.db --format json | jq .current.states\n"
    "Today's servers by state, for a script.\n",
    "0\tthe report was written\n"
    "2\ta bad option, a store that does not exist, or a file that cannot be written\n",
};
