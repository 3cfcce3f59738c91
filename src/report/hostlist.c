/* hostlist.c: see hostlist.h. The state is read, never judged here: host_latest gives it;
 * the CVE lists say why, by the same tables the stored states were computed with. */
#include "hostlist.h"
#include "../notify/cases.h"
#include "../store/sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The newest case of each address, from exray cases' own reading. */
typedef struct case_ix {
    const char *ip;
    const exr_case *c;
    const exr_case_host *h; /* the host's own part of it */
} case_ix;

static int cmp_ix(const void *a, const void *b)
{
    return strcmp(((const case_ix *)a)->ip, ((const case_ix *)b)->ip);
}

static case_ix *index_cases(const exr_cases *cs, size_t *n)
{
    size_t cap = 0;
    case_ix *ix = NULL;
    *n = 0;
    for (size_t i = 0; i < cs->n; i++)
        for (size_t k = 0; k < cs->v[i].nhosts; k++) {
            if (*n == cap)
                ix = exr_xrealloc(ix, (cap = cap ? cap * 2 : 64) * sizeof *ix);
            ix[(*n)++] = (case_ix){cs->v[i].hosts[k].ip, &cs->v[i], &cs->v[i].hosts[k]};
        }
    if (*n)
        qsort(ix, *n, sizeof *ix, cmp_ix);
    /* of several cases of one address, the one with the newest first notice */
    size_t w = 0;
    for (size_t i = 0; i < *n; i++) {
        if (w && strcmp(ix[w - 1].ip, ix[i].ip) == 0) {
            if (strcmp(ix[i].c->first_notice, ix[w - 1].c->first_notice) > 0)
                ix[w - 1] = ix[i];
            continue;
        }
        ix[w++] = ix[i];
    }
    *n = w;
    return ix;
}

/* the asserted CVEs as stored (space-separated), split in place */
static int split_ids(char *text, const char **out, int max)
{
    int n = 0;
    for (char *sv = NULL, *t = text ? strtok_r(text, " ", &sv) : NULL; t && n < max; t = strtok_r(NULL, " ", &sv))
        out[n++] = t;
    return n;
}

/* The record's "source" object (an imported report's own fields), as text, or NULL. */
static const char *source_of(const char *rec, char *buf, size_t n)
{
    const char *p = rec ? strstr(rec, "\"source\":{") : NULL;
    if (!p)
        return NULL;
    p += 9;
    /* the writer escapes quotes and braces inside strings, so the object ends at its brace */
    int depth = 0;
    bool in_str = false;
    for (const char *q = p; *q; q++) {
        if (in_str) {
            if (*q == '\\' && q[1])
                q++;
            else if (*q == '"')
                in_str = false;
            continue;
        }
        if (*q == '"')
            in_str = true;
        else if (*q == '{')
            depth++;
        else if (*q == '}' && --depth == 0) {
            size_t l = (size_t)(q - p + 1);
            if (l >= n)
                return NULL;
            memcpy(buf, p, l);
            buf[l] = 0;
            return buf;
        }
    }
    return NULL;
}

static const char host_sql[] = "SELECT l.ip, l.port, l.time, l.state, l.kev_open, o.build, o.product, o.cu, o.su, o.asserted, o.record,"
                               " h.asn, h.as_name, h.country FROM host_latest l JOIN observations o ON o.id = l.id"
                               " LEFT JOIN host_info h ON h.ip = l.ip ORDER BY l.ip";

typedef struct walk {
    const exr_buildtab *tab;
    exr_build_memo *memo;
    exr_build_info *bi;
    const case_ix *ix;
    size_t nix;
} walk;

