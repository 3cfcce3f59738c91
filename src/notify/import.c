/* import.c: see import.h. A JSON Lines file is recognised by '{' on its first data line.
 * The JSON reader takes flat objects of strings, numbers, booleans and null (exray's scan
 * record) and skips nested values; it never recurses deeper than 32 levels. */
#include "import.h"
#include "../core/buf.h"
#include "../core/csv.h"
#include "../core/textlines.h"
#include "../core/swar.h"
#include "../core/timefmt.h"
#include "../core/hex.h"
#include "../core/json.h"
#include "../core/utf8.h"
#include "../scan/record.h"
#include <ctype.h>
#include <openssl/evp.h>
#include <errno.h>
#include "../store/sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct field {
    const char *key;
    char val[512];
    int present, is_null;
} field;

enum {
    F_IP,
    F_PORT,
    F_HOSTNAME,
    F_TIME,
    F_BUILD,
    F_SERVERNAME,
    F_TAG,
    F_ASN,
    F_GEO,
    F_URL,
    F_STATUS,
    F_EXCHANGE,
    F_BSRC,
    F_STATE,
    /* Shadowserver's other columns: kept in the record's "source" object, shown by exray hosts */
    F_SEVERITY,
    F_REGION,
    F_CITY,
    F_NAICS,
    F_SECTOR,
    F_SIC,
    F_HSRC,
    F_N
};

static const char *const shadow_names[F_N] = {[F_IP] = "ip",          [F_PORT] = "port",     [F_HOSTNAME] = "hostname",
                                              [F_TIME] = "timestamp", [F_BUILD] = "version", [F_SERVERNAME] = "servername",
                                              [F_TAG] = "tag",        [F_ASN] = "asn",       [F_GEO] = "geo",
                                              [F_URL] = "url",        [F_STATUS] = "",       [F_EXCHANGE] = "",
                                              [F_BSRC] = "",          [F_STATE] = "",        [F_SEVERITY] = "severity",
                                              [F_REGION] = "region",  [F_CITY] = "city",     [F_NAICS] = "naics",
                                              [F_SECTOR] = "sector",  [F_SIC] = "sic",       [F_HSRC] = "hostname_source"};

/* Other names enriched feeds give the network and the country (Shadowserver's geo, IntelMQ's
 * source.geolocation.cc and source.asn); a field's first name is in json_names. */
static int json_alias(const char *key)
{
    static const struct {
        const char *name;
        int field;
    } a[] = {{"geo", F_GEO}, {"cc", F_GEO}, {"country_code", F_GEO}, {"source.geolocation.cc", F_GEO}, {"source.asn", F_ASN}};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (strcmp(key, a[i].name) == 0)
            return a[i].field;
    return -1;
}

