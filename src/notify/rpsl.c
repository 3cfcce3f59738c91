/* rpsl.c: see rpsl.h. Objects are collected first and joined afterwards, so the files
 * may come in any order. Attribute names are case-insensitive; continuation lines (space,
 * tab or '+') extend the previous value; '#' and '%' lines are comments. */
#include "rpsl.h"
#include "../core/buf.h"
#include "../core/strmap.h"
#include <ctype.h>
#include "../store/sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

typedef struct pend {
    int kind; /* 0 network, 1 asn */
    exr_addr lo, hi;
    uint32_t asn;
    char *abuse_c, *org, *name, *irt;
    const char *file; /* where the object starts, for the reason it is skipped */
    long line;
} pend;

typedef struct obj {
    char cls[16];
    char key[128];
    exr_buf attrs; /* "name\0value\0" pairs */
} obj;

static const char *attr(const obj *o, const char *name)
{
    const char *p = o->attrs.p, *end = o->attrs.p + o->attrs.len;
    while (p && p < end) {
        const char *v = p + strlen(p) + 1;
        if (strcasecmp(p, name) == 0)
            return v;
        p = v + strlen(v) + 1;
    }
    return NULL;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = 0;
    size_t i = 0;
    while (s[i] && isspace((unsigned char)s[i]))
        i++;
    memmove(s, s + i, n - i + 1);
}

typedef struct ctx {
    exr_strmap roles, orgs;
    pend *p;
    size_t n, cap;
    exr_rpsl_stats *st;
    exr_rpsl_report rep;
    void *rctx;
} ctx;

static void report(ctx *c, const char *file, long line, const char *why)
{
    c->st->bad_lines++;
    if (c->rep) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s:%ld: %s", file, line, why);
        c->rep(c->rctx, msg);
    }
}

static void finish_obj(ctx *c, obj *o, const char *file, long line)
{
    if (!o->cls[0])
        return;
    c->st->objects++;
    const char *mb = attr(o, "abuse-mailbox");
    if (mb && !exr_email_valid(mb))
        report(c, file, line, "abuse-mailbox is not a valid e-mail address (object skipped as a contact)");
    if (strcasecmp(o->cls, "role") == 0) {
        const char *nic = attr(o, "nic-hdl");
        if (nic && mb && exr_email_valid(mb))
            exr_strmap_set(&c->roles, nic, mb);
    } else if (strcasecmp(o->cls, "irt") == 0) {
        /* APNIC and AFRINIC: an inetnum's mnt-irt names an irt object with the abuse-mailbox;
         * kept apart from role handles, which live in another namespace */
        char k[140];
        snprintf(k, sizeof k, "irt\t%s", o->key);
        if (mb && exr_email_valid(mb))
            exr_strmap_set(&c->roles, k, mb);
    } else if (strcasecmp(o->cls, "organisation") == 0) {
        const char *ac = attr(o, "abuse-c"), *nm = attr(o, "org-name");
        char v[600];
        snprintf(v, sizeof v, "%s\t%s", ac ? ac : "", nm ? nm : "");
        exr_strmap_set(&c->orgs, o->key, v);
    } else if (strcasecmp(o->cls, "inetnum") == 0 || strcasecmp(o->cls, "inet6num") == 0 || strcasecmp(o->cls, "aut-num") == 0) {
        pend p;
        memset(&p, 0, sizeof p);
        if (strcasecmp(o->cls, "aut-num") == 0) {
            char *end;
            unsigned long v = (strncasecmp(o->key, "AS", 2) == 0) ? strtoul(o->key + 2, &end, 10) : 0;
            if (!v || *end || v > 4294967295UL) {
                report(c, file, line, "bad aut-num");
                return;
            }
            p.kind = 1;
            p.asn = (uint32_t)v;
        } else if (strchr(o->key, '/')) {
            exr_cidr cidr;
            if (!exr_cidr_parse(o->key, &cidr)) {
                report(c, file, line, "bad inet6num");
                return;
            }
            p.lo = cidr.lo, p.hi = cidr.hi;
        } else {
            char a[64], b[64];
            const char *dash = strchr(o->key, '-');
            if (!dash || (size_t)(dash - o->key) >= sizeof a || strlen(dash + 1) >= sizeof b) {
                report(c, file, line, "bad inetnum range");
                return;
            }
            memcpy(a, o->key, (size_t)(dash - o->key));
            a[dash - o->key] = 0;
            snprintf(b, sizeof b, "%s", dash + 1);
            trim(a);
            trim(b);
            if (!exr_addr_parse(a, &p.lo) || !exr_addr_parse(b, &p.hi) || p.lo.family != p.hi.family || p.hi.v < p.lo.v) {
                report(c, file, line, "bad inetnum range");
                return;
            }
        }
        const char *ac = attr(o, "abuse-c"), *org = attr(o, "org");
        const char *nm = attr(o, "netname") ? attr(o, "netname") : attr(o, "as-name");
        const char *irt = attr(o, "mnt-irt");
        p.abuse_c = ac ? exr_xstrdup(ac) : NULL;
        p.irt = irt ? exr_xstrdup(irt) : NULL;
        p.org = org ? exr_xstrdup(org) : NULL;
        p.name = exr_xstrdup(nm ? nm : "");
        p.file = file;
        p.line = line;
        if (c->n == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 1024;
            c->p = exr_xrealloc(c->p, c->cap * sizeof *c->p);
        }
        c->p[c->n++] = p;
        c->st->networks++;
    }
}

