/* hunt.c: `exray hunt ROOT...`: options, the per-root summary in the manner of
 * Test-ProxyLogon, and the findings files. The work is in src/hunt/. */
#include "../core/buf.h"
#include "../core/outfile.h"
#include "../core/term.h"
#include "../exchange/builds.h"
#include "../hunt/hunt.h"
#include "opts.h"
#include "../hunt/rulecache.h"
#include "cli.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct group {
    const char *title;
    const char *prefixes[6];
} group;

static const group groups[] = {
    {"CVE-2021-26855 (ProxyLogon request forgery)", {"cve-2021-26855.", "iis.proxylogon-post", "iis.ecp-js", NULL}},
    {"CVE-2021-26857 (Unified Messaging deserialisation)", {"cve-2021-26857.", NULL}},
    {"CVE-2021-26858 (OAB file write)", {"cve-2021-26858.", NULL}},
    {"CVE-2021-27065 (ECP virtual-directory file write)", {"cve-2021-27065.", NULL}},
    {"ProxyShell (CVE-2021-34473/34523/31207)", {"cve-2021-34473.", "cve-2021-31207.", NULL}},
    {"ProxyNotShell (CVE-2022-41040/41082)", {"cve-2022-41040.", NULL}},
    {"Web shells (files)", {"webshell.", NULL}},
    {"Web-shell use and attacker clients (IIS)", {"iis.webshell-access", "iis.attacker-ua", NULL}},
    {"Suspicious files (credential dumps, archives)", {"file.", NULL}},
    {"Not examined (unreadable, vanished, links, over a limit)", {"hunt.not-examined", NULL}},
};

static bool in_group(const exr_finding *f, const group *g)
{
    for (int i = 0; g->prefixes[i]; i++)
        if (strncmp(f->check->id, g->prefixes[i], strlen(g->prefixes[i])) == 0)
            return true;
    return false;
}

/* One line per CVE group in Test-ProxyLogon's words. */
static void print_groups(FILE *out, const exr_hunt_out *o)
{
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        long n = 0, info = 0;
        int64_t first = EXR_NO_TIME, last = EXR_NO_TIME;
        int maxsev = -1;
        for (size_t i = 0; i < o->nf; i++) {
            const exr_finding *f = &o->f[i];
            if (!in_group(f, &groups[g]))
                continue;
            if (f->severity < EXR_SEV_MEDIUM) {
                info++;
                continue;
            }
            n++;
            if (f->severity > maxsev)
                maxsev = f->severity;
            if (f->time_ms != EXR_NO_TIME) {
                if (first == EXR_NO_TIME || f->time_ms < first)
                    first = f->time_ms;
                if (last == EXR_NO_TIME || f->time_ms > last)
                    last = f->time_ms;
            }
        }
        if (n) {
            char a[32] = "-", b[32] = "-";
            if (first != EXR_NO_TIME) {
                exr_fmt_ms(first, a, sizeof a);
                exr_fmt_ms(last, b, sizeof b);
            }
            fprintf(out, "  [%s] %s: Suspicious activity found: %ld (%s), first %s, last %s\n", exr_sev_name(maxsev), groups[g].title, n,
                    n == 1 ? "indicator" : "indicators", a, b);
        } else {
            fprintf(out, "  %s: Nothing suspicious detected\n", groups[g].title);
        }
        if (info)
            fprintf(out, "      plus %ld low/info rows (failed attempts, scanner probes, rows Test-ProxyLogon drops)\n", info);
    }
}

static void print_evidence(FILE *out, const exr_hunt_out *o)
{
    long shown = 0;
    for (size_t i = 0; i < o->nf && shown < 15; i++) {
        const exr_finding *f = &o->f[i];
        if (f->severity < EXR_SEV_MEDIUM)
            continue;
        if (!shown)
            fprintf(out, "\n  Evidence (first 15 of the medium-or-above findings, by time):\n");
        char t[32] = "(no time)";
        if (f->time_ms != EXR_NO_TIME)
            exr_fmt_ms(f->time_ms, t, sizeof t);
        char path[1024], ev[1024];
        fprintf(out, "    %s %-8s %-34s %s", t, exr_sev_name(f->severity), f->check->id, exr_term_safe(f->path, path, sizeof path));
        if (f->line > 0)
            fprintf(out, ":%ld", f->line);
        fprintf(out, "\n        %.200s\n", exr_term_safe(f->evidence, ev, sizeof ev));
        shown++;
    }
}