/* Parses a JSON string at *p into out (UTF-8, \u escapes decoded to UTF-8). */
/* Four hex digits at s (before end), or -1. */
static long hex4(const char *s, const char *end)
{
    if (end - s < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int d = exr_hex_digit((unsigned char)s[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static int jstring(const char **p, const char *end, char *out, size_t n)
{
    const char *s = *p;
    if (s >= end || *s != '"')
        return -1;
    s++;
    /* the run before the first quote or backslash (nearly every string whole) is copied at
     * once, eight bytes at a time; escapes from there on one by one */
    size_t run = 0;
    while (s + run + 8 <= end && !exr_swar_has_byte(exr_swar_load(s + run), '"') && !exr_swar_has_byte(exr_swar_load(s + run), '\\'))
        run += 8;
    while (s + run < end && s[run] != '"' && s[run] != '\\')
        run++;
    size_t k = run < n ? run : n - 1;
    memcpy(out, s, k);
    s += run;
    while (s < end && *s != '"') {
        unsigned c = (unsigned char)*s++;
        if (c == '\\') {
            if (s >= end)
                return -1;
            char esc = *s++;
            switch (esc) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case '/':
            case '\\':
            case '"': c = (unsigned char)esc; break;
            case 'u': {
                long cp = hex4(s, end);
                if (cp < 0)
                    return -1;
                s += 4;
                /* a surrogate pair (what Python's json writes for U+10000 and above) is one
                 * character; a lone surrogate and NUL are U+FFFD, as README says */
                if (cp >= 0xd800 && cp <= 0xdbff && end - s >= 6 && s[0] == '\\' && s[1] == 'u') {
                    long lo = hex4(s + 2, end);
                    if (lo >= 0xdc00 && lo <= 0xdfff) {
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                        s += 6;
                    }
                }
                if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
                    cp = 0xfffd;
                unsigned char u[4];
                size_t ul = exr_utf8_put(u, (unsigned long)cp);
                if (k + ul < n) {
                    memcpy(out + k, u, ul);
                    k += ul;
                }
                continue;
            }
            default: return -1;
            }
        }
        if (k + 1 < n)
            out[k++] = (char)c;
    }
    if (s >= end)
        return -1;
    out[k] = 0;
    *p = s + 1;
    return 0;
}

/* isspace()'s set in the C locale, tested without its per-byte table lookup */
static void ws(const char **p, const char *end)
{
    while (*p < end && (**p == ' ' || (**p >= '\t' && **p <= '\r')))
        (*p)++;
}

/* Skips any JSON value (used for nested objects and arrays). */
static int jskip(const char **p, const char *end, int depth)
{
    ws(p, end);
    if (*p >= end || depth > 32)
        return -1;
    char c = **p;
    if (c == '"') {
        char tmp[8];
        return jstring(p, end, tmp, sizeof tmp);
    }
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        (*p)++;
        ws(p, end);
        if (*p < end && **p == close) {
            (*p)++;
            return 0;
        }
        for (;;) {
            if (c == '{') {
                char tmp[8];
                ws(p, end);
                if (jstring(p, end, tmp, sizeof tmp) != 0)
                    return -1;
                ws(p, end);
                if (*p >= end || **p != ':')
                    return -1;
                (*p)++;
            }
            if (jskip(p, end, depth + 1) != 0)
                return -1;
            ws(p, end);
            if (*p < end && **p == ',') {
                (*p)++;
                continue;
            }
            if (*p < end && **p == close) {
                (*p)++;
                return 0;
            }
            return -1;
        }
    }
    while (*p < end && (isalnum((unsigned char)**p) || **p == '-' || **p == '+' || **p == '.'))
        (*p)++;
    return 0;
}

static int parse_json_line(const char *s, size_t n, field *f)
{
    const char *p = s, *end = s + n;
    int hint = 0;
    ws(&p, end);
    if (p >= end || *p != '{')
        return -1;
    p++;
    for (;;) {
        ws(&p, end);
        if (p < end && *p == '}')
            return 0;
        char key[64];
        if (jstring(&p, end, key, sizeof key) != 0)
            return -1;
        ws(&p, end);
        if (p >= end || *p != ':')
            return -1;
        p++;
        ws(&p, end);
        /* exray's own lines keep one key order: the field after the last one matched first */
        int idx = -1;
        if (hint < F_N && f[hint].key && strcmp(f[hint].key, key) == 0)
            idx = hint;
        for (int i = 0; i < F_N && idx < 0; i++)
            if (f[i].key && f[i].key[0] == key[0] && strcmp(f[i].key, key) == 0)
                idx = i;
        if (idx < 0)
            idx = json_alias(key);
        if (idx >= 0)
            hint = idx + 1;
        if (idx >= 0 && p < end && *p == '"') {
            if (jstring(&p, end, f[idx].val, sizeof f[idx].val) != 0)
                return -1;
            f[idx].present = 1;
        } else if (idx >= 0 && p < end && (isdigit((unsigned char)*p) || *p == 't' || *p == 'f' || *p == 'n')) {
            const char *st = p;
            if (jskip(&p, end, 0) != 0)
                return -1;
            size_t l = (size_t)(p - st) < sizeof f[idx].val - 1 ? (size_t)(p - st) : sizeof f[idx].val - 1;
            memcpy(f[idx].val, st, l);
            f[idx].val[l] = 0;
            f[idx].present = 1;
            f[idx].is_null = strcmp(f[idx].val, "null") == 0;
        } else if (jskip(&p, end, 0) != 0) {
            return -1;
        }
        ws(&p, end);
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end && *p == '}')
            return 0;
        return -1;
    }
}

/* A report's networks and countries, written after its rows in one transaction: an upsert
 * per row between the observations would end each batch's COPY and commit each row. */
typedef struct hostrow {
    char ip[EXR_ADDRSTRLEN];
    long long asn;
    char cc[3];
} hostrow;

typedef struct hostlist {
    hostrow *v;
    size_t n, cap;
} hostlist;

static void note_host(hostlist *h, const char *ip, long long asn, const char *cc)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 256;
        h->v = exr_xrealloc(h->v, h->cap * sizeof *h->v);
    }
    hostrow *r = &h->v[h->n++];
    snprintf(r->ip, sizeof r->ip, "%s", ip);
    r->asn = asn;
    r->cc[0] = 0;
    if (cc && strlen(cc) == 2 && isalpha((unsigned char)cc[0]) && isalpha((unsigned char)cc[1]))
        memcpy(r->cc, cc, 3);
}

