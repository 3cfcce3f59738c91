/* logs.c: the text-log checks. Exchange logs (HttpProxy, ECP Server, OABGeneratorLog) and
 * IIS W3C logs are read line by line with fields mapped by name from each #Fields line
 * (a new #Fields line mid-file takes effect from there). HttpProxy rows are pre-filtered
 * on "server~"/"serverinfo~" before being split, as CSS-Exchange does with Select-String,
 * except for the few leading columns that give the time and the build of every row. */
#include "../core/buf.h"
#include "../core/hex.h"
#include "hunt.h"
#include "lines.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct sv {
    const char *p;
    size_t n;
} sv;

#define MAXF 160

/* Splits one CSV line into views; quoted fields lose their outer quotes (doubled quotes
 * inside stay doubled: matching works on them as they are). Returns the field count. */
static int split_csv(const char *s, size_t n, sv *v, int max)
{
    int k = 0;
    size_t i = 0;
    while (k < max) {
        if (i < n && s[i] == '"') {
            size_t st = ++i;
            while (i < n) {
                if (s[i] == '"') {
                    if (i + 1 < n && s[i + 1] == '"') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i++;
            }
            v[k++] = (sv){s + st, i - st};
            while (i < n && s[i] != ',')
                i++;
        } else {
            size_t st = i;
            const char *c = memchr(s + i, ',', n - i);
            i = c ? (size_t)(c - s) : n;
            v[k++] = (sv){s + st, i - st};
        }
        if (i >= n)
            break;
        i++;
    }
    return k;
}

static int split_ws(const char *s, size_t n, sv *v, int max)
{
    int k = 0;
    size_t i = 0;
    while (i < n && k < max) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        size_t st = i;
        const char *c = memchr(s + i, ' ', n - i);
        i = c ? (size_t)(c - s) : n;
        v[k++] = (sv){s + st, i - st};
    }
    return k;
}

static bool sv_eq(sv a, const char *b)
{
    size_t l = strlen(b);
    return a.n == l && strncasecmp(a.p, b, l) == 0;
}

/* Maps wanted names to their column in a header; returns the largest index + 1. */
static int map_header(sv *names, int nn, const char *const *want, int nwant, int *idx)
{
    int maxi = 0;
    for (int w = 0; w < nwant; w++) {
        idx[w] = -1;
        for (int i = 0; i < nn; i++) {
            if (sv_eq(names[i], want[w])) {
                idx[w] = i; /* the first of duplicated names wins */
                if (i + 1 > maxi)
                    maxi = i + 1;
                break;
            }
        }
    }
    return maxi;
}

static sv fld(const sv *v, int nv, int i)
{
    if (i < 0 || i >= nv)
        return (sv){"", 0};
    return v[i];
}

static long sv_long(sv a)
{
    long r = 0;
    if (a.n == 0 || a.n > 9)
        return -1;
    for (size_t i = 0; i < a.n; i++) {
        if (!isdigit((unsigned char)a.p[i]))
            return -1;
        r = r * 10 + (a.p[i] - '0');
    }
    return r;
}

/* ---- HttpProxy ---- */

enum { HP_TIME, HP_MAJ, HP_MIN, HP_BLD, HP_REV, HP_AM, HP_BEC, HP_USER, HP_STEM, HP_STATUS, HP_IP, HP_UA, HP_HOST, HP_N };
static const char *const hp_names[HP_N] = {
    "DateTime",          "MajorVersion", "MinorVersion", "BuildVersion",    "RevisionVersion", "AnchorMailbox", "BackEndCookie",
    "AuthenticatedUser", "UrlStem",      "HttpStatus",   "ClientIpAddress", "UserAgent",       "UrlHost"};

static bool candidate(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    while ((p = memchr(p, '~', (size_t)(end - p))) != NULL) {
        size_t i = (size_t)(p - s);
        if ((i >= 6 && strncasecmp(p - 6, "server", 6) == 0) || (i >= 10 && strncasecmp(p - 10, "serverinfo", 10) == 0))
            return true;
        p++;
    }
    return false;
}

static void evidence_add(exr_buf *b, const char *k, sv v)
{
    if (b->len)
        exr_buf_adds(b, " ");
    exr_buf_adds(b, k);
    exr_buf_addc(b, '=');
    if (v.n)
        exr_buf_add(b, v.p, v.n > 300 ? 300 : v.n);
    else
        exr_buf_adds(b, "(empty)");
}

