/* notify.c: see notify.h: templates, and delivery (plan.c plans). Isolation is structural:
 * a ticket is keyed by its recipient and its message lists exactly the directives of that
 * ticket, each of which was created for a host that resolved to that recipient. */
#include "notify.h"
#include "loop.h"
#include "../core/buf.h"
#include "../core/csv.h"
#include "../core/timefmt.h"
#include "mime.h"
#include "state.h"
#include "../exchange/exposure.h"
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include "../core/keyset.h"
#include "../store/sql.h"
#include "../scan/record.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const unsigned char exr_data_tpl_compromised[], exr_data_tpl_vulnerable[], exr_data_tpl_undetermined[], exr_data_tpl_pae[],
    exr_data_tpl_eol[], exr_data_tpl_patched[], exr_data_tpl_reminder[], exr_data_tpl_escalation[], exr_data_tpl_resolved[];
extern const size_t exr_data_tpl_compromised_len, exr_data_tpl_vulnerable_len, exr_data_tpl_undetermined_len, exr_data_tpl_pae_len,
    exr_data_tpl_eol_len, exr_data_tpl_patched_len, exr_data_tpl_reminder_len, exr_data_tpl_escalation_len, exr_data_tpl_resolved_len;

const char *const exr_state_name[EXR_NSTATES] = {"patched",      "end-of-life", "patched-after-exposure",
                                                 "undetermined", "vulnerable",  "compromised"};
const char *const exr_template_name[EXR_NTEMPLATES] = {
    "patched", "end-of-life", "patched-after-exposure", "undetermined", "vulnerable", "compromised", "reminder", "escalation", "resolved"};

#ifdef EXRAY_TEST_HOOKS
void (*exr_notify_hook)(const char *where);

/* The points of delivery (claim, write, rename, delivered, commit, before-data, after-250)
 * where the test build's hook may stop the process, as kill -9 would in the field. */
void exr_notify_test_point(const char *where)
{
    if (exr_notify_hook)
        exr_notify_hook(where);
}
#endif

