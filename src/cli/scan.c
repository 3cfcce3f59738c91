/* scan.c: `exray scan`: argument parsing, output (JSON Lines / Shadowserver CSV / SQLite),
 * the progress line and the closing summary. The scanning itself is src/scan/. */
#include "../core/buf.h"
#include "../core/outfile.h"
#include "../core/keyset.h"
#include "progress.h"
#include "../core/timefmt.h"
#include "../exchange/builds.h"
#include "../scan/engine.h"
#include "../scan/intelmq.h"
#include "../scan/permute.h"
#include "../scan/targets.h"
#include "../store/store.h"
#include "open.h"
#include "opts.h"
#include "cli.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_UA "exray/" EXRAY_VERSION " (non-intrusive Exchange patch-level survey)"

/* --format: the records as JSON Lines, Shadowserver's scan_exchange CSV, or IntelMQ events */
typedef enum out_format { FMT_JSON, FMT_CSV, FMT_INTELMQ } out_format;

typedef struct scan_ctx {
    pthread_mutex_t mu;
    FILE *out;
    out_format fmt;
    exr_store *store;
    int64_t scan_id;
    exr_keyset done;
    bool resuming;
    exr_buf line;
    exr_buf json;
    bool store_failed;
    exr_err store_err;
    /* counters */
    uint64_t n, exchange, by_status[EXR_NSTATUS];
    uint64_t verdicts[EXR_NSETS][5]; /* the campaign view */
    uint64_t states[EXR_NSTATE], kev_hosts;
    const exr_vulntab *vt;
    uint64_t *per_cve; /* hosts open to each vulnerability row */
    uint64_t webshell_hosts;
} scan_ctx;

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
        if (c->fmt != FMT_JSON) {
            exr_buf_reset(&c->line);
            if (c->fmt == FMT_INTELMQ)
                exr_result_intelmq(r, &c->line);
            else
                exr_result_csv(r, &c->line);
            if (c->line.len) /* intelmq writes nothing for a host that is not Exchange */
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
    if ((unsigned)r->status < EXR_NSTATUS)
        c->by_status[r->status]++;
    if (r->fp.exchange) {
        c->exchange++;
        for (int s = 0; s < EXR_NSETS; s++)
            c->verdicts[s][exr_result_verdict(r, s)]++;
        if (r->x.state >= 0)
            c->states[r->x.state]++;
        c->kev_hosts += r->x.nkev > 0;
        for (int i = 0; c->per_cve && r->bi.cves.classified && i < r->bi.cves.nopen; i++) {
            long k = exr_vulntab_index(c->vt, r->bi.cves.open[i]);
            if (k >= 0)
                c->per_cve[k]++;
        }
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
        uint64_t vu = p->c->states[EXR_S_VULNERABLE] + p->c->states[EXR_S_COMPROMISED];
        pthread_mutex_unlock(&p->c->mu);
        char extra[128];
        snprintf(extra, sizeof extra, "exchange %llu; vulnerable %llu", (unsigned long long)ex, (unsigned long long)vu);
        uint64_t skipped = atomic_load(&p->pr->skipped);
        uint64_t planned = atomic_load(&p->pr->planned);
        exr_progress_line(atomic_load(&p->pr->done), planned > skipped ? planned - skipped : 0, exr_now_ms() - p->start, extra);
    }
    return NULL;
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

typedef struct scan_args {
    exr_scan_opts o;
    exr_targets t;
    exr_buildtab tab;
    const char *outpath, *dbpath, *notified_since, *scan_name;
    char dbshown[512]; /* dbpath without its password */
    unsigned rescan_states;
    bool rescan, resume, quiet, have_seed, have_shard;
    long db_timeout;
    out_format fmt;
} scan_args;

#define SPEC (&exr_spec_scan)
#define FAIL(...) (exr_opts_fail(SPEC, __VA_ARGS__), -1)

static int validate_agent(const char *ua)
{
    for (const char *q = ua; *q; q++)
        if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
            return FAIL("--user-agent must be printable ASCII");
    if (strlen(ua) > 256 || !*ua)
        return FAIL("--user-agent: 1..256 characters");
    return 0;
}

/* Rate, concurrency, deadline, threads, User-Agent, seed and shard. */
static int validate_pace(const exr_parsed *p, scan_args *a)
{
    exr_scan_opts *o = &a->o;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN), conc = 0, threads = ncpu > 0 ? ncpu : 1;
    double rate = 0, timeout = 0;
    const char *const *v = p->val;
    if (exr_opt_double_or_default(SPEC, p, SCAN_RATE, 0, 1e9, &rate) != 0 ||
        exr_opt_long_or_default(SPEC, p, SCAN_CONCURRENCY, 1, 100000, &conc) != 0 ||
        exr_opt_double_or_default(SPEC, p, SCAN_TIMEOUT, 0.001, 3600, &timeout) != 0 ||
        (v[SCAN_THREADS] && exr_opt_long(SPEC, SCAN_THREADS, v[SCAN_THREADS], 1, 256, &threads) != 0) ||
        (v[SCAN_USER_AGENT] && validate_agent(v[SCAN_USER_AGENT]) != 0))
        return -1;
    o->rate = rate;
    o->concurrency = (int)conc;
    o->timeout_ms = (int)(timeout * 1000);
    o->threads = (int)threads;
    o->user_agent = v[SCAN_USER_AGENT] ? v[SCAN_USER_AGENT] : DEFAULT_UA;
    o->shards = 1;
    if (v[SCAN_SEED]) {
        char *end;
        errno = 0;
        unsigned long long seed = strtoull(v[SCAN_SEED], &end, 10);
        if (errno || end == v[SCAN_SEED] || *end || v[SCAN_SEED][0] == '-' || seed > 0x7fffffffffffffffull)
            return FAIL("--seed: a number 0..2^63-1");
        o->seed = seed;
        a->have_seed = true;
    }
    if (v[SCAN_SHARD]) {
        uint32_t i, n;
        if (!exr_shard_parse(v[SCAN_SHARD], &i, &n))
            return FAIL("--shard: I/N with 0 <= I < N <= %d", EXR_MAX_SHARDS);
        o->shard = i;
        o->shards = n;
        a->have_shard = true;
    }
    o->probe_webshells = v[SCAN_PROBE_WEBSHELLS] != NULL;
    return 0;
}

