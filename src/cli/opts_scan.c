/* opts_scan.c: the options of `exray scan`. */
#include "opts.h"

#define T "Targets"
#define P "Pace and sharding"
#define O "Output and store"

static const exr_opt opts[] = {
    [SCAN_TARGETS] = {.lng = "targets",
                      .shrt = 'T',
                      .arg = "FILE",
                      .help = "read targets from FILE ('-' = standard input), one a line, # comments",
                      .man = "Lines are TARGETs as on the command line, zmap output (one address a line) or masscan -oL lines.",
                      .group = T,
                      .flags = EXR_OPT_REPEAT},
    [SCAN_PORTS] =
        {.lng = "ports", .shrt = 'p', .arg = "LIST", .def = "443", .help = "ports to probe, e.g. 443,8443 or 8440-8450", .group = T},
    [SCAN_BLOCKLIST] = {.lng = "blocklist",
                        .shrt = 'b',
                        .arg = "FILE",
                        .help = "zmap-format blocklist (CIDR or address a line, # comments), always applied",
                        .man = "The built-in blocklist (private, reserved and multicast space, as zmap's) is always applied too.",
                        .group = T,
                        .flags = EXR_OPT_REPEAT},
    [SCAN_RATE] = {.lng = "rate",
                   .shrt = 'r',
                   .arg = "N",
                   .def = "1000",
                   .help = "new hosts per second, over all threads; 0 = unlimited",
                   .group = P},
    [SCAN_CONCURRENCY] = {.lng = "concurrency", .shrt = 'c', .arg = "N", .def = "1000", .help = "hosts in flight at once", .group = P},
    [SCAN_TIMEOUT] = {.lng = "timeout",
                      .shrt = 't',
                      .arg = "S",
                      .def = "10",
                      .help = "hard per-host deadline in seconds: connect, TLS and every request",
                      .man = "A host that sends a byte a second, or never finishes its headers, is cut off at the deadline.",
                      .group = P},
    [SCAN_THREADS] = {.lng = "threads", .shrt = 'j', .arg = "N", .def = "the number of cores", .help = "event loops", .group = P},
    [SCAN_USER_AGENT] = {.lng = "user-agent",
                         .shrt = 'A',
                         .arg = "S",
                         .def = "exray/VERSION (non-intrusive Exchange patch-level survey)",
                         .help = "User-Agent of every request; add a URL that explains the scan",
                         .group = P},
    [SCAN_SEED] = {.lng = "seed", .arg = "N", .def = "random", .help = "seed of the address permutation (needed with --shard)", .group = P},
    [SCAN_SHARD] = {.lng = "shard",
                    .arg = "I/N",
                    .def = "0/1",
                    .help = "scan shard I of N (0-based); shards with one seed never overlap and leave no gap",
                    .man = "Run one shard per machine with the same --seed, as with zmap's --shards/--shard.",
                    .group = P},
    [SCAN_SCAN_NAME] = {.lng = "scan-name",
                        .arg = "NAME",
                        .help = "with --db: the logical scan this shard belongs to",
                        .man = "The shards started with one NAME, one --seed and one N into one store are one scan for stats and "
                               "report, shown once every shard has finished; until then stats names the shards missing. A shard "
                               "that has finished cannot be started again; an unfinished one is continued with --resume.",
                        .group = P},
    [SCAN_PROBE_WEBSHELLS] = {.lng = "probe-webshells",
                              .help = "also GET the web-shell paths published for the 2021 campaign",
                              .man = "Off by default. A server that answers every path alike (a catch-all) is reported as such, not as a "
                                     "web shell.",
                              .group = P},
    [SCAN_OUTPUT] =
        {.lng = "output", .shrt = 'o', .arg = "FILE", .def = "standard output", .help = "write the records to FILE", .group = O},
    [SCAN_FORMAT] = {.lng = "format",
                     .shrt = 'F',
                     .arg = "FMT",
                     .def = "json",
                     .help = "json (JSON Lines), csv (Shadowserver scan_exchange) or intelmq (IntelMQ events, one per Exchange server)",
                     .group = O,
                     .choices = "json csv intelmq"},
    [SCAN_DB] = {.lng = "db",
                 .arg = "STORE",
                 .help = "store every observation in STORE: a SQLite file, or a PostgreSQL URI (postgresql://...)",
                 .man = "The store is what notify, stats and report read; results are committed in batches, so a killed scan "
                        "loses nothing that was committed and --resume continues it.",
                 .group = O},
    [SCAN_DB_TIMEOUT] = {.lng = "db-timeout",
                         .arg = "S",
                         .def = "60",
                         .help = "how long an unreachable PostgreSQL server is retried before the scan stops (exit 2, --resume continues)",
                         .man =
                             "A server that does not answer at start (or is starting or stopping) is tried again with backoff; a refused "
                             "login or a missing database fails at once. Observations not yet written are kept in memory meanwhile "
                             "and written once the server is back; a batch "
                             "whose commit was cut off is written again without duplicates.",
                         .group = O},
    [SCAN_RESUME] = {.lng = "resume", .help = "continue the last unfinished scan in --db (same seed and shard)", .group = O},
    [SCAN_RESCAN] = {.lng = "rescan",
                     .help = "follow-up rescan: the targets are the hosts the store last saw compromised, vulnerable, end-of-life or "
                             "undetermined",
                     .man = "Hosts are rescanned by the address and port they were observed on, never by a stored name.",
                     .group = O},
    [SCAN_STATE] = {.lng = "state",
                    .arg = "LIST",
                    .def = "compromised,vulnerable,end-of-life,undetermined",
                    .help = "with --rescan: the states to rescan",
                    .man = "A comma-separated list of the states every command reports: compromised, vulnerable, end-of-life, "
                           "undetermined, patched, not-affected. A host where a web shell was found counts as compromised.",
                    .group = O},
    [SCAN_NOTIFIED_SINCE] = {.lng = "notified-since",
                             .arg = "DATE",
                             .help = "with --rescan: only hosts notified on or after DATE (YYYY-MM-DD)",
                             .group = O},
    [SCAN_BUILDS] = {.lng = "builds",
                     .arg = "FILE",
                     .def = "the built-in table",
                     .help = "Exchange build table to classify builds with",
                     .man = "See exray builds --import for making one from Microsoft's page.",
                     .group = "Vulnerabilities"},
    [SCAN_VULNS] = {.lng = "vulns",
                    .arg = "FILE",
                    .def = "the built-in table",
                    .help = "vulnerability table (update,cve,products,kev_added,campaign,config) for each record's open_cves",
                    .man = "A new Exchange CVE is a row of this file: no new exray is needed.",
                    .group = "Vulnerabilities"},
    [SCAN_CVES] = EXR_OPT_CVES,
    [SCAN_KEV_ONLY] = EXR_OPT_KEV_ONLY,
    [SCAN_AS_OF] = EXR_OPT_AS_OF,
    [SCAN_QUIET] = {.lng = "quiet", .shrt = 'q', .help = "no progress line", .group = O},
};