/* A continuation line (space, tab or '+') extends the last value; a value empty on its
 * first line is the continuation alone. */
static void continue_value(obj *o, char *v)
{
    if (!o->attrs.len)
        return;
    trim(v);
    o->attrs.len--; /* drop the value's NUL */
    if (*v && o->attrs.len && o->attrs.p[o->attrs.len - 1] != 0)
        exr_buf_addc(&o->attrs, ' ');
    exr_buf_adds(&o->attrs, v);
    exr_buf_addc(&o->attrs, 0);
}

static int read_file(ctx *c, const char *path, exr_err *e)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return exr_seterr(e, EXR_EIO, "%s: cannot open", path);
    char line[4100];
    long lineno = 0, objline = 0;
    obj o;
    memset(&o, 0, sizeof o);
    exr_buf_init(&o.attrs);
    bool skip_rest = false;
    while (gzgets(f, line, sizeof line)) {
        lineno++;
        size_t n = strlen(line);
        bool full = n && line[n - 1] == '\n';
        if (!full && !gzeof(f)) {
            report(c, path, lineno, "line longer than 4096 bytes");
            int ch;
            while ((ch = gzgetc(f)) != -1 && ch != '\n')
                ;
            continue;
        }
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (memchr(line, 0, n)) {
            report(c, path, lineno, "NUL byte");
            continue;
        }
        if (n == 0) {
            finish_obj(c, &o, path, objline);
            o.cls[0] = 0;
            exr_buf_reset(&o.attrs);
            skip_rest = false;
            continue;
        }
        if (line[0] == '#' || line[0] == '%')
            continue;
        /* RFC 2622: '#' starts a comment that runs to the end of the line, in values too */
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        if (line[0] == ' ' || line[0] == '\t' || line[0] == '+') {
            continue_value(&o, line + 1);
            continue;
        }
        if (skip_rest)
            continue;
        char *colon = strchr(line, ':');
        if (!colon || colon == line) {
            report(c, path, lineno, "not an 'attribute: value' line");
            skip_rest = true;
            continue;
        }
        *colon = 0;
        char *v = colon + 1;
        trim(v);
        trim(line);
        if (!o.cls[0]) {
            snprintf(o.cls, sizeof o.cls, "%.15s", line);
            snprintf(o.key, sizeof o.key, "%.127s", v);
            objline = lineno;
        }
        exr_buf_adds(&o.attrs, line);
        exr_buf_addc(&o.attrs, 0);
        exr_buf_adds(&o.attrs, v);
        exr_buf_addc(&o.attrs, 0);
    }
    finish_obj(c, &o, path, objline);
    exr_buf_free(&o.attrs);
    int err = 0;
    gzerror(f, &err);
    gzclose(f);
    if (err != Z_OK && err != Z_STREAM_END)
        return exr_seterr(e, EXR_EIO, "%s: corrupt compressed data after line %ld", path, lineno);
    return 0;
}

/* A network without a contact: counted, and for the first 20 the reason, by file and line. */
static void no_contact(ctx *c, exr_rpsl_stats *st, const pend *p, const char *orgbuf)
{
    if (st->without_contact++ < 20) {
        char why[400];
        if (p->abuse_c || (p->org && orgbuf[0]))
            snprintf(why, sizeof why, "%s names no role with a valid abuse-mailbox (network skipped)",
                     p->abuse_c ? "abuse-c" : "the org's abuse-c");
        else if (p->org)
            snprintf(why, sizeof why, "org %.100s has no abuse-c in the files given (network skipped)", p->org);
        else if (p->irt)
            snprintf(why, sizeof why, "mnt-irt %.100s names no irt with a valid abuse-mailbox (network skipped)", p->irt);
        else
            snprintf(why, sizeof why, "no abuse-c, org or mnt-irt (network skipped)");
        report(c, p->file, p->line, why);
        st->bad_lines--; /* a reason, not a bad line */
    } else if (st->without_contact == 21) {
        report(c, p->file, p->line, "more networks without an abuse contact: counted, not listed");
        st->bad_lines--;
    }
}

/* The abuse mailbox of a network or AS: its abuse-c's, else its organisation's abuse-c's,
 * else its mnt-irt's; orgbuf gets the organisation's entry, *orgname its name. */
static const char *abuse_mail(ctx *c, const pend *p, char *orgbuf, size_t n, const char **orgname)
{
    const char *mail = p->abuse_c ? exr_strmap_get(&c->roles, p->abuse_c) : NULL;
    if (p->org) {
        const char *ov = exr_strmap_get(&c->orgs, p->org);
        if (ov) {
            snprintf(orgbuf, n, "%s", ov);
            char *tab = strchr(orgbuf, '\t');
            if (tab) {
                *tab = 0;
                *orgname = tab + 1;
                if (!mail && orgbuf[0])
                    mail = exr_strmap_get(&c->roles, orgbuf);
            }
        }
    }
    if (!mail && p->irt) {
        char k[140];
        snprintf(k, sizeof k, "irt\t%s", p->irt);
        mail = exr_strmap_get(&c->roles, k);
    }
    return mail;
}