/* One log file being read: an unreadable file, over-long lines and a read error are
 * reported with the file's name; the bytes read and the time span (the coverage) are kept. */
typedef struct logrd {
    exr_hunt *h;
    exr_lines r;
    const char *rel;
    long bytes;
    int rc;
    int64_t first, last;
    long toolong;
} logrd;

static bool log_open(logrd *lr, exr_hunt *h, const char *full)
{
    memset(lr, 0, sizeof *lr);
    lr->h = h;
    lr->rel = exr_layout_rel(&h->lay, full);
    lr->first = lr->last = EXR_NO_TIME;
    if (exr_lines_open(&lr->r, full) != 0) {
        exr_hunt_not_examined(&h->out, lr->rel, "cannot read: %s", strerror(errno));
        return false;
    }
    return true;
}

/* The next non-empty line within the length limit: 1, or 0 at the end or on a read error. */
static int log_next(logrd *lr, const char **line, size_t *len)
{
    bool toolong;
    while ((lr->rc = exr_lines_next(&lr->r, line, len, &toolong)) == 1) {
        lr->bytes += (long)*len + 1;
        if (toolong) {
            /* the line limit is a hard one: the first skipped line makes the file "not fully examined" */
            if (!lr->toolong++)
                exr_hunt_not_examined(&lr->h->out, lr->rel, "line %ld longer than %u bytes skipped (the reader's hard limit)", lr->r.lineno,
                                      EXR_LINE_MAX);
            exr_hunt_problem(&lr->h->out, "%s:%ld: line longer than %u bytes skipped", lr->rel, lr->r.lineno, EXR_LINE_MAX);
        } else if (*len)
            return 1;
    }
    return 0;
}

static void log_time(logrd *lr, int64_t ms)
{
    if (ms == EXR_NO_TIME)
        return;
    if (lr->first == EXR_NO_TIME || ms < lr->first)
        lr->first = ms;
    if (lr->last == EXR_NO_TIME || ms > lr->last)
        lr->last = ms;
}

static void log_close(logrd *lr, const char *cov)
{
    if (lr->rc < 0)
        exr_hunt_not_examined(&lr->h->out, lr->rel, "read error after line %ld: %s", lr->r.lineno, strerror(errno));
    exr_hunt_cover(&lr->h->out, cov, lr->first, lr->last);
    __atomic_add_fetch(&lr->h->bytes_read, lr->bytes, __ATOMIC_RELAXED);
    exr_lines_close(&lr->r);
}

/* What an HttpProxy log's reader knows between lines. */
typedef struct hp_state {
    int idx[HP_N];
    int need_fast, need_all; /* fields to split: for every row, for a candidate row */
    bool have_header, reported_noheader;
    exr_buildobs *obs;
    size_t nobs, capobs;
} hp_state;

/* A #Fields line, or a first row naming the columns (an exported CSV): true when the line
 * was a header (or comment) and is done with. */
static bool hp_header(exr_hunt *h, logrd *lr, hp_state *hs, sv *v, const char *line, size_t len)
{
    if (line[0] == '#') {
        if (len > 8 && strncasecmp(line, "#Fields:", 8) == 0) {
            const char *p = line + 8;
            size_t pl = len - 8;
            while (pl && *p == ' ')
                p++, pl--;
            int nn = split_csv(p, pl, v, MAXF);
            hs->need_all = map_header(v, nn, hp_names, HP_N, hs->idx);
            hs->need_fast = 0;
            for (int k = HP_TIME; k <= HP_REV; k++)
                if (hs->idx[k] + 1 > hs->need_fast)
                    hs->need_fast = hs->idx[k] + 1;
            hs->have_header = hs->idx[HP_AM] >= 0;
            if (!hs->have_header)
                exr_hunt_problem(&h->out, "%s:%ld: #Fields line without AnchorMailbox", lr->rel, lr->r.lineno);
        }
        return true;
    }
    if (hs->have_header)
        return false;
    /* an exported CSV (Import-Csv style) carries its header as the first row */
    int nn = split_csv(line, len, v, MAXF);
    if (nn > 1 && sv_eq(v[0], "DateTime")) {
        hs->need_all = map_header(v, nn, hp_names, HP_N, hs->idx);
        hs->need_fast = hs->need_all;
        hs->have_header = hs->idx[HP_AM] >= 0;
        return true;
    }
    if (!hs->reported_noheader)
        exr_hunt_problem(&h->out, "%s:%ld: data before any #Fields line; rows skipped until one appears", lr->rel, lr->r.lineno);
    hs->reported_noheader = true;
    return true;
}

