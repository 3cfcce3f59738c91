/* scan.c: `exray scan`: argument parsing, output (JSON Lines / Shadowserver CSV / SQLite),
 * the progress line and the closing summary. The scanning itself is src/scan/. */
#include "../core/buf.h"
#include "../core/keyset.h"
#include "../core/progress.h"
#include "../core/timefmt.h"
#include "../exchange/builds.h"
#include "../scan/engine.h"
#include "../scan/intelmq.h"
#include "../scan/targets.h"
#include "../store/store.h"
#include "args.h"
#include "cli.h"
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_UA "exray/" EXRAY_VERSION " (non-intrusive Exchange patch-level survey)"

typedef struct scan_ctx {
    pthread_mutex_t mu;
    FILE *out;
    int csv; /* 0 JSON Lines, 1 Shadowserver CSV, 2 IntelMQ events */
    exr_store *store;
    int64_t scan_id;
    exr_keyset done;
    bool resuming;
    exr_buf line;
    exr_buf json;
    bool store_failed;
    exr_err store_err;
    /* counters */
    uint64_t n, exchange, by_status[10];
    uint64_t verdicts[EXR_NSETS][5];
    uint64_t webshell_hosts;
} scan_ctx;

static const char *const status_names[] = {"ok", "refused", "timeout", "tls-error", "http-error", "reset", "unreachable", "dns-error", "error"};
static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t signals_seen;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
    if (++signals_seen >= 2)
        _exit(130);
}

typedef struct rescan_ctx {
    exr_targets *t;
    int added, bad;
} rescan_ctx;

/* A stored host back as a target: by the address it was observed on, never by a stored
 * name (an imported report's name is a PTR record, which the address's owner controls and
 * which may name somebody else's server); always on the port it answered on. */
static void rescan_add(void *vctx, const char *ip, int port, const char *hostname)
{
    rescan_ctx *c = vctx;
    char line[400];
    exr_err e = {0, ""};
    (void)hostname;
    if (strchr(ip, ':'))
        snprintf(line, sizeof line, "[%s]:%d", ip, port);
    else
        snprintf(line, sizeof line, "%s:%d", ip, port);
    if (exr_targets_add_line(c->t, line, "the store", &e) != 0)
        c->bad++;
    else
        c->added++;
}

static void on_result(void *vctx, exr_result *r)
{
    scan_ctx *c = vctx;
    pthread_mutex_lock(&c->mu);
    exr_buf_reset(&c->json);
    exr_result_json(r, &c->json);
    if (c->out) {
        if (c->csv) {
            exr_buf_reset(&c->line);
            if (c->csv == 2)
                exr_result_intelmq(r, &c->line);
            else
                exr_result_csv(r, &c->line);
            fwrite(c->line.p, 1, c->line.len, c->out);
        } else {
            fwrite(c->json.p, 1, c->json.len, c->out);
        }
        fflush(c->out);
    }
    if (c->store && !c->store_failed) {
        if (exr_store_add(c->store, c->scan_id, r, c->json.p, c->json.len - 1, &c->store_err) != 0)
            c->store_failed = true, stop_flag = 1;
    }
    c->n++;
    for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
        if (strcmp(r->status, status_names[i]) == 0)
            c->by_status[i]++;
    if (r->fp.exchange) {
        c->exchange++;
        for (int s = 0; s < EXR_NSETS; s++)
            c->verdicts[s][exr_result_verdict(r, s)]++;
    }
    if (r->webshell_probe && !r->webshell_control_hit && r->nwebshells)
        c->webshell_hosts++;
    pthread_mutex_unlock(&c->mu);
}

static void key_of(char *out, size_t n, const exr_addr *a, uint16_t port, const char *hostname)
{
    if (hostname) {
        snprintf(out, n, "n|%s|%u", hostname, port);
    } else {
        char ip[EXR_ADDRSTRLEN];
        exr_addr_format(a, ip, sizeof ip);
        snprintf(out, n, "a|%s|%u", ip, port);
    }
}

static bool skip_cb(void *vctx, const exr_addr *a, uint16_t port, const char *hostname)
{
    scan_ctx *c = vctx;
    if (!c->resuming)
        return false;
    char k[400];
    key_of(k, sizeof k, a, port, hostname);
    return exr_keyset_has(&c->done, k); /* read-only after start: no lock needed */
}

