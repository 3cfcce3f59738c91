/* opts_import.c: the options of `exray import`. */
#include "opts.h"

static const exr_opt opts[] = {
    [IMPORT_DB] = {.lng = "db",
                   .arg = "STORE",
                   .help = "the store to load the reports into: a SQLite file (created when absent) or a PostgreSQL URI",
                   .group = "Options"},
};

const exr_cmdspec exr_spec_import = {
    "import",
    "--db STORE REPORT...",
    "load Shadowserver scan_exchange CSV reports or exray JSON Lines into the store",
    "REPORT: a Shadowserver scan_exchange CSV (the 2021 or the current layout) or exray scan JSON Lines. Each report "
    "becomes one scan that starts and ends at its report's own times; a malformed line is reported with its file and "
    "line and skipped. A JSON Lines record may carry \"asn\" (a number; or \"source.asn\") and \"country\" (an ISO 3166 code; or \"geo\", "
    "\"cc\", \"country_code\", \"source.geolocation.cc\"), as "
    "enriched feeds do; notify then chooses AS and national CERT contacts from them.",
    opts,
    IMPORT_NOPTS,
    1,
    -1,
    "$ exray import --db exray.db 2021-03-11-scan_exchange-*.csv scan.jsonl\n"
    "Load Shadowserver reports and an exray scan into one store.\n",
    "0\tevery report was imported (malformed lines are counted and skipped)\n"
    "2\ta bad option, a report that cannot be read, or a store error\n",
};