/* The build the row was served by, once per hour and build. */
static void hp_note_build(hp_state *hs, const sv *v, int nv, int64_t ms)
{
    long maj = sv_long(fld(v, nv, hs->idx[HP_MAJ])), min = sv_long(fld(v, nv, hs->idx[HP_MIN]));
    long bld = sv_long(fld(v, nv, hs->idx[HP_BLD])), rev = sv_long(fld(v, nv, hs->idx[HP_REV]));
    if (maj < 0 || min < 0 || bld <= 0 || rev < 0)
        return;
    int64_t hour = ms / 3600000;
    exr_buildobs *last = hs->nobs ? &hs->obs[hs->nobs - 1] : NULL;
    if (last && last->hour == hour && last->v[2] == (uint32_t)bld && last->v[3] == (uint32_t)rev && last->v[1] == (uint32_t)min)
        return;
    if (hs->nobs == hs->capobs) {
        hs->capobs = hs->capobs ? hs->capobs * 2 : 64;
        hs->obs = exr_xrealloc(hs->obs, hs->capobs * sizeof *hs->obs);
    }
    hs->obs[hs->nobs++] = (exr_buildobs){hour, {(uint32_t)maj, (uint32_t)min, (uint32_t)bld, (uint32_t)rev}};
}

static void hp_findings(exr_hunt *h, logrd *lr, const hp_state *hs, const sv *v, int nv, int64_t ms, bool is_ecp, exr_buf *ev)
{
    const int *idx = hs->idx;
    sv am = fld(v, nv, idx[HP_AM]), bec = fld(v, nv, idx[HP_BEC]), ip = fld(v, nv, idx[HP_IP]);
    sv st = fld(v, nv, idx[HP_STATUS]);
    bool hit_am = exr_like(am.p, am.n, "ServerInfo~*/*");
    bool hit_bec = exr_like(bec.p, bec.n, "Server~*/*~*");
    if (!hit_am && !hit_bec)
        return;
    exr_buf_reset(ev);
    if (hit_am)
        evidence_add(ev, "AnchorMailbox", am);
    if (hit_bec)
        evidence_add(ev, "BackEndCookie", bec);
    evidence_add(ev, "UrlStem", fld(v, nv, idx[HP_STEM]));
    evidence_add(ev, "HttpStatus", st);
    evidence_add(ev, "AuthenticatedUser", fld(v, nv, idx[HP_USER]));
    evidence_add(ev, "UserAgent", fld(v, nv, idx[HP_UA]));
    const char *rel = lr->rel;
    long ln = lr->r.lineno;
    if (hit_am) {
        bool excluded = exr_like(am.p, am.n, "ServerInfo~*/autodiscover*") || exr_like(am.p, am.n, "ServerInfo~localhost*/*");
        exr_hunt_add(&h->out, excluded ? "cve-2021-26855.httpproxy-excluded" : "cve-2021-26855.httpproxy", -1, rel, ln, ms, ip.p, ip.n,
                     ev->p, ev->len);
        if (is_ecp && exr_like(am.p, am.n, "ServerInfo~*/*Reset*VirtualDirectory#") && sv_eq(st, "200"))
            exr_hunt_add(&h->out, "cve-2021-27065.httpproxy-resetvdir", -1, rel, ln, ms, ip.p, ip.n, ev->p, ev->len);
    }
    if (hit_bec)
        exr_hunt_add(&h->out, "cve-2021-26855.backendcookie", -1, rel, ln, ms, ip.p, ip.n, ev->p, ev->len);
}