static void load_key(void *vctx, const char *ip, int port, const char *hostname)
{
    scan_ctx *c = vctx;
    char k[400];
    if (hostname)
        snprintf(k, sizeof k, "n|%s|%d", hostname, port);
    else
        snprintf(k, sizeof k, "a|%s|%d", ip, port);
    exr_keyset_add(&c->done, k);
}

typedef struct prog_args {
    scan_ctx *c;
    exr_scan_progress *pr;
    int64_t start;
    volatile int quit;
} prog_args;

static void *progress_main(void *arg)
{
    prog_args *p = arg;
    while (!p->quit) {
        for (int i = 0; i < 10 && !p->quit; i++)
            usleep(100000);
        if (p->quit)
            break;
        pthread_mutex_lock(&p->c->mu);
        uint64_t ex = p->c->exchange;
        uint64_t vu = 0;
        for (int s = 0; s < EXR_NSETS; s++)
            vu = p->c->verdicts[s][EXR_V_VULNERABLE] > vu ? p->c->verdicts[s][EXR_V_VULNERABLE] : vu;
        pthread_mutex_unlock(&p->c->mu);
        char extra[128];
        snprintf(extra, sizeof extra, "exchange %llu; vulnerable %llu", (unsigned long long)ex, (unsigned long long)vu);
        uint64_t skipped = atomic_load(&p->pr->skipped);
        uint64_t planned = atomic_load(&p->pr->planned);
        exr_progress_line(atomic_load(&p->pr->done), planned > skipped ? planned - skipped : 0, exr_now_ms() - p->start, extra);
    }
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: exray scan [options] [TARGET...]\n\n"
            "TARGET: an IPv4/IPv6 address, CIDR, hostname, host:port, [v6]:port or https:// URL.\n"
            "Targets files also accept zmap output (one IP a line) and masscan -oL lines.\n\n"
            "  -T, --targets FILE      read targets from FILE ('-' = stdin), one a line, # comments\n"
            "  -p, --ports LIST        ports, e.g. 443,8443 (default 443)\n"
            "  -b, --blocklist FILE    zmap-format blocklist, always applied (repeatable)\n"
            "  -r, --rate N            new hosts per second (default 1000; 0 = unlimited)\n"
            "  -c, --concurrency N     hosts in flight (default 1000)\n"
            "  -t, --timeout S         hard per-host deadline in seconds, connect to last byte (default 10)\n"
            "  -j, --threads N         event loops (default: number of cores)\n"
            "  -A, --user-agent S      User-Agent (default '%s')\n"
            "      --seed N            permutation seed (required with --shard)\n"
            "      --shard I/N         scan shard I of N (0-based); shards never overlap\n"
            "      --probe-webshells   also request the web-shell paths published for the 2021 campaign\n"
            "  -o, --output FILE       write records to FILE (default stdout)\n"
            "      --rescan            follow-up rescan: targets are the hosts the store (--db) last saw vulnerable,\n"
            "                          compromised or undetermined (--state LIST to choose), by address and port\n"
            "      --state LIST        with --rescan: vulnerable,compromised,undetermined,patched\n"
            "      --notified-since D  with --rescan: only hosts notified on or after date D (YYYY-MM-DD)\n"
            "  -F, --format FMT        json (JSON Lines, default), csv (Shadowserver scan_exchange) or intelmq\n"
            "                          (IntelMQ events, one per Exchange server, for its generic JSON parser)\n"
            "      --db FILE           store every observation in SQLite FILE\n"
            "      --resume            continue the last unfinished scan in --db\n"
            "      --builds FILE       build table to use instead of the built-in one\n"
            "  -q, --quiet             no progress line\n"
            "\nExit status: 0 done, 2 bad input or store error.\n",
            DEFAULT_UA);
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-')
        return -1;
    *out = v;
    return 0;
}

static uint64_t random_seed(void)
{
    uint64_t s = 0;
    FILE *f = fopen("/dev/urandom", "rb");
    if (f) {
        if (fread(&s, sizeof s, 1, f) != 1)
            s = 0;
        fclose(f);
    }
    if (!s)
        s = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    return s & 0x7fffffffffffffffull; /* fits SQLite's signed integer */
}

