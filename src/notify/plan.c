/* plan.c: see notify.h, "plan": from each host's state (the store's host_latest) and its
 * case's history in the directives, the notices to send, grouped into tickets, in one
 * transaction. notify.c delivers them. */
#include "notify.h"
#include "loop.h"
#include "../core/timefmt.h"
#include "../exchange/exposure.h"
#include "../store/sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seen open on or after this day: the exploitation of 2021 had begun. */
#define EXPOSURE_FROM "2021-01-01T00:00:00.000000Z"

typedef struct nhost {
    char ip[EXR_ADDRSTRLEN];
    int port;
    long long obs_id;
    char obs_time[EXR_TSTAMP_LEN];
    int state;
    bool exposed;
    uint32_t asn;
    char cc[3];
} nhost;

/* notify's state (its template) for the exposure model's state: the model decides, notify
 * only names it; not-affected needs no notice, as patched */
static int notice_state(const char *state)
{
    switch (exr_state_parse(state)) {
    case EXR_S_COMPROMISED: return EXR_ST_COMP;
    case EXR_S_VULNERABLE: return EXR_ST_VULN;
    case EXR_S_EOL: return EXR_ST_EOL;
    case EXR_S_UNDETERMINED: return EXR_ST_UNDET;
    default: return EXR_ST_PATCHED;
    }
}

static void read_host_row(exr_stmt *st, nhost *h)
{
    memset(h, 0, sizeof *h);
    h->obs_id = exr_stmt_int(st, 0);
    snprintf(h->ip, sizeof h->ip, "%s", exr_stmt_text(st, 1) ? exr_stmt_text(st, 1) : "");
    h->port = exr_stmt_int(st, 2);
    h->state = notice_state(exr_stmt_text(st, 3));
    h->exposed = exr_stmt_int(st, 4);
    h->asn = (uint32_t)exr_stmt_int(st, 5);
    snprintf(h->cc, sizeof h->cc, "%s", exr_stmt_text(st, 6) ? exr_stmt_text(st, 6) : "");
    snprintf(h->obs_time, sizeof h->obs_time, "%s", exr_stmt_text(st, 7) ? exr_stmt_text(st, 7) : "");
}

/* Every host ever seen as Exchange, with its latest state (the store's host_latest: the one
 * state every command reports) and whether it was ever open (since 2021). */
static int load_hosts(exr_db *db, nhost **out, size_t *n, exr_err *e)
{
    const char *q = "SELECT l.id, l.ip, l.port, l.state,"
                    " EXISTS(SELECT 1 FROM observations v WHERE v.ip = l.ip AND v.time >= '" EXPOSURE_FROM "'"
                    "   AND v.state IN ('vulnerable', 'compromised', 'end-of-life')),"
                    " h.asn, h.country, l.time FROM host_latest l LEFT JOIN host_info h ON h.ip = l.ip"
                    /* a port that stopped answering since: its state stands, but nobody is told
                     * (or thanked) on an older observation's word */
                    " WHERE NOT EXISTS(SELECT 1 FROM observations u WHERE u.ip = l.ip AND u.port = l.port AND u.state IS NULL"
                    "   AND u.time > l.time) ORDER BY l.ip";
    exr_stmt *st;
    if (exr_db_prepare(db, q, &st) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "hosts");
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    int rc;
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW) {
        if (*n == cap)
            *out = exr_xrealloc(*out, (cap = cap ? cap * 2 : 256) * sizeof **out);
        read_host_row(st, &(*out)[(*n)++]);
    }
    exr_stmt_finalize(st);
    return rc == EXR_SQL_DONE ? 0 : exr_db_seterr(db, e, "hosts");
}

static int next_ticket(exr_db *db, const char *day, char *out, size_t n, exr_err *e)
{
    exr_stmt *st;
    if (exr_db_prepare(
            db, "INSERT INTO ticket_day(day, last) VALUES(?, 1) ON CONFLICT(day) DO UPDATE SET last = ticket_day.last + 1 RETURNING last",
            &st) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "ticket counter");
    exr_stmt_bind_text(st, 1, day);
    int rc = exr_stmt_step(st);
    long long v = rc == EXR_SQL_ROW ? exr_stmt_int(st, 0) : -1;
    exr_stmt_finalize(st);
    if (v < 0)
        return exr_db_seterr(db, e, "ticket counter");
    char d8[9];
    snprintf(d8, sizeof d8, "%.4s%.2s%.2s", day, day + 5, day + 8);
    snprintf(out, n, "%s-%08lld", d8, v);
    return 0;
}

