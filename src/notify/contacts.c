/* contacts.c: see contacts.h. */
#include "contacts.h"
#include "../core/buf.h"
#include "../core/csv.h"
#include "../core/textlines.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const unsigned char exr_data_national_certs[];
extern const size_t exr_data_national_certs_len;

void exr_contacts_init(exr_contacts *cs)
{
    memset(cs, 0, sizeof *cs);
}

void exr_contacts_free(exr_contacts *cs)
{
    free(cs->c);
    free(cs->seg[0]);
    free(cs->seg[1]);
    free(cs->by_asn);
    memset(cs, 0, sizeof *cs);
}

bool exr_email_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 254)
        return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || !at[1] || at - s > 64)
        return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c >= 0x7f || strchr("\"(),:;<>[\\]", c))
            return false;
    }
    const char *d = at + 1;
    if (d[0] == '.' || d[strlen(d) - 1] == '.' || strstr(d, "..") || !strchr(d, '.'))
        return false;
    for (const char *p = d; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '.'))
            return false;
    return true;
}

void exr_contacts_add(exr_contacts *cs, const exr_contact *c)
{
    cs->finished = 0;
    if (cs->n == cs->cap) {
        cs->cap = cs->cap ? cs->cap * 2 : 64;
        cs->c = exr_xrealloc(cs->c, cs->cap * sizeof *cs->c);
    }
    cs->c[cs->n++] = *c;
}

static void clean_copy(char *dst, size_t n, const char *src)
{
    size_t k = 0;
    for (; *src && k + 1 < n; src++)
        dst[k++] = ((unsigned char)*src < 0x20 || *src == 0x7f) ? ' ' : *src;
    dst[k] = 0;
}