int exr_rpsl_import(exr_store *s, const char *const *files, int nfiles, const char *source, exr_rpsl_report rep, void *rctx,
                    exr_rpsl_stats *st, exr_err *e)
{
    ctx c;
    memset(&c, 0, sizeof c);
    exr_strmap_init(&c.roles);
    exr_strmap_init(&c.orgs);
    c.st = st;
    c.rep = rep;
    c.rctx = rctx;
    int rc = 0;
    for (int i = 0; i < nfiles && rc == 0; i++)
        rc = read_file(&c, files[i], e);
    exr_db *db = exr_store_db(s);
    exr_stmt *del = NULL, *ins = NULL;
    if (rc == 0) {
        if (exr_db_exec(db, "BEGIN") != EXR_SQL_OK || exr_db_prepare(db, "DELETE FROM contacts_db WHERE source = ?", &del) != EXR_SQL_OK ||
            exr_db_prepare(db, "INSERT INTO contacts_db(kind, lo, hi, asn, email, org, source) VALUES(?,?,?,?,?,?,?)", &ins) != EXR_SQL_OK)
            rc = exr_seterr(e, EXR_ESTORE, "store: %s", exr_db_errmsg(db));
    }
    if (rc == 0) {
        exr_stmt_bind_text(del, 1, source);
        exr_stmt_step(del);
        for (size_t i = 0; i < c.n; i++) {
            pend *p = &c.p[i];
            const char *orgname = NULL;
            char orgbuf[600] = "";
            const char *mail = abuse_mail(&c, p, orgbuf, sizeof orgbuf, &orgname);
            if (!mail) {
                no_contact(&c, st, p, orgbuf);
                continue;
            }
            char lo[EXR_ADDRSTRLEN] = "", hi[EXR_ADDRSTRLEN] = "";
            if (p->kind == 0) {
                exr_addr_format(&p->lo, lo, sizeof lo);
                exr_addr_format(&p->hi, hi, sizeof hi);
            }
            exr_stmt_reset(ins);
            exr_stmt_bind_int(ins, 1, p->kind);
            exr_stmt_bind_text(ins, 2, lo);
            exr_stmt_bind_text(ins, 3, hi);
            exr_stmt_bind_int(ins, 4, p->asn);
            exr_stmt_bind_text(ins, 5, mail);
            exr_stmt_bind_text(ins, 6, orgname && *orgname ? orgname : p->name);
            exr_stmt_bind_text(ins, 7, source);
            if (exr_stmt_step(ins) != EXR_SQL_DONE) {
                rc = exr_seterr(e, EXR_ESTORE, "store: %s", exr_db_errmsg(db));
                break;
            }
            st->with_contact++;
        }
        exr_db_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK");
    }
    exr_stmt_finalize(del);
    exr_stmt_finalize(ins);
    for (size_t i = 0; i < c.n; i++) {
        free(c.p[i].abuse_c);
        free(c.p[i].org);
        free(c.p[i].name);
        free(c.p[i].irt);
    }
    free(c.p);
    exr_strmap_free(&c.roles);
    exr_strmap_free(&c.orgs);
    return rc;
}

int exr_contacts_load_store(exr_contacts *cs, exr_store *s, exr_err *e)
{
    exr_db *db = exr_store_db(s);
    exr_stmt *q;
    if (exr_db_prepare(db, "SELECT kind, lo, hi, asn, email, org FROM contacts_db", &q) != EXR_SQL_OK)
        return exr_seterr(e, EXR_ESTORE, "store: %s", exr_db_errmsg(db));
    while (exr_stmt_step(q) == EXR_SQL_ROW) {
        exr_contact c;
        memset(&c, 0, sizeof c);
        const char *email = exr_stmt_text(q, 4), *org = exr_stmt_text(q, 5);
        if (!email || !exr_email_valid(email) || strlen(email) >= sizeof c.email)
            continue;
        snprintf(c.email, sizeof c.email, "%s", email);
        snprintf(c.org, sizeof c.org, "%s", org ? org : "");
        for (char *p = c.org; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = ' ';
        if (exr_stmt_int(q, 0) == 1) {
            c.kind = 1;
            c.asn = (uint32_t)exr_stmt_int(q, 3);
        } else {
            exr_addr lo, hi;
            const char *l = exr_stmt_text(q, 1), *h = exr_stmt_text(q, 2);
            if (!l || !h || !exr_addr_parse(l, &lo) || !exr_addr_parse(h, &hi) || lo.family != hi.family)
                continue;
            c.kind = 0;
            c.family = lo.family;
            c.lo = lo.v;
            c.hi = hi.v;
        }
        exr_contacts_add(cs, &c);
    }
    exr_stmt_finalize(q);
    return 0;
}