enum { K_FIRST, K_REMINDER, K_ESCALATION, K_RESOLVED };
static const char *const kind_name[] = {"first", "reminder", "escalation", "resolved"};

/* A first notice uses its state's template, a follow-up its kind's. */
static const char *kind_template(int kind, int state)
{
    static const int tpl[] = {0, EXR_TPL_REMINDER, EXR_TPL_ESCALATION, EXR_TPL_RESOLVED};
    return exr_template_name[kind == K_FIRST ? state : tpl[kind]];
}

typedef struct group {
    char recipient[256];
    char org[256];
    int kind, state;
    char ticket[32];
    char refs[200]; /* the first notices this follow-up names, space-separated */
} group;

typedef struct planner {
    exr_db *db;
    const exr_notify_opts *o;
    exr_notify_stats *stt;
    exr_stmt *last, *first, *nrem, *nesc, *opt, *ins_d, *ins_t;
    group *groups;
    size_t ng, capg;
    char day[16], now[EXR_TSTAMP_LEN], since[EXR_TSTAMP_LEN];
} planner;

/* What the host's case with this recipient calls for now. */
typedef struct decision {
    int kind; /* K_*, or -1: nothing */
    char first_ticket[32];
} decision;

static void decide(planner *p, const nhost *h, const char *rcpt, bool affected, decision *d)
{
    d->kind = -1;
    d->first_ticket[0] = 0;
    exr_stmt_reset(p->last);
    exr_stmt_bind_text(p->last, 1, h->ip);
    exr_stmt_bind_text(p->last, 2, rcpt);
    bool open = exr_stmt_step(p->last) == EXR_SQL_ROW && strcmp(exr_stmt_text(p->last, 0), "resolved") != 0;
    if (!open) {
        d->kind = affected ? K_FIRST : -1; /* a new case, or nothing to say */
        return;
    }
    const char *lstate = exr_stmt_text(p->last, 1), *lcreated = exr_stmt_text(p->last, 2);
    exr_stmt_reset(p->first);
    exr_stmt_bind_text(p->first, 1, h->ip);
    exr_stmt_bind_text(p->first, 2, rcpt);
    long long first_id = 0;
    if (exr_stmt_step(p->first) == EXR_SQL_ROW) {
        first_id = exr_stmt_int(p->first, 0);
        snprintf(d->first_ticket, sizeof d->first_ticket, "%s", exr_stmt_text(p->first, 1) ? exr_stmt_text(p->first, 1) : "");
    }
    if (!affected) {
        d->kind = K_RESOLVED;
        return;
    }
    if (!lstate || strcmp(lstate, exr_state_name[h->state]) != 0) {
        d->kind = K_FIRST; /* another state: its own notice at once */
        return;
    }
    /* an undetermined host is told once; reminders and escalations are for open hosts
     * (compromised, vulnerable, end-of-life) */
    if (h->state == EXR_ST_UNDET) {
        p->stt->suppressed++;
        return;
    }
    /* no new evidence, no message: an observation after the last notice, and time to act */
    if (!lcreated || strcmp(h->obs_time, lcreated) <= 0 || strcmp(lcreated, p->since) > 0) {
        p->stt->no_new_evidence += strcmp(h->obs_time, lcreated ? lcreated : "") <= 0;
        p->stt->suppressed++;
        return;
    }
    exr_stmt_reset(p->nrem);
    exr_stmt_bind_text(p->nrem, 1, h->ip);
    exr_stmt_bind_text(p->nrem, 2, rcpt);
    exr_stmt_bind_int(p->nrem, 3, first_id);
    long long n = exr_stmt_step(p->nrem) == EXR_SQL_ROW ? exr_stmt_int(p->nrem, 0) : 0;
    if (n < p->o->max_reminders) {
        d->kind = K_REMINDER;
        return;
    }
    exr_stmt_reset(p->nesc);
    exr_stmt_bind_text(p->nesc, 1, h->ip);
    exr_stmt_bind_text(p->nesc, 2, rcpt);
    exr_stmt_bind_int(p->nesc, 3, first_id);
    if (exr_stmt_step(p->nesc) == EXR_SQL_ROW && exr_stmt_int(p->nesc, 0) == 0) {
        d->kind = K_ESCALATION; /* once per host and state */
        return;
    }
    p->stt->reminders_exhausted++;
    p->stt->suppressed++;
}

