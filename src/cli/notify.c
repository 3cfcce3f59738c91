/* notify.c: `exray notify`. The work is in src/notify/. */
#include "../core/buf.h"
#include "../notify/import.h"
#include "../notify/notify.h"
#include "../notify/rpsl.h"
#include "../report/report.h"
#include "../store/store.h"
#include "args.h"
#include "cli.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void report(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "exray notify: %s (line skipped)\n", msg);
}

static int load_contacts_file(exr_contacts *cs, const char *path, int national, exr_err *e)
{
    exr_buf b;
    exr_buf_init(&b);
    if (exr_read_file(path, 512u << 20, &b) != 0) {
        int err = errno;
        exr_buf_free(&b);
        return exr_seterr(e, EXR_EIO, "%s: %s", path, strerror(err));
    }
    int rc = national ? exr_contacts_load_national(cs, b.p, b.len, path, report, NULL, e)
                      : exr_contacts_load_csv(cs, b.p, b.len, path, report, NULL, e);
    exr_buf_free(&b);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: exray notify --db FILE --maildir DIR [options]\n\n"
               "Plans one notification per (recipient, state, day) for the Exchange hosts in the store\n"
               "and delivers every pending one exactly once.\n\n"
               "  --db FILE             the store written by exray scan\n"
               "  --contacts FILE       CSV network,email,org (network: CIDR or AS<number>); repeatable\n"
               "  --national FILE       CSV country,email,org replacing the built-in national CERT table\n"
               "  --maildir DIR         deliver into this Maildir (new/<ticket>.eml): a dry run\n"
               "  --smtp URL            submit over SMTP: smtp://host:port or smtps://host:port\n"
               "  --smtp-user U, --smtp-pass-env VAR   authentication (the password is read from $VAR)\n"
               "  --starttls            require STARTTLS (default: use it when offered)\n"
               "  --smtp-timeout S      the whole SMTP transaction of one message, at most S seconds (default 60);\n"
               "                        a timeout after the end of the message makes the ticket uncertain\n"
               "  --smtp-insecure       do not verify the SMTP server's certificate\n"
               "  --domain-rate N       at most N messages a minute to one recipient domain (default 60)\n"
               "  --retries N           retries with backoff (1, 2, 4 s...) for temporary failures (default 3)\n"
               "  --templates DIR       templates <state>.txt instead of the built-in ones\n"
               "  --ipdb FILE           fill ASN, AS name and country from a compiled ip-location-db file or a .mmdb\n"
               "  --interval DAYS       do not notify a host again for the same state within DAYS (default 7)\n"
               "  --from ADDR           sender address (default exray@localhost.localdomain)\n"
               "  --sender-name NAME    sender name used in From: and the signature\n"
               "  --include-patched     also notify hosts in state 'patched'\n"
               "  --plan-only           plan tickets, deliver nothing\n"
               "  --lease SECONDS       how long a ticket claimed by this run is its own (default 900): after that,\n"
               "                        another run treats it as left by a stopped run (Maildir: decided by the file;\n"
               "                        SMTP: uncertain)\n"
               "  --uncertain           list the uncertain tickets (tab-separated: ticket, recipient, state, why) and exit\n"
               "  --resolve TICKET sent|resend   settle an uncertain (or failed) ticket after checking the mail log\n"
               "\nExit status: 0 done, 1 some tickets failed (they stay pending), 2 bad input or store error.\n"
               "A ticket is marked sent right after the server accepts it: a run killed between the two\n"
               "sends that one ticket again when rerun (the only window); Maildir delivery has none.\n");
}