static int load(exr_contacts *cs, const char *text, size_t len, const char *name, int national, exr_contacts_report rep, void *ctx,
                exr_err *e)
{
    (void)e;
    exr_csv_row r;
    exr_csv_row_init(&r);
    size_t pos = 0;
    long lineno = 0;
    bool header = false;
    char msg[600];
    const char *line;
    size_t ll;
    while (exr_text_line(text, len, &pos, &line, &ll)) {
        lineno++;
        if (ll == 0 || line[0] == '#')
            continue;
        const char *why = NULL;
        exr_contact c;
        memset(&c, 0, sizeof c);
        if (memchr(line, 0, ll))
            why = "NUL byte";
        else if (ll > 4096)
            why = "line too long";
        else if (exr_csv_split(&r, line, ll) != 0 || r.n < 2)
            why = "malformed CSV";
        if (!why && !header) {
            header = true;
            if (strcasecmp(r.f[0], national ? "country" : "network") == 0)
                continue;
        }
        if (!why) {
            const char *key = r.f[0];
            if (national) {
                if (strlen(key) != 2 || !isalpha((unsigned char)key[0]) || !isalpha((unsigned char)key[1]))
                    why = "country must be two letters";
                c.kind = 2;
                c.cc[0] = (char)toupper((unsigned char)key[0]);
                c.cc[1] = (char)toupper((unsigned char)key[1]);
            } else if ((key[0] == 'A' || key[0] == 'a') && (key[1] == 'S' || key[1] == 's') && isdigit((unsigned char)key[2])) {
                char *end;
                unsigned long v = strtoul(key + 2, &end, 10);
                if (*end || v == 0 || v > 4294967295UL)
                    why = "bad AS number";
                c.kind = 1;
                c.asn = (uint32_t)v;
            } else {
                exr_cidr cidr;
                if (!exr_cidr_parse(key, &cidr))
                    why = "network is neither a CIDR nor AS<number>";
                c.kind = 0;
                c.family = cidr.lo.family;
                c.lo = cidr.lo.v;
                c.hi = cidr.hi.v;
                c.prefix = cidr.prefix;
            }
        }
        if (!why && !exr_email_valid(r.f[1]))
            why = "not a valid e-mail address";
        if (!why && strlen(r.f[1]) >= sizeof c.email)
            why = "address too long";
        if (why) {
            cs->bad_lines++;
            if (rep) {
                snprintf(msg, sizeof msg, "%s:%ld: %s", name, lineno, why);
                rep(ctx, msg);
            }
            continue;
        }
        snprintf(c.email, sizeof c.email, "%s", r.f[1]);
        for (char *p = c.email; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        clean_copy(c.org, sizeof c.org, r.n > 2 ? r.f[2] : "");
        exr_contacts_add(cs, &c);
    }
    exr_csv_row_free(&r);
    return 0;
}

int exr_contacts_load_csv(exr_contacts *cs, const char *text, size_t len, const char *name, exr_contacts_report rep, void *ctx, exr_err *e)
{
    return load(cs, text, len, name, 0, rep, ctx, e);
}

int exr_contacts_load_national(exr_contacts *cs, const char *text, size_t len, const char *name, exr_contacts_report rep, void *ctx,
                               exr_err *e)
{
    return load(cs, text, len, name, 1, rep, ctx, e);
}

int exr_contacts_load_default_national(exr_contacts *cs, exr_err *e)
{
    return load(cs, (const char *)exr_data_national_certs, exr_data_national_certs_len, "data/national-certs.csv", 1, NULL, NULL, e);
}

typedef struct ev {
    exr_u128 lo, hi;
    uint32_t idx;
} ev;

static int cmp_ev(const void *a, const void *b)
{
    const ev *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    if (x->hi != y->hi)
        return x->hi > y->hi ? -1 : 1; /* the wider first: the narrower nests inside */
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static const exr_contacts *sort_ctx;
static int cmp_asn(const void *a, const void *b)
{
    uint32_t x = sort_ctx->c[*(const uint32_t *)a].asn, y = sort_ctx->c[*(const uint32_t *)b].asn;
    return x < y ? -1 : x > y;
}

static void emit(exr_cseg **out, size_t *n, size_t *cap, exr_u128 lo, exr_u128 hi, uint32_t idx)
{
    if (lo > hi)
        return;
    if (*n && (*out)[*n - 1].idx == idx && (*out)[*n - 1].hi + 1 == lo) {
        (*out)[*n - 1].hi = hi;
        return;
    }
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        *out = exr_xrealloc(*out, *cap * sizeof **out);
    }
    (*out)[(*n)++] = (exr_cseg){lo, hi, idx};
}

/* Sweep over ranges sorted by start: a stack of open ranges, the top is the most specific
 * (nested RPSL ranges and CIDRs); each stretch between boundaries goes to the top. */
static void build_family(exr_contacts *cs, int fam, int slot)
{
    size_t n = 0;
    for (size_t i = 0; i < cs->n; i++)
        n += cs->c[i].kind == 0 && cs->c[i].family == fam;
    ev *e = exr_xmalloc((n ? n : 1) * sizeof *e);
    size_t k = 0;
    for (size_t i = 0; i < cs->n; i++)
        if (cs->c[i].kind == 0 && cs->c[i].family == fam)
            e[k++] = (ev){cs->c[i].lo, cs->c[i].hi, (uint32_t)i};
    qsort(e, n, sizeof *e, cmp_ev);
    ev *stack = exr_xmalloc((n ? n : 1) * sizeof *stack);
    size_t sp = 0, cap = 0;
    free(cs->seg[slot]);
    cs->seg[slot] = NULL;
    cs->nseg[slot] = 0;
    exr_u128 pos = 0;
    int have_pos = 0;
    for (size_t i = 0; i <= n; i++) {
        exr_u128 next = i < n ? e[i].lo : 0;
        /* close ranges that end before the next start */
        while (sp && (i == n || stack[sp - 1].hi < next)) {
            ev top = stack[--sp];
            if (!have_pos || top.hi >= pos) {
                emit(&cs->seg[slot], &cs->nseg[slot], &cap, have_pos ? pos : top.lo, top.hi, top.idx);
                pos = top.hi + 1;
                have_pos = top.hi != ~(exr_u128)0;
            }
            while (sp && stack[sp - 1].hi < pos)
                sp--;
        }
        if (i == n)
            break;
        if (sp && (!have_pos || next > pos))
            emit(&cs->seg[slot], &cs->nseg[slot], &cap, have_pos ? pos : stack[sp - 1].lo, next - 1, stack[sp - 1].idx);
        stack[sp++] = e[i];
        pos = next;
        have_pos = 1;
    }
    free(stack);
    free(e);
}

void exr_contacts_finish(exr_contacts *cs)
{
    build_family(cs, 4, 0);
    build_family(cs, 6, 1);
    free(cs->by_asn);
    cs->nasn = 0;
    cs->by_asn = exr_xmalloc((cs->n ? cs->n : 1) * sizeof *cs->by_asn);
    for (size_t i = 0; i < cs->n; i++)
        if (cs->c[i].kind == 1)
            cs->by_asn[cs->nasn++] = (uint32_t)i;
    sort_ctx = cs;
    qsort(cs->by_asn, cs->nasn, sizeof *cs->by_asn, cmp_asn);
    cs->finished = 1;
}

static const exr_contact *by_network(const exr_contacts *cs, const exr_addr *a)
{
    int slot = a->family == 4 ? 0 : 1;
    const exr_cseg *sg = cs->seg[slot];
    size_t lo = 0, hi = cs->nseg[slot];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sg[mid].hi < a->v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < cs->nseg[slot] && sg[lo].lo <= a->v && a->v <= sg[lo].hi ? &cs->c[sg[lo].idx] : NULL;
}

static const exr_contact *by_asn(const exr_contacts *cs, uint32_t asn)
{
    size_t l = 0, h = cs->nasn;
    while (asn && l < h) {
        size_t mid = (l + h) / 2;
        if (cs->c[cs->by_asn[mid]].asn < asn)
            l = mid + 1;
        else
            h = mid;
    }
    return asn && l < cs->nasn && cs->c[cs->by_asn[l]].asn == asn ? &cs->c[cs->by_asn[l]] : NULL;
}

static const exr_contact *by_country(const exr_contacts *cs, const char *cc)
{
    if (cc && cc[0])
        for (size_t i = 0; i < cs->n; i++)
            if (cs->c[i].kind == 2 && strcasecmp(cs->c[i].cc, cc) == 0)
                return &cs->c[i];
    return NULL;
}

const exr_contact *exr_contacts_resolve(const exr_contacts *cs, const exr_addr *a, uint32_t asn, const char *cc, const char **why)
{
    if (!cs->finished)
        exr_contacts_finish((exr_contacts *)cs);
    const exr_contact *c;
    if ((c = by_network(cs, a))) {
        *why = "network";
    } else if ((c = by_asn(cs, asn))) {
        *why = "asn";
    } else if ((c = by_country(cs, cc))) {
        *why = "country";
    } else {
        *why = "none";
    }
    return c;
}

const exr_contact *exr_contacts_escalate(const exr_contacts *cs, const exr_contact *from, uint32_t asn, const char *cc)
{
    if (!cs->finished)
        exr_contacts_finish((exr_contacts *)cs);
    const exr_contact *up[2] = {from->kind == 0 ? by_asn(cs, asn) : NULL, from->kind <= 1 ? by_country(cs, cc) : NULL};
    for (int i = 0; i < 2; i++)
        if (up[i] && strcasecmp(up[i]->email, from->email) != 0)
            return up[i];
    return NULL;
}