void exr_hunt_httpproxy_file(exr_hunt *h, const char *full, const char *folder)
{
    logrd lr;
    if (!log_open(&lr, h, full))
        return;
    sv *v = exr_xmalloc(MAXF * sizeof *v);
    hp_state hs;
    memset(&hs, 0, sizeof hs);
    bool is_ecp = strcasecmp(folder + (strlen(folder) > 3 ? strlen(folder) - 3 : 0), "ecp") == 0;
    exr_buf ev;
    exr_buf_init(&ev);
    const char *line;
    size_t len;
    while (log_next(&lr, &line, &len)) {
        if (hp_header(h, &lr, &hs, v, line, len))
            continue;
        bool cand = candidate(line, len);
        int nv = split_csv(line, len, v, cand ? hs.need_all : hs.need_fast);
        sv t = fld(v, nv, hs.idx[HP_TIME]);
        int64_t ms = exr_parse_time(t.p, t.n);
        if (ms == EXR_NO_TIME) {
            exr_hunt_problem(&h->out, "%s:%ld: row without a valid DateTime", lr.rel, lr.r.lineno);
            continue;
        }
        log_time(&lr, ms);
        hp_note_build(&hs, v, nv, ms);
        if (cand)
            hp_findings(h, &lr, &hs, v, nv, ms, is_ecp, &ev);
    }
    char cov[80];
    snprintf(cov, sizeof cov, "HttpProxy/%s", folder);
    log_close(&lr, cov);
    exr_hunt_builds(&h->out, hs.obs, hs.nobs);
    free(hs.obs);
    free(v);
    exr_buf_free(&ev);
}

/* ---- ECP Server ---- */

/* Test-ProxyLogon's condition, without its trailing look-ahead: a Set-*VirtualDirectory
 * command whose Url value holds a <tag ...>...</tag> pair. */
static bool ecp_script_in_url(const char *s, size_t n)
{
    const char *set = exr_memcasestr(s, n, "set-");
    if (!set)
        return false;
    size_t rest = n - (size_t)(set - s);
    const char *vd = exr_memcasestr(set, rest, "virtualdirectory");
    if (!vd)
        return false;
    rest = n - (size_t)(vd - s);
    const char *url = exr_memcasestr(vd, rest, "url");
    if (!url)
        return false;
    const char *p = url;
    const char *end = s + n;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        if (p + 1 < end && isalpha((unsigned char)p[1])) {
            const char *gt = memchr(p, '>', (size_t)(end - p));
            if (gt) {
                const char *q = gt;
                while ((q = memchr(q, '<', (size_t)(end - q))) != NULL) {
                    if (q + 2 < end && q[1] == '/' && isalpha((unsigned char)q[2]))
                        return true;
                    q++;
                }
            }
            return false;
        }
        p++;
    }
    return false;
}

static int64_t line_time(const char *s, size_t n)
{
    while (n && (*s == '\'' || *s == '"'))
        s++, n--;
    return exr_parse_time(s, n > 30 ? 30 : n);
}

typedef void (*text_line_cb)(exr_hunt *h, const char *rel, long lineno, const char *line, size_t len, int64_t ms, void *ctx);

/* Reads a line-oriented Exchange log whose lines start with their time: reports unreadable
 * files and over-long lines, skips # headers, keeps the coverage, calls cb per line. */
static void scan_text_log(exr_hunt *h, const char *full, const char *cov, text_line_cb cb, void *ctx)
{
    logrd lr;
    if (!log_open(&lr, h, full))
        return;
    const char *line;
    size_t len;
    while (log_next(&lr, &line, &len)) {
        if (line[0] == '#')
            continue;
        int64_t ms = line_time(line, len);
        log_time(&lr, ms);
        cb(h, lr.rel, lr.r.lineno, line, len, ms, ctx);
    }
    log_close(&lr, cov);
}

static void ecp_line(exr_hunt *h, const char *rel, long lineno, const char *line, size_t len, int64_t ms, void *ctx)
{
    (void)ctx;
    if (!ecp_script_in_url(line, len))
        return;
    const char *cmd = exr_memcasestr(line, len, "set-");
    exr_hunt_add(&h->out, "cve-2021-27065.ecp-server", -1, rel, lineno, ms, NULL, 0, cmd, len - (size_t)(cmd - line));
}

void exr_hunt_ecp_file(exr_hunt *h, const char *full)
{
    scan_text_log(h, full, "ECP/Server", ecp_line, NULL);
}

/* ---- OABGeneratorLog ---- */