static int validate_states(const char *list, unsigned *states)
{
    if (exr_state_mask(list, states) != 0)
        return FAIL("--state: compromised, vulnerable, end-of-life, undetermined, patched, not-affected (comma-separated)");
    return 0;
}

/* Output format, store, resume and rescan, and which of them go together. */
static int validate_output(const exr_parsed *p, scan_args *a)
{
    const char *const *v = p->val;
    int fmt = v[SCAN_FORMAT] ? exr_opt_choice(SPEC, SCAN_FORMAT, v[SCAN_FORMAT]) : 0;
    if (fmt < 0)
        return -1;
    a->fmt = (out_format)fmt; /* the order of the table's choices: json csv intelmq */
    a->outpath = v[SCAN_OUTPUT];
    a->dbpath = v[SCAN_DB];
    a->scan_name = v[SCAN_SCAN_NAME];
    if (a->scan_name && (!*a->scan_name || strlen(a->scan_name) > 120))
        return FAIL("--scan-name: 1..120 characters");
    if (a->scan_name && !a->dbpath)
        return FAIL("--scan-name needs --db");
    if (exr_opt_long_or_default(SPEC, p, SCAN_DB_TIMEOUT, 1, 86400, &a->db_timeout) != 0)
        return -1;
    exr_store_redact(a->dbpath ? a->dbpath : "", a->dbshown, sizeof a->dbshown);
    a->resume = v[SCAN_RESUME] != NULL;
    a->rescan = v[SCAN_RESCAN] != NULL;
    a->quiet = v[SCAN_QUIET] != NULL;
    a->notified_since = v[SCAN_NOTIFIED_SINCE];
    a->rescan_states = EXR_RESCAN_OPEN | 1u << EXR_S_UNDETERMINED;
    if (v[SCAN_STATE] && validate_states(v[SCAN_STATE], &a->rescan_states) != 0)
        return -1;
    const char *ns = a->notified_since;
    if (ns && (strlen(ns) < 10 || ns[4] != '-' || ns[7] != '-'))
        return FAIL("--notified-since: a date YYYY-MM-DD");
    if (a->have_shard && a->o.shards > 1 && !a->have_seed && !a->resume)
        return FAIL("--shard needs --seed so every shard walks the same permutation");
    if (a->resume && !a->dbpath)
        return FAIL("--resume needs --db");
    if (!a->rescan && (ns || v[SCAN_STATE]))
        return FAIL("--state and --notified-since go with --rescan");
    if (a->rescan && !a->dbpath)
        return FAIL("--rescan needs --db");
    return 0;
}