const exr_cmdspec exr_spec_scan = {
    "scan",
    "[options] [TARGET...]\n--db STORE --rescan [--state LIST] [--notified-since DATE]",
    "find Exchange/OWA servers, read their build and say which CVEs are open",
    "Finds Exchange and OWA servers among the targets and reads their exact build from what any browser is sent "
    "(the X-OWA-Version header, the logon page's resource paths, the ECP manifest), without exploiting anything: "
    "only ordinary unauthenticated GETs. Each Exchange server gets a verdict per vulnerability set: vulnerable, "
    "patched, undetermined or not-affected; a build the table does not describe is never vulnerable.\n\n"
    "TARGET: an IPv4 or IPv6 address, a CIDR, a hostname, host:port, [v6]:port or an https:// URL.",
    opts,
    SCAN_NOPTS,
    0,
    -1,
    "$ exray scan -p 443 -r 5000 -o owa.jsonl 192.0.2.0/24 2001:db8::/120\n"
    "Scan two networks at 5,000 new hosts a second; JSON Lines to owa.jsonl.\n"
    "$ exray scan --seed 7 --shard 0/4 --db shard0.db -T targets.txt\n"
    "The first of four shards of one scan (run 1/4, 2/4 and 3/4 on other machines with the same seed).\n"
    "$ exray scan --db exray.db --resume -T targets.txt\n"
    "Continue the scan a crash or Ctrl-C interrupted.\n"
    "$ exray scan --db exray.db --rescan --notified-since 2021-03-15\n"
    "Rescan the hosts notified since March 15 that were last seen vulnerable, compromised or undetermined.\n",
    "0\tthe scan ran to the end\n"
    "1\tinterrupted (SIGINT or SIGTERM) before every target was scanned: what was scanned is kept, and --resume "
    "continues a scan stored with --db\n"
    "2\tbad option or target, or the store could not be written\n",
};