static void print_coverage(FILE *out, const exr_hunt_out *o)
{
    fprintf(out, "\n  Log coverage:\n");
    if (!o->ncov)
        fprintf(out, "    no Exchange or IIS logs found\n");
    for (int i = 0; i < o->ncov; i++) {
        char a[32] = "-", b[32] = "-";
        if (o->cov[i].oldest_ms != EXR_NO_TIME)
            exr_fmt_ms(o->cov[i].oldest_ms, a, sizeof a);
        if (o->cov[i].newest_ms != EXR_NO_TIME)
            exr_fmt_ms(o->cov[i].newest_ms, b, sizeof b);
        fprintf(out, "    %-28s %5ld files  %s .. %s%s\n", o->cov[i].name, o->cov[i].files, a, b,
                o->cov[i].oldest_ms != EXR_NO_TIME && o->cov[i].oldest_ms >= 1614816000000LL ? "  WARNING: starts after 2021-03-03" : "");
    }
}

/* Which build served which hours, from the HttpProxy rows. */
static void print_builds(FILE *out, const exr_hunt_out *o, const exr_buildtab *tab)
{
    char ev[1024];
    if (o->nb) {
        fprintf(out, "\n  Build history (from HttpProxy rows):\n");
        size_t i = 0;
        while (i < o->nb) {
            size_t j = i;
            /* a run of hours with the same build */
            while (j + 1 < o->nb && memcmp(o->b[j + 1].v, o->b[i].v, sizeof o->b[i].v) == 0)
                j++;
            exr_version v = {4, {o->b[i].v[0], o->b[i].v[1], o->b[i].v[2], o->b[i].v[3]}};
            exr_build_info bi;
            exr_build_classify(tab, &v, &bi);
            char a[32], b[32];
            exr_fmt_ms(o->b[i].hour * 3600000, a, sizeof a);
            exr_fmt_ms(o->b[j].hour * 3600000 + 3599000, b, sizeof b);
            fprintf(out, "    %s .. %s  %u.%u.%u.%u  Exchange %s %s%s%s  ProxyLogon %s\n", a, b, v.p[0], v.p[1], v.p[2], v.p[3],
                    bi.product ? bi.product : "?", bi.cu ? bi.cu : "?", bi.su ? " " : "", bi.su ? bi.su : "",
                    exr_verdict_name(bi.verdict[EXR_PROXYLOGON]) ? exr_verdict_name(bi.verdict[EXR_PROXYLOGON]) : "?");
            i = j + 1;
            if (i > 60) {
                fprintf(out, "    ... (%zu more changes)\n", o->nb - i);
                break;
            }
        }
        for (size_t k = 0; k < o->nf; k++)
            if (strcmp(o->f[k].check->id, "build.patched-after-compromise") == 0)
                fprintf(out, "    PATCHED AFTER COMPROMISE: %s. The patch did not remove what was planted.\n",
                        exr_term_safe(o->f[k].evidence, ev, sizeof ev));
    }
}

static void print_verdict(FILE *out, const exr_hunt_out *o)
{
    char line[2048];
    if (o->problems_total) {
        fprintf(out, "\n  Input problems: %ld (the hunt went on)\n", o->problems_total);
        for (size_t i = 0; i < o->nprob && i < 10; i++)
            fprintf(out, "    %s\n", exr_term_safe(o->problems[i], line, sizeof line));
        if (o->problems_total > 10)
            fprintf(out, "    ... see the findings file's stderr log or rerun with fewer roots\n");
    }
    int maxsev = -1;
    for (size_t i = 0; i < o->nf; i++)
        if (o->f[i].severity > maxsev)
            maxsev = o->f[i].severity;
    long notexam = 0;
    for (size_t i = 0; i < o->nf; i++)
        if (strcmp(o->f[i].check->id, "hunt.not-examined") == 0)
            notexam++;
    if (notexam)
        fprintf(out,
                "\n  VERDICT INCOMPLETE: %ld file%s or folder%s in scope could not be examined (see hunt.not-examined);\n"
                "  nothing can be said about %s.\n",
                notexam, notexam == 1 ? "" : "s", notexam == 1 ? "" : "s", notexam == 1 ? "it" : "them");
    fprintf(out, "\n  What to do next:\n");
    if (maxsev >= EXR_SEV_MEDIUM) {
        for (size_t i = 0; i < o->nf; i++) {
            if (o->f[i].severity >= EXR_SEV_HIGH) {
                fprintf(out, "    %s\n", o->f[i].check->next);
                break;
            }
        }
        fprintf(out, "    Patching does not remove web shells or accounts an attacker created: hunt them before trusting the server.\n"
                     "    Keep the findings file and the original logs; report to your national CERT.\n");
    } else {
        fprintf(out, "    No indicator at medium or above. Keep the server patched%s.\n",
                o->ncov ? "; check the coverage above before reading this as 'clean'" : "");
    }
    fprintf(out, "\n");
}