static void oab_line(exr_hunt *h, const char *rel, long lineno, const char *line, size_t len, int64_t ms, void *ctx)
{
    const char *allowed = ctx; /* <install>\ClientAccess\OAB, as Windows writes it */
    static const char key[] = "Download failed and temporary file ";
    static const char tail[] = " needs to be removed";
    const char *k = exr_memcasestr(line, len, key);
    if (!k)
        return;
    const char *p = k + sizeof key - 1;
    size_t rest = len - (size_t)(p - line);
    const char *t = exr_memcasestr(p, rest, tail);
    size_t pl = t ? (size_t)(t - p) : rest;
    /* the path is quoted: 'C:\...' */
    const char *path = p;
    while (pl && (*path == '\'' || *path == '"'))
        path++, pl--;
    while (pl && (path[pl - 1] == '\'' || path[pl - 1] == '"'))
        pl--;
    /* the drive letter is skipped: the same volume is assumed, as Test-ProxyLogon does */
    const char *nodrive = path;
    size_t nl = pl, al = strlen(allowed);
    if (nl >= 2 && path[1] == ':')
        nodrive += 2, nl -= 2;
    bool inside = nl >= al && strncasecmp(nodrive, allowed, al) == 0 && (nl == al || nodrive[al] == '\\' || nodrive[al] == '/');
    if (!inside)
        exr_hunt_add(&h->out, "cve-2021-26858.oab", -1, rel, lineno, ms, NULL, 0, path, pl);
}

void exr_hunt_oab_file(exr_hunt *h, const char *full)
{
    char allowed[1200];
    snprintf(allowed, sizeof allowed, "%s\\ClientAccess\\OAB", h->lay.install_win);
    scan_text_log(h, full, "OABGeneratorLog", oab_line, allowed);
}

/* ---- IIS W3C ---- */

enum { W_DATE, W_TIME, W_METHOD, W_STEM, W_QUERY, W_STATUS, W_UA, W_CIP, W_N };
static const char *const w_names[W_N] = {"date", "time", "cs-method", "cs-uri-stem", "cs-uri-query", "sc-status", "cs(User-Agent)", "c-ip"};
/* IIS's default field list, assumed for a file that lost its #Fields line */
static const char *const w_default[] = {
    "date", "time",           "s-ip",        "cs-method", "cs-uri-stem",  "cs-uri-query",    "s-port",    "cs-username",
    "c-ip", "cs(User-Agent)", "cs(Referer)", "sc-status", "sc-substatus", "sc-win32-status", "time-taken"};

static const char *const exchange_auth_pages[] = {
    "logon.aspx",      "logoff.aspx",           "errorfe.aspx", "expiredpassword.aspx", "redirsuiteserviceproxy.aspx",
    "outlookcn.aspx",  "signout.aspx",          "frowny.aspx",  "timeoutlogout.aspx",   "owaauth.aspx",
    "getidtoken.aspx", "languageselection.aspx"};

static bool stem_prefix(sv s, const char *pre)
{
    size_t l = strlen(pre);
    return s.n >= l && strncasecmp(s.p, pre, l) == 0;
}

static bool is_webshell_stem(sv s)
{
    if (s.n < 6 || strncasecmp(s.p + s.n - 5, ".aspx", 5) != 0)
        return false;
    const char *base = s.p + s.n;
    while (base > s.p && base[-1] != '/')
        base--;
    size_t bl = (size_t)(s.p + s.n - base);
    if (stem_prefix(s, "/aspnet_client/"))
        return true; /* Exchange puts no page there */
    if (!stem_prefix(s, "/owa/auth/") && !stem_prefix(s, "/ecp/auth/"))
        return false;
    for (size_t i = 0; i < sizeof exchange_auth_pages / sizeof exchange_auth_pages[0]; i++)
        if (strlen(exchange_auth_pages[i]) == bl && strncasecmp(base, exchange_auth_pages[i], bl) == 0)
            return false;
    return true;
}

static bool ecp_short_js(sv s)
{
    if (!stem_prefix(s, "/ecp/") || s.n < 5 + 4 || s.n > 5 + 3 + 3)
        return false;
    size_t nl = s.n - 5 - 3;
    if (strncasecmp(s.p + s.n - 3, ".js", 3) != 0 || nl < 1 || nl > 3)
        return false;
    for (size_t i = 0; i < nl; i++)
        if (!isalnum((unsigned char)s.p[5 + i]))
            return false;
    return true;
}

