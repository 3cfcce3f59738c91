/* targets.c: see targets.h. */
#include "targets.h"
#include "../core/buf.h"
#include "../core/textlines.h"
#include <openssl/evp.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char exr_data_blocklist_conf[];
extern const size_t exr_data_blocklist_conf_len;

/* 2^40 host:port pairs is already ~35 years at 1000/s; beyond that is a typo (an IPv6 /64). */
#define EXR_MAX_SPACE (1ull << 40)

void exr_targets_init(exr_targets *t)
{
    memset(t, 0, sizeof *t);
    exr_rangeset_init(&t->ranges_in);
    exr_rangeset_init(&t->user_block);
    exr_rangeset_init(&t->default_block);
    exr_rangeset_init(&t->ranges);
}

void exr_targets_free(exr_targets *t)
{
    exr_rangeset_free(&t->ranges_in);
    exr_rangeset_free(&t->user_block);
    exr_rangeset_free(&t->default_block);
    exr_rangeset_free(&t->ranges);
    for (size_t i = 0; i < t->nnames; i++)
        free(t->names[i].name);
    free(t->names);
    free(t->pairs);
    memset(t, 0, sizeof *t);
}

bool exr_hostname_valid(const char *s, size_t n)
{
    if (n && s[n - 1] == '.')
        n--; /* absolute name */
    if (n == 0 || n > 253)
        return false;
    size_t label = 0;
    bool alpha = false; /* in the current label */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.') {
            if (label == 0 || s[i - 1] == '-')
                return false;
            label = 0;
            alpha = false;
            continue;
        }
        if (!(isalnum(c) || c == '-' || c == '_'))
            return false;
        if (c == '-' && label == 0)
            return false;
        if (isalpha(c) || c == '_')
            alpha = true;
        if (++label > 63)
            return false;
    }
    /* the last label must hold a letter: "10.0.0.300" or "1.2.3.4-9" are typos, not names */
    return s[n - 1] != '-' && alpha;
}

static int parse_port(const char *s, size_t n, uint16_t *out)
{
    if (n == 0 || n > 5)
        return -1;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v == 0 || v > 65535)
        return -1;
    *out = (uint16_t)v;
    return 0;
}

int exr_ports_parse(const char *s, uint16_t *ports, int *nports, exr_err *e)
{
    int n = 0;
    const char *p = s;
    if (!*p)
        return exr_seterr(e, EXR_EINVAL, "empty port list");
    while (*p) {
        const char *end = strchr(p, ',');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        const char *dash = memchr(p, '-', l);
        uint16_t a, b;
        if (dash) {
            if (parse_port(p, (size_t)(dash - p), &a) || parse_port(dash + 1, l - (size_t)(dash - p) - 1, &b) || b < a)
                return exr_seterr(e, EXR_EINVAL, "bad port range '%.*s'", (int)(l > 40 ? 40 : l), p);
        } else {
            if (parse_port(p, l, &a))
                return exr_seterr(e, EXR_EINVAL, "bad port '%.*s' (1-65535)", (int)(l > 40 ? 40 : l), p);
            b = a;
        }
        for (unsigned v = a; v <= b; v++) {
            int dup = 0;
            for (int k = 0; k < n; k++)
                dup |= ports[k] == v;
            if (dup)
                continue;
            if (n == EXR_MAX_PORTS)
                return exr_seterr(e, EXR_ELIMIT, "more than %d ports", EXR_MAX_PORTS);
            ports[n++] = (uint16_t)v;
        }
        p += l;
        if (*p == ',') {
            p++;
            if (!*p)
                return exr_seterr(e, EXR_EINVAL, "trailing comma in port list");
        }
    }
    *nports = n;
    return 0;
}

static void add_pair(exr_targets *t, const exr_addr *a, uint16_t port)
{
    if (t->npairs == t->cappairs) {
        t->cappairs = t->cappairs ? t->cappairs * 2 : 64;
        t->pairs = exr_xrealloc(t->pairs, t->cappairs * sizeof *t->pairs);
    }
    t->pairs[t->npairs].addr = *a;
    t->pairs[t->npairs].port = port;
    t->npairs++;
}

