/* cases.c: notification cases from the directives (see cases.h). */
#include "cases.h"
#include "../exchange/exposure.h"
#include "../core/buf.h"
#include "../store/sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One host's case with one recipient, while it is being read. */
typedef struct hcase {
    char who[256], org[256], ticket[32];
    exr_case_host h;
} hcase;

typedef struct hlist {
    hcase *v;
    size_t n, cap;
} hlist;

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static hcase *push(hlist *l)
{
    if (l->n == l->cap)
        l->v = exr_xrealloc(l->v, (l->cap = l->cap ? l->cap * 2 : 64) * sizeof *l->v);
    hcase *c = &l->v[l->n++];
    memset(c, 0, sizeof *c);
    return c;
}

/* A directive row: who, ip, port, kind, state, recipient, notice time, observation time, org, ticket. */
static void apply_row(exr_stmt *st, hlist *l)
{
    const char *who = exr_stmt_text(st, 0), *ip = exr_stmt_text(st, 1), *kind = exr_stmt_text(st, 3);
    const char *at = exr_stmt_text(st, 6), *seen = exr_stmt_text(st, 7);
    if (!who || !ip || !kind)
        return;
    hcase *c = l->n ? &l->v[l->n - 1] : NULL;
    bool same = c && strcmp(c->who, who) == 0 && strcmp(c->h.ip, ip) == 0;
    if (strcmp(kind, "first") == 0 && (!same || c->h.resolved_at[0])) {
        c = push(l); /* a new case for this host */
        copy(c->who, sizeof c->who, who);
        copy(c->h.ip, sizeof c->h.ip, ip);
        c->h.port = (int)exr_stmt_int(st, 2);
        copy(c->h.first_notice, sizeof c->h.first_notice, at);
        copy(c->ticket, sizeof c->ticket, exr_stmt_text(st, 9));
        copy(c->org, sizeof c->org, exr_stmt_text(st, 8));
    } else if (!same || c->h.resolved_at[0]) {
        return; /* a follow-up without its first notice (a store from before the kinds) */
    }
    copy(c->h.state, sizeof c->h.state, exr_stmt_text(st, 4));
    if (strcmp(kind, "resolved") == 0) {
        copy(c->h.resolved_at, sizeof c->h.resolved_at, seen ? seen : at);
        copy(c->h.resolution, sizeof c->h.resolution, exr_stmt_text(st, 4));
        const char *t = exr_stmt_text(st, 9);
        if (t && t[0]) /* a resolved notice went out */
            copy(c->h.last_notice, sizeof c->h.last_notice, at);
        return;
    }
    copy(c->h.last_notice, sizeof c->h.last_notice, at);
    if (strcmp(kind, "reminder") == 0)
        c->h.reminders++;
    else if (strcmp(kind, "escalation") == 0)
        copy(c->h.escalated_to, sizeof c->h.escalated_to, exr_stmt_text(st, 5));
}

/* Open host cases whose host is now patched or not affected close at that observation. */
static int close_by_state(exr_db *db, hlist *l, exr_err *e)
{
    exr_stmt *st;
    if (exr_db_prepare(db, "SELECT state, time FROM host_latest WHERE ip = ?", &st) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "cases");
    for (size_t i = 0; i < l->n; i++) {
        exr_case_host *h = &l->v[i].h;
        exr_stmt_reset(st);
        exr_stmt_bind_text(st, 1, h->ip);
        if (exr_stmt_step(st) != EXR_SQL_ROW)
            continue;
        const char *now = exr_stmt_text(st, 0), *t = exr_stmt_text(st, 1);
        copy(h->current, sizeof h->current, now);
        bool fixed = now && (strcmp(now, "patched") == 0 || strcmp(now, "not-affected") == 0);
        if (h->resolved_at[0] || !fixed)
            continue;
        copy(h->resolved_at, sizeof h->resolved_at, t && strcmp(t, h->first_notice) > 0 ? t : h->first_notice);
        bool was_open = exr_state_is_open(exr_state_parse(h->state));
        copy(h->resolution, sizeof h->resolution, strcmp(now, "patched") == 0 && was_open ? "patched-after-exposure" : now);
    }
    exr_stmt_finalize(st);
    return 0;
}

