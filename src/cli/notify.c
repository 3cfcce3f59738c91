/* notify.c: `exray notify`. The work is in src/notify/. */
#include "../core/buf.h"
#include "../notify/import.h"
#include "../notify/notify.h"
#include "../notify/rpsl.h"
#include "../store/store.h"
#include "open.h"
#include "opts.h"
#include "cli.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../core/timefmt.h"
#include <unistd.h>

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

static void ticket_error(void *ctx, const char *ticket, const char *recipient, const char *msg, const char *outcome)
{
    (void)ctx;
    fprintf(stderr, "exray notify: ticket %s to %s: %s (%s)\n", ticket, recipient, msg, outcome);
}

#ifdef EXRAY_TEST_HOOKS
/* Fault injection for 07_notify.sh and 15_exactly_once.sh, compiled only into the test
 * build: EXRAY_TEST_CRASH_AT=claim|write|rename|commit|before-data|after-250 dies at that
 * point; EXRAY_TEST_CRASH_AFTER_DELIVERIES=N dies after N deliveries, before marking them. */
static void test_hook(const char *where)
{
    static long delivered;
    const char *at = getenv("EXRAY_TEST_CRASH_AT"), *after = getenv("EXRAY_TEST_CRASH_AFTER_DELIVERIES");
    if (at && strcmp(at, where) == 0)
        _exit(137);
    if (after && strcmp(where, "delivered") == 0 && ++delivered >= atol(after))
        _exit(137);
}
#endif

typedef struct notify_args {
    exr_notify_opts o;
    exr_smtp smtp;
    const char *contacts[32];
    int ncontacts;
} notify_args;

static int validate_smtp(const exr_parsed *p, notify_args *a)
{
    const exr_cmdspec *spec = &exr_spec_notify;
    const char *url = p->val[NOTIFY_SMTP];
    long t = 0;
    if (url && strncmp(url, "smtp://", 7) != 0 && strncmp(url, "smtps://", 8) != 0)
        return exr_opts_fail(spec, "--smtp: smtp://host:port or smtps://host:port"), -1;
    if (exr_opt_long_or_default(spec, p, NOTIFY_SMTP_TIMEOUT, 1, 3600, &t) != 0)
        return -1;
    /* credentials only over TLS, unless the user says otherwise */
    bool need_tls = p->val[NOTIFY_STARTTLS] || (p->val[NOTIFY_SMTP_USER] && !p->val[NOTIFY_SMTP_INSECURE_AUTH]);
    a->smtp = (exr_smtp){url, p->val[NOTIFY_SMTP_USER], NULL, need_tls, p->val[NOTIFY_SMTP_INSECURE] != NULL, t};
    if (p->val[NOTIFY_SMTP_PASS_ENV]) {
        /* the password comes from an environment variable, never the command line */
        a->smtp.pass = getenv(p->val[NOTIFY_SMTP_PASS_ENV]);
        if (!a->smtp.pass)
            return exr_opts_fail(spec, "--smtp-pass-env: %s is not set", p->val[NOTIFY_SMTP_PASS_ENV]), -1;
    }
    if (url)
        a->o.smtp = &a->smtp;
    if (url && a->o.maildir)
        return exr_opts_fail(spec, "give --smtp or --maildir, not both"), -1;
    return 0;
}