static void print_summary(FILE *out, exr_hunt *h, const exr_buildtab *tab)
{
    exr_hunt_out *o = &h->out;
    char a[2048], b[2048], c[2048];
    /* every name here may be the attacker's: a folder of the triage copy, even the root's */
    fprintf(out, "exray hunt: %s\n", exr_term_safe(o->root_name, a, sizeof a));
    fprintf(out, "  system drive: %s\n",
            strcmp(h->lay.sys, h->lay.root) == 0 ? "." : exr_term_safe(exr_layout_rel(&h->lay, h->lay.sys), b, sizeof b));
    fprintf(out, "  Exchange install: %s\n",
            h->lay.install[0] ? exr_term_safe(exr_layout_rel(&h->lay, h->lay.install), c, sizeof c)
                              : "not found (only the locations found are checked)");
    fprintf(out, "  files read: %ld (%.1f MB)\n\n", h->files_read, (double)h->bytes_read / 1e6);
    print_groups(out, o);
    print_evidence(out, o);
    print_coverage(out, o);
    print_builds(out, o, tab);
    print_verdict(out, o);
}

static void rule_warn(void *ctx, const char *file, const char *error)
{
    (void)ctx;
    (void)file;
    fprintf(stderr, "exray hunt: rules: %s (file left out; --rules-strict makes this fatal)\n", error);
}

typedef struct hunt_args {
    exr_hunt_opts o;
    const char *rulep[32];
    char cache[4096];
    bool quiet, intelmq;
} hunt_args;

/* The table's values into the hunt's options. */
static int hunt_validate(const exr_parsed *p, hunt_args *a)
{
    const exr_cmdspec *spec = &exr_spec_hunt;
    exr_hunt_opts *o = &a->o;
    memset(a, 0, sizeof *a);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN), threads = ncpu > 0 ? ncpu : 1;
    if (p->val[HUNT_THREADS] && exr_opt_long(spec, HUNT_THREADS, p->val[HUNT_THREADS], 1, 64, &threads) != 0)
        return -1;
    o->threads = (int)threads;
    int fmt = p->val[HUNT_FORMAT] ? exr_opt_choice(spec, HUNT_FORMAT, p->val[HUNT_FORMAT]) : 0;
    if (fmt < 0)
        return -1;
    a->intelmq = fmt == 1;
    o->nrule_paths = exr_opts_values(p, HUNT_RULES, a->rulep, 32);
    if (p->count[HUNT_RULES] > 32 || p->count[HUNT_IIS] > EXR_LAY_MAXDIRS || p->count[HUNT_WEBROOT] > EXR_LAY_MAXDIRS) {
        exr_opts_fail(spec, "at most 32 --rules and %d each of --iis and --webroot", EXR_LAY_MAXDIRS);
        return -1;
    }
    o->rule_paths = a->rulep;
    o->rules_strict = p->val[HUNT_RULES_STRICT] != NULL;
    if (p->val[HUNT_RULES_CACHE] && strcmp(p->val[HUNT_RULES_CACHE], "off") != 0)
        snprintf(a->cache, sizeof a->cache, "%s", p->val[HUNT_RULES_CACHE]);
    else if (!p->val[HUNT_RULES_CACHE])
        exr_rulecache_default_dir(a->cache, sizeof a->cache);
    o->rules_cache = a->cache[0] ? a->cache : NULL;
    o->ov.install = p->val[HUNT_INSTALL];
    o->ov.httpproxy = p->val[HUNT_HTTPPROXY];
    o->ov.ecpserver = p->val[HUNT_ECP_SERVER];
    o->ov.oablog = p->val[HUNT_OAB_LOG];
    o->ov.niis = exr_opts_values(p, HUNT_IIS, o->ov.iis, EXR_LAY_MAXDIRS);
    o->ov.nweb = exr_opts_values(p, HUNT_WEBROOT, o->ov.web, EXR_LAY_MAXDIRS);
    o->ov.evtx = p->val[HUNT_EVTX];
    o->ov.programdata = p->val[HUNT_PROGRAMDATA];
    o->ov.temp = p->val[HUNT_TEMP];
    o->rule_warn = rule_warn;
    a->quiet = p->val[HUNT_QUIET] != NULL;
    return 0;
}

/* The timeline's rows from every ROOT, written in time order once all are read. */
typedef struct tl_row {
    int64_t t;
    size_t seq;
    char *text;
} tl_row;
typedef struct timeline {
    tl_row *r;
    size_t n, cap;
} timeline;

static void timeline_add(timeline *tl, int64_t t, const exr_buf *b)
{
    if (tl->n == tl->cap)
        tl->r = exr_xrealloc(tl->r, (tl->cap = tl->cap ? tl->cap * 2 : 256) * sizeof *tl->r);
    tl->r[tl->n] = (tl_row){t, tl->n, exr_xstrndup(b->p, b->len)};
    tl->n++;
}