static const char *const attacker_ua[] = {"ExchangeServicesClient/0.0.0.0",
                                          "python-requests/2.19.1",
                                          "python-requests/2.25.1",
                                          "antSword/v2.1",
                                          "DuckDuckBot/1.0;+(+http://duckduckgo.com/duckduckbot.html)",
                                          "facebookexternalhit/1.1+(+http://www.facebook.com/externalhit_uatext.php)",
                                          "Mozilla/5.0+(compatible;+Baiduspider/2.0;++http://www.baidu.com/search/spider.html)",
                                          "Mozilla/5.0+(compatible;+Bingbot/2.0;++http://www.bing.com/bingbot.htm)",
                                          "Mozilla/5.0+(compatible;+Googlebot/2.1;++http://www.google.com/bot.html",
                                          "Mozilla/5.0+(compatible;+Konqueror/3.5;+Linux)+KHTML/3.5.5+(like+Gecko)+(Exabot-Thumbnails)",
                                          "Mozilla/5.0+(compatible;+Yahoo!+Slurp;+http://help.yahoo.com/help/us/ysearch/slurp)",
                                          "Mozilla/5.0+(compatible;+YandexBot/3.0;++http://yandex.com/bots)"};

/* The query with %XX escapes undone, twice (a doubly escaped %2550 too), in scratch: the
 * 2022 attacks wrote "%50owershell" and "autodiscover%2Fautodiscover.json" to slip past
 * filters that looked for the plain words, and IIS logs the query as sent. */
static sv pct_decoded(sv q, exr_buf *scratch)
{
    exr_buf_reset(scratch);
    exr_buf_add(scratch, q.p, q.n);
    char *b = scratch->p;
    size_t w = q.n;
    for (int round = 0; round < 2; round++) {
        size_t r = 0, o = 0;
        bool changed = false;
        while (r < w) {
            int hi, lo;
            if (b[r] == '%' && r + 2 < w && (hi = exr_hex_digit((unsigned char)b[r + 1])) >= 0 &&
                (lo = exr_hex_digit((unsigned char)b[r + 2])) >= 0) {
                b[o++] = (char)(hi << 4 | lo);
                r += 3;
                changed = true;
            } else {
                b[o++] = b[r++];
            }
        }
        w = o;
        if (!changed)
            break;
    }
    return (sv){b, w};
}

static void iis_row(exr_hunt *h, const char *rel, long lineno, const sv *v, int nv, const int *idx, int64_t ms, exr_buf *ev)
{
    sv method = fld(v, nv, idx[W_METHOD]), stem = fld(v, nv, idx[W_STEM]), query = fld(v, nv, idx[W_QUERY]);
    sv status = fld(v, nv, idx[W_STATUS]), ua = fld(v, nv, idx[W_UA]), ip = fld(v, nv, idx[W_CIP]);
    const char *id = NULL;
    long st = sv_long(status);
    if (sv_eq(method, "POST") && stem_prefix(stem, "/owa/auth/Current/themes/resources/"))
        id = "iis.proxylogon-post";
    else if (ecp_short_js(stem))
        id = "iis.ecp-js";
    else if (stem_prefix(stem, "/autodiscover/autodiscover.json")) {
        sv raw = query;
        query = pct_decoded(raw, ev); /* ev is free until the evidence is written below */
        bool ps = exr_memcasestr(query.p, query.n, "/powershell") || exr_memcasestr(query.p, query.n, "X-Rps-CAT=") ||
                  exr_memcasestr(query.p, query.n, "/mapi/nspi") || exr_memcasestr(query.p, query.n, "/EWS/") ||
                  exr_memcasestr(query.p, query.n, "Email=autodiscover/autodiscover.json");
        bool pns = exr_memcasestr(query.p, query.n, "powershell") && memchr(query.p, '@', query.n) &&
                   (exr_memcasestr(query.p, query.n, "Protocol=") || exr_memcasestr(raw.p, raw.n, "%40"));
        bool ok = st == 200 || st == 302;
        if (pns && !exr_memcasestr(query.p, query.n, "X-Rps-CAT="))
            id = st == 200 ? "cve-2022-41040.iis" : "cve-2022-41040.iis-failed";
        else if (ps)
            id = ok ? "cve-2021-34473.iis" : "cve-2021-34473.iis-failed";
        query = raw; /* the evidence shows what was sent */
    } else if (st == 200 && is_webshell_stem(stem)) {
        id = "iis.webshell-access";
    }
    bool ua_hit = false;
    for (size_t i = 0; i < sizeof attacker_ua / sizeof attacker_ua[0]; i++) {
        size_t l = strlen(attacker_ua[i]);
        if (ua.n >= l && strncasecmp(ua.p, attacker_ua[i], l) == 0)
            ua_hit = true;
    }
    if (!id && !ua_hit)
        return;
    exr_buf_reset(ev);
    exr_buf_add(ev, method.p, method.n);
    exr_buf_addc(ev, ' ');
    exr_buf_add(ev, stem.p, stem.n > 300 ? 300 : stem.n);
    if (query.n && !(query.n == 1 && query.p[0] == '-')) {
        exr_buf_addc(ev, '?');
        exr_buf_add(ev, query.p, query.n > 300 ? 300 : query.n);
    }
    exr_buf_adds(ev, " status=");
    exr_buf_add(ev, status.p, status.n > 8 ? 8 : status.n);
    exr_buf_adds(ev, " ua=");
    exr_buf_add(ev, ua.p, ua.n > 200 ? 200 : ua.n);
    if (id)
        exr_hunt_add(&h->out, id, -1, rel, lineno, ms, ip.p, ip.n, ev->p, ev->len);
    if (ua_hit)
        exr_hunt_add(&h->out, "iis.attacker-ua", -1, rel, lineno, ms, ip.p, ip.n, ev->p, ev->len);
}

