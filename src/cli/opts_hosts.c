/* opts_hosts.c: the options of `exray hosts`. */
#include "opts.h"

static const exr_opt opts[] = {
    [HOSTS_DB] = {.lng = "db", .arg = "STORE", .help = "the store: an existing SQLite file or a PostgreSQL URI", .group = "Options"},
    [HOSTS_STATE] = {.lng = "state",
                     .arg = "LIST",
                     .help = "only hosts in these states (comma-separated: compromised, vulnerable, end-of-life, undetermined, "
                             "patched, not-affected)",
                     .group = "Options"},
    [HOSTS_FORMAT] = {.lng = "format",
                      .shrt = 'F',
                      .arg = "FMT",
                      .def = "text",
                      .help = "text (a table), json (one object a host, JSON Lines) or csv (one row a host, columns named in the "
                              "header)",
                      .group = "Options",
                      .choices = "text json csv"},
};

const exr_cmdspec exr_spec_hosts = {
    "hosts",
    "--db STORE [--state LIST] [--format text|json|csv]",
    "every server by its present state: open CVEs, known exploited, support, its case",
    "One line per server ever seen as Exchange, by its present state: the worst state of its Exchange observations in "
    "the latest scan it answered in (a web shell counts until a later probe finds none), the same state stats, report, "
    "notify and cases use. With it: the address and port, when it was seen, the build, the CVEs open (the known exploited "
    "first, then those a feed asserted), the number known exploited, the support state, the CVEs to check in the "
    "configuration, the network and country, what an imported report said of it (region, city, sector, ...), and its "
    "notification case (recipient, organisation, first ticket, open or resolved).",
    opts,
    HOSTS_NOPTS,
    0,
    0,
    "$ exray hosts --db exray.db --state compromised,vulnerable\n"
    "The servers to act on.\n"
    "$ exray hosts --db exray.db --format json | jq 'select(.kev_open > 0) | .ip'\n"
    "The servers open to a known exploited CVE.\n",
    "0\tdone\n"
    "2\ta bad option, a store that does not exist, or a store error\n",
};