static int tl_cmp(const void *a, const void *b)
{
    const tl_row *x = a, *y = b;
    return x->t != y->t ? (x->t < y->t ? -1 : 1) : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sorts across ROOTs (a stable order for equal times: as found), writes, frees. */
static void timeline_write(timeline *tl, FILE *f)
{
    if (tl->n)
        qsort(tl->r, tl->n, sizeof *tl->r, tl_cmp);
    for (size_t i = 0; i < tl->n; i++) {
        fputs(tl->r[i].text, f);
        free(tl->r[i].text);
    }
    free(tl->r);
    memset(tl, 0, sizeof *tl);
}

static FILE *open_out(const char *path)
{
    FILE *f = !path ? NULL : strcmp(path, "-") == 0 ? stdout : exr_open_output(path, false);
    if (path && !f)
        fprintf(stderr, "exray hunt: %s: %s\n", path, strerror(errno));
    return f;
}

/* One ROOT: its findings to the files, the summary to stdout. 0, 1 (indicators) or 2. */
static int hunt_root(const char *root, const hunt_args *a, void *rules, const exr_buildtab *tab, FILE *out, timeline *tl, exr_buf *b)
{
    exr_hunt h;
    exr_err e = {0, ""};
    char line[2048];
    if (exr_hunt_run(&h, root, &a->o, rules, &e) != 0) {
        fprintf(stderr, "exray hunt: %s\n", e.msg);
        return 2;
    }
    int rc = 0;
    for (size_t k = 0; k < h.out.nf; k++) {
        const exr_finding *f = &h.out.f[k];
        if (out) {
            exr_buf_reset(b);
            (a->intelmq ? exr_finding_intelmq : exr_finding_json)(&h.out, f, b);
            if (b->len)
                fwrite(b->p, 1, b->len, out);
        }
        if (tl && f->time_ms != EXR_NO_TIME) {
            exr_buf_reset(b);
            exr_finding_timeline(&h.out, f, b);
            timeline_add(tl, f->time_ms, b);
        }
        if (f->severity >= EXR_SEV_MEDIUM)
            rc = 1;
    }
    for (size_t k = 0; k < h.out.nprob; k++)
        fprintf(stderr, "exray hunt: %s\n", exr_term_safe(h.out.problems[k], line, sizeof line));
    if (!a->quiet)
        print_summary(stdout, &h, tab);
    exr_hunt_free(&h);
    return rc;
}

static int hunt_run(const exr_parsed *p, const hunt_args *a, void *rules, const exr_buildtab *tab)
{
    FILE *out = NULL, *tl = NULL;
    if ((p->val[HUNT_OUTPUT] && !(out = open_out(p->val[HUNT_OUTPUT]))) ||
        (p->val[HUNT_TIMELINE] && !(tl = open_out(p->val[HUNT_TIMELINE])))) {
        if (out)
            fclose(out);
        return 2;
    }
    exr_buf b;
    exr_buf_init(&b);
    if (tl) {
        exr_timeline_header(&b);
        fwrite(b.p, 1, b.len, tl);
    }
    int rc = 0;
    timeline rows = {NULL, 0, 0};
    for (int i = 0; i < p->npos; i++) {
        int r = hunt_root(p->pos[i], a, rules, tab, out, tl ? &rows : NULL, &b);
        if (r > rc)
            rc = r;
    }
    if (tl)
        timeline_write(&rows, tl);
    exr_buf_free(&b);
    if (out && fclose(out) != 0)
        rc = 2;
    if (tl && fclose(tl) != 0)
        rc = 2;
    return rc;
}

int exr_cmd_hunt(int argc, char **argv)
{
    exr_parsed p;
    int pr = exr_opts_parse(&exr_spec_hunt, argc, argv, &p);
    if (pr != EXR_PARSE_OK)
        return pr == EXR_PARSE_HELP ? 0 : 2;
    hunt_args a;
    if (hunt_validate(&p, &a) != 0)
        return 2;
    exr_err e = {0, ""};
    exr_buildtab tab;
    const char *bf = p.val[HUNT_BUILDS];
    if ((bf ? exr_buildtab_load_file(&tab, bf, &e) : exr_buildtab_load_default(&tab, &e)) != 0) {
        fprintf(stderr, "exray hunt: %s\n", e.msg);
        return 2;
    }
    a.o.builds = &tab;
    void *rules = NULL;
    int rc = 2;
    if (exr_hunt_rules_load(&a.o, &rules, &e) != 0)
        fprintf(stderr, "exray hunt: rules: %s\n", e.msg);
    else
        rc = hunt_run(&p, &a, rules, &tab);
    exr_hunt_rules_free(rules);
    exr_buildtab_free(&tab);
    return rc;
}