static int new_ticket(planner *p, group *g, exr_err *e)
{
    if (next_ticket(p->db, p->day, g->ticket, sizeof g->ticket, e) != 0)
        return -1;
    exr_stmt *t = p->ins_t;
    exr_stmt_reset(t);
    exr_stmt_bind_text(t, 1, g->ticket);
    exr_stmt_bind_text(t, 2, g->recipient);
    exr_stmt_bind_text(t, 3, g->org);
    exr_stmt_bind_text(t, 4, kind_template(g->kind, g->state));
    exr_stmt_bind_text(t, 5, p->day);
    exr_stmt_bind_text(t, 6, p->now);
    exr_stmt_bind_text(t, 7, kind_name[g->kind]);
    exr_stmt_bind_text(t, 8, g->refs[0] ? g->refs : NULL);
    if (exr_stmt_step(t) != EXR_SQL_DONE)
        return exr_db_seterr(p->db, e, "insert ticket");
    p->stt->tickets_new++;
    return 0;
}

/* The group (ticket) of a directive: one per recipient, kind and state, made on first use. */
static group *group_for(planner *p, const exr_contact *c, int kind, int state, const char *first_ticket, exr_err *e)
{
    size_t g;
    for (g = 0; g < p->ng; g++)
        if (p->groups[g].kind == kind && p->groups[g].state == state && strcmp(p->groups[g].recipient, c->email) == 0)
            break;
    if (g == p->ng) {
        if (p->ng == p->capg)
            p->groups = exr_xrealloc(p->groups, (p->capg = p->capg ? p->capg * 2 : 64) * sizeof *p->groups);
        group *n = &p->groups[p->ng];
        memset(n, 0, sizeof *n);
        snprintf(n->recipient, sizeof n->recipient, "%s", c->email);
        snprintf(n->org, sizeof n->org, "%s", c->org);
        n->kind = kind;
        n->state = state;
        /* a resolved directive waits for its case to close; refs are added below, and saved
         * once every host is planned (save_refs) */
        if (kind != K_RESOLVED && new_ticket(p, n, e) != 0)
            return NULL;
        p->ng++;
    }
    group *gr = &p->groups[g];
    size_t l = strlen(gr->refs);
    if (kind != K_FIRST && first_ticket[0] && !strstr(gr->refs, first_ticket) && l + strlen(first_ticket) + 2 < sizeof gr->refs)
        snprintf(gr->refs + l, sizeof gr->refs - l, "%s%s", l ? " " : "", first_ticket);
    return gr;
}

/* origin: the contact whose case an escalation belongs to (NULL otherwise). */
static int insert_directive(planner *p, const nhost *h, const group *g, const exr_contact *origin, exr_err *e)
{
    exr_stmt *d = p->ins_d;
    exr_stmt_reset(d);
    exr_stmt_bind_text(d, 1, h->ip);
    exr_stmt_bind_int(d, 2, h->port);
    exr_stmt_bind_text(d, 3, exr_state_name[h->state]);
    exr_stmt_bind_text(d, 4, g->recipient);
    exr_stmt_bind_text(d, 5, kind_template(g->kind, h->state));
    exr_stmt_bind_text(d, 6, g->kind == K_RESOLVED ? "" : g->ticket);
    exr_stmt_bind_text(d, 7, p->now);
    exr_stmt_bind_int(d, 8, h->obs_id);
    exr_stmt_bind_text(d, 9, kind_name[g->kind]);
    exr_stmt_bind_text(d, 10, origin ? origin->email : NULL);
    exr_stmt_bind_text(d, 11, origin ? origin->org : NULL);
    if (exr_stmt_step(d) != EXR_SQL_DONE)
        return exr_db_seterr(p->db, e, "insert directive");
    p->stt->planned_directives++;
    p->stt->reminders += g->kind == K_REMINDER;
    p->stt->resolved += g->kind == K_RESOLVED;
    p->stt->escalations += g->kind == K_ESCALATION;
    return 0;
}

