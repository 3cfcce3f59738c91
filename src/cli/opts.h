/* opts.h: every command's options as one declarative table (src/cli/opts_*.c). From it come
 * the getopt_long parsing (opts.c), `--help`, the man page, the README option tables and
 * bash completion (gendoc.c): an option is written once. */
#ifndef EXR_CLI_OPTS_H
#define EXR_CLI_OPTS_H

#include <stdbool.h>
#include <stdio.h>

#define EXR_OPT_REPEAT 1u /* may be given more than once; every value is kept */

typedef struct exr_opt {
    const char *lng;     /* long name without the dashes */
    int shrt;            /* short letter, or 0 */
    const char *arg;     /* argument name (FILE, DIR, N, LIST...), NULL for a flag */
    const char *def;     /* the default, as shown to users, or NULL */
    const char *help;    /* one line for --help and README */
    const char *man;     /* more for the man page (appended to help), or NULL */
    const char *group;   /* heading the option is listed under */
    const char *choices; /* space-separated values, for completion, or NULL */
    unsigned flags;
} exr_opt;

typedef struct exr_cmdspec {
    const char *name;        /* "scan", "contacts import" */
    const char *synopsis;    /* after "exray NAME ": "[options] [TARGET...]" (lines split by \n) */
    const char *summary;     /* one line */
    const char *description; /* paragraphs split by \n\n */
    const exr_opt *opts;
    int nopts;
    int min_pos, max_pos;    /* positional arguments allowed (max -1: any number) */
    const char *examples;    /* pairs of lines: "$ command" then what it does */
    const char *exit_status; /* lines "N<TAB>meaning" */
} exr_cmdspec;

#define EXR_MAXOPTS 40
#define EXR_MAXVALS 256

typedef struct exr_parsed {
    const char *val[EXR_MAXOPTS]; /* the last value given; "" for a flag; NULL when absent */
    int count[EXR_MAXOPTS];
    struct {
        int id;
        const char *v;
    } all[EXR_MAXVALS]; /* every value, in order (for repeatable options) */
    int nall;
    char **pos; /* positional arguments */
    int npos;
} exr_parsed;

enum { EXR_PARSE_OK = 0, EXR_PARSE_HELP = 1, EXR_PARSE_ERROR = 2 };

/* Parses argv[1..argc) (argv[0] is the command's last word) against the table: -h/--help
 * prints the help on stdout (HELP); an unknown option, a missing argument or the wrong
 * number of positional arguments prints a message naming it, and the closest known option,
 * on stderr (ERROR). `--` ends options. */
int exr_opts_parse(const exr_cmdspec *s, int argc, char **argv, exr_parsed *p);
/* Every value given for option id, in order; returns how many (at most max). */
int exr_opts_values(const exr_parsed *p, int id, const char **out, int max);
bool exr_opts_has(const exr_parsed *p, int id);

/* Value checks that print "exray CMD: --NAME: ..." on failure and return -1. */
int exr_opt_long(const exr_cmdspec *s, int id, const char *v, long lo, long hi, long *out);
int exr_opt_double(const exr_cmdspec *s, int id, const char *v, double lo, double hi, double *out);
int exr_opt_choice(const exr_cmdspec *s, int id, const char *v); /* index in choices, or -1 */
/* The value given on the command line, else the option's default in its table (which must
 * then be a number: test_opts checks every table); 0, or -1 after the error is printed. */
