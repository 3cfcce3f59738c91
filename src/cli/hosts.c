/* hosts.c: `exray hosts`, every server by its present state, as a table, JSON Lines or CSV. */
#include "cli.h"
#include "opts.h"
#include "open.h"
#include "../core/buf.h"
#include "../core/csv.h"
#include "../core/json.h"
#include "../core/term.h"
#include "../report/hostlist.h"
#include <stdio.h>
#include <string.h>

enum { FMT_TEXT, FMT_JSON, FMT_CSV };

typedef struct out_ctx {
    int fmt;
    exr_buf b;
    long n;
} out_ctx;

static void json_list(exr_json *j, const char *key, const char *const *a, int n, const char *const *b, int m)
{
    exr_json_arr_open(j, key);
    for (int i = 0; i < n; i++)
        exr_json_str(j, NULL, a[i]);
    for (int i = 0; i < m; i++)
        exr_json_str(j, NULL, b[i]);
    exr_json_arr_close(j);
}

static void host_json(const exr_host_row *h, exr_buf *b)
{
    exr_json j;
    exr_json_begin(&j, b);
    exr_json_str(&j, "ip", h->ip);
    exr_json_int(&j, "port", h->port);
    exr_json_str(&j, "time", h->time);
    exr_json_str(&j, "state", h->state);
    exr_json_str(&j, "build", h->build);
    exr_json_str(&j, "product", h->product);
    exr_json_str(&j, "cu", h->cu);
    exr_json_str(&j, "su", h->su);
    json_list(&j, "open_cves", h->open, h->nopen, h->asserted, h->nasserted);
    json_list(&j, "asserted_cves", h->asserted, h->nasserted, NULL, 0);
    exr_json_int(&j, "kev_open", h->kev_open);
    json_list(&j, "check_configuration", h->check, h->ncheck, NULL, 0);
    json_list(&j, "undetermined_cves", h->undetermined, h->nundet, NULL, 0);
    exr_json_str(&j, "support", h->support);
    if (h->asn)
        exr_json_int(&j, "asn", h->asn);
    else
        exr_json_null(&j, "asn");
    exr_json_str(&j, "as_name", h->as_name);
    exr_json_str(&j, "country", h->country);
    if (h->source) { /* the imported report's own fields, as the record keeps them */
        exr_json_key(&j, "source");
        exr_buf_adds(b, h->source);
    } else {
        exr_json_null(&j, "source");
    }
    exr_json_obj_open(&j, "case");
    exr_json_str(&j, "state", h->case_state);
    exr_json_str(&j, "resolution", h->resolution);
    exr_json_str(&j, "recipient_case", h->recipient_case);
    exr_json_str(&j, "recipient", h->recipient);
    exr_json_str(&j, "org", h->org);
    exr_json_str(&j, "first_ticket", h->ticket);
    exr_json_obj_close(&j);
    exr_json_end(&j);
    exr_buf_addc(b, '\n');
}

static void csv_list(exr_buf *b, const char *const *a, int n, const char *const *c, int m)
{
    exr_buf t;
    exr_buf_init(&t);
    for (int i = 0; i < n + m; i++)
        exr_buf_printf(&t, "%s%s", i ? " " : "", i < n ? a[i] : c[i - n]);
    exr_csv_put(b, t.p ? t.p : "", 0);
    exr_buf_free(&t);
}

static void host_csv(const exr_host_row *h, exr_buf *b)
{
    char port[16], kev[24], asn[24] = "";
    snprintf(port, sizeof port, "%d", h->port);
    snprintf(kev, sizeof kev, "%ld", h->kev_open);
    if (h->asn)
        snprintf(asn, sizeof asn, "%lld", h->asn);
    const char *pre[] = {h->ip, port, h->time, h->state, h->build};
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
        exr_csv_put(b, pre[i] ? pre[i] : "", i == 0);
    csv_list(b, h->open, h->nopen, h->asserted, h->nasserted);
    exr_csv_put(b, kev, 0);
    csv_list(b, h->check, h->ncheck, NULL, 0);
    const char *post[] = {h->support, asn, h->as_name, h->country, h->case_state, h->recipient, h->org, h->ticket};
    for (size_t i = 0; i < sizeof post / sizeof post[0]; i++)
        exr_csv_put(b, post[i] ? post[i] : "", 0);
    exr_buf_addc(b, '\n');
}

static void host_text(const exr_host_row *h, exr_buf *b)
{
    char who[80] = "-", build[48];
    if (h->recipient)
        exr_term_safe(h->recipient, who, sizeof who);
    exr_term_safe(h->build ? h->build : "-", build, sizeof build);
    exr_buf_printf(b, "%-39s %5d %-13s %4d %4ld %-16s %-26s %-8s %s\n", h->ip, h->port, h->state ? h->state : "-", h->nopen + h->nasserted,
                   h->kev_open, build, h->support ? h->support : "-", h->case_state ? h->case_state : "-", who);
}

static void on_host(void *vctx, const exr_host_row *h)
{
    out_ctx *o = vctx;
    if (o->fmt == FMT_JSON)
        host_json(h, &o->b);
    else if (o->fmt == FMT_CSV)
        host_csv(h, &o->b);
    else
        host_text(h, &o->b);
    o->n++;
    if (o->b.len > (1u << 16)) {
        fwrite(o->b.p, 1, o->b.len, stdout);
        exr_buf_reset(&o->b);
    }
}

int exr_cmd_hosts(int argc, char **argv)
{
    const exr_cmdspec *spec = &exr_spec_hosts;
    exr_parsed p;
    int a = exr_opts_parse(spec, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    if (!p.val[HOSTS_DB])
        return exr_opts_fail(spec, "--db STORE is required");
    int fmt = p.val[HOSTS_FORMAT] ? exr_opt_choice(spec, HOSTS_FORMAT, p.val[HOSTS_FORMAT]) : FMT_TEXT;
    if (fmt < 0)
        return 2;
    unsigned states = 0;
    if (p.val[HOSTS_STATE] && exr_state_mask(p.val[HOSTS_STATE], &states) != 0)
        return exr_opts_fail(spec, "--state: compromised, vulnerable, end-of-life, undetermined, patched, not-affected (comma-separated)");
    exr_err e = {0, ""};
    exr_buildtab tab = {0};
    exr_store *s = NULL;
    if (exr_cli_open_with_builds("hosts", p.val[HOSTS_DB], false, &tab, &s, &e) != 0)
        return 2;
    out_ctx o = {fmt, {0}, 0};
    exr_buf_init(&o.b);
    if (fmt == FMT_TEXT)
        exr_buf_printf(&o.b, "%-39s %5s %-13s %4s %4s %-16s %-26s %-8s %s\n", "ip", "port", "state", "open", "kev", "build", "support",
                       "case", "recipient");
    else if (fmt == FMT_CSV)
        exr_buf_adds(&o.b, "ip,port,time,state,build,open_cves,kev_open,check_configuration,support,asn,as_name,country,case,recipient,"
                           "org,first_ticket\n");
    int rc = exr_hosts_each(s, &tab, states, on_host, &o, &e);
    fwrite(o.b.p ? o.b.p : "", 1, o.b.len, stdout);
    exr_buf_free(&o.b);
    exr_store_close(s);
    exr_buildtab_free(&tab);
    if (rc != 0) {
        fprintf(stderr, "exray hosts: %s\n", e.msg);
        return 2;
    }
    return fflush(stdout) == 0 ? 0 : 2;
}