static int validate(const exr_parsed *p, notify_args *a)
{
    const exr_cmdspec *spec = &exr_spec_notify;
    exr_notify_opts *o = &a->o;
    memset(a, 0, sizeof *a);
    double interval = 0, rate = 0;
    long retries = 0, lease = 0, reminders = 0;
    /* --interval is the older name of --remind-after (whose default counts when neither is given) */
    int ri = p->val[NOTIFY_INTERVAL] && !p->val[NOTIFY_REMIND_AFTER] ? NOTIFY_INTERVAL : NOTIFY_REMIND_AFTER;
    if (exr_opt_double_or_default(spec, p, ri, 0, 3650, &interval) != 0 ||
        exr_opt_long_or_default(spec, p, NOTIFY_REMINDERS, 0, 1000000, &reminders) != 0 ||
        exr_opt_double_or_default(spec, p, NOTIFY_DOMAIN_RATE, 0, 1e6, &rate) != 0 ||
        exr_opt_long_or_default(spec, p, NOTIFY_RETRIES, 0, 20, &retries) != 0 ||
        exr_opt_long_or_default(spec, p, NOTIFY_LEASE, 0, 7 * 86400, &lease) != 0)
        return -1;
    o->remind_after_s = (long)(interval * 86400);
    o->max_reminders = (int)reminders;
    o->resolved_notices = p->val[NOTIFY_RESOLVED_NOTICES] != NULL;
    o->domain_rate = rate;
    o->retries = (int)retries;
    o->lease_s = lease;
    o->from = p->val[NOTIFY_FROM] ? p->val[NOTIFY_FROM] : "exray@localhost.localdomain";
    if (!exr_email_valid(o->from))
        return exr_opts_fail(spec, "--from: '%s' is not a valid address", o->from), -1;
    o->sender_name = p->val[NOTIFY_SENDER_NAME] ? p->val[NOTIFY_SENDER_NAME] : "exray notification service";
    o->include_patched = p->val[NOTIFY_INCLUDE_PATCHED] != NULL;
    o->maildir = p->val[NOTIFY_MAILDIR];
    o->now_us = exr_clock_us();
    if (p->val[NOTIFY_NOW] && !exr_time_parse(p->val[NOTIFY_NOW], &o->now_us))
        return exr_opts_fail(spec, "--now '%s': give a time as RFC 3339, such as 2021-03-09T08:00:00Z", p->val[NOTIFY_NOW]), -1;
    o->clock_offset_us = p->val[NOTIFY_NOW] ? o->now_us - exr_clock_us() : 0;
    o->on_ticket_error = ticket_error;
    if (p->count[NOTIFY_CONTACTS] > 32)
        return exr_opts_fail(spec, "at most 32 --contacts"), -1;
    a->ncontacts = exr_opts_values(p, NOTIFY_CONTACTS, a->contacts, 32);
    if (validate_smtp(p, a) != 0)
        return -1;
    if (!p->val[NOTIFY_DB])
        return exr_opts_fail(spec, "--db FILE is required"), -1;
    if (!p->val[NOTIFY_UNCERTAIN] && !p->val[NOTIFY_RESOLVE] && !o->maildir && !o->smtp && !p->val[NOTIFY_PLAN_ONLY])
        return exr_opts_fail(spec, "give --maildir DIR, --smtp URL or --plan-only"), -1;
    if (p->val[NOTIFY_RESOLVE] ? p->npos != 1 || (strcmp(p->pos[0], "sent") && strcmp(p->pos[0], "resend")) : p->npos != 0)
        return exr_opts_fail(spec, "--resolve TICKET is followed by sent or resend, and nothing else takes an argument"), -1;
    return 0;
}

static void print_uncertain(void *ctx, const char *ticket, const char *recipient, const char *tpl, const char *why)
{
    fprintf(ctx, "%s\t%s\t%s\t%s\n", ticket, recipient, tpl, why);
}

/* --uncertain and --resolve: the operator's side of an uncertain ticket. */
static int settle(const exr_parsed *p)
{
    exr_err e = {0, ""};
    exr_store *s;
    if (exr_store_open_existing(&s, p->val[NOTIFY_DB], &e) != 0) {
        fprintf(stderr, "exray notify: %s\n", e.msg);
        return 2;
    }
    int rc = 0;
    if (p->val[NOTIFY_UNCERTAIN]) {
        int n = exr_notify_uncertain(s, print_uncertain, stdout, &e);
        if (n < 0)
            rc = 2;
        else
            fprintf(stderr, "exray notify: %d uncertain ticket%s\n", n, n == 1 ? "" : "s");
    } else if (exr_notify_resolve(s, p->val[NOTIFY_RESOLVE], p->pos[0], &e) != 0) {
        rc = 2;
    } else {
        printf("ticket %s: %s\n", p->val[NOTIFY_RESOLVE], strcmp(p->pos[0], "sent") == 0 ? "sent" : "pending again (next run sends it)");
    }
    if (rc)
        fprintf(stderr, "exray notify: %s\n", e.msg);
    exr_store_close(s);
    return rc;
}

static int load_contacts(const exr_parsed *p, const notify_args *a, exr_contacts *cs, exr_err *e)
{
    for (int i = 0; i < a->ncontacts; i++)
        if (load_contacts_file(cs, a->contacts[i], 0, e) != 0)
            return -1;
    const char *national = p->val[NOTIFY_NATIONAL];
    return national ? load_contacts_file(cs, national, 1, e) : exr_contacts_load_default_national(cs, e);
}

static int enrich(exr_store *s, const char *path, exr_err *e)
{
    exr_ipdb *ipdb;
    if (exr_ipdb_open(&ipdb, path, e) != 0)
        return -1;
    long n = exr_notify_enrich(s, ipdb, e);
    exr_ipdb_close(ipdb);
    if (n < 0)
        return -1;
    fprintf(stderr, "exray notify: %ld hosts enriched with ASN, AS name and country from %s\n", n, path);
    return 0;
}

