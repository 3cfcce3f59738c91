/* opts_cases.c: the options of `exray cases`. */
#include "opts.h"

static const exr_opt opts[] = {
    [CASES_DB] = {.lng = "db", .arg = "STORE", .help = "the store: an existing SQLite file or a PostgreSQL URI", .group = "Options"},
    [CASES_FORMAT] = {.lng = "format",
                      .shrt = 'F',
                      .arg = "FMT",
                      .def = "text",
                      .help = "text (a table, the oldest open case first), json (one object a case, with its hosts) or csv (one row a "
                              "case)",
                      .group = "Options",
                      .choices = "text json csv"},
    [CASES_OPEN] = {.lng = "open", .help = "only the cases with a host still affected", .group = "Options"},
    [CASES_RESOLVED] = {.lng = "resolved", .help = "only the cases whose every host is resolved", .group = "Options"},
};

const exr_cmdspec exr_spec_cases = {
    "cases",
    "--db STORE [--format text|json|csv] [--open | --resolved]",
    "the notification cases: who was told, reminded, escalated to, and what is resolved",
    "A case is a recipient and its affected hosts from the first notice until a later observation shows every one of them "
    "no longer affected; a host affected again afterwards opens a new case. An escalation counts in the case of the "
    "recipient it followed up. Times are when the notices went out (planned, if not yet sent) and, for resolved_at, when "
    "the observation that showed the host fixed was made.",
    opts,
    CASES_NOPTS,
    0,
    0,
    "$ exray cases --db exray.db --open\n"
    "The open cases, the oldest notice first: what to chase today.\n"
    "$ exray cases --db exray.db --format json | jq 'select(.escalated)'\n"
    "The cases that went up the chain.\n",
    "0\tdone\n"
    "2\ta bad option, a store that does not exist, or a store error\n",
};
