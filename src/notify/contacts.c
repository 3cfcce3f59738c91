/* contacts.c: see contacts.h. */
#include "contacts.h"
#include "../core/buf.h"
#include "../core/csv.h"
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

static void add(exr_contacts *cs, const exr_contact *c)
{
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
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + (nl ? 1 : 0);
        lineno++;
        if (ll && line[ll - 1] == '\r')
            ll--;
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
        add(cs, &c);
    }
    exr_csv_row_free(&r);
    return 0;
}

int exr_contacts_load_csv(exr_contacts *cs, const char *text, size_t len, const char *name, exr_contacts_report rep, void *ctx,
                          exr_err *e)
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

const exr_contact *exr_contacts_resolve(const exr_contacts *cs, const exr_addr *a, uint32_t asn, const char *cc, const char **why)
{
    const exr_contact *best = NULL;
    for (size_t i = 0; i < cs->n; i++) {
        const exr_contact *c = &cs->c[i];
        if (c->kind == 0 && c->family == a->family && a->v >= c->lo && a->v <= c->hi && (!best || c->prefix > best->prefix))
            best = c;
    }
    if (best) {
        *why = "network";
        return best;
    }
    if (asn)
        for (size_t i = 0; i < cs->n; i++)
            if (cs->c[i].kind == 1 && cs->c[i].asn == asn) {
                *why = "asn";
                return &cs->c[i];
            }
    if (cc && cc[0])
        for (size_t i = 0; i < cs->n; i++)
            if (cs->c[i].kind == 2 && strcasecmp(cs->c[i].cc, cc) == 0) {
                *why = "country";
                return &cs->c[i];
            }
    *why = "none";
    return NULL;
}