static int write_hosts(exr_db *db, const hostlist *h)
{
    if (!h->n)
        return 0;
    exr_stmt *st;
    if (exr_db_begin(db) != EXR_SQL_OK)
        return -1;
    if (exr_db_prepare(db,
                       "INSERT INTO host_info(ip, asn, country) VALUES(?,?,?) ON CONFLICT(ip) DO UPDATE SET"
                       " asn = COALESCE(excluded.asn, host_info.asn), country = COALESCE(excluded.country, host_info.country)",
                       &st) != EXR_SQL_OK) {
        exr_db_rollback(db);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < h->n && rc == 0; i++) {
        exr_stmt_reset(st);
        exr_stmt_bind_text(st, 1, h->v[i].ip);
        if (h->v[i].asn > 0)
            exr_stmt_bind_int(st, 2, h->v[i].asn);
        else
            exr_stmt_bind_null(st, 2);
        if (h->v[i].cc[0])
            exr_stmt_bind_text(st, 3, h->v[i].cc);
        else
            exr_stmt_bind_null(st, 3);
        rc = exr_stmt_step(st) == EXR_SQL_DONE ? 0 : -1;
    }
    exr_stmt_finalize(st);
    if (rc != 0 || exr_db_commit(db) != EXR_SQL_OK) {
        exr_db_rollback(db);
        return -1;
    }
    return 0;
}

/* The report's own fields into the record (before its closing brace and newline), as
 * "source": {...}: nothing the report said is lost; exray hosts shows them. */
static void add_source(exr_buf *json, const field *f)
{
    static const int keep[] = {F_TAG, F_SEVERITY, F_ASN, F_GEO, F_REGION, F_CITY, F_NAICS, F_SECTOR, F_SIC, F_HSRC, F_URL};
    exr_buf src;
    exr_buf_init(&src);
    exr_json j;
    exr_json_begin(&j, &src);
    exr_json_str(&j, "feed", "shadowserver");
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        if (f[keep[i]].present && f[keep[i]].val[0])
            exr_json_str(&j, shadow_names[keep[i]], f[keep[i]].val);
    exr_json_end(&j);
    if (json->len >= 2 && json->p[json->len - 2] == '}') {
        json->len -= 2;
        exr_buf_adds(json, ",\"source\":");
        exr_buf_add(json, src.p, src.len);
        exr_buf_adds(json, "}\n");
    }
    exr_buf_free(&src);
}