void exr_hunt_iis_file(exr_hunt *h, const char *full, const char *folder)
{
    logrd lr;
    if (!log_open(&lr, h, full))
        return;
    const char *rel = lr.rel;
    sv *v = exr_xmalloc(MAXF * sizeof *v);
    int idx[W_N];
    int need = 0;
    bool have = false, warned = false;
    exr_buf ev;
    exr_buf_init(&ev);
    const char *line;
    size_t len;
    while (log_next(&lr, &line, &len)) {
        if (line[0] == '#') {
            if (len > 8 && strncasecmp(line, "#Fields:", 8) == 0) {
                int nn = split_ws(line + 8, len - 8, v, MAXF);
                need = map_header(v, nn, w_names, W_N, idx);
                have = idx[W_STEM] >= 0 && idx[W_DATE] >= 0 && idx[W_TIME] >= 0;
                if (!have)
                    exr_hunt_problem(&h->out, "%s:%ld: #Fields line without date, time or cs-uri-stem", rel, lr.r.lineno);
            }
            continue;
        }
        int nv = split_ws(line, len, v, MAXF);
        if (!have) {
            if (nv == 15) {
                sv names[15];
                for (int i = 0; i < 15; i++)
                    names[i] = (sv){w_default[i], strlen(w_default[i])};
                need = map_header(names, 15, w_names, W_N, idx);
                have = true;
                exr_hunt_problem(&h->out, "%s:%ld: no #Fields line; IIS's default 15 fields assumed", rel, lr.r.lineno);
            } else {
                if (!warned)
                    exr_hunt_problem(&h->out, "%s:%ld: data before any #Fields line; rows skipped until one appears", rel, lr.r.lineno);
                warned = true;
                continue;
            }
        }
        if (nv < need) {
            exr_hunt_problem(&h->out, "%s:%ld: %d fields, the #Fields line has at least %d", rel, lr.r.lineno, nv, need);
            continue;
        }
        sv d = fld(v, nv, idx[W_DATE]), t = fld(v, nv, idx[W_TIME]);
        char ts[32];
        int64_t ms = EXR_NO_TIME;
        if (d.n == 10 && t.n >= 8 && t.n < 16) {
            memcpy(ts, d.p, 10);
            ts[10] = ' ';
            memcpy(ts + 11, t.p, t.n);
            ms = exr_parse_time(ts, 11 + t.n);
        }
        if (ms == EXR_NO_TIME) {
            exr_hunt_problem(&h->out, "%s:%ld: row without a valid date and time", rel, lr.r.lineno);
            continue;
        }
        log_time(&lr, ms);
        iis_row(h, rel, lr.r.lineno, v, nv, idx, ms, &ev);
    }
    char cov[80];
    snprintf(cov, sizeof cov, "IIS/%s", folder);
    log_close(&lr, cov);
    free(v);
    exr_buf_free(&ev);
}