int exr_cmd_scan(int argc, char **argv)
{
    enum { O_SEED = 1000, O_SHARD, O_PROBE, O_DB, O_RESUME, O_BUILDS, O_RESCAN, O_STATE, O_NOTIFIED_SINCE };
    static const struct option opts[] = {
        {"targets", required_argument, 0, 'T'}, {"ports", required_argument, 0, 'p'},
        {"blocklist", required_argument, 0, 'b'}, {"rate", required_argument, 0, 'r'},
        {"concurrency", required_argument, 0, 'c'}, {"timeout", required_argument, 0, 't'},
        {"threads", required_argument, 0, 'j'}, {"user-agent", required_argument, 0, 'A'},
        {"seed", required_argument, 0, O_SEED}, {"shard", required_argument, 0, O_SHARD},
        {"probe-webshells", no_argument, 0, O_PROBE}, {"output", required_argument, 0, 'o'},
        {"format", required_argument, 0, 'F'}, {"db", required_argument, 0, O_DB},
        {"resume", no_argument, 0, O_RESUME}, {"builds", required_argument, 0, O_BUILDS}, {"rescan", no_argument, 0, O_RESCAN},
        {"state", required_argument, 0, O_STATE}, {"notified-since", required_argument, 0, O_NOTIFIED_SINCE},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    exr_targets t;
    exr_targets_init(&t);
    exr_err e = {0, ""};
    exr_scan_opts o;
    memset(&o, 0, sizeof o);
    o.rate = 1000;
    o.concurrency = 1000;
    o.timeout_ms = 10000;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = ncpu > 0 ? (int)ncpu : 1;
    o.user_agent = DEFAULT_UA;
    o.shards = 1;
    const char *outpath = NULL, *dbpath = NULL, *buildsfile = NULL, *notified_since = NULL;
    bool rescan = false, state_given = false;
    unsigned rescan_states = EXR_RESCAN_VULNERABLE | EXR_RESCAN_COMPROMISED | EXR_RESCAN_UNDETERMINED;
    const char *targetfiles[64];
    int ntf = 0;
    bool have_seed = false, have_shard = false, resume = false, quiet = false;
    int csv = 0;
    int rc = 2, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "T:p:b:r:c:t:j:A:o:F:qh", opts, NULL)) != -1) {
        uint64_t v;
        switch (c) {
        case 'T':
            if (ntf == 64) {
                fprintf(stderr, "exray scan: too many --targets files\n");
                goto out;
            }
            targetfiles[ntf++] = optarg;
            break;
        case 'p':
            if (exr_ports_parse(optarg, t.ports, &t.nports, &e) != 0) {
                fprintf(stderr, "exray scan: --ports: %s\n", e.msg);
                goto out;
            }
            break;
        case 'b':
            if (exr_blocklist_add_file(&t, optarg, &e) != 0) {
                fprintf(stderr, "exray scan: --blocklist: %s\n", e.msg);
                goto out;
            }
            break;
        case 'r': {
            char *end;
            o.rate = strtod(optarg, &end);
            if (*end || end == optarg || o.rate < 0) {
                fprintf(stderr, "exray scan: --rate: '%s' is not a number >= 0\n", optarg);
                goto out;
            }
            break;
        }
        case 'c':
            if (parse_u64(optarg, &v) || v < 1 || v > 100000) {
                fprintf(stderr, "exray scan: --concurrency: 1..100000\n");
                goto out;
            }
            o.concurrency = (int)v;
            break;
        case 't': {
            char *end;
            double s = strtod(optarg, &end);
            if (*end || end == optarg || s <= 0 || s > 3600) {
                fprintf(stderr, "exray scan: --timeout: seconds in (0, 3600]\n");
                goto out;
            }
            o.timeout_ms = (int)(s * 1000);
            break;
        }
        case 'j':
            if (parse_u64(optarg, &v) || v < 1 || v > 256) {
                fprintf(stderr, "exray scan: --threads: 1..256\n");
                goto out;
            }
            o.threads = (int)v;
            break;
        case 'A':
            for (const char *p = optarg; *p; p++)
                if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f) {
                    fprintf(stderr, "exray scan: --user-agent must be printable ASCII\n");
                    goto out;
                }
            if (strlen(optarg) > 256 || !*optarg) {
                fprintf(stderr, "exray scan: --user-agent: 1..256 characters\n");
                goto out;
            }
            o.user_agent = optarg;
            break;
        case O_SEED:
            if (parse_u64(optarg, &o.seed) || o.seed > 0x7fffffffffffffffull) {
                fprintf(stderr, "exray scan: --seed: a number 0..2^63-1\n");
                goto out;
            }
            have_seed = true;
            break;
        case O_SHARD: {
            unsigned a, b;
            char tail;
            if (sscanf(optarg, "%u/%u%c", &a, &b, &tail) != 2 || b == 0 || a >= b || b > 65536) {
                fprintf(stderr, "exray scan: --shard: I/N with 0 <= I < N\n");
                goto out;
            }
            o.shard = a;
            o.shards = b;
            have_shard = true;
            break;
        }
        case O_PROBE: o.probe_webshells = true; break;
        case 'o': outpath = optarg; break;
        case 'F':
            if (strcmp(optarg, "csv") == 0)
                csv = 1;
            else if (strcmp(optarg, "intelmq") == 0)
                csv = 2;
            else if (strcmp(optarg, "json") != 0) {
                fprintf(stderr, "exray scan: --format: json, csv or intelmq\n");
                goto out;
            }
            break;
        case O_DB: dbpath = optarg; break;
        case O_RESUME: resume = true; break;
        case O_BUILDS: buildsfile = optarg; break;
        case O_RESCAN: rescan = true; break;
        case O_STATE: {
            rescan_states = 0;
            state_given = true;
            char buf[128];
            snprintf(buf, sizeof buf, "%s", optarg);
            for (char *sv = NULL, *tok = strtok_r(buf, ",", &sv); tok; tok = strtok_r(NULL, ",", &sv)) {
                unsigned bit = !strcmp(tok, "vulnerable") ? EXR_RESCAN_VULNERABLE : !strcmp(tok, "compromised") ? EXR_RESCAN_COMPROMISED
                               : !strcmp(tok, "undetermined") ? EXR_RESCAN_UNDETERMINED : !strcmp(tok, "patched") ? EXR_RESCAN_PATCHED : 0;
                if (!bit) {
                    fprintf(stderr, "exray scan: --state: vulnerable, compromised, undetermined, patched (comma-separated)\n");
                    goto out;
                }
                rescan_states |= bit;
            }
            break;
        }
        case O_NOTIFIED_SINCE:
            if (strlen(optarg) < 10 || optarg[4] != '-' || optarg[7] != '-') {
                fprintf(stderr, "exray scan: --notified-since: a date YYYY-MM-DD\n");
                goto out;
            }
            notified_since = optarg;
            break;
        case 'q': quiet = true; break;
        case 'h':
            usage(stdout);
            rc = 0;
            goto out;
        default: exr_args_getopt_hint("scan", argc, argv, opts); usage(stderr); goto out;
        }
    }
    if (have_shard && o.shards > 1 && !have_seed && !resume) {
        fprintf(stderr, "exray scan: --shard needs --seed so every shard walks the same permutation\n");
        goto out;
    }
    if (resume && !dbpath) {
        fprintf(stderr, "exray scan: --resume needs --db\n");
        goto out;
    }
    if (exr_blocklist_load_default(&t, &e) != 0) {
        fprintf(stderr, "exray scan: %s\n", e.msg);
        goto out;
    }
    for (int i = optind; i < argc; i++) {
        char where[64];
        snprintf(where, sizeof where, "argument %d", i - optind + 1);
        if (exr_targets_add_line(&t, argv[i], where, &e) != 0) {
            fprintf(stderr, "exray scan: %s\n", e.msg);
            goto out;
        }
    }
    for (int i = 0; i < ntf; i++) {
        if (exr_targets_add_file(&t, targetfiles[i], &e) != 0) {
            fprintf(stderr, "exray scan: %s\n", e.msg);
            goto out;
        }
    }
    if (!rescan && (notified_since || state_given)) {
        fprintf(stderr, "exray scan: --state and --notified-since go with --rescan\n");
        goto out;
    }
    if (rescan) {
        /* follow-up rescan: the hosts the store last saw in the chosen states */
        if (!dbpath) {
            fprintf(stderr, "exray scan: --rescan needs --db\n");
            goto out;
        }
        exr_store *rs;
        if (exr_store_open_existing(&rs, dbpath, &e) != 0) {
            fprintf(stderr, "exray scan: %s\n", e.msg);
            goto out;
        }
        rescan_ctx rc_ctx = {&t, 0, 0};
        int n = exr_store_rescan_targets(rs, rescan_states, notified_since, resume, rescan_add, &rc_ctx, &e);
        exr_store_close(rs);
        if (n < 0 || rc_ctx.bad) {
            fprintf(stderr, "exray scan: --rescan: %s\n", n < 0 ? e.msg : "a stored target does not parse");
            goto out;
        }
        if (!quiet)
            fprintf(stderr, "exray scan: rescanning %d hosts from %s\n", n, dbpath);
        if (n == 0) {
            fprintf(stderr, "exray scan: --rescan: no host in those states in %s\n", dbpath);
            rc = 0;
            goto out;
        }
    }
    if (t.ranges_in.n == 0 && t.npairs == 0 && t.nnames == 0) {
        fprintf(stderr, "exray scan: no targets (give addresses, CIDRs, hostnames or --targets FILE)\n");
        goto out;
    }
    if (exr_targets_finish(&t, &e) != 0) {
        fprintf(stderr, "exray scan: %s\n", e.msg);
        goto out;
    }
    exr_buildtab tab;
    if ((buildsfile ? exr_buildtab_load_file(&tab, buildsfile, &e) : exr_buildtab_load_default(&tab, &e)) != 0) {
        fprintf(stderr, "exray scan: %s\n", e.msg);
        goto out;
    }
    o.builds = &tab;
    {
        /* a stale table turns new builds into "undetermined": say so once */
        long age = exr_buildtab_age_days(&tab, (long long)time(NULL));
        if (age < 0 || age > 90)
            fprintf(stderr, "exray scan: warning: the build table %s%s%s; builds released since are undetermined; "
                            "see exray builds --check\n",
                    buildsfile ? buildsfile : "(built in)", age < 0 ? " has no table-date" : " was last checked on ",
                    age < 0 ? "" : tab.table_date);
    }

    scan_ctx sc;
    memset(&sc, 0, sizeof sc);
    pthread_mutex_init(&sc.mu, NULL);
    exr_keyset_init(&sc.done);
    exr_buf_init(&sc.line);
    exr_buf_init(&sc.json);
    sc.csv = csv;
    if (dbpath) {
        if (exr_store_open(&sc.store, dbpath, &e) != 0) {
            fprintf(stderr, "exray scan: %s\n", e.msg);
            goto out_tab;
        }
        char shard[32];
        snprintf(shard, sizeof shard, "%u/%u", o.shard, o.shards);
        int found = 0;
        if (resume) {
            uint64_t seed;
            char oldshard[32];
            found = exr_store_scan_unfinished(sc.store, &sc.scan_id, &seed, oldshard, sizeof oldshard, &e);
            if (found < 0) {
                fprintf(stderr, "exray scan: %s\n", e.msg);
                goto out_store;
            }
            if (found) {
                if (have_shard && strcmp(oldshard, shard) != 0) {
                    fprintf(stderr, "exray scan: --resume: the unfinished scan was shard %s, not %s\n", oldshard, shard);
                    goto out_store;
                }
                unsigned a = 0, b = 1;
                if (sscanf(oldshard, "%u/%u", &a, &b) == 2 && b > 0) {
                    o.shard = a;
                    o.shards = b;
                }
                o.seed = seed;
                have_seed = true;
                if (exr_store_scan_keys(sc.store, sc.scan_id, load_key, &sc, &e) != 0) {
                    fprintf(stderr, "exray scan: %s\n", e.msg);
                    goto out_store;
                }
                sc.resuming = true;
                if (!quiet)
                    fprintf(stderr, "exray scan: resuming scan %lld, %zu hosts already done\n", (long long)sc.scan_id, sc.done.n);
            } else if (!quiet) {
                fprintf(stderr, "exray scan: --resume: no unfinished scan in %s; starting a new one\n", dbpath);
            }
        }
        if (!found) {
            if (!have_seed)
                o.seed = random_seed();
            exr_buf args;
            exr_buf_init(&args);
            for (int i = 1; i < argc; i++) {
                if (i > 1)
                    exr_buf_addc(&args, ' ');
                exr_buf_adds(&args, argv[i]);
            }
            int brc = exr_store_scan_begin(sc.store, args.p, o.seed, shard, &sc.scan_id, &e);
            exr_buf_free(&args);
            if (brc != 0) {
                fprintf(stderr, "exray scan: %s\n", e.msg);
                goto out_store;
            }
        }
    }
    if (!have_seed)
        o.seed = random_seed();
    if (outpath) {
        sc.out = fopen(outpath, sc.resuming ? "a" : "w");
        if (!sc.out) {
            fprintf(stderr, "exray scan: %s: %s\n", outpath, strerror(errno));
            goto out_store;
        }
    } else {
        sc.out = stdout;
    }
    if (csv == 1 && !(sc.resuming && outpath)) {
        exr_buf h;
        exr_buf_init(&h);
        exr_result_csv_header(&h);
        fwrite(h.p, 1, h.len, sc.out);
        exr_buf_free(&h);
    }
    o.on_result = on_result;
    o.skip = skip_cb;
    o.ctx = &sc;
    o.stop = &stop_flag;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    exr_scan_progress pr;
    memset(&pr, 0, sizeof pr);
    prog_args pa = {&sc, &pr, exr_now_ms(), 0};
    pthread_t pth;
    bool show = !quiet && isatty(2);
    if (show)
        pthread_create(&pth, NULL, progress_main, &pa);
    int64_t t0 = exr_now_ms();
    int srun = exr_scan_run(&t, &o, &pr, &e);
    int64_t elapsed = exr_now_ms() - t0;
    if (show) {
        pa.quit = 1;
        pthread_join(pth, NULL);
        exr_progress_clear();
    }
    rc = 0;
    if (srun != 0) {
        fprintf(stderr, "exray scan: %s\n", e.msg);
        rc = 2;
    }
    if (sc.store) {
        if (sc.store_failed) {
            fprintf(stderr, "exray scan: store: %s\n", sc.store_err.msg);
            rc = 2;
        } else if (exr_store_commit(sc.store, &e) != 0) {
            fprintf(stderr, "exray scan: %s\n", e.msg);
            rc = 2;
        } else if (!stop_flag && exr_store_scan_finish(sc.store, sc.scan_id, &e) != 0) {
            fprintf(stderr, "exray scan: %s\n", e.msg);
            rc = 2;
        }
    }
    /* summary */
    double secs = (double)elapsed / 1000.0;
    fprintf(stderr, "exray scan: %llu hosts scanned in %.1fs (%.0f hosts/s)%s; %llu Exchange servers found\n",
            (unsigned long long)sc.n, secs, secs > 0 ? (double)sc.n / secs : 0.0, stop_flag ? " [interrupted: --resume continues]" : "",
            (unsigned long long)sc.exchange);
    if (atomic_load(&pr.skipped))
        fprintf(stderr, "  %llu hosts skipped: already in the store (resume)\n", (unsigned long long)atomic_load(&pr.skipped));
    if (t.blocked)
        fprintf(stderr, "  %llu addresses excluded by blocklists\n", (unsigned long long)t.blocked);
    fprintf(stderr, "  status:");
    for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
        if (sc.by_status[i])
            fprintf(stderr, " %s %llu", status_names[i], (unsigned long long)sc.by_status[i]);
    fprintf(stderr, "\n  %-14s %10s %8s %12s %12s %9s\n", "set", "vulnerable", "patched", "undetermined", "not-affected", "patched%");
    for (int s = 0; s < EXR_NSETS; s++) {
        uint64_t v = sc.verdicts[s][EXR_V_VULNERABLE], p = sc.verdicts[s][EXR_V_PATCHED], u = sc.verdicts[s][EXR_V_UNDETERMINED],
                 na = sc.verdicts[s][EXR_V_NOT_AFFECTED];
        uint64_t base = v + p + u;
        char pct[16] = "-";
        if (base)
            snprintf(pct, sizeof pct, "%.1f%%", 100.0 * (double)p / (double)base);
        fprintf(stderr, "  %-14s %10llu %8llu %12llu %12llu %9s\n", exr_vset_name[s], (unsigned long long)v, (unsigned long long)p,
                (unsigned long long)u, (unsigned long long)na, pct);
    }
    if (o.probe_webshells)
        fprintf(stderr, "  hosts answering a published web-shell path: %llu\n", (unsigned long long)sc.webshell_hosts);
    if (dbpath)
        fprintf(stderr, "  stored as scan %lld in %s\n", (long long)sc.scan_id, dbpath);
    if (sc.out && sc.out != stdout)
        fclose(sc.out);
    else
        fflush(stdout);
out_store:
    exr_store_close(sc.store);
    exr_keyset_free(&sc.done);
    exr_buf_free(&sc.line);
    exr_buf_free(&sc.json);
out_tab:
    exr_buildtab_free(&tab);
out:
    exr_targets_free(&t);
    return rc;
}