static int by_who_start(const void *a, const void *b)
{
    const hcase *x = a, *y = b;
    int c = strcmp(x->who, y->who);
    return c ? c : strcmp(x->h.first_notice, y->h.first_notice);
}

static int by_open_age(const void *a, const void *b)
{
    const exr_case *x = a, *y = b;
    if (x->resolved != y->resolved)
        return x->resolved ? 1 : -1;
    int c = strcmp(x->first_notice, y->first_notice);
    return c ? c : strcmp(x->recipient, y->recipient);
}

static exr_case *new_case(exr_cases *out, const hcase *hc)
{
    if (out->n == out->cap)
        out->v = exr_xrealloc(out->v, (out->cap = out->cap ? out->cap * 2 : 32) * sizeof *out->v);
    exr_case *c = &out->v[out->n++];
    memset(c, 0, sizeof *c);
    copy(c->recipient, sizeof c->recipient, hc->who);
    copy(c->org, sizeof c->org, hc->org);
    copy(c->first_ticket, sizeof c->first_ticket, hc->ticket);
    copy(c->first_notice, sizeof c->first_notice, hc->h.first_notice);
    c->resolved = true;
    return c;
}

static void add_host(exr_case *c, const exr_case_host *h)
{
    c->hosts = exr_xrealloc(c->hosts, (c->nhosts + 1) * sizeof *c->hosts);
    c->hosts[c->nhosts++] = *h;
    if (strcmp(h->last_notice, c->last_notice) > 0)
        copy(c->last_notice, sizeof c->last_notice, h->last_notice);
    if (h->reminders > c->reminders)
        c->reminders = h->reminders;
    c->escalated |= h->escalated_to[0] != 0;
    if (!h->resolved_at[0]) {
        c->resolved = false;
        c->resolved_at[0] = 0;
    } else if (c->resolved && strcmp(h->resolved_at, c->resolved_at) > 0) {
        copy(c->resolved_at, sizeof c->resolved_at, h->resolved_at);
    }
}

/* A recipient's host cases in order of their first notice: one that opens after every
 * earlier one has closed starts the recipient's next case. */
static void group_cases(hlist *l, exr_cases *out)
{
    if (l->n) /* qsort must not be given NULL, even for no rows */
        qsort(l->v, l->n, sizeof *l->v, by_who_start);
    exr_case *cur = NULL;
    for (size_t i = 0; i < l->n; i++) {
        const hcase *hc = &l->v[i];
        bool next = !cur || strcmp(cur->recipient, hc->who) != 0 || (cur->resolved && strcmp(hc->h.first_notice, cur->resolved_at) > 0);
        if (next)
            cur = new_case(out, hc);
        add_host(cur, &hc->h);
    }
    if (out->n)
        qsort(out->v, out->n, sizeof *out->v, by_open_age);
}

int exr_cases_load(exr_store *s, exr_cases *out, exr_err *e)
{
    memset(out, 0, sizeof *out);
    exr_db *db = exr_store_db(s);
    exr_stmt *st;
    if (exr_db_prepare(db,
                       "SELECT COALESCE(d.origin, d.recipient), d.ip, d.port, d.kind, d.state, d.recipient,"
                       " COALESCE(t.sent_at, d.created), o.time, COALESCE(d.origin_org, t.org), d.ticket"
                       " FROM directives d LEFT JOIN tickets t ON t.id = d.ticket AND d.ticket <> ''"
                       " LEFT JOIN observations o ON o.id = d.observation_id"
                       " ORDER BY COALESCE(d.origin, d.recipient), d.ip, d.id",
                       &st) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "cases");
    hlist l = {NULL, 0, 0};
    int rc;
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW)
        apply_row(st, &l);
    exr_stmt_finalize(st);
    if (rc != EXR_SQL_DONE) {
        free(l.v);
        return exr_db_seterr(db, e, "cases");
    }
    if (close_by_state(db, &l, e) != 0) {
        free(l.v);
        return -1;
    }
    group_cases(&l, out);
    free(l.v);
    return 0;
}

void exr_cases_free(exr_cases *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i].hosts);
    free(c->v);
    memset(c, 0, sizeof *c);
}