/* The build's lists, the config-dependent undetermined ones apart. */
static void cve_lists(const walk *w, const char *build, exr_host_row *h, const char **check, const char **und)
{
    if (!build || !exr_build_classify_text(w->tab, w->memo, build, w->bi) || !w->bi->cves.classified)
        return;
    const exr_cve_verdicts *cv = &w->bi->cves;
    h->open = cv->open;
    h->nopen = cv->nopen;
    for (int i = 0; i < cv->nundet; i++) {
        const exr_vuln *v = exr_vulntab_find(w->tab->vulns, cv->undetermined[i]);
        if (exr_cve_listed(h->asserted, h->nasserted, cv->undetermined[i]))
            continue; /* the feed says it is open */
        if (v && v->config[0])
            check[h->ncheck++] = cv->undetermined[i];
        else
            und[h->nundet++] = cv->undetermined[i];
    }
    h->support = cv->support;
}

static void one_host(const walk *w, exr_stmt *st, exr_host_cb cb, void *ctx)
{
    exr_host_row h;
    memset(&h, 0, sizeof h);
    h.ip = exr_stmt_text(st, 0);
    h.port = (int)exr_stmt_int(st, 1);
    h.time = exr_stmt_text(st, 2);
    h.state = exr_stmt_text(st, 3);
    h.kev_open = exr_stmt_int(st, 4);
    h.build = exr_stmt_text(st, 5), h.product = exr_stmt_text(st, 6), h.cu = exr_stmt_text(st, 7), h.su = exr_stmt_text(st, 8);
    const char *check[EXR_MAX_CVES], *und[EXR_MAX_CVES], *asserted[EXR_MAX_ASSERTED];
    char abuf[EXR_MAX_ASSERTED * 24], sbuf[4096];
    snprintf(abuf, sizeof abuf, "%s", exr_stmt_text(st, 9) ? exr_stmt_text(st, 9) : "");
    h.nasserted = split_ids(abuf, asserted, EXR_MAX_ASSERTED);
    h.asserted = asserted;
    cve_lists(w, h.build, &h, check, und);
    h.check = check, h.undetermined = und;
    h.source = source_of(exr_stmt_text(st, 10), sbuf, sizeof sbuf);
    h.asn = exr_stmt_isnull(st, 11) ? 0 : exr_stmt_int(st, 11);
    h.as_name = exr_stmt_text(st, 12), h.country = exr_stmt_text(st, 13);
    case_ix key = {h.ip, NULL};
    const case_ix *c = h.ip && w->nix ? bsearch(&key, w->ix, w->nix, sizeof *w->ix, cmp_ix) : NULL;
    if (c) {
        h.recipient = c->c->recipient, h.org = c->c->org, h.ticket = c->c->first_ticket;
        h.case_state = c->h->resolved_at[0] ? "resolved" : "open";
        h.resolution = c->h->resolution[0] ? c->h->resolution : NULL;
        h.recipient_case = c->c->resolved ? "resolved" : "open";
    }
    cb(ctx, &h);
}

int exr_hosts_each(exr_store *s, const exr_buildtab *tab, unsigned states, exr_host_cb cb, void *ctx, exr_err *e)
{
    exr_cases cs;
    if (exr_cases_load(s, &cs, e) != 0)
        return -1;
    walk w = {tab, exr_xcalloc(1, sizeof(exr_build_memo)), exr_xcalloc(1, sizeof(exr_build_info)), NULL, 0};
    w.ix = index_cases(&cs, &w.nix);
    exr_db *db = exr_store_db(s);
    exr_stmt *st;
    int rc = -1;
    if (exr_db_prepare(db, host_sql, &st) != EXR_SQL_OK) {
        exr_db_seterr(db, e, "hosts");
        goto out;
    }
    int r;
    while ((r = exr_stmt_step(st)) == EXR_SQL_ROW) {
        int sx = exr_state_parse(exr_stmt_text(st, 3));
        if (states && (sx < 0 || !(states & 1u << sx)))
            continue;
        one_host(&w, st, cb, ctx);
    }
    exr_stmt_finalize(st);
    rc = r == EXR_SQL_DONE ? 0 : exr_db_seterr(db, e, "hosts");
out:
    free((void *)w.ix);
    free(w.memo);
    free(w.bi);
    exr_cases_free(&cs);
    return rc;
}