int exr_opt_long_or_default(const exr_cmdspec *s, const exr_parsed *p, int id, long lo, long hi, long *out);
int exr_opt_double_or_default(const exr_cmdspec *s, const exr_parsed *p, int id, double lo, double hi, double *out);
/* "exray CMD: MSG" on stderr; returns 2 (the exit status of a usage error). */
int exr_opts_fail(const exr_cmdspec *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void exr_opts_help(const exr_cmdspec *s, FILE *f);

/* Commands made of subcommands (contacts import|optout, enrich compile|lookup, db copy):
 * argv[1] picks one, which runs with argv[1..]; -h/--help or nothing known prints every
 * subcommand's help (stdout and 0, or stderr and 2). */
typedef struct exr_subcmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const exr_cmdspec *spec;
} exr_subcmd;
int exr_opts_dispatch(const char *cmd, const exr_subcmd *subs, int n, int argc, char **argv);
/* The known name closest to s (edit distance at most 3), or NULL. */
const char *exr_opts_closest(const char *s, const char *const *names, int n);

/* The tables, in the order of the man page. */
extern const exr_cmdspec exr_spec_scan, exr_spec_hunt, exr_spec_builds, exr_spec_import, exr_spec_notify, exr_spec_contacts_import,
    exr_spec_contacts_optout, exr_spec_enrich_compile, exr_spec_enrich_lookup, exr_spec_stats, exr_spec_report, exr_spec_db_copy,
    exr_spec_vulns, exr_spec_cases, exr_spec_hosts;
extern const exr_cmdspec *const exr_specs[];
extern const int exr_nspecs;

/* The options every command that says which CVEs are open shares: one text each. */
#define EXR_OPT_VULNS_FILE                                                                                                                 \
    {                                                                                                                                      \
        .lng = "vulns", .arg = "FILE", .def = "the built-in table",                                                                        \
        .help = "the vulnerability table to read (update,cve,products,kev_added,campaign,config)",                                         \
        .man = "A new Exchange CVE is a row of this file: a copy of data/exchange-vulns.csv with the row added needs no new exray.",       \
        .group = "Vulnerabilities"                                                                                                         \
    }
#define EXR_OPT_CVES                                                                                                                       \
    {                                                                                                                                      \
        .lng = "cves", .arg = "LIST", .def = "every CVE",                                                                                  \
        .help = "count only these CVEs as open: CVE ids, campaigns (ProxyLogon...), 'kev' or 'all', comma-separated",                      \
        .man = "A host is vulnerable only when one of them is open by its build; the known exploited stay first in every list.",           \
        .group = "Vulnerabilities"                                                                                                         \
    }
#define EXR_OPT_KEV_ONLY                                                                                                                   \
    {                                                                                                                                      \
        .lng = "kev-only", .help = "count only the CVEs in CISA's Known Exploited Vulnerabilities catalog (--cves kev)",                   \
        .group = "Vulnerabilities"                                                                                                         \
    }
#define EXR_OPT_AS_OF                                                                                                                      \
    {                                                                                                                                      \
        .lng = "as-of", .arg = "DAY", .def = "today", .help = "the day (YYYY-MM-DD) support states are for", .group = "Vulnerabilities"    \
    }

