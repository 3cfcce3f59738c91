/* cases.c: `exray cases`, the notification cases of a store as a table, JSON Lines or CSV. */
#include "cli.h"
#include "opts.h"
#include "../core/buf.h"
#include "../core/csv.h"
#include "../core/json.h"
#include "../core/term.h"
#include "../notify/cases.h"
#include "../store/store.h"
#include "open.h"
#include <stdio.h>
#include <string.h>

enum { FMT_TEXT, FMT_JSON, FMT_CSV };

static const char *or_null(const char *s)
{
    return s && s[0] ? s : NULL;
}

static void case_json(const exr_case *c, exr_buf *b)
{
    exr_json j;
    exr_json_begin(&j, b);
    exr_json_str(&j, "recipient", c->recipient);
    exr_json_str(&j, "org", c->org);
    exr_json_str(&j, "state", c->resolved ? "resolved" : "open");
    exr_json_str(&j, "first_ticket", or_null(c->first_ticket));
    exr_json_arr_open(&j, "hosts");
    for (size_t i = 0; i < c->nhosts; i++) {
        const exr_case_host *h = &c->hosts[i];
        exr_json_obj_open(&j, NULL);
        exr_json_str(&j, "ip", h->ip);
        exr_json_int(&j, "port", h->port);
        exr_json_str(&j, "state", h->state);
        exr_json_str(&j, "first_notice", or_null(h->first_notice));
        exr_json_str(&j, "last_notice", or_null(h->last_notice));
        exr_json_int(&j, "reminders", h->reminders);
        exr_json_str(&j, "escalated_to", or_null(h->escalated_to));
        exr_json_str(&j, "resolved_at", or_null(h->resolved_at));
        exr_json_str(&j, "resolution", or_null(h->resolution));
        exr_json_str(&j, "current_state", or_null(h->current));
        exr_json_obj_close(&j);
    }
    exr_json_arr_close(&j);
    exr_json_str(&j, "first_notice", or_null(c->first_notice));
    exr_json_str(&j, "last_notice", or_null(c->last_notice));
    exr_json_int(&j, "reminders", c->reminders);
    exr_json_bool(&j, "escalated", c->escalated);
    exr_json_str(&j, "resolved_at", or_null(c->resolved_at));
    exr_json_end(&j);
    exr_buf_addc(b, '\n');
}

static size_t open_hosts(const exr_case *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nhosts; i++)
        n += c->hosts[i].resolved_at[0] == 0;
    return n;
}

static void case_csv(const exr_case *c, exr_buf *b)
{
    char hosts[24], open[24], rem[16];
    snprintf(hosts, sizeof hosts, "%zu", c->nhosts);
    snprintf(open, sizeof open, "%zu", open_hosts(c));
    snprintf(rem, sizeof rem, "%d", c->reminders);
    const char *f[] = {c->recipient,   c->org, c->resolved ? "resolved" : "open", c->first_ticket, hosts, open, c->first_notice,
                       c->last_notice, rem,    c->escalated ? "true" : "false",   c->resolved_at};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        exr_csv_put(b, f[i], i == 0);
    exr_buf_addc(b, '\n');
}

/* A person's view: one line a case, dates to the day, names made safe for the terminal. */
static void case_text(const exr_case *c, exr_buf *b)
{
    char who[80], org[80];
    exr_term_safe(c->recipient, who, sizeof who);
    exr_term_safe(c->org, org, sizeof org);
    exr_buf_printf(b, "%-8s %-10.10s %-10.10s %5zu/%-5zu %9d %-9s %-10.10s %-17s %s (%s)\n", c->resolved ? "resolved" : "open",
                   c->first_notice, c->last_notice[0] ? c->last_notice : c->first_notice, open_hosts(c), c->nhosts, c->reminders,
                   c->escalated ? "yes" : "no", c->resolved_at[0] ? c->resolved_at : "-", c->first_ticket, who, org);
}

static void print_cases(const exr_cases *cs, int fmt, bool only_open, bool only_resolved)
{
    exr_buf b;
    exr_buf_init(&b);
    if (fmt == FMT_TEXT)
        exr_buf_printf(&b, "%-8s %-10s %-10s %11s %9s %-9s %-10s %-17s %s\n", "state", "first", "last", "open/hosts", "reminders",
                       "escalated", "resolved", "first_ticket", "recipient (org)");
    else if (fmt == FMT_CSV)
        exr_buf_adds(&b, "recipient,org,state,first_ticket,hosts,open_hosts,first_notice,last_notice,reminders,escalated,resolved_at\n");
    for (size_t i = 0; i < cs->n; i++) {
        const exr_case *c = &cs->v[i];
        if ((only_open && c->resolved) || (only_resolved && !c->resolved))
            continue;
        if (fmt == FMT_JSON)
            case_json(c, &b);
        else if (fmt == FMT_CSV)
            case_csv(c, &b);
        else
            case_text(c, &b);
    }
    fwrite(b.p ? b.p : "", 1, b.len, stdout);
    exr_buf_free(&b);
}

int exr_cmd_cases(int argc, char **argv)
{
    exr_parsed p;
    int a = exr_opts_parse(&exr_spec_cases, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    if (!p.val[CASES_DB])
        return exr_opts_fail(&exr_spec_cases, "--db STORE is required");
    if (p.val[CASES_OPEN] && p.val[CASES_RESOLVED])
        return exr_opts_fail(&exr_spec_cases, "--open and --resolved exclude each other");
    int fmt = p.val[CASES_FORMAT] ? exr_opt_choice(&exr_spec_cases, CASES_FORMAT, p.val[CASES_FORMAT]) : FMT_TEXT;
    if (fmt < 0)
        return exr_opts_fail(&exr_spec_cases, "--format: text, json or csv");
    exr_err e = {0, ""};
    exr_store *s = NULL;
    exr_buildtab tab = {0};
    /* the cases close by the stored states: judged by the built-in tables, as stats and hosts */
    if (exr_cli_open_with_builds("cases", p.val[CASES_DB], false, &tab, &s, &e) != 0)
        return 2;
    exr_cases cs;
    int rc = exr_cases_load(s, &cs, &e);
    exr_store_close(s);
    exr_buildtab_free(&tab);
    if (rc != 0) {
        fprintf(stderr, "exray cases: %s\n", e.msg);
        return 2;
    }
    print_cases(&cs, fmt, p.val[CASES_OPEN] != NULL, p.val[CASES_RESOLVED] != NULL);
    exr_cases_free(&cs);
    return fflush(stdout) == 0 ? 0 : 2;
}