/* Follow-up rescan: the hosts the store last saw in the chosen states. Returns how many, or -1. */
static int rescan_targets(scan_args *a)
{
    exr_err e = {0, ""};
    exr_store *rs;
    if (exr_store_open_existing(&rs, a->dbpath, &e) != 0)
        return FAIL("%s", e.msg);
    /* the states the selection reads, by the tables this scan judges with */
    if (exr_cli_restate("scan", rs, &a->tab) != 0) {
        exr_store_close(rs);
        return -1;
    }
    rescan_ctx rc_ctx = {&a->t, 0, 0};
    int n = exr_store_rescan_targets(rs, a->rescan_states, a->notified_since, a->resume, rescan_add, &rc_ctx, &e);
    exr_store_close(rs);
    if (n < 0 || rc_ctx.bad)
        return FAIL("--rescan: %s", n < 0 ? e.msg : "a stored target does not parse");
    if (!a->quiet)
        fprintf(stderr, "exray scan: rescanning %d hosts from %s\n", n, a->dbshown);
    return n;
}

/* Ports, blocklists and targets from the arguments, the files and the store. Returns 1 when
 * there is nothing to do (a rescan that found no host). */
static int load_targets(const exr_parsed *p, scan_args *a)
{
    exr_err e = {0, ""};
    const char *files[64];
    if (p->val[SCAN_PORTS] && exr_ports_parse(p->val[SCAN_PORTS], a->t.ports, &a->t.nports, &e) != 0)
        return FAIL("--ports: %s", e.msg);
    for (int i = 0; i < p->nall; i++)
        if (p->all[i].id == SCAN_BLOCKLIST && exr_blocklist_add_file(&a->t, p->all[i].v, &e) != 0)
            return FAIL("--blocklist: %s", e.msg);
    if (exr_blocklist_load_default(&a->t, &e) != 0)
        return FAIL("%s", e.msg);
    for (int i = 0; i < p->npos; i++) {
        char where[64];
        snprintf(where, sizeof where, "argument %d", i + 1);
        if (exr_targets_add_line(&a->t, p->pos[i], where, &e) != 0)
            return FAIL("%s", e.msg);
    }
    if (p->count[SCAN_TARGETS] > 64)
        return FAIL("at most 64 --targets files");
    int nf = exr_opts_values(p, SCAN_TARGETS, files, 64);
    for (int i = 0; i < nf; i++)
        if (exr_targets_add_file(&a->t, files[i], &e) != 0)
            return FAIL("%s", e.msg);
    if (a->rescan) {
        int n = rescan_targets(a);
        if (n < 0)
            return -1;
        if (n == 0) {
            fprintf(stderr, "exray scan: --rescan: no host in those states in %s\n", a->dbshown);
            return 1;
        }
    }
    if (a->t.ranges_in.n == 0 && a->t.npairs == 0 && a->t.nnames == 0)
        return FAIL("no targets (give addresses, CIDRs, hostnames or --targets FILE)");
    if (exr_targets_finish(&a->t, &e) != 0)
        return FAIL("%s", e.msg);
    return 0;
}