static bool opted_out(planner *p, const char *email)
{
    exr_stmt_reset(p->opt);
    exr_stmt_bind_text(p->opt, 1, email);
    return exr_stmt_step(p->opt) == EXR_SQL_ROW;
}

/* One host: its contact, opt-out, and what its case calls for. */
static int plan_host(planner *p, const nhost *h, exr_err *e)
{
    const exr_notify_opts *o = p->o;
    p->stt->hosts++;
    p->stt->by_state[h->state]++;
    bool affected = h->state != EXR_ST_PATCHED || o->include_patched;
    exr_addr a;
    if (!exr_addr_parse(h->ip, &a))
        return 0;
    const char *why;
    const exr_contact *c = exr_contacts_resolve(o->contacts, &a, h->asn, h->cc, &why);
    if (!c) {
        p->stt->no_contact += affected;
        return 0;
    }
    if (opted_out(p, c->email)) {
        p->stt->opted_out += affected;
        return 0;
    }
    decision d;
    decide(p, h, c->email, affected, &d);
    if (d.kind < 0)
        return 0;
    const exr_contact *to = c;
    if (d.kind == K_ESCALATION) {
        /* the next contact up the chain, never the same address, never one that opted out */
        to = exr_contacts_escalate(o->contacts, c, h->asn, h->cc);
        if (!to || opted_out(p, to->email)) {
            p->stt->reminders_exhausted++;
            p->stt->suppressed++;
            return 0;
        }
    }
    group *g = group_for(p, to, d.kind, d.kind == K_RESOLVED ? 0 : h->state, d.first_ticket, e);
    /* how a case closed: "patched-after-exposure" when the host had been open since 2021 */
    nhost hr = *h;
    if (d.kind == K_RESOLVED && h->exposed)
        hr.state = EXR_ST_PAE;
    return g ? insert_directive(p, &hr, g, d.kind == K_ESCALATION ? c : NULL, e) : -1;
}

/* A recipient whose every host is resolved gets one resolved notice naming them all. */
static int close_cases(planner *p, exr_err *e)
{
    exr_stmt *open = NULL, *attach = NULL;
    int rc = -1;
    if (exr_db_prepare(p->db, CASE_COUNTS_SQL, &open) != EXR_SQL_OK ||
        exr_db_prepare(p->db,
                       "UPDATE directives SET ticket = ? WHERE COALESCE(origin, recipient) = ? AND kind = 'resolved' AND ticket = ''",
                       &attach) != EXR_SQL_OK) {
        exr_db_seterr(p->db, e, "prepare cases");
        goto out;
    }
    for (size_t i = 0; i < p->ng; i++) {
        group *g = &p->groups[i];
        if (g->kind != K_RESOLVED || !p->o->resolved_notices)
            continue;
        exr_stmt_reset(open);
        exr_stmt_bind_text(open, 1, g->recipient);
        exr_stmt_bind_text(open, 2, g->recipient);
        if (exr_stmt_step(open) != EXR_SQL_ROW || exr_stmt_int(open, 0) > exr_stmt_int(open, 1))
            continue; /* a host of the case is still affected */
        if (new_ticket(p, g, e) != 0)
            goto out;
        exr_stmt_reset(attach);
        exr_stmt_bind_text(attach, 1, g->ticket);
        exr_stmt_bind_text(attach, 2, g->recipient);
        if (exr_stmt_step(attach) != EXR_SQL_DONE) {
            exr_db_seterr(p->db, e, "resolved notice");
            goto out;
        }
    }
    rc = 0;
out:
    exr_stmt_finalize(open);
    exr_stmt_finalize(attach);
    return rc;
}

/* A follow-up ticket names every first notice it follows up, known only once every host
 * is planned. */