/* Builds a result from the fields and stores it; NULL error text on success. */
static const char *store_row(exr_store *s, const exr_buildtab *tab, exr_build_memo *memo, hostlist *hosts, int64_t scan_id, field *f,
                             bool shadow, exr_buf *json, exr_err *e)
{
    exr_result r;
    memset(&r, 0, sizeof r);
    exr_fp_init(&r.fp);
    if (!exr_addr_parse(f[F_IP].val, &r.addr))
        return "bad ip";
    char *end;
    long port = strtol(f[F_PORT].val, &end, 10);
    if (f[F_PORT].present && !f[F_PORT].is_null && f[F_PORT].val[0] && (*end || port < 1 || port > 65535))
        return "bad port";
    /* no port, an empty one or JSON null: the HTTPS port the report was about */
    r.port = (uint16_t)(f[F_PORT].present && !f[F_PORT].is_null && f[F_PORT].val[0] ? port : 443);
    /* RFC 3339 with its offset, or Shadowserver's zone-less UTC; an impossible date is refused */
    if (f[F_TIME].is_null || !exr_time_parse(f[F_TIME].val, &r.time_us))
        return "bad timestamp (want RFC 3339, e.g. 2021-03-11T10:00:00Z or 2021-03-11 10:00:00)";
    if (f[F_HOSTNAME].present && !f[F_HOSTNAME].is_null)
        snprintf(r.hostname, sizeof r.hostname, "%.255s", f[F_HOSTNAME].val);
    r.status = EXR_STATUS_OK;
    if (!shadow && f[F_STATUS].present) {
        int st = exr_status_parse(f[F_STATUS].val);
        if (st < 0)
            return "unknown status";
        r.status = (exr_status)st;
    }
    r.fp.exchange = shadow ? (strncasecmp(f[F_TAG].val, "exchange", 8) == 0) : strcmp(f[F_EXCHANGE].val, "true") == 0;
    /* exray's own CSV has a row, with an empty tag, for every host that answered and is not
     * Exchange; any other tag is not this report */
    if (shadow && !r.fp.exchange && f[F_TAG].val[0])
        return "tag is not an exchange tag";
    if (f[F_BUILD].present && !f[F_BUILD].is_null && f[F_BUILD].val[0] && r.fp.exchange) {
        if (!exr_version_parse(f[F_BUILD].val, strlen(f[F_BUILD].val), &r.fp.build))
            return "bad version";
        r.fp.have_build = true;
        /* where the build came from: the feed, unless an exray record names its own source */
        int src = shadow ? EXR_SRC_NONE : exr_bsrc_parse(f[F_BSRC].val);
        r.fp.build_source = src != EXR_SRC_NONE ? src : EXR_SRC_FEED;
    }
    if (f[F_SERVERNAME].present && !f[F_SERVERNAME].is_null) {
        size_t k = 0;
        for (const char *p = f[F_SERVERNAME].val; *p && k + 1 < sizeof r.fp.servername; p++)
            if (isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.')
                r.fp.servername[k++] = *p;
        r.fp.servername[k] = 0;
    }
    if ((shadow && strstr(f[F_TAG].val, "webshell")) || (!shadow && strcmp(f[F_STATE].val, "compromised") == 0)) {
        r.webshell_probe = true;
        r.nwebshells = 1;
        r.webshells[0] = "(reported by the source)";
    }
    /* the CVEs the source's tag names are open, as the source says (Shadowserver's and
     * exray's own CSV list them); the exposure counts them with the build's */
    if (shadow)
        r.nasserted = exr_tag_cves(f[F_TAG].val, r.asserted, EXR_MAX_ASSERTED);
    exr_result_finish_memo(&r, tab, memo);
    exr_buf_reset(json);
    exr_result_json(&r, json);
    if (shadow)
        add_source(json, f);
    if (exr_store_add(s, scan_id, &r, json->p, json->len - 1, e) != 0)
        return e->msg;
    char ip[EXR_ADDRSTRLEN];
    exr_addr_format(&r.addr, ip, sizeof ip);
    long long asn = f[F_ASN].val[0] ? strtoll(f[F_ASN].val, NULL, 10) : 0;
    if (asn > 0 || f[F_GEO].val[0])
        note_host(hosts, ip, asn > 0 && asn <= 4294967295LL ? asn : 0, f[F_GEO].val);
    return NULL;
}

/* An import is never left unfinished (scan --resume would continue it as a scan), and one
 * that stored nothing leaves no empty scan behind. rc: the import's result so far. */
static int close_scan(exr_store *s, int64_t scan_id, long imported, int rc, exr_err *e)
{
    exr_err e2 = {0, ""};
    exr_err *fe = rc == 0 ? e : &e2;
    if (imported == 0)
        return exr_store_scan_discard(s, scan_id, fe) != 0 ? -1 : rc;
    if (exr_store_scan_finish(s, scan_id, fe) != 0 || exr_store_scan_span(s, scan_id, fe) != 0)
        return -1;
    return rc;
}

/* A Shadowserver report's header: which column holds each field. */
static int csv_header(exr_csv_row *row, const char *line, size_t ll, int colidx[F_N], const char *name, long lineno, exr_err *e)
{
    if (exr_csv_split(row, line, ll) != 0)
        return exr_seterr(e, EXR_EINVAL, "%s:%ld: not a Shadowserver CSV header nor JSON", name, lineno);
    for (int k = 0; k < F_N; k++) {
        colidx[k] = -1;
        for (int i = 0; i < row->n; i++)
            if (shadow_names[k][0] && strcasecmp(row->f[i], shadow_names[k]) == 0)
                colidx[k] = i;
    }
    if (colidx[F_IP] < 0 || colidx[F_TIME] < 0 || colidx[F_TAG] < 0)
        return exr_seterr(e, EXR_EINVAL, "%s:%ld: header lacks timestamp, ip or tag: not a scan_exchange report", name, lineno);
    return 0;
}

/* One data line into f[]; NULL, or why the line is bad. */
static const char *read_fields(bool json, const char *line, size_t ll, exr_csv_row *row, const int colidx[F_N], field *f)
{
    if (ll > 65536 || memchr(line, 0, ll))
        return json ? "not a JSON object" : "malformed CSV";
    if (json) {
        if (parse_json_line(line, ll, f) != 0)
            return "not a JSON object";
        return !f[F_IP].present || !f[F_TIME].present ? "record without ip or time" : NULL;
    }
    if (exr_csv_split(row, line, ll) != 0)
        return "malformed CSV";
    for (int k = 0; k < F_N; k++)
        if (colidx[k] >= 0 && colidx[k] < row->n) {
            snprintf(f[k].val, sizeof f[k].val, "%s", row->f[colidx[k]]);
            f[k].present = 1;
        }
    return NULL;
}

/* "import-sha256:<hex>" of a file's bytes: the same report imported twice is one scan */
static void content_digest(const char *text, size_t len, char *out, size_t n)
{
    unsigned char md[32];
    unsigned int mdl = 0;
    EVP_Digest(text, len, md, &mdl, EVP_sha256(), NULL);
    size_t k = (size_t)snprintf(out, n, "import-sha256:");
    for (unsigned i = 0; i < mdl && k + 2 < n; i++)
        k += (size_t)snprintf(out + k, n - k, "%02x", md[i]);
}

/* 1 when a scan holds these bytes already (*id: which), 0 when not, -1 on error */
static int imported_as(exr_store *s, const char *digest, long long *id, exr_err *e)
{
    exr_db *db = exr_store_db(s);
    exr_stmt *st;
    if (exr_db_prepare(db, "SELECT id FROM scans WHERE targets = ? ORDER BY id LIMIT 1", &st) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "import");
    exr_stmt_bind_text(st, 1, digest);
    int rc = exr_stmt_step(st);
    *id = rc == EXR_SQL_ROW ? exr_stmt_int(st, 0) : 0;
    exr_stmt_finalize(st);
    return rc == EXR_SQL_ROW ? 1 : rc == EXR_SQL_DONE ? 0 : exr_db_seterr(db, e, "import");
}

static const char *const json_names[F_N] = {[F_IP] = "ip",
                                            [F_PORT] = "port",
                                            [F_HOSTNAME] = "hostname",
                                            [F_TIME] = "time",
                                            [F_BUILD] = "build",
                                            [F_SERVERNAME] = "servername",
                                            [F_TAG] = "",
                                            [F_ASN] = "asn",
                                            [F_GEO] = "country",
                                            [F_URL] = "",
                                            [F_STATUS] = "status",
                                            [F_EXCHANGE] = "exchange",
                                            [F_BSRC] = "build_source",
                                            [F_STATE] = "state",
                                            [F_SEVERITY] = "",
                                            [F_REGION] = "",
                                            [F_CITY] = "",
                                            [F_NAICS] = "",
                                            [F_SECTOR] = "",
                                            [F_SIC] = "",
                                            [F_HSRC] = ""};

/* One import's state as its lines are read. */
typedef struct importer {
    exr_store *s;
    const exr_buildtab *tab;
    const char *name;
    int64_t scan_id;
    exr_csv_row row;
    int colidx[F_N];
    int mode; /* 0 unknown, 1 shadowserver csv, 2 json lines */
    exr_buf json;
    exr_build_memo *memo;
    hostlist hosts;
    exr_import_report rep;
    void *ctx;
    exr_import_stats *stt;
} importer;

/* One line: the header (which decides the format), or a row stored or reported. -1: the file
 * is not a report (its header), the error set. */
static int import_line(importer *im, const char *line, size_t ll, long lineno, exr_err *e)
{
    if (lineno == 1 && ll >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
        line += 3, ll -= 3;
    field f[F_N];
    for (int k = 0; k < F_N; k++) {
        f[k].key = json_names[k][0] ? json_names[k] : NULL;
        f[k].val[0] = 0;
        f[k].present = f[k].is_null = 0;
    }
    if (im->mode == 0) {
        if (line[0] != '{') {
            if (csv_header(&im->row, line, ll, im->colidx, im->name, lineno, e) != 0)
                return -1;
            im->mode = 1;
            return 0;
        }
        im->mode = 2;
    }
    im->stt->rows++;
    const char *why = read_fields(im->mode == 2, line, ll, &im->row, im->colidx, f);
    im->stt->shaped += !why || f[F_IP].present;
    if (!why)
        why = store_row(im->s, im->tab, im->memo, &im->hosts, im->scan_id, f, im->mode == 1, &im->json, e);
    if (!why) {
        im->stt->imported++;
        return 0;
    }
    im->stt->bad++;
    if (im->rep) {
        char msg[700];
        snprintf(msg, sizeof msg, "%s:%ld: %s", im->name, lineno, why);
        im->rep(im->ctx, msg);
    }
    return 0;
}

int exr_import_text(exr_store *s, const exr_buildtab *tab, const char *name, const char *text, size_t len, exr_import_report rep, void *ctx,
                    exr_import_stats *stt, exr_err *e)
{
    char args[600], digest[80];
    snprintf(args, sizeof args, "import %s", name);
    content_digest(text, len, digest, sizeof digest);
    int dup = imported_as(s, digest, &stt->duplicate_of, e);
    if (dup != 0)
        return dup < 0 ? -1 : 0;
    importer im = {.s = s, .tab = tab, .name = name, .rep = rep, .ctx = ctx, .stt = stt};
    if (exr_store_scan_begin(s, args, 0, "0/1", NULL, digest, &im.scan_id, e) != 0)
        return -1;
    exr_csv_row_init(&im.row);
    exr_buf_init(&im.json);
    im.memo = exr_xcalloc(1, sizeof *im.memo);
    size_t pos = 0;
    long lineno = 0;
    int rc = 0;
    const char *line;
    size_t ll;
    while (rc == 0 && exr_text_line(text, len, &pos, &line, &ll))
        if (++lineno, ll > 0)
            rc = import_line(&im, line, ll, lineno, e);
    exr_buf_free(&im.json);
    free(im.memo);
    exr_csv_row_free(&im.row);
    if (rc == 0 && exr_store_commit(s, e) != 0)
        rc = -1;
    if (rc == 0 && write_hosts(exr_store_db(s), &im.hosts) != 0)
        rc = exr_seterr(e, EXR_ESTORE, "%s: networks and countries: %s", name, exr_db_errmsg(exr_store_db(s)));
    free(im.hosts.v);
    rc = close_scan(s, im.scan_id, stt->imported, rc, e);
    if (rc == 0 && stt->shaped == 0)
        return exr_seterr(e, EXR_EINVAL,
                          "%s: no scan_exchange report row nor exray record in it (%ld lines read, %ld refused): nothing imported", name,
                          stt->rows, stt->bad);
    return rc;
}

int exr_import_file(exr_store *s, const exr_buildtab *tab, const char *path, exr_buf *text, exr_import_report rep, void *ctx,
                    exr_import_stats *st, exr_err *e)
{
    exr_buf_reset(text);
    if (exr_read_file(path, 1u << 30, text) != 0) {
        int err = errno;
        if (err == EFBIG)
            return exr_seterr(e, EXR_ELIMIT,
                              "%s: over 1 GiB, the most one report is read at once: split it (split -l) and import "
                              "the parts",
                              path);
        return exr_seterr(e, EXR_EIO, "%s: %s", path, strerror(err));
    }
    return exr_import_text(s, tab, path, text->p, text->len, rep, ctx, st, e);
}