static int load_builds(const exr_parsed *p, scan_args *a)
{
    const char *file = p->val[SCAN_BUILDS];
    if (exr_cli_tables("scan", file, p->val[SCAN_VULNS], p->val[SCAN_CVES], p->val[SCAN_KEV_ONLY] != NULL, p->val[SCAN_AS_OF], &a->tab) !=
        0)
        return -1;
    a->o.builds = &a->tab;
    /* a stale table turns new builds into "undetermined": say so once */
    long age = exr_buildtab_age_days(&a->tab, (long long)time(NULL));
    if (age < 0 || age > 90)
        fprintf(stderr, "exray scan: warning: the build table %s%s%s; builds released since are undetermined; see exray builds --check\n",
                file ? file : "(built in)", age < 0 ? " has no table-date" : " was last checked on ", age < 0 ? "" : a->tab.table_date);
    return 0;
}

/* --resume: the store's unfinished scan, its seed and shard, and the hosts it has done.
 * Returns 1 when found, 0 when there is none, -1 on error. */
static int resume_scan(scan_args *a, scan_ctx *sc, const char *shard)
{
    exr_err e = {0, ""};
    uint64_t seed;
    char oldshard[32];
    int found = exr_store_scan_unfinished(sc->store, a->scan_name, a->have_shard ? shard : NULL, &sc->scan_id, &seed, oldshard,
                                          sizeof oldshard, &e);
    if (found < 0)
        return FAIL("%s", e.msg);
    if (!found) {
        if (!a->quiet)
            fprintf(stderr, "exray scan: --resume: no unfinished scan in %s; starting a new one\n", a->dbshown);
        return 0;
    }
    if (a->have_shard && strcmp(oldshard, shard) != 0)
        return FAIL("--resume: the unfinished scan was shard %s, not %s", oldshard, shard);
    /* the same target set, or the scan would be marked finished over hosts it never had */
    char oldargs[2048], olddigest[80], digest[65];
    if (exr_store_scan_info(sc->store, sc->scan_id, oldargs, sizeof oldargs, olddigest, sizeof olddigest, &e) != 0)
        return FAIL("%s", e.msg);
    exr_targets_digest(&a->t, digest);
    if (olddigest[0] && strcmp(olddigest, digest) != 0)
        return FAIL("--resume: the unfinished scan %lld was started with other targets or ports (%s); give the same ones, or start a "
                    "new scan without --resume",
                    (long long)sc->scan_id, oldargs);
    uint32_t i, n;
    if (exr_shard_parse(oldshard, &i, &n)) {
        a->o.shard = i;
        a->o.shards = n;
    }
    a->o.seed = seed;
    a->have_seed = true;
    if (exr_store_scan_keys(sc->store, sc->scan_id, load_key, sc, &e) != 0)
        return FAIL("%s", e.msg);
    sc->resuming = true;
    if (!a->quiet)
        fprintf(stderr, "exray scan: resuming scan %lld, %zu hosts already done\n", (long long)sc->scan_id, sc->done.n);
    return 1;
}

/* A new shard of a named scan: same seed and N as the shards before it, and not one that
 * is already there. */