int exr_notify_load_templates(exr_notify_opts *o, const char *dir, exr_err *e)
{
    const unsigned char *builtin[EXR_NTEMPLATES] = {exr_data_tpl_patched,      exr_data_tpl_eol,        exr_data_tpl_pae,
                                                    exr_data_tpl_undetermined, exr_data_tpl_vulnerable, exr_data_tpl_compromised,
                                                    exr_data_tpl_reminder,     exr_data_tpl_escalation, exr_data_tpl_resolved};
    const size_t builtin_len[EXR_NTEMPLATES] = {exr_data_tpl_patched_len,      exr_data_tpl_eol_len,        exr_data_tpl_pae_len,
                                                exr_data_tpl_undetermined_len, exr_data_tpl_vulnerable_len, exr_data_tpl_compromised_len,
                                                exr_data_tpl_reminder_len,     exr_data_tpl_escalation_len, exr_data_tpl_resolved_len};
    for (int i = 0; i < EXR_NTEMPLATES; i++) {
        char name[600];
        snprintf(name, sizeof name, "%s/%s.txt", dir ? dir : "data/templates (built in)", exr_template_name[i]);
        /* a folder written before the follow-up kinds existed keeps working */
        if (!dir || (i >= EXR_NSTATES && access(name, F_OK) != 0 && errno == ENOENT)) {
            if (exr_template_parse(&o->templates[i], exr_template_name[i], (const char *)builtin[i], builtin_len[i], e) != 0)
                return -1;
            continue;
        }
        exr_buf b;
        exr_buf_init(&b);
        if (exr_read_file(name, 1u << 20, &b) != 0) {
            int err = errno;
            exr_buf_free(&b);
            return exr_seterr(e, EXR_EIO, "%s: %s", name, strerror(err));
        }
        int rc = exr_template_parse(&o->templates[i], name, b.p, b.len, e);
        exr_buf_free(&b);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* The index of a name in a name table (states, templates), or -1. */
static int name_index(const char *const *names, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

/* EXR_ST_* of a state's name, EXR_ST_VULN when none (a follow-up lists open CVEs). */
static int exr_state_index(const char *name)
{
    int i = name_index(exr_state_name, EXR_NSTATES, name);
    return i < 0 ? EXR_ST_VULN : i;
}

/* Writes the message as new/<ticket>.eml through tmp/: a ticket already in new/ or cur/
 * was delivered by an earlier, interrupted run. Returns 1 delivered now, 0 already, -1. */
static int maildir_deliver(const char *dir, const char *ticket, const exr_buf *msg, exr_err *e)
{
    char sub[3][1024], fin[1100], cur[1100], tmp[1100];
    const char *names[3] = {"tmp", "new", "cur"};
    mkdir(dir, 0700);
    for (int i = 0; i < 3; i++) {
        snprintf(sub[i], sizeof sub[i], "%s/%s", dir, names[i]);
        if (mkdir(sub[i], 0700) != 0 && errno != EEXIST)
            return exr_seterr(e, EXR_EIO, "%s: %s", sub[i], strerror(errno));
    }
    snprintf(fin, sizeof fin, "%s/%s.eml", sub[1], ticket);
    snprintf(cur, sizeof cur, "%s/%s.eml:2,S", sub[2], ticket);
    struct stat st;
    if (stat(fin, &st) == 0 || stat(cur, &st) == 0)
        return 0;
    snprintf(tmp, sizeof tmp, "%s/%s.%d", sub[0], ticket, (int)getpid());
    exr_notify_test_point("write");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return exr_seterr(e, EXR_EIO, "%s: %s", tmp, strerror(errno));
    size_t off = 0;
    while (off < msg->len) {
        ssize_t w = write(fd, msg->p + off, msg->len - off);
        if (w <= 0) {
            close(fd);
            unlink(tmp);
            return exr_seterr(e, EXR_EIO, "%s: %s", tmp, strerror(errno));
        }
        off += (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        unlink(tmp);
        return exr_seterr(e, EXR_EIO, "%s: %s", tmp, strerror(errno));
    }
    exr_notify_test_point("rename");
    if (link(tmp, fin) != 0 && errno != EEXIST) {
        unlink(tmp);
        return exr_seterr(e, EXR_EIO, "%s: %s", fin, strerror(errno));
    }
    unlink(tmp);
    /* the new name must survive a power loss before the store says "sent" */
    int dfd = open(sub[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fsync(dfd) != 0) {
        int err = errno;
        if (dfd >= 0)
            close(dfd);
        return exr_seterr(e, EXR_EIO, "%s: fsync: %s", sub[1], strerror(err));
    }
    close(dfd);
    return 1;
}

/* True if the Maildir holds this ticket's message (new/ or already read in cur/). */
static bool maildir_has(const char *dir, const char *ticket)
{
    char fin[1100], cur[1100];
    struct stat st;
    snprintf(fin, sizeof fin, "%s/new/%s.eml", dir, ticket);
    snprintf(cur, sizeof cur, "%s/cur/%s.eml:2,S", dir, ticket);
    return stat(fin, &st) == 0 || stat(cur, &st) == 0;
}

/* Per-destination-domain pacing: the next time a message may go to each domain. */
typedef struct pace {
    char domain[256];
    int64_t next_ms;
} pace;
static pace paces[256];
static int npaces;

static void wait_for_domain(const char *rcpt, double per_minute)
{
    if (per_minute <= 0)
        return;
    const char *dom = strchr(rcpt, '@');
    dom = dom ? dom + 1 : rcpt;
    int i;
    for (i = 0; i < npaces; i++)
        if (strcmp(paces[i].domain, dom) == 0)
            break;
    if (i == npaces) {
        if (npaces == 256)
            i = 0; /* a full table only loses pacing precision, never correctness */
        else
            npaces++;
        snprintf(paces[i].domain, sizeof paces[i].domain, "%s", dom);
        paces[i].next_ms = 0;
    }
    int64_t now = exr_now_ms();
    if (paces[i].next_ms > now) {
        int64_t d = paces[i].next_ms - now;
        struct timespec ts = {(time_t)(d / 1000), (long)(d % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        now = paces[i].next_ms;
    }
    paces[i].next_ms = now + (int64_t)(60000.0 / per_minute);
}

/* 1 delivered, -1 failed after retries (temporary), -3 refused for good (5xx), -4 unknown
 * (never retried), -2 the server setup fails every message (e says why). */
typedef void (*submit_cb)(void *ctx);

static int smtp_deliver(const exr_notify_opts *o, const char *rcpt, const exr_buf *msg, submit_cb before, void *ctx, exr_err *e)
{
    long backoff_ms = 1000;
    for (int attempt = 0;; attempt++) {
        wait_for_domain(rcpt, o->domain_rate);
        before(ctx);
        int r = exr_smtp_send(o->smtp, o->from, rcpt, msg, e);
        if (r == EXR_SMTP_OK)
            return 1;
        if (r == EXR_SMTP_UNCERTAIN)
            return -4;
        if (r == EXR_SMTP_SETUP)
            return -2;
        if (r == EXR_SMTP_PERMFAIL)
            return -3;
        if (attempt >= o->retries)
            return -1;
        struct timespec ts = {backoff_ms / 1000, (backoff_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        backoff_ms *= 2;
    }
}

/* The first max strings of the array under key in a stored scan record (which exray wrote),
 * each shorter than len bytes; a string with an escape ends the list. How many. */
static int record_strings(const char *rec, const char *key, char *out, int max, size_t len)
{
    char k[64];
    snprintf(k, sizeof k, "\"%s\":[", key);
    const char *p = rec ? strstr(rec, k) : NULL;
    int n = 0;
    for (p = p ? p + strlen(k) : NULL; p && *p == '"' && n < max;) {
        size_t l = strcspn(p + 1, "\"\\");
        if (p[1 + l] != '"' || l >= len)
            break;
        snprintf(out + (size_t)n++ * len, len, "%.*s", (int)l, p + 1);
        p = p[2 + l] == ',' ? p + 3 + l : NULL;
    }
    return n;
}

static void csv_row(exr_buf *csv, exr_stmt *st, const exr_build_info *c)
{
    /* timestamp,severity,ip,protocol,port,hostname,tag,asn,geo,region,city,naics,hostname_source,sector,version,servername,url */
    const char *state = exr_stmt_text(st, 0);
    char t[32] = "";
    const char *tm = exr_stmt_text(st, 4);
    if (tm && strlen(tm) >= 19)
        snprintf(t, sizeof t, "%.10s %.8s", tm, tm + 11);
    /* what scan -F csv writes: the state's severity and the open CVEs, by the tables in use;
     * an observation they cannot classify keeps the CVEs its record listed (a feed's) */
    int st_model = exr_state_parse(state);
    if (state && strcmp(state, "patched-after-exposure") == 0)
        st_model = EXR_S_PATCHED;
    char ids[EXR_MAX_ASSERTED][24];
    int nids = c ? 0 : record_strings(exr_stmt_text(st, 12), "open_cves", ids[0], EXR_MAX_ASSERTED, sizeof ids[0]);
    const exr_cve_verdicts *cv = c ? &c->cves : NULL;
    char tagbuf[(EXR_MAX_CVES + EXR_MAX_ASSERTED) * 18];
    const char *sev, *tag = exr_shadow_tag(st_model < 0 ? EXR_S_VULNERABLE : st_model, cv ? cv->open : NULL, cv ? cv->nopen : 0,
                                           (const char(*)[24])ids, nids, cv ? cv->nkev : 0, tagbuf, sizeof tagbuf, &sev);
    exr_csv_put(csv, t, 1);
    exr_csv_put(csv, sev, 0);
    exr_csv_put(csv, exr_stmt_text(st, 1), 0);
    exr_csv_put(csv, "tcp", 0);
    exr_csv_put(csv, exr_stmt_text(st, 2), 0);
    exr_buf clean;
    exr_buf_init(&clean);
    const char *hn = exr_stmt_text(st, 3) ? exr_stmt_text(st, 3) : "";
    exr_text_clean(hn, strlen(hn), &clean);
    for (size_t i = 0; i < clean.len; i++)
        if (clean.p[i] == '\n' || clean.p[i] == '\t')
            clean.p[i] = ' ';
    exr_csv_put(csv, clean.p ? clean.p : "", 0);
    exr_csv_put(csv, tag, 0);
    exr_csv_put(csv, exr_stmt_text(st, 8), 0);
    exr_csv_put(csv, exr_stmt_text(st, 9), 0);
    for (int i = 0; i < 3; i++) /* region, city, naics */
        exr_csv_put(csv, "", 0);
    exr_csv_put(csv, hn[0] ? "target" : "", 0);
    exr_csv_put(csv, "", 0); /* sector */
    exr_csv_put(csv, exr_stmt_text(st, 5), 0);
    exr_buf_reset(&clean);
    const char *sn = exr_stmt_text(st, 6) ? exr_stmt_text(st, 6) : "";
    exr_text_clean(sn, strlen(sn), &clean);
    exr_csv_put(csv, clean.p ? clean.p : "", 0);
    /* url: the first web shell the probe found, as scan -F csv writes it */
    char url[256] = "";
    if (st_model == EXR_S_COMPROMISED)
        record_strings(exr_stmt_text(st, 12), "found", url, 1, sizeof url);
    exr_csv_put(csv, url, 0);
    exr_buf_addc(csv, '\n');
    exr_buf_free(&clean);
}

/* Sets a ticket's state (and its send time when sent) in its own statement. */
/* sent_at: when it went out, on the run's clock (--now shifts it as it shifts planning). */
static int set_state(exr_db *db, const char *ticket, const char *state, const char *delivery, bool sent, int64_t offset_us, exr_err *e)
{
    exr_stmt *st;
    if (exr_db_prepare(db,
                       "UPDATE tickets SET state = ?, delivery = ?, sent_at = CASE WHEN ? = 1 THEN ? ELSE sent_at END,"
                       " lease_until = NULL WHERE id = ?",
                       &st) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "ticket state");
    char now[EXR_TSTAMP_LEN];
    exr_time_stamp(exr_clock_us() + offset_us, now, sizeof now);
    exr_stmt_bind_text(st, 1, state);
    exr_stmt_bind_text(st, 2, delivery);
    exr_stmt_bind_int(st, 3, sent);
    exr_stmt_bind_text(st, 4, now);
    exr_stmt_bind_text(st, 5, ticket);
    int rc = exr_stmt_step(st);
    exr_stmt_finalize(st);
    return rc == EXR_SQL_DONE ? 0 : exr_db_seterr(db, e, "ticket state");
}

/* Tickets left 'sending' by a run that stopped (its lease expired): a Maildir delivery is
 * decided by the file (there: sent; absent: it cannot have happened, pending again); an
 * SMTP delivery cannot be decided here, so it becomes 'uncertain' for an operator. */
/* This machine and boot: the kernel's random boot id (unique per boot of any machine, unlike
 * a host name, which two machines may share). "" when unknown. */
static void boot_id(char *out, size_t n)
{
    out[0] = 0;
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
    if (!f)
        return;
    if (fgets(out, (int)n, f))
        out[strcspn(out, "\r\n")] = 0;
    fclose(f);
}

/* A run's identity, recorded with each claim: boot id, pid, and 64 random bits, so that no
 * other run, here or on another machine, can take it for its own. */
static void make_run_id(char *out, size_t n)
{
    char boot[64];
    boot_id(boot, sizeof boot);
    unsigned char r[8] = {0};
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f || fread(r, 1, sizeof r, f) != sizeof r) {
        int64_t t = exr_clock_us() ^ ((int64_t)getpid() << 40);
        memcpy(r, &t, sizeof r);
    }
    if (f)
        fclose(f);
    snprintf(out, n, "%s:%d:%02x%02x%02x%02x%02x%02x%02x%02x", boot[0] ? boot : "unknown-boot", (int)getpid(), r[0], r[1], r[2], r[3], r[4],
             r[5], r[6], r[7]);
}

/* The run that claimed a ticket is gone: its lease ran out, or it ran on this machine in
 * this boot (the same boot id) and its process no longer exists (a crash or kill -9 need
 * not wait for the lease). A claim from another machine waits for its lease. */
static bool claim_abandoned(const char *run_id, const char *lease, const char *now)
{
    if (!lease || strcmp(lease, now) < 0)
        return true;
    char boot[64];
    boot_id(boot, sizeof boot);
    size_t bl = strlen(boot);
    if (!bl || !run_id || strncmp(run_id, boot, bl) != 0 || run_id[bl] != ':')
        return false;
    long pid = strtol(run_id + bl + 1, NULL, 10);
    return pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

static int recover_expired(exr_db *db, exr_notify_stats *stt, int64_t off, exr_err *e)
{
    char now[EXR_TSTAMP_LEN];
    exr_time_stamp(exr_clock_us(), now, sizeof now);
    exr_stmt *st;
    if (exr_db_prepare(db, "SELECT id, delivery, run_id, lease_until FROM tickets WHERE state = 'sending'", &st) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "expired leases");
    typedef struct {
        char id[32], via[600];
    } exp_t;
    exp_t *x = NULL;
    size_t n = 0, cap = 0;
    int src;
    while ((src = exr_stmt_step(st)) == EXR_SQL_ROW) {
        if (!claim_abandoned(exr_stmt_text(st, 2), exr_stmt_text(st, 3), now))
            continue;
        if (n == cap)
            x = exr_xrealloc(x, (cap = cap ? cap * 2 : 16) * sizeof *x);
        snprintf(x[n].id, sizeof x[n].id, "%s", exr_stmt_text(st, 0) ? exr_stmt_text(st, 0) : "");
        snprintf(x[n].via, sizeof x[n].via, "%s", exr_stmt_text(st, 1) ? exr_stmt_text(st, 1) : "");
        n++;
    }
    exr_stmt_finalize(st);
    if (src != EXR_SQL_DONE) {
        free(x);
        return exr_db_seterr(db, e, "expired leases");
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (strncmp(x[i].via, "sending: maildir:", 17) == 0) {
            if (maildir_has(x[i].via + 17, x[i].id)) {
                rc = set_state(db, x[i].id, "sent", "maildir (found delivered after an interrupted run)", true, off, e);
                stt->already_delivered++;
            } else {
                rc = set_state(db, x[i].id, "pending", "pending again: the interrupted run had not delivered it", false, off, e);
            }
        } else if (!strstr(x[i].via, "(submitting)")) {
            /* stopped while waiting its turn (pacing), before any SMTP transaction */
            rc = set_state(db, x[i].id, "pending", "pending again: the interrupted run had not started submitting it", false, off, e);
        } else {
            char why[700];
            snprintf(why, sizeof why,
                     "uncertain: the run submitting it over SMTP stopped (%.500s); check the mail server's log, "
                     "then exray notify --resolve %s sent|resend",
                     x[i].via, x[i].id);
            rc = set_state(db, x[i].id, "uncertain", why, false, off, e);
            stt->uncertain++;
        }
    }
    free(x);
    return rc;
}

/* Claims the next pending ticket for this run, in one transaction: a concurrent run never
 * claims the same one. 1 claimed, 0 none left, -1 error. */
static int claim_next(exr_db *db, const exr_notify_opts *o, const char *run_id, char *ticket, char *recipient, char *org, char *tpl,
                      char *refs, exr_err *e)
{
    /* SQLite: one writer at a time; PostgreSQL: the row is locked and a concurrent run skips
     * it, so several workers claim different tickets at once */
    bool pg = exr_db_kind(db) == EXR_DB_PG;
    if ((pg ? exr_db_begin(db) : exr_db_begin_exclusive(db)) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "claim");
    exr_stmt *sel = NULL, *upd = NULL;
    int rc = -1;
    /* a ticket this run already tried (a temporary failure put it back) waits for the next run */
    if (exr_db_prepare(
            db,
            pg ? "SELECT id, recipient, org, template, refs FROM tickets WHERE state = 'pending' AND (run_id IS NULL OR run_id <> ?)"
                 " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
               : "SELECT id, recipient, org, template, refs FROM tickets WHERE state = 'pending' AND (run_id IS NULL OR run_id <> ?)"
                 " ORDER BY id LIMIT 1",
            &sel) != EXR_SQL_OK ||
        exr_db_prepare(db,
                       "UPDATE tickets SET state = 'sending', run_id = ?, lease_until = ?, delivery = ? WHERE id = ? AND state = 'pending'",
                       &upd) != EXR_SQL_OK) {
        exr_db_seterr(db, e, "claim");
        goto out;
    }
    exr_stmt_bind_text(sel, 1, run_id);
    int step = exr_stmt_step(sel);
    if (step == EXR_SQL_DONE) {
        rc = 0;
        goto out;
    }
    if (step != EXR_SQL_ROW) {
        exr_db_seterr(db, e, "claim");
        goto out;
    }
    snprintf(ticket, 32, "%s", exr_stmt_text(sel, 0));
    snprintf(recipient, 256, "%s", exr_stmt_text(sel, 1));
    snprintf(org, 256, "%s", exr_stmt_text(sel, 2) && *exr_stmt_text(sel, 2) ? exr_stmt_text(sel, 2) : "network owner");
    snprintf(tpl, 32, "%s", exr_stmt_text(sel, 3));
    snprintf(refs, 200, "%s", exr_stmt_text(sel, 4) ? exr_stmt_text(sel, 4) : "");
    char lease[32], via[1100];
    exr_time_stamp(exr_clock_us() + (int64_t)o->lease_s * 1000000, lease, sizeof lease);
    snprintf(via, sizeof via, "sending: %s%s", o->smtp ? "smtp:" : "maildir:", o->smtp ? o->smtp->url : o->maildir);
    exr_stmt_bind_text(upd, 1, run_id);
    exr_stmt_bind_text(upd, 2, lease);
    exr_stmt_bind_text(upd, 3, via);
    exr_stmt_bind_text(upd, 4, ticket);
    if (exr_stmt_step(upd) != EXR_SQL_DONE || exr_stmt_changes(upd) != 1) {
        exr_db_seterr(db, e, "claim");
        goto out;
    }
    rc = 1;
out:
    exr_stmt_finalize(sel);
    exr_stmt_finalize(upd);
    if (exr_db_exec(db, rc >= 0 ? "COMMIT" : "ROLLBACK") != EXR_SQL_OK && rc >= 0)
        rc = exr_db_seterr(db, e, "commit claim");
    if (rc == 1)
        exr_notify_test_point("claim");
    return rc;
}

/* Control characters of a name shown in a message body are written as escapes, so a
 * hostname or an organisation cannot start a line of its own. */
static void body_safe(const char *in, char *out, size_t n)
{
    size_t k = 0;
    for (; in && *in && k + 5 < n; in++) {
        unsigned char c = (unsigned char)*in;
        if (c < 0x20 || c == 0x7f) {
            k += (size_t)snprintf(out + k, n - k, c == '\r' ? "\\r" : c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\x%02x", c);
        } else {
            out[k++] = (char)c;
        }
    }
    out[k] = 0;
}

/* Builds one ticket's message (body, hosts list, CSV attachment). */
/* The campaign sets a directive's stored verdicts name (a build the tables do not know). */
static void note_stored_sets(exr_stmt *dirs, char *sets, size_t n)
{
    const char *vs[3] = {exr_stmt_text(dirs, 7), exr_stmt_text(dirs, 10), exr_stmt_text(dirs, 11)};
    const char *vn[3] = {"ProxyLogon", "ProxyShell", "ProxyNotShell"};
    for (int k = 0; k < 3; k++)
        if (vs[k] && strcmp(vs[k], "vulnerable") == 0 && !strstr(sets, vn[k])) {
            size_t l = strlen(sets);
            snprintf(sets + l, n - l, "%s%s", l ? ", " : "", vn[k]);
        }
}

/* What one host of a ticket adds to ${cves} and ${support}. */
static void note_host(const exr_buildtab *tab, const exr_build_info *c, int state, exr_cve_notes *notes, char *support, size_t n)
{
    if (state == EXR_ST_VULN || state == EXR_ST_UNDET)
        exr_cve_notes_add(notes, tab, c, state == EXR_ST_UNDET);
    if (!c->cves.support || !c->product)
        return;
    char line[128];
    snprintf(line, sizeof line, "Exchange %s %s: %s%s%s", c->product, c->cu ? c->cu : "", c->cves.support,
             c->cves.support_since ? " since " : "", c->cves.support_since ? c->cves.support_since : "");
    size_t l = strlen(support);
    if (!strstr(support, line) && l + strlen(line) + 3 < n)
        snprintf(support + l, n - l, "%s%s", l ? "; " : "", line);
}

typedef struct notice {
    const char *ticket, *recipient, *org;
    int tpl_index; /* a state (first notice) or a follow-up's EXR_TPL_* */
    const char *tpl, *refs;
} notice;

/* ${first_ticket}, ${first_sent} and ${changes} of a follow-up: its first notice, and how
 * many of the recipient's hosts have been resolved since. */
static void followup_vars(exr_db *db, const notice *n, char *first, char *sent, char *changes, size_t len)
{
    snprintf(first, 32, "%.17s", n->refs);
    snprintf(sent, 32, "%s", "an earlier day");
    changes[0] = 0;
    exr_stmt *st;
    if (first[0] && exr_db_prepare(db, "SELECT COALESCE(sent_at, created) FROM tickets WHERE id = ?", &st) == EXR_SQL_OK) {
        exr_stmt_bind_text(st, 1, first);
        if (exr_stmt_step(st) == EXR_SQL_ROW && exr_stmt_text(st, 0))
            snprintf(sent, 32, "%.10s", exr_stmt_text(st, 0));
        exr_stmt_finalize(st);
    }
    /* an escalation goes to another contact than the case's own: its counts say nothing */
    if (n->tpl_index != EXR_TPL_ESCALATION && exr_db_prepare(db, CASE_COUNTS_SQL, &st) == EXR_SQL_OK) {
        exr_stmt_bind_text(st, 1, n->recipient);
        exr_stmt_bind_text(st, 2, n->recipient);
        if (exr_stmt_step(st) == EXR_SQL_ROW && exr_stmt_int(st, 1) > 0)
            snprintf(changes, len, "Since our first notice, %lld of your %lld servers %s no longer affected.",
                     (long long)exr_stmt_int(st, 1), (long long)exr_stmt_int(st, 0), exr_stmt_int(st, 1) == 1 ? "is" : "are");
        exr_stmt_finalize(st);
    }
}

/* What the directives of a ticket say: the host lines, the CSV, and the notes on them. */
typedef struct msgparts {
    exr_buf hosts, csv, cves;
    int nhosts;
    char last_seen[EXR_TSTAMP_LEN], host_state[32], sets[512], support[512];
} msgparts;

static void host_line(exr_stmt *dirs, int tpl_index, exr_buf *hosts)
{
    char hn[600] = "", build[64] = "", org[300] = "";
    body_safe(exr_stmt_text(dirs, 3), hn, sizeof hn);
    body_safe(exr_stmt_text(dirs, 5) ? exr_stmt_text(dirs, 5) : "unknown", build, sizeof build);
    if (tpl_index == EXR_TPL_ESCALATION && exr_stmt_text(dirs, 13))
        body_safe(exr_stmt_text(dirs, 13), org, sizeof org); /* whom the host's notices went to */
    exr_buf_printf(hosts, "  %s port %d%s%s  build %s%s%s%s\n", exr_stmt_text(dirs, 1), (int)exr_stmt_int(dirs, 2), hn[0] ? "  " : "", hn,
                   build, org[0] ? "  (" : "", org, org[0] ? ")" : "");
}

static void collect_parts(exr_stmt *dirs, const exr_notify_opts *o, exr_build_memo *memo, const notice *n, msgparts *mp)
{
    memset(mp, 0, sizeof *mp);
    exr_buf_init(&mp->hosts);
    exr_buf_init(&mp->csv);
    exr_buf_init(&mp->cves);
    exr_buf_adds(
        &mp->csv,
        "timestamp,severity,ip,protocol,port,hostname,tag,asn,geo,region,city,naics,hostname_source,sector,version,servername,url\n");
    exr_stmt_reset(dirs);
    exr_stmt_bind_text(dirs, 1, n->ticket);
    exr_cve_notes *notes = exr_xcalloc(1, sizeof *notes);
    exr_build_info *bi = exr_xcalloc(1, sizeof *bi);
    while (exr_stmt_step(dirs) == EXR_SQL_ROW) {
        mp->nhosts++;
        if (exr_stmt_text(dirs, 4) && strcmp(exr_stmt_text(dirs, 4), mp->last_seen) > 0)
            snprintf(mp->last_seen, sizeof mp->last_seen, "%s", exr_stmt_text(dirs, 4));
        if (!mp->host_state[0] && exr_stmt_text(dirs, 0))
            snprintf(mp->host_state, sizeof mp->host_state, "%s", exr_stmt_text(dirs, 0));
        host_line(dirs, n->tpl_index, &mp->hosts);
        const exr_build_info *c = exr_state_classify(o->tab, memo, exr_stmt_text(dirs, 5), bi);
        if (c)
            note_host(o->tab, c, n->tpl_index < EXR_NSTATES ? n->tpl_index : exr_state_index(mp->host_state), notes, mp->support,
                      sizeof mp->support);
        else
            note_stored_sets(dirs, mp->sets, sizeof mp->sets);
        csv_row(&mp->csv, dirs, c);
    }
    if (notes->n) {
        char sum[200];
        exr_cve_notes_summary(notes, o->tab, sum, sizeof sum);
        size_t k = strlen(mp->sets);
        snprintf(mp->sets + k, sizeof mp->sets - k, "%s%s", k ? "; " : "", sum);
    }
    if (o->tab)
        exr_cve_notes_render(notes, o->tab, 40, &mp->cves);
    free(notes);
    free(bi);
}

static const char *notice_kind(int tpl_index)
{
    return tpl_index == EXR_TPL_REMINDER     ? "reminder"
           : tpl_index == EXR_TPL_ESCALATION ? "escalation"
           : tpl_index == EXR_TPL_RESOLVED   ? "resolved"
                                             : "first";
}

static int build_message(exr_stmt *dirs, exr_db *db, const exr_notify_opts *o, exr_build_memo *memo, const notice *n, exr_buf *msg)
{
    int state = n->tpl_index;
    msgparts mp;
    collect_parts(dirs, o, memo, n, &mp);
    char count[16], date[32], org[600];
    body_safe(n->org, org, sizeof org);
    snprintf(count, sizeof count, "%d", mp.nhosts);
    exr_time_rfc3339((time_t)(o->now_us / 1000000), date, sizeof date);
    char first[32] = "", sent[32] = "", changes[200] = "", seen[16];
    if (state >= EXR_NSTATES)
        followup_vars(db, n, first, sent, changes, sizeof changes);
    snprintf(seen, sizeof seen, "%.10s", mp.last_seen);
    exr_tvar vars[] = {{"ticket", n->ticket},
                       {"org", org},
                       {"recipient", n->recipient},
                       {"host_count", count},
                       {"hosts", mp.hosts.p ? mp.hosts.p : ""},
                       {"sets", mp.sets[0] ? mp.sets : "see the attached list"},
                       {"state", state < EXR_NSTATES ? n->tpl : mp.host_state},
                       {"date", date},
                       {"sender_name", o->sender_name},
                       {"cves", mp.cves.p ? mp.cves.p : "  (see the attached list)\n"},
                       {"support", mp.support[0] ? mp.support : "see the attached list"},
                       {"first_ticket", first},
                       {"first_sent", sent},
                       {"last_seen", seen},
                       {"changes", changes}};
    int nv = (int)(sizeof vars / sizeof vars[0]);
    exr_buf subj, body;
    exr_buf_init(&subj);
    exr_buf_init(&body);
    exr_template_render(o->templates[state].subject, vars, nv, &subj);
    exr_template_render(o->templates[state].body, vars, nv, &body);
    char aname[64];
    snprintf(aname, sizeof aname, "exray-%s.csv", n->ticket);
    exr_mail m = {o->from, o->sender_name, n->recipient, subj.p ? subj.p : "",          body.p ? body.p : "", n->ticket,
                  aname,   mp.csv.p,       mp.csv.len,   (time_t)(o->now_us / 1000000), notice_kind(state),   n->refs};
    exr_buf_reset(msg);
    exr_mime_build(&m, msg);
    exr_buf_free(&mp.hosts);
    exr_buf_free(&mp.cves);
    exr_buf_free(&mp.csv);
    exr_buf_free(&subj);
    exr_buf_free(&body);
    return 0;
}

typedef struct submitting {
    exr_db *db;
    const char *ticket;
    bool marked;
} submitting;

/* Just before the SMTP transaction starts (after pacing): from here on a stopped run leaves
 * an unknown outcome; before it, the ticket can safely go back to pending. */
static void mark_submitting(void *ctx)
{
    submitting *m = ctx;
    if (m->marked)
        return;
    exr_stmt *st;
    if (exr_db_prepare(m->db, "UPDATE tickets SET delivery = delivery || ' (submitting)' WHERE id = ? AND state = 'sending'", &st) ==
        EXR_SQL_OK) {
        exr_stmt_bind_text(st, 1, m->ticket);
        exr_stmt_step(st);
        exr_stmt_finalize(st);
    }
    m->marked = true;
    exr_notify_test_point("before-data");
}

/* An SMTP delivery that did not succeed (d: smtp_deliver's result): the ticket's new state
 * and why. Returns -1 when the run must stop (every message would fail alike). */
static int smtp_failed(exr_db *db, const exr_notify_opts *o, exr_notify_stats *stt, const char *ticket, const char *recipient, int d,
                       exr_err *e)
{
    char why[700];
    const char *st = d == -4 ? "uncertain" : d == -3 ? "failed" : "pending";
    snprintf(why, sizeof why, "%s: %.600s", d == -4 ? "uncertain" : "failed", e->msg);
    if (d == -4)
        snprintf(why, sizeof why, "uncertain: %.400s; check the mail server's log, then exray notify --resolve %s sent|resend", e->msg,
                 ticket);
    exr_err e2 = {0, ""};
    if (set_state(db, ticket, st, why, false, o->clock_offset_us, &e2) != 0) {
        *e = e2;
        return -1;
    }
    if (d == -4)
        stt->uncertain++;
    else
        stt->failed++;
    if (d == -2) {
        char first[sizeof e->msg];
        snprintf(first, sizeof first, "%s", e->msg);
        exr_seterr(e, EXR_EIO, "%.400s; stopping: every message would fail the same way (tickets stay pending)", first);
        return -1;
    }
    if (o->on_ticket_error)
        o->on_ticket_error(o->ctx, ticket, recipient, e->msg,
                           d == -4   ? "marked uncertain, not retried"
                           : d == -3 ? "refused: failed"
                                     : "stays pending");
    exr_clearerr(e);
    return 0;
}

int exr_notify_send(exr_store *s, const exr_notify_opts *o, exr_notify_stats *stt, exr_err *e)
{
    exr_db *db = exr_store_db(s);
    exr_stmt *dirs = NULL;
    int rc = -1;
    if (recover_expired(db, stt, o->clock_offset_us, e) != 0)
        return -1;
    if (exr_db_prepare(db,
                       "SELECT d.state, d.ip, d.port, o.hostname, o.time, o.build, o.servername, o.proxylogon, h.asn, h.country,"
                       " o.proxyshell, o.proxynotshell, o.record, d.origin_org"
                       " FROM directives d LEFT JOIN observations o ON o.id = d.observation_id LEFT JOIN host_info h ON h.ip = d.ip"
                       " WHERE d.ticket = ? ORDER BY d.ip",
                       &dirs) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "prepare send");
    char run_id[128];
    make_run_id(run_id, sizeof run_id);
    exr_build_memo *memo = exr_xcalloc(1, sizeof *memo);
    exr_buf msg;
    exr_buf_init(&msg);
    for (;;) {
        char ticket[32], recipient[256], org[256], tpl[32], refs[200];
        int c = claim_next(db, o, run_id, ticket, recipient, org, tpl, refs, e);
        if (c < 0)
            goto done;
        if (c == 0)
            break;
        int state = name_index(exr_template_name, EXR_NTEMPLATES, tpl);
        if (state < 0 || !exr_email_valid(recipient)) {
            set_state(db, ticket, "failed", "failed: bad template or recipient in the store", false, o->clock_offset_us, e);
            stt->failed++;
            continue;
        }
        notice nt = {ticket, recipient, org, state, tpl, refs};
        build_message(dirs, db, o, memo, &nt, &msg);
        int d;
        if (o->smtp) {
            submitting sub = {db, ticket, false};
            d = smtp_deliver(o, recipient, &msg, mark_submitting, &sub, e);
            if (d == 1)
                exr_notify_test_point("after-250");
            if (d < 0) {
                if (smtp_failed(db, o, stt, ticket, recipient, d, e) != 0)
                    goto done;
                continue;
            }
        } else {
            d = maildir_deliver(o->maildir, ticket, &msg, e);
            if (d < 0) {
                exr_err e2 = {0, ""};
                set_state(db, ticket, "pending", "pending: Maildir write failed", false, o->clock_offset_us, &e2);
                goto done;
            }
        }
        exr_notify_test_point("delivered");
        exr_notify_test_point("commit");
        if (d == 0)
            stt->already_delivered++;
        if (set_state(db, ticket, "sent", o->smtp ? "smtp" : "maildir", true, o->clock_offset_us, e) != 0)
            goto done;
        stt->sent++;
    }
    rc = 0;
done:
    free(memo);
    exr_buf_free(&msg);
    exr_stmt_finalize(dirs);
    return rc;
}

int exr_notify_uncertain(exr_store *s, exr_uncertain_cb cb, void *ctx, exr_err *e)
{
    exr_db *db = exr_store_db(s);
    exr_stmt *st;
    if (exr_db_prepare(db, "SELECT id, recipient, template, delivery FROM tickets WHERE state = 'uncertain' ORDER BY id", &st) !=
        EXR_SQL_OK)
        return exr_db_seterr(db, e, "uncertain");
    int n = 0;
    int src;
    while ((src = exr_stmt_step(st)) == EXR_SQL_ROW) {
        cb(ctx, exr_stmt_text(st, 0), exr_stmt_text(st, 1), exr_stmt_text(st, 2), exr_stmt_text(st, 3) ? exr_stmt_text(st, 3) : "");
        n++;
    }
    exr_stmt_finalize(st);
    if (src != EXR_SQL_DONE)
        return exr_db_seterr(db, e, "uncertain");
    return n;
}

int exr_notify_resolve(exr_store *s, const char *ticket, const char *how, exr_err *e)
{
    exr_db *db = exr_store_db(s);
    bool sent = strcmp(how, "sent") == 0;
    if (!sent && strcmp(how, "resend") != 0)
        return exr_seterr(e, EXR_EINVAL, "--resolve: say 'sent' (the server has it) or 'resend' (it does not)");
    exr_stmt *st;
    if (exr_db_prepare(db, "SELECT state FROM tickets WHERE id = ?", &st) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "resolve");
    exr_stmt_bind_text(st, 1, ticket);
    char cur[32] = "";
    if (exr_stmt_step(st) == EXR_SQL_ROW)
        snprintf(cur, sizeof cur, "%s", exr_stmt_text(st, 0) ? exr_stmt_text(st, 0) : "");
    exr_stmt_finalize(st);
    if (!cur[0])
        return exr_seterr(e, EXR_EINVAL, "ticket %s: no such ticket", ticket);
    if (strcmp(cur, "uncertain") != 0 && strcmp(cur, "failed") != 0)
        return exr_seterr(e, EXR_EINVAL, "ticket %s is %s; only uncertain or failed tickets are resolved", ticket, cur);
    return set_state(db, ticket, sent ? "sent" : "pending",
                     sent ? "resolved: the operator found it delivered" : "resolved: to be sent again", sent, 0, e);
}

int exr_optout_add(exr_store *s, const char *addr, exr_err *e)
{
    if (!exr_email_valid(addr))
        return exr_seterr(e, EXR_EINVAL, "'%.80s' is not a valid e-mail address", addr);
    exr_db *db = exr_store_db(s);
    exr_stmt *st;
    if (exr_db_prepare(db, "INSERT INTO optout(address, added) VALUES(lower(?), ?) ON CONFLICT DO NOTHING", &st) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "optout");
    char now[EXR_TSTAMP_LEN];
    exr_time_stamp(exr_clock_us(), now, sizeof now);
    exr_stmt_bind_text(st, 1, addr);
    exr_stmt_bind_text(st, 2, now);
    int rc = exr_stmt_step(st);
    exr_stmt_finalize(st);
    return rc == EXR_SQL_DONE ? 0 : exr_db_seterr(db, e, "optout");
}

long exr_notify_enrich(exr_store *s, const exr_ipdb *ipdb, exr_err *e)
{
    exr_db *db = exr_store_db(s);
    exr_stmt *q, *up;
    if (exr_db_prepare(db,
                       "SELECT DISTINCT o.ip FROM observations o LEFT JOIN host_info h ON h.ip = o.ip"
                       " WHERE o.exchange = 1 AND (h.ip IS NULL OR h.asn IS NULL OR h.country IS NULL)",
                       &q) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "enrich");
    if (exr_db_prepare(db,
                       "INSERT INTO host_info(ip, asn, as_name, country) VALUES(?,?,?,?) ON CONFLICT(ip) DO UPDATE SET"
                       " asn = COALESCE(host_info.asn, excluded.asn), as_name = COALESCE(host_info.as_name, excluded.as_name),"
                       " country = COALESCE(host_info.country, excluded.country)",
                       &up) != EXR_SQL_OK) {
        exr_stmt_finalize(q);
        return exr_db_seterr(db, e, "enrich");
    }
    exr_db_exec(db, "BEGIN");
    long n = 0;
    while (exr_stmt_step(q) == EXR_SQL_ROW) {
        exr_addr a;
        if (!exr_stmt_text(q, 0) || !exr_addr_parse(exr_stmt_text(q, 0), &a))
            continue;
        exr_geo g;
        exr_ipdb_lookup(ipdb, &a, &g);
        if (!g.asn && !g.cc[0])
            continue;
        exr_stmt_reset(up);
        exr_stmt_bind_text(up, 1, exr_stmt_text(q, 0));
        if (g.asn)
            exr_stmt_bind_int(up, 2, g.asn);
        else
            exr_stmt_bind_null(up, 2);
        if (g.as_name) {
            exr_buf nm;
            exr_buf_init(&nm);
            exr_text_clean(g.as_name, g.as_name_len, &nm);
            exr_stmt_bind_textn(up, 3, nm.p ? nm.p : "", nm.len);
            exr_buf_free(&nm);
        } else {
            exr_stmt_bind_null(up, 3);
        }
        if (g.cc[0])
            exr_stmt_bind_textn(up, 4, g.cc, 2);
        else
            exr_stmt_bind_null(up, 4);
        if (exr_stmt_step(up) == EXR_SQL_DONE)
            n++;
    }
    exr_db_exec(db, "COMMIT");
    exr_stmt_finalize(q);
    exr_stmt_finalize(up);
    return n;
}
