/* findings.c: see findings.h. Evidence comes from logs and files an attacker controlled:
 * it is cut to 600 bytes and control characters are replaced before it is stored. */
#include "findings.h"
#include "../core/csv.h"
#include "../core/json.h"
#include "fsro.h"
#include "layout.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EVIDENCE_MAX 600
#define PROBLEMS_KEPT 200

void exr_hunt_out_init(exr_hunt_out *o, const char *root_name)
{
    memset(o, 0, sizeof *o);
    pthread_mutex_init(&o->mu, NULL);
    o->root_name = exr_xstrdup(root_name);
}

void exr_hunt_out_free(exr_hunt_out *o)
{
    for (size_t i = 0; i < o->nf; i++) {
        free(o->f[i].path);
        free(o->f[i].client_ip);
        free(o->f[i].evidence);
        exr_rule_meta *m = o->f[i].rule;
        if (m) {
            free(m->name);
            free(m->file);
            free(m->description);
            free(m->author);
            free(m->reference);
            free(m);
        }
    }
    free(o->f);
    for (size_t i = 0; i < o->nprob; i++)
        free(o->problems[i]);
    free(o->problems);
    free(o->b);
    free(o->root_name);
    pthread_mutex_destroy(&o->mu);
}

static char *clean(const char *s, size_t n, size_t max)
{
    if (!s)
        return NULL;
    if (n > max)
        n = max;
    char *r = exr_xmalloc(n + 4);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        r[k++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    r[k] = 0;
    return r;
}

static void add_impl(exr_hunt_out *o, const char *check_id, int sev, const char *path, long line, int64_t time_ms, const char *ip,
                     size_t iplen, const char *ev, size_t evlen, exr_rule_meta *rule)
{
    const exr_check *c = exr_check_find(check_id);
    if (!c)
        abort(); /* a programming error: every emitted id is in the table */
    exr_finding f;
    f.check = c;
    f.severity = sev >= 0 ? sev : c->severity;
    if (o->decode_paths && path) {
        char dec[EXR_PATHMAX];
        exr_pct_decode(path, dec, sizeof dec);
        f.path = exr_xstrdup(dec);
    } else {
        f.path = exr_xstrdup(path ? path : "");
    }
    f.line = line;
    f.time_ms = time_ms;
    f.client_ip = (ip && iplen && !(iplen == 1 && ip[0] == '-')) ? clean(ip, iplen, 64) : NULL;
    f.evidence = clean(ev ? ev : "", ev ? evlen : 0, EVIDENCE_MAX);
    f.rule = rule;
    f.time_desc = (strncmp(check_id, "webshell.", 9) == 0 || strncmp(check_id, "hunt.", 5) == 0 || strncmp(check_id, "file.", 5) == 0)
                      ? "File Modified"
                      : "Event Time";
    pthread_mutex_lock(&o->mu);
    if (o->nf == o->capf) {
        o->capf = o->capf ? o->capf * 2 : 64;
        o->f = exr_xrealloc(o->f, o->capf * sizeof *o->f);
    }
    o->f[o->nf++] = f;
    pthread_mutex_unlock(&o->mu);
}

static char *dup_clean(const char *s)
{
    return s ? clean(s, strlen(s), 300) : NULL;
}

void exr_hunt_add(exr_hunt_out *o, const char *check_id, int sev, const char *path, long line, int64_t time_ms, const char *ip,
                  size_t iplen, const char *ev, size_t evlen)
{
    add_impl(o, check_id, sev, path, line, time_ms, ip, iplen, ev, evlen, NULL);
}

void exr_hunt_add_rule(exr_hunt_out *o, const char *check_id, int sev, const char *path, int64_t time_ms, const char *ev, size_t evlen,
                       const exr_rule_meta *m)
{
    exr_rule_meta *c = exr_xmalloc(sizeof *c);
    c->name = dup_clean(m->name);
    c->file = dup_clean(m->file);
    c->description = dup_clean(m->description);
    c->author = dup_clean(m->author);
    c->reference = dup_clean(m->reference);
    c->score = m->score;
    add_impl(o, check_id, sev, path, 0, time_ms, NULL, 0, ev, evlen, c);
}

void exr_hunt_not_examined(exr_hunt_out *o, const char *rel, const char *fmt, ...)
{
    char why[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    exr_hunt_add(o, "hunt.not-examined", -1, rel, 0, EXR_NO_TIME, NULL, 0, why, strlen(why));
    exr_hunt_problem(o, "%s: %s (not examined)", rel, why);
}

void exr_hunt_problem(exr_hunt_out *o, const char *fmt, ...)
{
    char buf[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&o->mu);
    o->problems_total++;
    if (o->nprob < PROBLEMS_KEPT) {
        if (o->nprob == o->capprob) {
            o->capprob = o->capprob ? o->capprob * 2 : 16;
            o->problems = exr_xrealloc(o->problems, o->capprob * sizeof *o->problems);
        }
        o->problems[o->nprob++] = clean(buf, strlen(buf), sizeof buf);
    }
    pthread_mutex_unlock(&o->mu);
}

void exr_hunt_cover(exr_hunt_out *o, const char *folder, int64_t oldest, int64_t newest)
{
    pthread_mutex_lock(&o->mu);
    int i;
    for (i = 0; i < o->ncov; i++)
        if (strcmp(o->cov[i].name, folder) == 0)
            break;
    if (i == o->ncov) {
        if (o->ncov == 48) {
            pthread_mutex_unlock(&o->mu);
            return;
        }
        snprintf(o->cov[i].name, sizeof o->cov[i].name, "%s", folder);
        o->cov[i].files = 0;
        o->cov[i].oldest_ms = o->cov[i].newest_ms = EXR_NO_TIME;
        o->ncov++;
    }
    exr_coverage *c = &o->cov[i];
    c->files++;
    if (oldest != EXR_NO_TIME && (c->oldest_ms == EXR_NO_TIME || oldest < c->oldest_ms))
        c->oldest_ms = oldest;
    if (newest != EXR_NO_TIME && (c->newest_ms == EXR_NO_TIME || newest > c->newest_ms))
        c->newest_ms = newest;
    pthread_mutex_unlock(&o->mu);
}

void exr_hunt_builds(exr_hunt_out *o, const exr_buildobs *b, size_t n)
{
    if (!n)
        return;
    pthread_mutex_lock(&o->mu);
    if (o->nb + n > o->capb) {
        while (o->nb + n > o->capb)
            o->capb = o->capb ? o->capb * 2 : 256;
        o->b = exr_xrealloc(o->b, o->capb * sizeof *o->b);
    }
    memcpy(o->b + o->nb, b, n * sizeof *b);
    o->nb += n;
    pthread_mutex_unlock(&o->mu);
}

static int cmp_f(const void *a, const void *b)
{
    const exr_finding *x = a, *y = b;
    if (x->time_ms != y->time_ms) {
        if (x->time_ms == EXR_NO_TIME)
            return 1;
        if (y->time_ms == EXR_NO_TIME)
            return -1;
        return x->time_ms < y->time_ms ? -1 : 1;
    }
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return strcmp(x->check->id, y->check->id);
}

void exr_hunt_sort(exr_hunt_out *o)
{
    if (o->nf > 1)
        qsort(o->f, o->nf, sizeof *o->f, cmp_f);
}

void exr_fmt_ms(int64_t ms, char *out, size_t n)
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int dig(const char *s, size_t n, int *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

/* days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm) */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t exr_parse_time(const char *s, size_t n)
{
    int y, mo, d, h, mi, se;
    if (n < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        return EXR_NO_TIME;
    if (dig(s, 4, &y) || dig(s + 5, 2, &mo) || dig(s + 8, 2, &d) || dig(s + 11, 2, &h) || dig(s + 14, 2, &mi) || dig(s + 17, 2, &se))
        return EXR_NO_TIME;
    if (y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return EXR_NO_TIME;
    int ms = 0;
    if (n > 20 && s[19] == '.') {
        int k = 0;
        for (size_t i = 20; i < n && i < 23 && s[i] >= '0' && s[i] <= '9'; i++, k++)
            ms = ms * 10 + (s[i] - '0');
        while (k++ < 3)
            ms *= 10;
    }
    return ((days_from_civil(y, mo, d) * 86400) + h * 3600 + mi * 60 + se) * 1000 + ms;
}

void exr_finding_json(const exr_hunt_out *o, const exr_finding *f, exr_buf *out)
{
    exr_json j;
    exr_json_begin(&j, out);
    exr_json_str(&j, "root", o->root_name);
    exr_json_str(&j, "check", f->check->id);
    exr_json_str(&j, "cve", f->check->cve);
    exr_json_str(&j, "severity", exr_sev_name(f->severity));
    exr_json_str(&j, "path", f->path);
    if (f->line > 0)
        exr_json_int(&j, "line", f->line);
    else
        exr_json_null(&j, "line");
    if (f->time_ms != EXR_NO_TIME) {
        char t[32];
        exr_fmt_ms(f->time_ms, t, sizeof t);
        exr_json_str(&j, "time", t);
    } else {
        exr_json_null(&j, "time");
    }
    exr_json_str(&j, "client_ip", f->client_ip);
    exr_json_str(&j, "evidence", f->evidence);
    if (f->rule) {
        exr_json_obj_open(&j, "rule");
        exr_json_str(&j, "name", f->rule->name);
        exr_json_str(&j, "file", f->rule->file);
        exr_json_str(&j, "description", f->rule->description);
        exr_json_str(&j, "author", f->rule->author);
        exr_json_str(&j, "reference", f->rule->reference);
        if (f->rule->score >= 0)
            exr_json_int(&j, "score", f->rule->score);
        else
            exr_json_null(&j, "score");
        exr_json_obj_close(&j);
    }
    exr_json_end(&j);
    exr_buf_addc(out, '\n');
}

/* RSIT classification of a finding for IntelMQ: a web shell or an exploitation trace is a
 * system compromise, a failed attempt an exploit attempt, what could not be examined or
 * dated an undetermined event. */
static void classify(const exr_finding *f, const char **tax, const char **type, const char **ident)
{
    const char *id = f->check->id;
    if (strncmp(id, "webshell.", 9) == 0) {
        *tax = "intrusions", *type = "system-compromise", *ident = "exchange-server-webshell";
    } else if (strcmp(id, "file.lsass-dump") == 0) {
        *tax = "intrusions", *type = "system-compromise", *ident = "credential-dump";
    } else if (f->check->cve && f->severity >= EXR_SEV_MEDIUM) {
        *tax = "intrusions", *type = "system-compromise", *ident = "exchange-server-exploitation";
    } else if (f->check->cve || strcmp(id, "iis.attacker-ua") == 0) {
        *tax = "intrusion-attempts", *type = "exploit", *ident = "exchange-server-exploitation-attempt";
    } else if (f->severity >= EXR_SEV_MEDIUM && strcmp(id, "hunt.not-examined") != 0) {
        *tax = "intrusions", *type = "system-compromise", *ident = "exchange-server-compromise";
    } else {
        *tax = "other", *type = "undetermined", *ident = "exchange-server-hunt";
    }
}

void exr_finding_intelmq(const exr_hunt_out *o, const exr_finding *f, exr_buf *out)
{
    const char *tax, *type, *ident;
    classify(f, &tax, &type, &ident);
    exr_json j;
    exr_json_begin(&j, out);
    exr_json_str(&j, "feed.name", "exray-hunt");
    exr_json_str(&j, "feed.provider", "exray");
    if (f->time_ms != EXR_NO_TIME) {
        char t[40];
        time_t s = (time_t)(f->time_ms / 1000);
        struct tm tm;
        gmtime_r(&s, &tm);
        strftime(t, sizeof t, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
        exr_json_str(&j, "time.source", t);
    }
    exr_json_str(&j, "classification.taxonomy", tax);
    exr_json_str(&j, "classification.type", type);
    exr_json_str(&j, "classification.identifier", ident);
    exr_json_str(&j, "event_description.text", f->check->meaning);
    exr_json_str(&j, "extra.root", o->root_name);
    exr_json_str(&j, "extra.check", f->check->id);
    exr_json_str(&j, "extra.severity", exr_sev_name(f->severity));
    if (f->check->cve) {
        char lc[32];
        size_t k = 0;
        for (const char *p = f->check->cve; *p && k + 1 < sizeof lc; p++)
            lc[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        lc[k] = 0;
        exr_json_str(&j, "extra.cve", lc);
    }
    exr_json_str(&j, "extra.path", f->path);
    if (f->line > 0)
        exr_json_int(&j, "extra.line", f->line);
    if (f->client_ip)
        exr_json_str(&j, "extra.client_ip", f->client_ip);
    exr_json_str(&j, "extra.evidence", f->evidence);
    if (f->rule) {
        exr_json_str(&j, "extra.rule", f->rule->name);
        exr_json_str(&j, "extra.rule_file", f->rule->file);
    }
    exr_json_end(&j);
    exr_buf_addc(out, '\n');
}

void exr_timeline_header(exr_buf *out)
{
    exr_buf_adds(out, "datetime,timestamp_desc,message,root,check,cve,severity,path,line,client_ip,evidence\n");
}

void exr_finding_timeline(const exr_hunt_out *o, const exr_finding *f, exr_buf *out)
{
    char t[32], line[24], msg[900];
    exr_fmt_ms(f->time_ms, t, sizeof t);
    snprintf(line, sizeof line, "%ld", f->line);
    snprintf(msg, sizeof msg, "[%s] %s: %s", exr_sev_name(f->severity), f->check->id, f->evidence);
    exr_csv_put(out, t, 1);
    exr_csv_put(out, f->time_desc ? f->time_desc : "Event Time", 0);
    exr_csv_put(out, msg, 0);
    exr_csv_put(out, o->root_name, 0);
    exr_csv_put(out, f->check->id, 0);
    exr_csv_put(out, f->check->cve ? f->check->cve : "", 0);
    exr_csv_put(out, exr_sev_name(f->severity), 0);
    exr_csv_put(out, f->path, 0);
    exr_csv_put(out, f->line > 0 ? line : "", 0);
    exr_csv_put(out, f->client_ip ? f->client_ip : "", 0);
    exr_csv_put(out, f->evidence, 0);
    exr_buf_addc(out, '\n');
}