static int check_shard(scan_args *a, scan_ctx *sc, const char *shard)
{
    exr_err e = {0, ""};
    int n, nshards;
    uint64_t seed = 0;
    bool finished;
    if (exr_store_scan_shards(sc->store, a->scan_name, shard, &n, &nshards, &seed, &finished, &e) != 0)
        return FAIL("%s", e.msg);
    if (!n)
        return 0;
    if ((unsigned)nshards != a->o.shards || (a->have_seed && seed != a->o.seed))
        return FAIL("--scan-name %s was started as %d shards with seed %llu: give the same --shard I/%d and --seed", a->scan_name, nshards,
                    (unsigned long long)seed, nshards);
    a->o.seed = seed;
    a->have_seed = true;
    if (finished)
        return FAIL("shard %s of %s has already finished", shard, a->scan_name);
    int64_t id;
    char old[32];
    int open = exr_store_scan_unfinished(sc->store, a->scan_name, shard, &id, &seed, old, sizeof old, &e);
    if (open != 0)
        return open < 0 ? FAIL("%s", e.msg) : FAIL("shard %s of %s is unfinished: continue it with --resume", shard, a->scan_name);
    return 0;
}

static int open_store(scan_args *a, scan_ctx *sc, int argc, char **argv)
{
    exr_err e = {0, ""};
    if (exr_store_open_waiting(&sc->store, a->dbpath, a->db_timeout, &e) != 0)
        return FAIL("%s", e.msg);
    /* the rows this scan adds and those already there: judged by the same tables */
    if (exr_cli_restate("scan", sc->store, &a->tab) != 0)
        return -1;
    char shard[32];
    snprintf(shard, sizeof shard, "%u/%u", a->o.shard, a->o.shards);
    int found = a->resume ? resume_scan(a, sc, shard) : 0;
    if (found != 0)
        return found < 0 ? -1 : 0;
    if (a->scan_name && check_shard(a, sc, shard) != 0)
        return -1;
    if (!a->have_seed)
        a->o.seed = random_seed();
    a->have_seed = true;
    exr_buf args;
    exr_buf_init(&args);
    for (int i = 1; i < argc; i++) {
        /* a --db URI's password is never stored */
        const char *v = strncmp(argv[i], "--db=", 5) == 0 ? argv[i] + 5 : argv[i];
        char shown[4096];
        exr_store_redact(v, shown, sizeof shown);
        if (i > 1)
            exr_buf_addc(&args, ' ');
        if (v != argv[i])
            exr_buf_adds(&args, "--db=");
        exr_buf_adds(&args, shown); /* never the raw text: a long --db is cut, not shown whole */
    }
    char digest[65];
    exr_targets_digest(&a->t, digest);
    int brc = exr_store_scan_begin(sc->store, args.p, a->o.seed, shard, a->scan_name, digest, &sc->scan_id, &e);
    exr_buf_free(&args);
    return brc != 0 ? FAIL("%s", e.msg) : 0;
}

static int open_output(const scan_args *a, scan_ctx *sc)
{
    sc->out = stdout;
    if (a->outpath && strcmp(a->outpath, "-") != 0 && !(sc->out = exr_open_output(a->outpath, sc->resuming)))
        return FAIL("%s: %s", a->outpath, strerror(errno));
    if (a->fmt == FMT_CSV && !(sc->resuming && a->outpath)) {
        exr_buf h;
        exr_buf_init(&h);
        exr_result_csv_header(&h);
        fwrite(h.p, 1, h.len, sc->out);
        exr_buf_free(&h);
    }
    return 0;
}

/* The scan itself, with signals handled and the progress line drawn. 0 or 2. */
static int execute(scan_args *a, scan_ctx *sc, exr_scan_progress *pr, int64_t *elapsed)
{
    a->o.on_result = on_result;
    a->o.skip = skip_cb;
    a->o.ctx = sc;
    a->o.stop = &stop_flag;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    prog_args pa = {sc, pr, exr_now_ms(), 0};
    pthread_t pth;
    bool show = !a->quiet && isatty(2);
    if (show && pthread_create(&pth, NULL, progress_main, &pa) != 0)
        show = false; /* no progress line, the scan all the same */
    exr_err e = {0, ""};
    int64_t t0 = exr_now_ms();
    int srun = exr_scan_run(&a->t, &a->o, pr, &e);
    *elapsed = exr_now_ms() - t0;
    if (show) {
        pa.quit = 1;
        pthread_join(pth, NULL);
        exr_progress_clear();
    }
    if (srun != 0)
        fprintf(stderr, "exray scan: %s\n", e.msg);
    return srun != 0 ? 2 : 0;
}