/* Option ids: the index of each option in its command's table. */
enum {
    SCAN_TARGETS,
    SCAN_PORTS,
    SCAN_BLOCKLIST,
    SCAN_RATE,
    SCAN_CONCURRENCY,
    SCAN_TIMEOUT,
    SCAN_THREADS,
    SCAN_USER_AGENT,
    SCAN_SEED,
    SCAN_SHARD,
    SCAN_SCAN_NAME,
    SCAN_PROBE_WEBSHELLS,
    SCAN_OUTPUT,
    SCAN_FORMAT,
    SCAN_DB,
    SCAN_DB_TIMEOUT,
    SCAN_RESUME,
    SCAN_RESCAN,
    SCAN_STATE,
    SCAN_NOTIFIED_SINCE,
    SCAN_QUIET,
    SCAN_BUILDS,
    SCAN_VULNS,
    SCAN_CVES,
    SCAN_KEV_ONLY,
    SCAN_AS_OF,
    SCAN_NOPTS
};
enum {
    HUNT_OUTPUT,
    HUNT_FORMAT,
    HUNT_TIMELINE,
    HUNT_THREADS,
    HUNT_QUIET,
    HUNT_RULES,
    HUNT_RULES_STRICT,
    HUNT_RULES_CACHE,
    HUNT_BUILDS,
    HUNT_INSTALL,
    HUNT_HTTPPROXY,
    HUNT_ECP_SERVER,
    HUNT_OAB_LOG,
    HUNT_IIS,
    HUNT_WEBROOT,
    HUNT_EVTX,
    HUNT_PROGRAMDATA,
    HUNT_TEMP,
    HUNT_NOPTS
};
enum {
    BUILDS_BUILDS,
    BUILDS_VULNS,
    BUILDS_CVES,
    BUILDS_KEV_ONLY,
    BUILDS_AS_OF,
    BUILDS_FORMAT,
    BUILDS_LIST,
    BUILDS_CHECK,
    BUILDS_MAX_AGE,
    BUILDS_IMPORT,
    BUILDS_MERGE,
    BUILDS_OUTPUT,
    BUILDS_NOPTS
};
enum {
    VULNS_VULNS,
    VULNS_BUILDS,
    VULNS_CVES,
    VULNS_KEV_ONLY,
    VULNS_FORMAT,
    VULNS_CHECK,
    VULNS_MAX_AGE,
    VULNS_IMPORT,
    VULNS_OUTPUT,
    VULNS_NOPTS
};
enum { IMPORT_DB, IMPORT_NOPTS };
enum {
    NOTIFY_DB,
    NOTIFY_CONTACTS,
    NOTIFY_NATIONAL,
    NOTIFY_IPDB,
    NOTIFY_MAILDIR,
    NOTIFY_SMTP,
    NOTIFY_SMTP_USER,
    NOTIFY_SMTP_PASS_ENV,
    NOTIFY_STARTTLS,
    NOTIFY_SMTP_INSECURE,
    NOTIFY_SMTP_INSECURE_AUTH,
    NOTIFY_SMTP_TIMEOUT,
    NOTIFY_DOMAIN_RATE,
    NOTIFY_RETRIES,
    NOTIFY_LEASE,
    NOTIFY_FROM,
    NOTIFY_SENDER_NAME,
    NOTIFY_TEMPLATES,
    NOTIFY_INTERVAL,
    NOTIFY_REMIND_AFTER,
    NOTIFY_REMINDERS,
    NOTIFY_RESOLVED_NOTICES,
    NOTIFY_NOW,
    NOTIFY_INCLUDE_PATCHED,
    NOTIFY_PLAN_ONLY,
    NOTIFY_UNCERTAIN,
    NOTIFY_RESOLVE,
    NOTIFY_VULNS,
    NOTIFY_CVES,
    NOTIFY_KEV_ONLY,
    NOTIFY_NOPTS
};
enum { CIMPORT_DB, CIMPORT_SOURCE, CIMPORT_NOPTS };
enum { OPTOUT_DB, OPTOUT_NOPTS };
enum { ECOMPILE_ASN4, ECOMPILE_ASN6, ECOMPILE_COUNTRY4, ECOMPILE_COUNTRY6, ECOMPILE_OUTPUT, ECOMPILE_NOPTS };
enum { ELOOKUP_IPDB, ELOOKUP_NOPTS };
enum { STATS_DB, STATS_FORMAT, STATS_VULNS, STATS_CVES, STATS_KEV_ONLY, STATS_NOPTS };
enum { CASES_DB, CASES_FORMAT, CASES_OPEN, CASES_RESOLVED, CASES_NOPTS };
enum { HOSTS_DB, HOSTS_STATE, HOSTS_FORMAT, HOSTS_NOPTS };
enum { DBCOPY_FROM, DBCOPY_TO, DBCOPY_NOPTS };
enum { REPORT_DB, REPORT_OUTPUT, REPORT_FORMAT, REPORT_HUNT, REPORT_VULNS, REPORT_CVES, REPORT_KEV_ONLY, REPORT_AS_OF, REPORT_NOPTS };

#endif