int exr_cmd_notify(int argc, char **argv)
{
    enum { O_DB = 1000, O_CONTACTS, O_NATIONAL, O_MAILDIR, O_TEMPLATES, O_INTERVAL, O_FROM, O_SENDER, O_PATCHED, O_PLAN, O_SMTP,
           O_SMTP_USER, O_SMTP_PASS, O_STARTTLS, O_INSECURE, O_RATE, O_RETRIES, O_IPDB, O_LEASE, O_UNCERTAIN, O_RESOLVE, O_SMTP_TIMEOUT };
    static const struct option opts[] = {
        {"db", required_argument, 0, O_DB}, {"contacts", required_argument, 0, O_CONTACTS}, {"national", required_argument, 0, O_NATIONAL},
        {"maildir", required_argument, 0, O_MAILDIR}, {"templates", required_argument, 0, O_TEMPLATES},
        {"interval", required_argument, 0, O_INTERVAL}, {"from", required_argument, 0, O_FROM},
        {"sender-name", required_argument, 0, O_SENDER}, {"include-patched", no_argument, 0, O_PATCHED},
        {"plan-only", no_argument, 0, O_PLAN}, {"smtp", required_argument, 0, O_SMTP}, {"smtp-user", required_argument, 0, O_SMTP_USER},
        {"smtp-pass-env", required_argument, 0, O_SMTP_PASS}, {"starttls", no_argument, 0, O_STARTTLS},
        {"smtp-insecure", no_argument, 0, O_INSECURE}, {"domain-rate", required_argument, 0, O_RATE},
        {"retries", required_argument, 0, O_RETRIES}, {"ipdb", required_argument, 0, O_IPDB}, {"lease", required_argument, 0, O_LEASE}, {"smtp-timeout", required_argument, 0, O_SMTP_TIMEOUT},
        {"uncertain", no_argument, 0, O_UNCERTAIN}, {"resolve", required_argument, 0, O_RESOLVE}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *ipdb_path = NULL;
    exr_smtp smtp = {NULL, NULL, NULL, 0, 0, 60};
    const char *db = NULL, *national = NULL, *templates = NULL;
    const char *contacts[32];
    int ncontacts = 0;
    bool plan_only = false, list_uncertain = false;
    const char *resolve_ticket = NULL;
    exr_notify_opts o;
    memset(&o, 0, sizeof o);
    o.interval_s = 7 * 86400;
    o.retries = 3;
    o.lease_s = 900;
    o.domain_rate = 60;
    o.from = "exray@localhost.localdomain";
    o.sender_name = "exray notification service";
    o.now = time(NULL);
#ifdef EXRAY_TEST_HOOKS
    /* fault injection for tests/integration/07_notify.sh, only in the test build */
    const char *crash = getenv("EXRAY_TEST_CRASH_AFTER_DELIVERIES");
    o.crash_after = crash ? atol(crash) : 0;
#endif
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case O_DB: db = optarg; break;
        case O_CONTACTS:
            if (ncontacts < 32)
                contacts[ncontacts++] = optarg;
            break;
        case O_NATIONAL: national = optarg; break;
        case O_MAILDIR: o.maildir = optarg; break;
        case O_TEMPLATES: templates = optarg; break;
        case O_INTERVAL: {
            char *end;
            double d = strtod(optarg, &end);
            if (*end || d < 0 || d > 3650) {
                fprintf(stderr, "exray notify: --interval: days 0..3650\n");
                return 2;
            }
            o.interval_s = (long)(d * 86400);
            break;
        }
        case O_FROM:
            if (!exr_email_valid(optarg)) {
                fprintf(stderr, "exray notify: --from: not a valid address\n");
                return 2;
            }
            o.from = optarg;
            break;
        case O_SENDER: o.sender_name = optarg; break;
        case O_PATCHED: o.include_patched = true; break;
        case O_PLAN: plan_only = true; break;
        case O_SMTP:
            if (strncmp(optarg, "smtp://", 7) != 0 && strncmp(optarg, "smtps://", 8) != 0) {
                fprintf(stderr, "exray notify: --smtp: smtp://host:port or smtps://host:port\n");
                return 2;
            }
            smtp.url = optarg;
            break;
        case O_SMTP_USER: smtp.user = optarg; break;
        case O_SMTP_PASS:
            /* the password comes from an environment variable, never the command line */
            smtp.pass = getenv(optarg);
            if (!smtp.pass) {
                fprintf(stderr, "exray notify: --smtp-pass-env: %s is not set\n", optarg);
                return 2;
            }
            break;
        case O_STARTTLS: smtp.starttls = 1; break;
        case O_INSECURE: smtp.insecure = 1; break;
        case O_RATE: {
            char *end;
            o.domain_rate = strtod(optarg, &end);
            if (*end || o.domain_rate < 0) {
                fprintf(stderr, "exray notify: --domain-rate: messages per minute >= 0\n");
                return 2;
            }
            break;
        }
        case O_RETRIES: o.retries = atoi(optarg); break;
        case O_IPDB: ipdb_path = optarg; break;
        case O_LEASE: {
            char *end;
            o.lease_s = strtol(optarg, &end, 10);
            if (*end || o.lease_s < 0 || o.lease_s > 86400 * 7) {
                fprintf(stderr, "exray notify: --lease: seconds 0..604800\n");
                return 2;
            }
            break;
        }
        case O_UNCERTAIN: list_uncertain = true; break;
        case O_SMTP_TIMEOUT: {
            char *end;
            smtp.timeout_s = strtol(optarg, &end, 10);
            if (*end || smtp.timeout_s < 1 || smtp.timeout_s > 3600) {
                fprintf(stderr, "exray notify: --smtp-timeout: seconds 1..3600\n");
                return 2;
            }
            break;
        }
        case O_RESOLVE: resolve_ticket = optarg; break;
        case 'h': usage(stdout); return 0;
        default: exr_args_getopt_hint("notify", argc, argv, opts); usage(stderr); return 2;
        }
    }
    if (list_uncertain || resolve_ticket) {
        if (!db || (resolve_ticket && optind >= argc)) {
            fprintf(stderr, "usage: exray notify --db FILE --uncertain | --resolve TICKET sent|resend\n");
            return 2;
        }
        exr_err e1 = {0, ""};
        exr_store *s1;
        if (exr_store_open_existing(&s1, db, &e1) != 0) {
            fprintf(stderr, "exray notify: %s\n", e1.msg);
            return 2;
        }
        int r1 = 0;
        if (list_uncertain) {
            int n = exr_notify_uncertain(s1, stdout, &e1);
            if (n < 0)
                r1 = 2;
            else
                fprintf(stderr, "exray notify: %d uncertain ticket%s\n", n, n == 1 ? "" : "s");
        } else if (exr_notify_resolve(s1, resolve_ticket, argv[optind], &e1) != 0) {
            r1 = 2;
        } else {
            printf("ticket %s: %s\n", resolve_ticket, strcmp(argv[optind], "sent") == 0 ? "sent" : "pending again (next run sends it)");
        }
        if (r1)
            fprintf(stderr, "exray notify: %s\n", e1.msg);
        exr_store_close(s1);
        return r1;
    }
    if (smtp.url)
        o.smtp = &smtp;
    if (o.smtp && o.maildir) {
        fprintf(stderr, "exray notify: give --smtp or --maildir, not both\n");
        return 2;
    }
    if (!db || (!o.maildir && !o.smtp && !plan_only)) {
        usage(stderr);
        return 2;
    }
    exr_err e = {0, ""};
    exr_contacts cs;
    exr_contacts_init(&cs);
    int rc = 2;
    for (int i = 0; i < ncontacts; i++)
        if (load_contacts_file(&cs, contacts[i], 0, &e) != 0)
            goto out;
    if ((national ? load_contacts_file(&cs, national, 1, &e) : exr_contacts_load_default_national(&cs, &e)) != 0)
        goto out;
    o.contacts = &cs;
    if (exr_notify_load_templates(&o, templates, &e) != 0)
        goto out;
    exr_store *s;
    if (exr_store_open_existing(&s, db, &e) != 0)
        goto out;
    if (exr_contacts_load_store(&cs, s, &e) != 0) {
        exr_store_close(s);
        goto out;
    }
    exr_contacts_finish(&cs);
    exr_notify_stats st;
    memset(&st, 0, sizeof st);
    if (ipdb_path) {
        exr_ipdb *ipdb;
        if (exr_ipdb_open(&ipdb, ipdb_path, &e) != 0) {
            exr_store_close(s);
            goto out;
        }
        long n = exr_notify_enrich(s, ipdb, &e);
        exr_ipdb_close(ipdb);
        if (n < 0) {
            exr_store_close(s);
            goto out;
        }
        fprintf(stderr, "exray notify: %ld hosts enriched with ASN, AS name and country from %s\n", n, ipdb_path);
    }
    if (exr_notify_plan(s, &o, &st, &e) == 0 && (plan_only || exr_notify_send(s, &o, &st, &e) == 0))
        rc = 0;
    exr_store_close(s);
    fprintf(stderr, "exray notify: %ld Exchange hosts (", st.hosts);
    for (int i = EXR_NSTATES - 1; i >= 0; i--)
        fprintf(stderr, "%s %ld%s", exr_state_name[i], st.by_state[i], i ? ", " : ")\n");
    fprintf(stderr, "  %ld new directives in %ld new tickets; %ld already notified within the interval; %ld without a contact;"
                    " %ld opted out; %ld contact lines skipped\n",
            st.planned_directives, st.tickets_new, st.suppressed, st.no_contact, st.opted_out, cs.bad_lines);
    if (!plan_only)
        fprintf(stderr, "  %ld tickets delivered to %s (%ld had been delivered by an interrupted run); %ld failed; %ld uncertain"
                        " (see --uncertain)\n",
                st.sent, o.smtp ? smtp.url : o.maildir, st.already_delivered, st.failed, st.uncertain);
    if (rc == 0 && (st.failed || st.uncertain))
        rc = 1;
out:
    if (rc != 0 && e.msg[0])
        fprintf(stderr, "exray notify: %s\n", e.msg);
    for (int i = 0; i < EXR_NSTATES; i++)
        exr_template_free(&o.templates[i]);
    exr_contacts_free(&cs);
    return rc;
}