/* The last batch committed and, unless interrupted, the scan marked finished. 0 or 2. */
static int finish_store(scan_ctx *sc)
{
    exr_err e = {0, ""};
    if (sc->store_failed) {
        fprintf(stderr, "exray scan: store: %s\n", sc->store_err.msg);
        return 2;
    }
    if (exr_store_commit(sc->store, &e) != 0 || (!stop_flag && exr_store_scan_finish(sc->store, sc->scan_id, &e) != 0)) {
        fprintf(stderr, "exray scan: %s\n", e.msg);
        return 2;
    }
    return 0;
}

/* The states of the Exchange servers found (exposure.h), the known exploited, and the CVEs
 * open on most of them. */
static void print_states(const scan_ctx *sc)
{
    fprintf(stderr, "\n  states of the %llu Exchange servers (every CVE of the table):", (unsigned long long)sc->exchange);
    for (int i = EXR_NSTATE - 1; i >= 0; i--)
        fprintf(stderr, " %s %llu", exr_state_names[i], (unsigned long long)sc->states[i]);
    uint64_t p = sc->states[EXR_S_PATCHED] + sc->states[EXR_S_NOT_AFFECTED];
    fprintf(stderr, "\n  patched: %.1f%% of the Exchange servers; open to a known exploited (CISA KEV) CVE: %llu\n",
            sc->exchange ? 100.0 * (double)p / (double)sc->exchange : 0.0, (unsigned long long)sc->kev_hosts);
    if (!sc->per_cve)
        return;
    /* the five CVEs open on most servers (a CVE with two rows counts once per row) */
    bool shown[EXR_MAX_CVES * 2] = {false};
    size_t n = sc->vt->n < EXR_MAX_CVES * 2 ? sc->vt->n : EXR_MAX_CVES * 2;
    for (int k = 0; k < 5; k++) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (!shown[i] && sc->per_cve[i] && (best == n || sc->per_cve[i] > sc->per_cve[best]))
                best = i;
        if (best == n)
            break;
        shown[best] = true;
        const exr_vuln *v = &sc->vt->v[best];
        fprintf(stderr, "%s %s %llu%s", k ? "," : "  most open:", v->cve, (unsigned long long)sc->per_cve[best], v->kev[0] ? " (KEV)" : "");
    }
    fputc('\n', stderr);
}

/* The campaigns, a view over the same CVEs. */
static void print_verdicts(const scan_ctx *sc)
{
    fprintf(stderr, "\n  %-14s %10s %8s %12s %12s %9s\n", "campaign", "vulnerable", "patched", "undetermined", "not-affected", "patched%");
    for (int s = 0; s < EXR_NSETS; s++) {
        uint64_t v = sc->verdicts[s][EXR_V_VULNERABLE], p = sc->verdicts[s][EXR_V_PATCHED], u = sc->verdicts[s][EXR_V_UNDETERMINED],
                 na = sc->verdicts[s][EXR_V_NOT_AFFECTED];
        uint64_t base = v + p + u;
        char pct[16] = "-";
        if (base)
            snprintf(pct, sizeof pct, "%.1f%%", 100.0 * (double)p / (double)base);
        fprintf(stderr, "  %-14s %10llu %8llu %12llu %12llu %9s\n", exr_vset_name[s], (unsigned long long)v, (unsigned long long)p,
                (unsigned long long)u, (unsigned long long)na, pct);
    }
}

