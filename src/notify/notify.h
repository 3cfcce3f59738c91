/* notify.h: from stored observations to one notification per recipient, sent once.
 *   states:  each host's present state as every command reports it (the store's
 *            host_latest over exposure.h's states): compromised, vulnerable, end-of-life,
 *            undetermined are told; patched and not-affected resolve an open case (as
 *            "patched-after-exposure" when the host had been open since 2021).
 *   plan:    (plan.c) per (host, recipient) a case: a first notice for its state (a new or
 *            worse state: a first notice at once); for an open host, a reminder only when
 *            an observation newer than the last notice still shows the same state and
 *            remind_after has passed, at most max_reminders; then, on the same evidence
 *            rule, one escalation to the next contact up the chain (AS contact, national
 *            CERT); resolved when its state is patched or not-affected (a resolved notice
 *            when the recipient's every host is, if asked). Directives with the same
 *            recipient, kind, state and day form one ticket YYYYMMDD-NNNNNNNN; a follow-up
 *            ticket names the first notices it follows (refs).
 *   send:    (notify.c) each pending ticket is rendered, delivered, and marked sent.
 * Planning is one transaction; marking a ticket sent is one statement after delivery. */
#ifndef EXR_NOTIFY_H
#define EXR_NOTIFY_H
#include "../core/err.h"
#include "../exchange/builds.h"
#include "../store/store.h"
#include "contacts.h"
#include "ipdb.h"
#include "smtp.h"
#include "template.h"
#include <stdio.h>
#include <stdbool.h>
#include <time.h>

enum { EXR_ST_PATCHED = 0, EXR_ST_EOL, EXR_ST_PAE, EXR_ST_UNDET, EXR_ST_VULN, EXR_ST_COMP, EXR_NSTATES };
extern const char *const exr_state_name[EXR_NSTATES];
/* A first notice uses its state's template; a reminder, an escalation and a resolved notice
 * their own. */
enum { EXR_TPL_REMINDER = EXR_NSTATES, EXR_TPL_ESCALATION, EXR_TPL_RESOLVED, EXR_NTEMPLATES };
extern const char *const exr_template_name[EXR_NTEMPLATES];

typedef struct exr_notify_opts {
    const exr_contacts *contacts;
    const exr_buildtab *tab; /* the build and vulnerability tables states derive from */
    exr_template templates[EXR_NTEMPLATES];
    long remind_after_s;   /* a reminder at the earliest this long after the last notice */
    int max_reminders;     /* per host and state */
    bool resolved_notices; /* thank a recipient whose every host is no longer affected */
    bool include_patched;
    const char *from;
    const char *sender_name;
    const char *maildir;     /* deliver into a Maildir, or */
    const exr_smtp *smtp;    /* submit over SMTP */
    double domain_rate;      /* messages per minute per recipient domain (SMTP); 0 = no limit */
    int retries;             /* SMTP attempts after the first for temporary failures */
    int64_t now_us;          /* the run's clock, microseconds since 1970 UTC */
    int64_t clock_offset_us; /* --now minus the real clock at the start: added to send times */
    /* a ticket that failed or became uncertain while the run went on */
    void (*on_ticket_error)(void *ctx, const char *ticket, const char *recipient, const char *msg, const char *outcome);
    void *ctx;
    long lease_s; /* how long a claimed ticket stays this run's before another run may recover it */
} exr_notify_opts;

typedef struct exr_notify_stats {
    long hosts, planned_directives, tickets_new, no_contact, opted_out, suppressed, sent, already_delivered, failed, uncertain;
    long reminders, escalations, resolved, no_new_evidence, reminders_exhausted;
    long by_state[EXR_NSTATES];
} exr_notify_stats;

int exr_notify_load_templates(exr_notify_opts *o, const char *dir, exr_err *e); /* dir NULL: built in */
int exr_notify_plan(exr_store *s, const exr_notify_opts *o, exr_notify_stats *st, exr_err *e);
int exr_notify_send(exr_store *s, const exr_notify_opts *o, exr_notify_stats *st, exr_err *e);
int exr_optout_add(exr_store *s, const char *addr, exr_err *e);
/* Calls cb for each uncertain ticket; returns how many or -1. */
typedef void (*exr_uncertain_cb)(void *ctx, const char *ticket, const char *recipient, const char *tpl, const char *why);
int exr_notify_uncertain(exr_store *s, exr_uncertain_cb cb, void *ctx, exr_err *e);
/* Settles an uncertain (or failed) ticket: "sent" (the operator found it delivered) or
 * "resend" (pending again). */
int exr_notify_resolve(exr_store *s, const char *ticket, const char *how, exr_err *e);
/* Called at each point of delivery in the test build (EXRAY_TEST_HOOKS), whose hook stops
 * the process there (fault injection); the release build has neither. */
#ifdef EXRAY_TEST_HOOKS
extern void (*exr_notify_hook)(const char *where);
void exr_notify_test_point(const char *where);
#else
#define exr_notify_test_point(where) ((void)(where))
#endif
/* Fills ASN, AS name and country of stored hosts that lack them; returns hosts enriched or -1. */
long exr_notify_enrich(exr_store *s, const exr_ipdb *db, exr_err *e);
#endif
