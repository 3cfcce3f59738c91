/* opts_scan.c: the options of `exray scan`. */
#include "opts.h"

#define T "Targets"
#define P "Pace and sharding"
#define O "Output and store"

static const exr_opt opts[] = {
    [SCAN_TARGETS] = {"targets", 'T', "FILE", NULL, "read targets from FILE ('-' = standard input), one a line, # comments",
                      "Lines are TARGETs as on the command line, zmap output (one address a line) or masscan -oL lines.", T, NULL,
                      EXR_OPT_REPEAT},
    [SCAN_PORTS] = {"ports", 'p', "LIST", "443", "ports to probe, e.g. 443,8443 or 8440-8450", NULL, T, NULL, 0},
    [SCAN_BLOCKLIST] = {"blocklist", 'b', "FILE", NULL, "zmap-format blocklist (CIDR or address a line, # comments), always applied",
                        "The built-in blocklist (private, reserved and multicast space, as zmap's) is always applied too.", T, NULL,
                        EXR_OPT_REPEAT},
    [SCAN_RATE] = {"rate", 'r', "N", "1000", "new hosts per second, over all threads; 0 = unlimited", NULL, P, NULL, 0},
    [SCAN_CONCURRENCY] = {"concurrency", 'c', "N", "1000", "hosts in flight at once", NULL, P, NULL, 0},
    [SCAN_TIMEOUT] = {"timeout", 't', "S", "10", "hard per-host deadline in seconds: connect, TLS and every request",
                      "A host that sends a byte a second, or never finishes its headers, is cut off at the deadline.", P, NULL, 0},
    [SCAN_THREADS] = {"threads", 'j', "N", "the number of cores", "event loops", NULL, P, NULL, 0},
    [SCAN_USER_AGENT] = {"user-agent", 'A', "S", "exray/VERSION (non-intrusive Exchange patch-level survey)",
                         "User-Agent of every request; add a URL that explains the scan", NULL, P, NULL, 0},
    [SCAN_SEED] = {"seed", 0, "N", "random", "seed of the address permutation (needed with --shard)", NULL, P, NULL, 0},
    [SCAN_SHARD] = {"shard", 0, "I/N", "0/1", "scan shard I of N (0-based); shards with one seed never overlap and leave no gap",
                    "Run one shard per machine with the same --seed, as with zmap's --shards/--shard.", P, NULL, 0},
    [SCAN_SCAN_NAME] = {"scan-name", 0, "NAME", NULL, "with --db: the logical scan this shard belongs to",
                        "The shards started with one NAME, one --seed and one N into one store are one scan for stats and "
                        "report, shown once every shard has finished; until then stats names the shards missing. A shard "
                        "that has finished cannot be started again; an unfinished one is continued with --resume.",
                        P, NULL, 0},
    [SCAN_PROBE_WEBSHELLS] = {"probe-webshells", 0, NULL, NULL, "also GET the web-shell paths published for the 2021 campaign",
                              "Off by default. A server that answers every path alike (a catch-all) is reported as such, not as a "
                              "web shell.",
                              P, NULL, 0},
    [SCAN_OUTPUT] = {"output", 'o', "FILE", "standard output", "write the records to FILE", NULL, O, NULL, 0},
    [SCAN_FORMAT] = {"format", 'F', "FMT", "json",
                     "json (JSON Lines), csv (Shadowserver scan_exchange) or intelmq (IntelMQ events, one per Exchange server)", NULL, O,
                     "json csv intelmq", 0},
    [SCAN_DB] = {"db", 0, "STORE", NULL, "store every observation in STORE: a SQLite file, or a PostgreSQL URI (postgresql://...)",
                 "The store is what notify, stats and report read; results are committed in batches, so a killed scan "
                 "loses nothing that was committed and --resume continues it.",
                 O, NULL, 0},
    [SCAN_DB_TIMEOUT] = {"db-timeout", 0, "S", "60",
                         "how long an unreachable PostgreSQL server is retried before the scan stops (exit 2, --resume continues)",
                         "A server that does not answer at start (or is starting or stopping) is tried again with backoff; a refused "
                         "login or a missing database fails at once. Observations not yet written are kept in memory meanwhile "
                         "and written once the server is back; a batch "
                         "whose commit was cut off is written again without duplicates.",
                         O, NULL, 0},
    [SCAN_RESUME] = {"resume", 0, NULL, NULL, "continue the last unfinished scan in --db (same seed and shard)", NULL, O, NULL, 0},
    [SCAN_RESCAN] = {"rescan", 0, NULL, NULL,
                     "follow-up rescan: the targets are the hosts the store last saw vulnerable, compromised or undetermined",
                     "Hosts are rescanned by the address and port they were observed on, never by a stored name.", O, NULL, 0},
    [SCAN_STATE] = {"state", 0, "LIST", "vulnerable,compromised,undetermined", "with --rescan: the states to rescan",
                    "A comma-separated list of vulnerable, compromised, undetermined and patched.", O, NULL, 0},
    [SCAN_NOTIFIED_SINCE] = {"notified-since", 0, "DATE", NULL, "with --rescan: only hosts notified on or after DATE (YYYY-MM-DD)", NULL, O,
                             NULL, 0},
    [SCAN_BUILDS] = {"builds", 0, "FILE", "the built-in table", "Exchange build table to classify builds with",
                     "See exray builds --import for making one from Microsoft's page.", "Vulnerabilities", NULL, 0},
    [SCAN_VULNS] = {"vulns", 0, "FILE", "the built-in table",
                    "vulnerability table (update,cve,products,kev_added,campaign,config) for each record's open_cves",
                    "A new Exchange CVE is a row of this file: no new exray is needed.", "Vulnerabilities", NULL, 0},
    [SCAN_CVES] = EXR_OPT_CVES,
    [SCAN_KEV_ONLY] = EXR_OPT_KEV_ONLY,
    [SCAN_AS_OF] = EXR_OPT_AS_OF,
    [SCAN_QUIET] = {"quiet", 'q', NULL, NULL, "no progress line", NULL, O, NULL, 0},
};

const exr_cmdspec exr_spec_scan = {
    "scan",
    "[options] [TARGET...]\n--db STORE --rescan [--state LIST] [--notified-since DATE]",
    "find Exchange/OWA servers and classify their build (ProxyLogon, ProxyShell, ProxyNotShell)",
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