static void add_name(exr_targets *t, const char *name, size_t n, uint16_t port)
{
    if (t->nnames == t->capnames) {
        t->capnames = t->capnames ? t->capnames * 2 : 16;
        t->names = exr_xrealloc(t->names, t->capnames * sizeof *t->names);
    }
    char *s = exr_xstrndup(name, n);
    for (char *c = s; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    t->names[t->nnames].name = s;
    t->names[t->nnames].port = port;
    t->nnames++;
}

/* host part (no brackets), optional port (0 if absent) */
static int add_hostport(exr_targets *t, const char *host, size_t hl, uint16_t port)
{
    char tmp[300];
    if (hl == 0 || hl >= sizeof tmp)
        return -1;
    memcpy(tmp, host, hl);
    tmp[hl] = 0;
    exr_cidr c;
    if (exr_cidr_parse(tmp, &c)) {
        if (port) {
            if (c.lo.v != c.hi.v)
                return -1; /* a port on a CIDR is ambiguous; use -p */
            add_pair(t, &c.lo, port);
        } else {
            exr_rangeset_add(&t->ranges_in, c.lo.family, c.lo.v, c.hi.v);
        }
        return 0;
    }
    if (!exr_hostname_valid(tmp, hl))
        return -1;
    add_name(t, tmp, hl, port);
    return 0;
}

/* "[v6]" or "[v6]:port": the address inside the brackets, which must be IPv6. */
static int bracketed(const char *s, const char **host, size_t *hl, uint16_t *port, const char *where, const char *line, exr_err *e)
{
    const char *rb = strchr(s, ']');
    if (!rb)
        return exr_seterr(e, EXR_EINVAL, "%s: unbalanced '[' in '%.80s'", where, line);
    *host = s + 1;
    *hl = (size_t)(rb - *host);
    if (rb[1] == ':') {
        if (parse_port(rb + 2, strlen(rb + 2), port))
            return exr_seterr(e, EXR_EINVAL, "%s: bad port in '%.80s'", where, line);
    } else if (rb[1]) {
        return exr_seterr(e, EXR_EINVAL, "%s: cannot parse target '%.80s'", where, line);
    }
    exr_addr a;
    char tmp[64];
    if (*hl == 0 || *hl >= sizeof tmp)
        return exr_seterr(e, EXR_EINVAL, "%s: bad IPv6 address in '%.80s'", where, line);
    memcpy(tmp, *host, *hl);
    tmp[*hl] = 0;
    if (!exr_addr_parse(tmp, &a) || a.family != 6)
        return exr_seterr(e, EXR_EINVAL, "%s: bad IPv6 address in '%.80s'", where, line);
    return 0;
}

int exr_targets_add_line(exr_targets *t, const char *line, const char *where, exr_err *e)
{
    char buf[1024];
    size_t n = strlen(line);
    if (n >= sizeof buf)
        return exr_seterr(e, EXR_EINVAL, "%s: target line too long", where);
    memcpy(buf, line, n + 1);
    char *hash = strchr(buf, '#');
    if (hash)
        *hash = 0;
    /* tokens */
    char *tok[8];
    int nt = 0;
    for (char *p = buf; *p && nt < 8;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        tok[nt++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = 0;
    }
    if (nt == 0)
        return 0;
    /* masscan -oL: "open tcp 443 192.0.2.1 1617891234" */
    if (nt >= 4 && strcmp(tok[0], "open") == 0 && strcmp(tok[1], "tcp") == 0) {
        uint16_t port;
        exr_addr a;
        if (parse_port(tok[2], strlen(tok[2]), &port) || !exr_addr_parse(tok[3], &a))
            return exr_seterr(e, EXR_EINVAL, "%s: bad masscan line", where);
        add_pair(t, &a, port);
        return 0;
    }
    if (nt != 1)
        return exr_seterr(e, EXR_EINVAL, "%s: cannot parse target '%.80s'", where, line);
    char *s = tok[0];
    if (strcmp(s, "saddr") == 0)
        return 0; /* zmap CSV header */
    size_t sl = strlen(s);
    if (strncasecmp(s, "https://", 8) == 0) {
        s += 8;
        char *slash = strpbrk(s, "/?#");
        if (slash)
            *slash = 0;
        if (strchr(s, '@'))
            return exr_seterr(e, EXR_EINVAL, "%s: URL with credentials not accepted '%.80s'", where, line);
        sl = strlen(s);
        if (sl == 0)
            return exr_seterr(e, EXR_EINVAL, "%s: URL without host", where);
    } else if (strstr(s, "://")) {
        return exr_seterr(e, EXR_EINVAL, "%s: only https:// URLs are scanned: '%.80s'", where, line);
    }
    uint16_t port = 0;
    const char *host = s;
    size_t hl = sl;
    if (s[0] == '[') {
        if (bracketed(s, &host, &hl, &port, where, line, e) != 0)
            return -1;
    } else {
        char *colon = strchr(s, ':');
        if (colon && strchr(colon + 1, ':') == NULL) {
            if (parse_port(colon + 1, strlen(colon + 1), &port))
                return exr_seterr(e, EXR_EINVAL, "%s: bad port in '%.80s'", where, line);
            hl = (size_t)(colon - s);
        }
    }
    if (add_hostport(t, host, hl, port) != 0)
        return exr_seterr(e, EXR_EINVAL, "%s: cannot parse target '%.80s'", where, line);
    return 0;
}

int exr_targets_add_file(exr_targets *t, const char *path, exr_err *e)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f)
        return exr_seterr(e, EXR_EIO, "%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if ((size_t)n != strlen(line)) {
            rc = exr_seterr(e, EXR_EINVAL, "%s:%ld: NUL byte in line", path, lineno);
            break;
        }
        char where[300];
        snprintf(where, sizeof where, "%s:%ld", path, lineno);
        if (exr_targets_add_line(t, line, where, e) != 0) {
            rc = -1;
            break;
        }
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

int exr_blocklist_parse(exr_rangeset *out, const char *text, size_t len, const char *name, exr_err *e)
{
    size_t pos = 0;
    int lineno = 0;
    const char *line;
    size_t ll;
    while (exr_text_line(text, len, &pos, &line, &ll)) {
        lineno++;
        char buf[256];
        const char *hash = memchr(line, '#', ll);
        if (hash)
            ll = (size_t)(hash - line);
        while (ll && isspace((unsigned char)line[ll - 1]))
            ll--;
        while (ll && isspace((unsigned char)*line))
            line++, ll--;
        if (ll == 0)
            continue;
        if (ll >= sizeof buf)
            return exr_seterr(e, EXR_EINVAL, "%s:%d: line too long", name, lineno);
        memcpy(buf, line, ll);
        buf[ll] = 0;
        exr_cidr c;
        if (!exr_cidr_parse(buf, &c))
            return exr_seterr(e, EXR_EINVAL, "%s:%d: not an address or CIDR: '%.60s'", name, lineno, buf);
        exr_rangeset_add(out, c.lo.family, c.lo.v, c.hi.v);
    }
    exr_rangeset_normalize(out);
    return 0;
}

int exr_blocklist_add_file(exr_targets *t, const char *path, exr_err *e)
{
    exr_buf b;
    exr_buf_init(&b);
    if (exr_read_file(path, 256u << 20, &b) != 0) {
        int err = errno;
        exr_buf_free(&b);
        return exr_seterr(e, EXR_EIO, "%s: %s", path, strerror(err));
    }
    int rc = exr_blocklist_parse(&t->user_block, b.p, b.len, path, e);
    exr_buf_free(&b);
    return rc;
}

int exr_blocklist_load_default(exr_targets *t, exr_err *e)
{
    return exr_blocklist_parse(&t->default_block, (const char *)exr_data_blocklist_conf, exr_data_blocklist_conf_len,
                               "data/blocklist.conf (built in)", e);
}

static int cmp_pair(const void *a, const void *b)
{
    const exr_pair *x = a, *y = b;
    int c = exr_addr_cmp(&x->addr, &y->addr);
    if (c)
        return c;
    return x->port < y->port ? -1 : x->port > y->port;
}

bool exr_targets_allowed(const exr_targets *t, const exr_addr *a)
{
    return !exr_rangeset_contains(&t->user_block, a->family, a->v);
}

int exr_targets_finish(exr_targets *t, exr_err *e)
{
    /* memory stays near 16 bytes per listed IPv4 address: each stage is freed as soon as
     * the next one exists (a zmap pass over the Internet lists ~50 million addresses) */
    exr_rangeset_normalize(&t->ranges_in);
    exr_u128 before = exr_rangeset_size(&t->ranges_in);
    t->nranges_in = t->ranges_in.n;
    exr_rangeset stage;
    exr_rangeset_init(&stage);
    /* subtracting a set adds at most one interval per interval of that set */
    exr_rangeset_reserve4(&stage, t->ranges_in.n4 + t->default_block.n4 + 1);
    for (size_t i = 0; i < t->ranges_in.n; i++) {
        exr_range r = exr_rangeset_get(&t->ranges_in, i);
        if (exr_rangeset_covers(&t->default_block, r.family, r.lo, r.hi))
            exr_rangeset_add(&stage, r.family, r.lo, r.hi); /* explicit choice */
        else
            exr_rangeset_subtract_into(&t->default_block, r.family, r.lo, r.hi, &stage);
    }
    exr_rangeset_free(&t->ranges_in);
    exr_rangeset_free(&t->ranges);
    exr_rangeset_init(&t->ranges);
    exr_rangeset_reserve4(&t->ranges, stage.n4 + t->user_block.n4 + 1);
    for (size_t i = 0; i < stage.n; i++) {
        exr_range r = exr_rangeset_get(&stage, i);
        exr_rangeset_subtract_into(&t->user_block, r.family, r.lo, r.hi, &t->ranges);
    }
    exr_rangeset_free(&stage);
    exr_rangeset_normalize(&t->ranges);
    exr_u128 after = exr_rangeset_size(&t->ranges);
    t->blocked = before - after > (exr_u128)UINT64_MAX ? UINT64_MAX : (uint64_t)(before - after);
    if (t->nports == 0) {
        t->ports[0] = 443;
        t->nports = 1;
    }
    if (!exr_rangeset_index(&t->ranges, EXR_MAX_SPACE / (uint64_t)t->nports))
        return exr_seterr(e, EXR_ELIMIT, "target space too large (more than 2^40 host:port pairs); split the scan");
    /* pairs: user blocklist, dedup */
    size_t w = 0;
    for (size_t i = 0; i < t->npairs; i++)
        if (exr_targets_allowed(t, &t->pairs[i].addr))
            t->pairs[w++] = t->pairs[i];
    t->npairs = w;
    if (t->npairs) {
        qsort(t->pairs, t->npairs, sizeof *t->pairs, cmp_pair);
        w = 1;
        for (size_t i = 1; i < t->npairs; i++)
            if (cmp_pair(&t->pairs[i], &t->pairs[w - 1]) != 0)
                t->pairs[w++] = t->pairs[i];
        t->npairs = w;
    }
    return 0;
}

/* SHA-256 of the finished target set (ranges, ports, addr:port pairs, names, in order):
 * a resumed scan must be the scan it continues, whatever arguments spelled it. */
void exr_targets_digest(const exr_targets *t, char out[65])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha256(), NULL);
    EVP_DigestUpdate(c, t->ports, (size_t)t->nports * sizeof t->ports[0]);
    for (size_t i = 0; i < t->ranges.n; i++) {
        exr_range r = exr_rangeset_get(&t->ranges, i);
        unsigned char b[1 + 2 * sizeof r.lo];
        b[0] = (unsigned char)r.family;
        memcpy(b + 1, &r.lo, sizeof r.lo);
        memcpy(b + 1 + sizeof r.lo, &r.hi, sizeof r.hi);
        EVP_DigestUpdate(c, b, sizeof b);
    }
    for (size_t i = 0; i < t->npairs; i++) {
        char a[EXR_ADDRSTRLEN + 8];
        exr_addr_format(&t->pairs[i].addr, a, sizeof a);
        size_t k = strlen(a);
        snprintf(a + k, sizeof a - k, ":%u;", t->pairs[i].port);
        EVP_DigestUpdate(c, a, strlen(a));
    }
    for (size_t i = 0; i < t->nnames; i++) {
        char p[8];
        snprintf(p, sizeof p, ":%u;", t->names[i].port);
        EVP_DigestUpdate(c, t->names[i].name, strlen(t->names[i].name));
        EVP_DigestUpdate(c, p, strlen(p));
    }
    unsigned char md[32];
    EVP_DigestFinal_ex(c, md, NULL);
    EVP_MD_CTX_free(c);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}