static int save_refs(planner *p, exr_err *e)
{
    exr_stmt *st;
    if (exr_db_prepare(p->db, "UPDATE tickets SET refs = ? WHERE id = ?", &st) != EXR_SQL_OK)
        return exr_db_seterr(p->db, e, "ticket refs");
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < p->ng; i++) {
        const group *g = &p->groups[i];
        if (g->kind == K_FIRST || !g->ticket[0] || !g->refs[0])
            continue;
        exr_stmt_reset(st);
        exr_stmt_bind_text(st, 1, g->refs);
        exr_stmt_bind_text(st, 2, g->ticket);
        if (exr_stmt_step(st) != EXR_SQL_DONE)
            rc = exr_db_seterr(p->db, e, "ticket refs");
    }
    exr_stmt_finalize(st);
    return rc;
}

static int prepare_plan(planner *p, exr_err *e)
{
    exr_db *db = p->db;
    const char *who = " WHERE ip = ? AND COALESCE(origin, recipient) = ?";
    char q1[256], q2[256], q3[256], q4[256];
    snprintf(q1, sizeof q1, "SELECT kind, state, created FROM directives%s ORDER BY id DESC LIMIT 1", who);
    snprintf(q2, sizeof q2, "SELECT id, ticket FROM directives%s AND kind = 'first' ORDER BY id DESC LIMIT 1", who);
    snprintf(q3, sizeof q3, "SELECT COUNT(*) FROM directives%s AND kind = 'reminder' AND id > ?", who);
    snprintf(q4, sizeof q4, "SELECT COUNT(*) FROM directives%s AND kind = 'escalation' AND id > ?", who);
    if (exr_db_prepare(db, q1, &p->last) != EXR_SQL_OK || exr_db_prepare(db, q2, &p->first) != EXR_SQL_OK ||
        exr_db_prepare(db, q3, &p->nrem) != EXR_SQL_OK || exr_db_prepare(db, q4, &p->nesc) != EXR_SQL_OK ||
        exr_db_prepare(db, "SELECT 1 FROM optout WHERE address = ?", &p->opt) != EXR_SQL_OK ||
        exr_db_prepare(db,
                       "INSERT INTO directives(ip, port, state, recipient, template, ticket, created, observation_id, kind,"
                       " origin, origin_org) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                       &p->ins_d) != EXR_SQL_OK ||
        exr_db_prepare(db, "INSERT INTO tickets(id, recipient, org, template, day, created, kind, refs) VALUES(?,?,?,?,?,?,?,?)",
                       &p->ins_t) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "prepare plan");
    return 0;
}

int exr_notify_plan(exr_store *s, const exr_notify_opts *o, exr_notify_stats *stt, exr_err *e)
{
    planner p;
    memset(&p, 0, sizeof p);
    p.db = exr_store_db(s);
    p.o = o;
    p.stt = stt;
    nhost *hosts = NULL;
    size_t nh = 0;
    if (load_hosts(p.db, &hosts, &nh, e) != 0)
        return -1;
    exr_time_stamp(o->now_us, p.now, sizeof p.now);
    exr_time_stamp(o->now_us - (int64_t)o->remind_after_s * 1000000, p.since, sizeof p.since);
    snprintf(p.day, sizeof p.day, "%.10s", p.now);
    if (exr_db_begin_exclusive(p.db) != EXR_SQL_OK) {
        free(hosts);
        return exr_db_seterr(p.db, e, "begin");
    }
    int rc = prepare_plan(&p, e);
    for (size_t i = 0; rc == 0 && i < nh; i++)
        rc = plan_host(&p, &hosts[i], e);
    if (rc == 0)
        rc = close_cases(&p, e);
    if (rc == 0)
        rc = save_refs(&p, e);
    exr_stmt *sts[] = {p.last, p.first, p.nrem, p.nesc, p.opt, p.ins_d, p.ins_t};
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++)
        exr_stmt_finalize(sts[i]);
    if (exr_db_exec(p.db, rc == 0 ? "COMMIT" : "ROLLBACK") != EXR_SQL_OK && rc == 0)
        rc = exr_db_seterr(p.db, e, "commit plan");
    free(p.groups);
    free(hosts);
    return rc;
}