static void print_stats(const exr_notify_stats *st, const notify_args *a, long bad_lines, bool plan_only)
{
    /* the states every command reports; patched counts the not-affected too */
    static const int order[] = {EXR_ST_COMP, EXR_ST_VULN, EXR_ST_EOL, EXR_ST_UNDET, EXR_ST_PATCHED};
    fprintf(stderr, "exray notify: %ld Exchange hosts (", st->hosts);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        fprintf(stderr, "%s %ld%s", exr_state_name[order[i]], st->by_state[order[i]],
                i + 1 < sizeof order / sizeof order[0] ? ", " : ")\n");
    fprintf(stderr,
            "  %ld new directives in %ld new tickets (%ld reminders, %ld escalations, %ld hosts resolved); %ld not notified"
            " again (%ld without newer evidence, %ld past --reminders); %ld without a contact; %ld opted out; %ld contact lines skipped\n",
            st->planned_directives, st->tickets_new, st->reminders, st->escalations, st->resolved, st->suppressed, st->no_new_evidence,
            st->reminders_exhausted, st->no_contact, st->opted_out, bad_lines);
    if (!plan_only)
        fprintf(stderr,
                "  %ld tickets delivered to %s (%ld had been delivered by an interrupted run); %ld failed; %ld uncertain"
                " (see --uncertain)\n",
                st->sent, a->o.smtp ? a->smtp.url : a->o.maildir, st->already_delivered, st->failed, st->uncertain);
}

/* Plans and delivers with the store open; 0, or -1 with e set. */
static int plan_and_send(exr_store *s, const exr_parsed *p, notify_args *a, exr_contacts *cs, exr_notify_stats *st, exr_err *e)
{
    if (exr_contacts_load_store(cs, s, e) != 0)
        return -1;
    exr_contacts_finish(cs);
    if (p->val[NOTIFY_IPDB] && enrich(s, p->val[NOTIFY_IPDB], e) != 0)
        return -1;
    if (exr_notify_plan(s, &a->o, st, e) != 0)
        return -1;
    return p->val[NOTIFY_PLAN_ONLY] || exr_notify_send(s, &a->o, st, e) == 0 ? 0 : -1;
}

static int notify_run(const exr_parsed *p, notify_args *a)
{
    exr_err e = {0, ""};
    exr_contacts cs;
    exr_contacts_init(&cs);
    exr_notify_stats st;
    memset(&st, 0, sizeof st);
    int rc = 2;
    a->o.contacts = &cs;
    exr_store *s = NULL;
    exr_buildtab tab = {0};
    if (exr_cli_tables("notify", NULL, p->val[NOTIFY_VULNS], p->val[NOTIFY_CVES], p->val[NOTIFY_KEV_ONLY] != NULL, NULL, &tab) != 0) {
        exr_contacts_free(&cs);
        return 2;
    }
    a->o.tab = &tab;
    if (load_contacts(p, a, &cs, &e) == 0 && exr_notify_load_templates(&a->o, p->val[NOTIFY_TEMPLATES], &e) == 0 &&
        exr_store_open_existing(&s, p->val[NOTIFY_DB], &e) == 0) {
        rc = exr_cli_restate("notify", s, &tab) == 0 && plan_and_send(s, p, a, &cs, &st, &e) == 0 ? 0 : 2;
        exr_store_close(s);
        print_stats(&st, a, cs.bad_lines, p->val[NOTIFY_PLAN_ONLY] != NULL);
    }
    if (rc == 0 && (st.failed || st.uncertain))
        rc = 1;
    if (rc == 2 && e.msg[0])
        fprintf(stderr, "exray notify: %s\n", e.msg);
    for (int i = 0; i < EXR_NTEMPLATES; i++)
        exr_template_free(&a->o.templates[i]);
    exr_contacts_free(&cs);
    exr_buildtab_free(&tab);
    return rc;
}

int exr_cmd_notify(int argc, char **argv)
{
#ifdef EXRAY_TEST_HOOKS
    exr_notify_hook = test_hook;
#endif
    exr_parsed p;
    int pr = exr_opts_parse(&exr_spec_notify, argc, argv, &p);
    if (pr != EXR_PARSE_OK)
        return pr == EXR_PARSE_HELP ? 0 : 2;
    notify_args a;
    if (validate(&p, &a) != 0)
        return 2;
    if (p.val[NOTIFY_UNCERTAIN] || p.val[NOTIFY_RESOLVE])
        return settle(&p);
    return notify_run(&p, &a);
}