static void print_summary(const scan_args *a, const scan_ctx *sc, exr_scan_progress *pr, int64_t elapsed)
{
    double secs = (double)elapsed / 1000.0;
    fprintf(stderr, "exray scan: %llu hosts scanned in %.1fs (%.0f hosts/s)%s; %llu Exchange servers found\n", (unsigned long long)sc->n,
            secs, secs > 0 ? (double)sc->n / secs : 0.0, stop_flag ? " [interrupted: --resume continues]" : "",
            (unsigned long long)sc->exchange);
    if (atomic_load(&pr->skipped))
        fprintf(stderr, "  %llu hosts skipped: already in the store (resume)\n", (unsigned long long)atomic_load(&pr->skipped));
    if (a->t.blocked)
        fprintf(stderr, "  %llu addresses excluded by blocklists\n", (unsigned long long)a->t.blocked);
    fprintf(stderr, "  status:");
    for (int i = 0; i < EXR_NSTATUS; i++)
        if (sc->by_status[i])
            fprintf(stderr, " %s %llu", exr_status_name[i], (unsigned long long)sc->by_status[i]);
    print_states(sc);
    print_verdicts(sc);
    if (a->o.probe_webshells)
        fprintf(stderr, "  hosts answering a published web-shell path: %llu\n", (unsigned long long)sc->webshell_hosts);
    if (a->dbpath)
        fprintf(stderr, "  stored as scan %lld in %s\n", (long long)sc->scan_id, a->dbshown);
}

/* Store, output, the scan, the summary. */
static int scan_run(scan_args *a, int argc, char **argv)
{
    scan_ctx sc;
    memset(&sc, 0, sizeof sc);
    pthread_mutex_init(&sc.mu, NULL);
    exr_keyset_init(&sc.done);
    exr_buf_init(&sc.line);
    exr_buf_init(&sc.json);
    sc.fmt = a->fmt;
    sc.vt = a->tab.vulns;
    if (sc.vt && sc.vt->n)
        sc.per_cve = exr_xcalloc(sc.vt->n, sizeof *sc.per_cve);
    int rc = 2;
    if ((!a->dbpath || open_store(a, &sc, argc, argv) == 0) && open_output(a, &sc) == 0) {
        if (!a->have_seed)
            a->o.seed = random_seed();
        exr_scan_progress pr;
        memset(&pr, 0, sizeof pr);
        int64_t elapsed = 0;
        rc = execute(a, &sc, &pr, &elapsed);
        if (sc.store && finish_store(&sc) != 0)
            rc = 2;
        if (rc == 0 && stop_flag)
            rc = 1; /* interrupted: not every target was scanned */
        print_summary(a, &sc, &pr, elapsed);
    }
    if (sc.out && sc.out != stdout)
        fclose(sc.out);
    else
        fflush(stdout);
    exr_store_close(sc.store);
    exr_keyset_free(&sc.done);
    free(sc.per_cve);
    exr_buf_free(&sc.line);
    exr_buf_free(&sc.json);
    return rc;
}

int exr_cmd_scan(int argc, char **argv)
{
    exr_parsed p;
    int pr = exr_opts_parse(SPEC, argc, argv, &p);
    if (pr != EXR_PARSE_OK)
        return pr == EXR_PARSE_HELP ? 0 : 2;
    scan_args a;
    memset(&a, 0, sizeof a);
    exr_targets_init(&a.t);
    int rc = 2;
    /* the tables first: a rescan selects its hosts by the states they give */
    if (validate_pace(&p, &a) == 0 && validate_output(&p, &a) == 0 && load_builds(&p, &a) == 0) {
        int lt = load_targets(&p, &a);
        if (lt == 1)
            rc = 0;
        else if (lt == 0)
            rc = scan_run(&a, argc, argv);
        exr_buildtab_free(&a.tab);
    }
    exr_targets_free(&a.t);
    return rc;
}
