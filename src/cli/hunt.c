/* hunt.c: `exray hunt ROOT...`: options, the per-root summary in the manner of
 * Test-ProxyLogon, and the findings files. The work is in src/hunt/. */
#include "../core/buf.h"
#include "../exchange/builds.h"
#include "../hunt/hunt.h"
#include "args.h"
#include "cli.h"
#include <errno.h>
#include <getopt.h>
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

static void print_summary(FILE *out, exr_hunt *h, const exr_buildtab *tab)
{
    exr_hunt_out *o = &h->out;
    fprintf(out, "exray hunt: %s\n", o->root_name);
    fprintf(out, "  system drive: %s\n", strcmp(h->lay.sys, h->lay.root) == 0 ? "." : exr_layout_rel(&h->lay, h->lay.sys));
    fprintf(out, "  Exchange install: %s\n", h->lay.install[0] ? exr_layout_rel(&h->lay, h->lay.install) : "not found (only the locations found are checked)");
    fprintf(out, "  files read: %ld (%.1f MB)\n\n", h->files_read, (double)h->bytes_read / 1e6);
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
        fprintf(out, "    %s %-8s %-34s %s", t, exr_sev_name(f->severity), f->check->id, f->path);
        if (f->line > 0)
            fprintf(out, ":%ld", f->line);
        fprintf(out, "\n        %.200s\n", f->evidence);
        shown++;
    }
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
                fprintf(out, "    PATCHED AFTER COMPROMISE: %s. The patch did not remove what was planted.\n", o->f[k].evidence);
    }
    if (o->problems_total) {
        fprintf(out, "\n  Input problems: %ld (the hunt went on)\n", o->problems_total);
        for (size_t i = 0; i < o->nprob && i < 10; i++)
            fprintf(out, "    %s\n", o->problems[i]);
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
        fprintf(out, "\n  VERDICT INCOMPLETE: %ld file%s or folder%s in scope could not be examined (see hunt.not-examined);\n"
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

static void rule_warn(void *ctx, const char *file, const char *error)
{
    (void)ctx;
    (void)file;
    fprintf(stderr, "exray hunt: rules: %s (file left out; --rules-strict makes this fatal)\n", error);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: exray hunt [options] ROOT...\n\n"
               "ROOT: a server's system drive: the live C:\\ (mounted), a KAPE (C/...) or Velociraptor (C%%3A/...)\n"
               "triage copy, a plain copy, or a collection archive (Velociraptor offline-collector or KAPE ZIP,\n"
               "tar), read in place and never extracted to disk. Nothing under ROOT is ever written.\n\n"
               "  -o, --output FILE       findings as JSON Lines\n"
               "  -F, --format FMT        json (the finding records, default) or intelmq (IntelMQ events)\n"
               "      --timeline FILE     findings as a Timesketch CSV (datetime,timestamp_desc,message,...)\n"
               "  -j, --threads N         worker threads (default: number of cores)\n"
               "      --rules PATH        extra YARA rules: a file or a folder of .yar/.yara, searched recursively\n"
               "                          (repeatable); Loki's external variables filename, filepath, extension,\n"
               "                          filetype, owner and md5 are defined per file; a file that does not\n"
               "                          compile is reported with file:line and left out\n"
               "      --rules-strict      a rule file that does not compile is an error (exit 2)\n"
               "      --builds FILE       Exchange build table instead of the built-in one\n"
               "      --install DIR       Exchange install folder (default: found under ROOT)\n"
               "      --httpproxy DIR     Logging/HttpProxy folder\n"
               "      --ecp-server DIR    Logging/ECP/Server folder\n"
               "      --oab-log DIR       Logging/OABGeneratorLog folder\n"
               "      --iis DIR           an IIS log folder such as W3SVC1 (repeatable)\n"
               "      --webroot DIR       a folder whose every file is scanned for web shells (repeatable)\n"
               "      --evtx DIR          the folder holding Application.evtx and MSExchange Management.evtx\n"
               "      --programdata DIR, --temp DIR\n"
               "  -q, --quiet             no summary on stdout\n"
               "\nExit status:\n"
               "  0  every file in scope was fully examined and nothing at medium or above was found\n"
               "  1  indicators at medium or above, or something in scope could not be examined\n"
               "     (hunt.not-examined: unreadable, vanished, a link, over a hard limit)\n"
               "  2  error: bad option, unusable ROOT, rules that do not load\n");
}

int exr_cmd_hunt(int argc, char **argv)
{
    enum { O_TL = 1000, O_RULES, O_STRICT, O_BUILDS, O_INSTALL, O_HP, O_ECP, O_OAB, O_IIS, O_WEB, O_EVTX, O_PD, O_TEMP };
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'}, {"format", required_argument, 0, 'F'}, {"timeline", required_argument, 0, O_TL}, {"threads", required_argument, 0, 'j'},
        {"rules", required_argument, 0, O_RULES}, {"rules-strict", no_argument, 0, O_STRICT}, {"builds", required_argument, 0, O_BUILDS},
        {"install", required_argument, 0, O_INSTALL}, {"httpproxy", required_argument, 0, O_HP},
        {"ecp-server", required_argument, 0, O_ECP}, {"oab-log", required_argument, 0, O_OAB},
        {"iis", required_argument, 0, O_IIS}, {"webroot", required_argument, 0, O_WEB}, {"evtx", required_argument, 0, O_EVTX},
        {"programdata", required_argument, 0, O_PD}, {"temp", required_argument, 0, O_TEMP}, {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    exr_hunt_opts o;
    memset(&o, 0, sizeof o);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = ncpu > 0 ? (int)ncpu : 1;
    const char *rulep[32];
    const char *outpath = NULL, *tlpath = NULL, *buildsfile = NULL;
    bool quiet = false, intelmq = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:F:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': outpath = optarg; break;
        case 'F':
            if (strcmp(optarg, "intelmq") == 0)
                intelmq = true;
            else if (strcmp(optarg, "json") != 0) {
                fprintf(stderr, "exray hunt: --format: json or intelmq\n");
                return 2;
            }
            break;
        case O_TL: tlpath = optarg; break;
        case 'j': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 64) {
                fprintf(stderr, "exray hunt: --threads: 1..64\n");
                return 2;
            }
            o.threads = (int)v;
            break;
        }
        case O_RULES:
            if (o.nrule_paths == 32) {
                fprintf(stderr, "exray hunt: too many --rules\n");
                return 2;
            }
            rulep[o.nrule_paths++] = optarg;
            break;
        case O_STRICT: o.rules_strict = true; break;
        case O_BUILDS: buildsfile = optarg; break;
        case O_INSTALL: o.ov.install = optarg; break;
        case O_HP: o.ov.httpproxy = optarg; break;
        case O_ECP: o.ov.ecpserver = optarg; break;
        case O_OAB: o.ov.oablog = optarg; break;
        case O_IIS:
            if (o.ov.niis < EXR_LAY_MAXDIRS)
                o.ov.iis[o.ov.niis++] = optarg;
            break;
        case O_WEB:
            if (o.ov.nweb < EXR_LAY_MAXDIRS)
                o.ov.web[o.ov.nweb++] = optarg;
            break;
        case O_EVTX: o.ov.evtx = optarg; break;
        case O_PD: o.ov.programdata = optarg; break;
        case O_TEMP: o.ov.temp = optarg; break;
        case 'q': quiet = true; break;
        case 'h': usage(stdout); return 0;
        default: exr_args_getopt_hint("hunt", argc, argv, opts); usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    o.rule_paths = rulep;
    o.rule_warn = rule_warn;
    exr_err e = {0, ""};
    exr_buildtab tab;
    if ((buildsfile ? exr_buildtab_load_file(&tab, buildsfile, &e) : exr_buildtab_load_default(&tab, &e)) != 0) {
        fprintf(stderr, "exray hunt: %s\n", e.msg);
        return 2;
    }
    o.builds = &tab;
    void *rules = NULL;
    if (exr_hunt_rules_load(&o, &rules, &e) != 0) {
        fprintf(stderr, "exray hunt: rules: %s\n", e.msg);
        exr_hunt_rules_free(rules);
        exr_buildtab_free(&tab);
        return 2;
    }
    FILE *out = NULL, *tl = NULL;
    if (outpath && !(out = fopen(outpath, "w"))) {
        fprintf(stderr, "exray hunt: %s: %s\n", outpath, strerror(errno));
        exr_hunt_rules_free(rules);
        exr_buildtab_free(&tab);
        return 2;
    }
    if (tlpath && !(tl = fopen(tlpath, "w"))) {
        fprintf(stderr, "exray hunt: %s: %s\n", tlpath, strerror(errno));
        if (out)
            fclose(out);
        exr_hunt_rules_free(rules);
        exr_buildtab_free(&tab);
        return 2;
    }
    exr_buf b;
    exr_buf_init(&b);
    if (tl) {
        exr_timeline_header(&b);
        fwrite(b.p, 1, b.len, tl);
    }
    int rc = 0;
    for (int i = optind; i < argc; i++) {
        exr_hunt h;
        if (exr_hunt_run(&h, argv[i], &o, rules, &e) != 0) {
            fprintf(stderr, "exray hunt: %s\n", e.msg);
            rc = 2;
            continue;
        }
        for (size_t k = 0; k < h.out.nf; k++) {
            const exr_finding *f = &h.out.f[k];
            if (out) {
                exr_buf_reset(&b);
                if (intelmq)
                    exr_finding_intelmq(&h.out, f, &b);
                else
                    exr_finding_json(&h.out, f, &b);
                fwrite(b.p, 1, b.len, out);
            }
            if (tl && f->time_ms != EXR_NO_TIME) {
                exr_buf_reset(&b);
                exr_finding_timeline(&h.out, f, &b);
                fwrite(b.p, 1, b.len, tl);
            }
            if (f->severity >= EXR_SEV_MEDIUM && rc == 0)
                rc = 1;
        }
        for (size_t k = 0; k < h.out.nprob; k++)
            fprintf(stderr, "exray hunt: %s\n", h.out.problems[k]);
        if (!quiet)
            print_summary(stdout, &h, &tab);
        exr_hunt_free(&h);
    }
    exr_buf_free(&b);
    if (out && fclose(out) != 0)
        rc = 2;
    if (tl && fclose(tl) != 0)
        rc = 2;
    exr_hunt_rules_free(rules);
    exr_buildtab_free(&tab);
    return rc;
}
