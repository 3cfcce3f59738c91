/* engine.c: see engine.h.
 * Each connection is a small state machine (CONNECT -> HANDSHAKE -> WRITE -> READ, then
 * WRITE again on the same connection while keep-alive holds, or a fresh CONNECT with the
 * TLS session resumed). Every wait is bounded by the host's deadline, checked on each
 * loop turn, so a server that stalls, drip-feeds or floods costs at most --timeout. */
#include "engine.h"
#include "../core/buf.h"
#include "../core/timefmt.h"
#include "fingerprint.h"
#include "http.h"
#include "permute.h"
#include "tlsinfo.h"
#include "webshell_paths.h"
#include <errno.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

typedef struct item {
    exr_addr a;
    uint16_t port;
    const char *hostname; /* owned by the targets, or NULL */
} item;

typedef struct source {
    pthread_mutex_t mu;
    const exr_targets *t;
    const exr_scan_opts *o;
    exr_scan_progress *pr;
    exr_perm perm;
    uint64_t nrange; /* ranges.total * nports */
    bool perm_done;
    item *q; /* resolved names */
    size_t qhead, qtail, qcap;
    size_t name_next;
    int resolvers_left;
    double tokens;
    int64_t last_ms;
} source;

static void item_from_index(const source *s, uint64_t i, item *it)
{
    const exr_targets *t = s->t;
    it->hostname = NULL;
    if (i < s->nrange) {
        uint64_t naddr = t->ranges.total;
        exr_rangeset_at(&t->ranges, i % naddr, &it->a);
        it->port = t->ports[i / naddr];
    } else {
        const exr_pair *p = &t->pairs[i - s->nrange];
        it->a = p->addr;
        it->port = p->port;
    }
}

/* Takes up to max items; *finished is set when nothing will ever come again. */
static int source_take(source *s, item *out, int max, bool *finished)
{
    int n = 0;
    pthread_mutex_lock(&s->mu);
    *finished = false;
    if (s->o->stop && *s->o->stop) {
        *finished = true;
        pthread_mutex_unlock(&s->mu);
        return 0;
    }
    if (s->o->rate > 0) {
        int64_t now = exr_now_ms();
        s->tokens += (double)(now - s->last_ms) * s->o->rate / 1000.0;
        double burst = s->o->rate / 50.0 < 1 ? 1 : s->o->rate / 50.0;
        if (s->tokens > burst)
            s->tokens = burst;
        s->last_ms = now;
        if ((double)max > s->tokens)
            max = (int)s->tokens;
    }
    while (n < max) {
        if (s->qhead < s->qtail) {
            out[n++] = s->q[s->qhead++];
            continue;
        }
        if (s->perm_done)
            break;
        uint64_t idx;
        if (!exr_perm_next(&s->perm, &idx)) {
            s->perm_done = true;
            break;
        }
        item_from_index(s, idx, &out[n]);
        if (s->o->skip && s->o->skip(s->o->ctx, &out[n].a, out[n].port, NULL)) {
            atomic_fetch_add(&s->pr->skipped, 1);
            continue;
        }
        n++;
    }
    if (s->o->rate > 0)
        s->tokens -= n;
    if (n == 0 && s->perm_done && s->qhead == s->qtail && s->resolvers_left == 0)
        *finished = true;
    pthread_mutex_unlock(&s->mu);
    return n;
}

static void emit_dns_failure(source *s, const char *name, uint16_t port)
{
    exr_result r;
    memset(&r, 0, sizeof r);
    r.addr.family = 4;
    r.port = port;
    snprintf(r.hostname, sizeof r.hostname, "%s", name);
    r.time_us = exr_clock_us();
    r.status = EXR_STATUS_DNS_ERROR;
    exr_fp_init(&r.fp);
    exr_result_finish(&r, s->o->builds);
    s->o->on_result(s->o->ctx, &r);
    atomic_fetch_add(&s->pr->done, 1);
}

static void *resolver_main(void *arg)
{
    source *s = arg;
    const exr_targets *t = s->t;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        size_t k = s->name_next;
        /* this shard's names: k % shards == shard */
        while (k < t->nnames && (k % s->o->shards) != s->o->shard)
            k++;
        s->name_next = k + 1;
        bool stop = s->o->stop && *s->o->stop;
        pthread_mutex_unlock(&s->mu);
        if (k >= t->nnames || stop)
            break;
        const exr_hostname_target *nt = &t->names[k];
        uint16_t ports[EXR_MAX_PORTS];
        int np = 0;
        if (nt->port)
            ports[np++] = nt->port;
        else
            for (int i = 0; i < t->nports; i++)
                ports[np++] = t->ports[i];
        bool all_done = true;
        for (int i = 0; i < np; i++)
            all_done &= s->o->skip && s->o->skip(s->o->ctx, NULL, ports[i], nt->name);
        if (all_done) {
            atomic_fetch_add(&s->pr->skipped, (uint64_t)np);
            continue;
        }
        struct addrinfo hints, *res = NULL;
        memset(&hints, 0, sizeof hints);
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        int rc = getaddrinfo(nt->name, NULL, &hints, &res);
        exr_addr a;
        bool ok = false;
        if (rc == 0) {
            /* first IPv4 answer, else the first answer */
            for (struct addrinfo *ai = res; ai && !ok; ai = ai->ai_next)
                if (ai->ai_family == AF_INET)
                    ok = exr_addr_from_sockaddr(ai->ai_addr, &a);
            for (struct addrinfo *ai = res; ai && !ok; ai = ai->ai_next)
                ok = exr_addr_from_sockaddr(ai->ai_addr, &a);
            freeaddrinfo(res);
        }
        for (int i = 0; i < np; i++) {
            if (s->o->skip && s->o->skip(s->o->ctx, NULL, ports[i], nt->name)) {
                atomic_fetch_add(&s->pr->skipped, 1);
                continue;
            }
            if (!ok || !exr_targets_allowed(t, &a)) {
                /* a name resolving into a user-blocklisted range is reported, not scanned */
                emit_dns_failure(s, nt->name, ports[i]);
                continue;
            }
            pthread_mutex_lock(&s->mu);
            if (s->qtail == s->qcap) {
                s->qcap = s->qcap ? s->qcap * 2 : 64;
                s->q = exr_xrealloc(s->q, s->qcap * sizeof *s->q);
            }
            s->q[s->qtail++] = (item){a, ports[i], nt->name};
            pthread_mutex_unlock(&s->mu);
        }
    }
    pthread_mutex_lock(&s->mu);
    s->resolvers_left--;
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* ---- connections ---- */

enum { ST_FREE, ST_CONNECT, ST_HANDSHAKE, ST_WRITE, ST_READ };
#define REQ_CONTROL 10
#define REQ_SHELL 11

typedef struct conn {
    int state;
    int fd;
    SSL *ssl;
    SSL_SESSION *sess;
    uint32_t events;
    item it;
    int64_t deadline;
    exr_http_resp resp;
    exr_result res;
    int req; /* EXR_REQ_* or REQ_CONTROL / REQ_SHELL */
    size_t shell_idx;
    bool shell_started;
    char control_path[64];
    char out[1200];
    size_t outlen, outoff;
    int reconnects;
    bool got_response;
    bool reuse_ok;
} conn;

typedef struct worker {
    pthread_t th;
    source *src;
    SSL_CTX *ctx;
    int ep;
    conn *conns;
    int nconns;
    int active;
    uint64_t rng;
    bool started;
} worker;

static void want(worker *w, conn *c, uint32_t ev)
{
    if (c->events == ev)
        return;
    struct epoll_event e = {.events = ev, .data.ptr = c};
    if (epoll_ctl(w->ep, EPOLL_CTL_MOD, c->fd, &e) != 0)
        c->deadline = 0; /* it would wait on the wrong event: the next sweep ends it now */
    c->events = ev;
}

static void close_transport(worker *w, conn *c)
{
    if (c->ssl) {
        SSL_SESSION *s = SSL_get1_session(c->ssl);
        if (s) {
            if (c->sess)
                SSL_SESSION_free(c->sess);
            c->sess = s;
        }
        SSL_free(c->ssl);
        c->ssl = NULL;
    }
    if (c->fd >= 0) {
        epoll_ctl(w->ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
        c->fd = -1;
    }
    c->events = 0;
}

static void finish(worker *w, conn *c, exr_status status)
{
    close_transport(w, c);
    if (c->sess) {
        SSL_SESSION_free(c->sess);
        c->sess = NULL;
    }
    c->res.status = c->got_response ? EXR_STATUS_OK : status;
    c->res.time_us = exr_clock_us();
    exr_result_finish(&c->res, w->src->o->builds);
    w->src->o->on_result(w->src->o->ctx, &c->res);
    atomic_fetch_add(&w->src->pr->done, 1);
    /* drop big buffers so idle slots stay small */
    exr_http_free(&c->resp);
    exr_http_init(&c->resp, false);
    c->state = ST_FREE;
    w->active--;
}

static uint64_t rnd(worker *w)
{
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 7;
    w->rng ^= w->rng << 17;
    return w->rng;
}

/* Picks the next request; returns false when the host is done. */
static bool plan_next(worker *w, conn *c)
{
    const exr_scan_opts *o = w->src->o;
    const char *path = NULL;
    int r = exr_fp_next(&c->res.fp, o->builds);
    if (r != EXR_REQ_NONE) {
        c->req = r;
        path = exr_req_path[r];
    } else if (o->probe_webshells && c->res.fp.exchange) {
        if (!c->shell_started) {
            c->shell_started = true;
            c->res.webshell_probe = true;
            snprintf(c->control_path, sizeof c->control_path, "/aspnet_client/%016llx.aspx", (unsigned long long)rnd(w));
            c->req = REQ_CONTROL;
            path = c->control_path;
        } else if (!c->res.webshell_control_hit && c->shell_idx < exr_webshell_npaths) {
            c->req = REQ_SHELL;
            path = exr_webshell_paths[c->shell_idx++];
        }
    }
    if (!path)
        return false;
    char host[300];
    char ip[EXR_ADDRSTRLEN];
    if (c->it.hostname) {
        snprintf(host, sizeof host, "%s", c->it.hostname);
    } else {
        exr_addr_format(&c->it.a, ip, sizeof ip);
        snprintf(host, sizeof host, c->it.a.family == 6 ? "[%s]" : "%s", ip);
    }
    char portpart[8] = "";
    if (c->it.port != 443)
        snprintf(portpart, sizeof portpart, ":%u", c->it.port);
    int n =
        snprintf(c->out, sizeof c->out, "GET %s HTTP/1.1\r\nHost: %s%s\r\nUser-Agent: %s\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n",
                 path, host, portpart, o->user_agent);
    if (n < 0 || (size_t)n >= sizeof c->out)
        return false;
    c->outlen = (size_t)n;
    c->outoff = 0;
    exr_http_reset(&c->resp, false);
    return true;
}

static void start_connect(worker *w, conn *c);

static void after_response(worker *w, conn *c)
{
    c->got_response = true;
    if (c->req <= EXR_REQ_ECP) {
        exr_fp_observe(&c->res.fp, c->req, &c->resp);
    } else if (c->req == REQ_CONTROL) {
        c->res.webshell_control_hit = c->resp.status == 200;
    } else if (c->req == REQ_SHELL && c->resp.status == 200 && c->res.nwebshells < EXR_MAX_WEBSHELLS) {
        c->res.webshells[c->res.nwebshells++] = exr_webshell_paths[c->shell_idx - 1];
    }
    bool reuse = c->resp.keep_alive && !c->resp.truncated && c->reuse_ok;
    if (!plan_next(w, c)) {
        finish(w, c, EXR_STATUS_OK);
        return;
    }
    if (reuse) {
        c->state = ST_WRITE;
        want(w, c, EPOLLOUT);
        return;
    }
    close_transport(w, c);
    if (++c->reconnects > 8) {
        finish(w, c, EXR_STATUS_OK);
        return;
    }
    start_connect(w, c);
}

static exr_status errno_status(int err)
{
    switch (err) {
    case ECONNREFUSED: return EXR_STATUS_REFUSED;
    case ETIMEDOUT: return EXR_STATUS_TIMEOUT;
    case ENETUNREACH:
    case EHOSTUNREACH: return EXR_STATUS_UNREACHABLE;
    case ECONNRESET:
    case EPIPE: return EXR_STATUS_RESET;
    default: return EXR_STATUS_ERROR;
    }
}

static void step(worker *w, conn *c);

static void start_connect(worker *w, conn *c)
{
    struct sockaddr_storage ss;
    socklen_t sl = exr_addr_sockaddr(&c->it.a, c->it.port, &ss);
    c->fd = socket(c->it.a.family == 4 ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        finish(w, c, EXR_STATUS_ERROR);
        return;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    /* RST instead of TIME_WAIT on close keeps a 64k-host scan from exhausting ports */
    struct linger lg = {1, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    int rc = connect(c->fd, (struct sockaddr *)&ss, sl);
    if (rc < 0 && errno != EINPROGRESS) {
        int err = errno;
        close(c->fd);
        c->fd = -1;
        finish(w, c, errno_status(err));
        return;
    }
    c->state = ST_CONNECT;
    c->events = EPOLLOUT;
    struct epoll_event e = {.events = EPOLLOUT, .data.ptr = c};
    if (epoll_ctl(w->ep, EPOLL_CTL_ADD, c->fd, &e) != 0) {
        close(c->fd);
        c->fd = -1;
        finish(w, c, EXR_STATUS_ERROR);
        return;
    }
    c->reuse_ok = true;
}

static void begin(worker *w, conn *c, const item *it, int64_t now)
{
    memset(&c->res, 0, sizeof c->res);
    exr_fp_init(&c->res.fp);
    c->it = *it;
    c->res.addr = it->a;
    c->res.port = it->port;
    if (it->hostname)
        snprintf(c->res.hostname, sizeof c->res.hostname, "%s", it->hostname);
    c->deadline = now + w->src->o->timeout_ms;
    c->reconnects = 0;
    c->got_response = false;
    c->shell_started = false;
    c->shell_idx = 0;
    c->fd = -1;
    c->ssl = NULL;
    c->sess = NULL;
    w->active++;
    atomic_fetch_add(&w->src->pr->started, 1);
    if (!plan_next(w, c)) {
        finish(w, c, EXR_STATUS_ERROR);
        return;
    }
    start_connect(w, c);
}

/* SSL error -> status; -1 when the call merely has to wait. */
static int ssl_wait(worker *w, conn *c, int ret, exr_status fail_status)
{
    int err = SSL_get_error(c->ssl, ret);
    if (err == SSL_ERROR_WANT_READ) {
        want(w, c, EPOLLIN);
        return -1;
    }
    if (err == SSL_ERROR_WANT_WRITE) {
        want(w, c, EPOLLOUT);
        return -1;
    }
    if (err == SSL_ERROR_SYSCALL && (errno == ECONNRESET || errno == EPIPE))
        return c->state == ST_HANDSHAKE ? EXR_STATUS_TLS_ERROR : EXR_STATUS_RESET;
    return (int)fail_status;
}

/* Reads per wake-up before other connections get their turn (epoll is level-triggered: a
 * socket with more data wakes us again). */
#define READS_PER_STEP 64

/* One state of a connection; true: go on to the next state now, false: wait for epoll. */
static bool step_connect(worker *w, conn *c)
{
    int err = 0;
    socklen_t el = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
    if (err) {
        finish(w, c, errno_status(err));
        return false;
    }
    c->ssl = SSL_new(w->ctx);
    if (!c->ssl) {
        finish(w, c, EXR_STATUS_ERROR);
        return false;
    }
    SSL_set_fd(c->ssl, c->fd);
    if (c->it.hostname)
        SSL_set_tlsext_host_name(c->ssl, c->it.hostname);
    if (c->sess)
        SSL_set_session(c->ssl, c->sess);
    c->state = ST_HANDSHAKE;
    return true;
}

static bool step_handshake(worker *w, conn *c)
{
    ERR_clear_error();
    int rc = SSL_connect(c->ssl);
    if (rc != 1) {
        int st = ssl_wait(w, c, rc, EXR_STATUS_TLS_ERROR);
        if (st >= 0)
            finish(w, c, (exr_status)st);
        return false;
    }
    if (!c->res.tls.present)
        exr_tlsinfo_fill(c->ssl, &c->res.tls);
    c->state = ST_WRITE;
    return true;
}

static bool step_write(worker *w, conn *c)
{
    ERR_clear_error();
    int rc = SSL_write(c->ssl, c->out + c->outoff, (int)(c->outlen - c->outoff));
    if (rc <= 0) {
        int st = ssl_wait(w, c, rc, EXR_STATUS_ERROR);
        if (st >= 0) {
            /* the server closed an idle keep-alive connection: reconnect once */
            if (c->got_response && c->reconnects < 8) {
                close_transport(w, c);
                c->reconnects++;
                c->outoff = 0;
                start_connect(w, c);
            } else {
                finish(w, c, (exr_status)st);
            }
        }
        return false;
    }
    c->outoff += (size_t)rc;
    if (c->outoff == c->outlen) {
        c->state = ST_READ;
        want(w, c, EPOLLIN);
    }
    return true;
}

static bool step_read(worker *w, conn *c, char *buf, size_t bufsz, int *reads)
{
    ERR_clear_error();
    int rc = SSL_read(c->ssl, buf, (int)bufsz);
    if (rc > 0) {
        size_t used = 0;
        int pr = exr_http_feed(&c->resp, buf, (size_t)rc, &used);
        if (pr == EXR_HTTP_ERR) {
            finish(w, c, EXR_STATUS_HTTP_ERROR);
            return false;
        }
        if (pr == EXR_HTTP_DONE) {
            if (used < (size_t)rc || SSL_pending(c->ssl))
                c->reuse_ok = false; /* unsolicited bytes: don't trust this stream */
            after_response(w, c);
            return false;
        }
        /* a server that streams without end (1xx, trailers, a slow drip that never
         * blocks) meets the host's deadline here, not only in the sweep */
        if (exr_now_ms() >= c->deadline) {
            finish(w, c, EXR_STATUS_TIMEOUT);
            return false;
        }
        if (++*reads >= READS_PER_STEP && !SSL_pending(c->ssl))
            return false;
        return true;
    }
    int err = SSL_get_error(c->ssl, rc);
    if (err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && rc == 0)) {
        if (exr_http_eof(&c->resp) == EXR_HTTP_DONE) {
            c->reuse_ok = false;
            after_response(w, c);
        } else {
            finish(w, c, EXR_STATUS_HTTP_ERROR);
        }
        return false;
    }
    int st = ssl_wait(w, c, rc, EXR_STATUS_HTTP_ERROR);
    if (st >= 0)
        finish(w, c, (exr_status)st);
    return false;
}

static void step(worker *w, conn *c)
{
    char buf[16384];
    int reads = 0;
    for (;;) {
        bool more;
        switch (c->state) {
        case ST_CONNECT: more = step_connect(w, c); break;
        case ST_HANDSHAKE: more = step_handshake(w, c); break;
        case ST_WRITE: more = step_write(w, c); break;
        case ST_READ: more = step_read(w, c, buf, sizeof buf, &reads); break;
        default: more = false; break;
        }
        if (!more)
            return;
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    source *s = w->src;
    struct epoll_event evs[256];
    item batch[64];
    bool finished = false;
    int64_t last_sweep = 0;
    while (!finished || w->active > 0) {
        int64_t now = exr_now_ms();
        if (!finished && w->active < w->nconns) {
            int room = w->nconns - w->active;
            if (room > 64)
                room = 64;
            int n = source_take(s, batch, room, &finished);
            int k = 0;
            for (int i = 0; i < w->nconns && k < n; i++)
                if (w->conns[i].state == ST_FREE)
                    begin(w, &w->conns[i], &batch[k++], now);
        }
        int timeout = finished ? 50 : (w->active < w->nconns ? 5 : 50);
        if (w->active == 0 && !finished)
            timeout = 2;
        int ne = epoll_wait(w->ep, evs, 256, timeout);
        for (int i = 0; i < ne; i++) {
            conn *c = evs[i].data.ptr;
            if (c->state != ST_FREE)
                step(w, c);
        }
        now = exr_now_ms();
        if (now - last_sweep >= 20) {
            last_sweep = now;
            for (int i = 0; i < w->nconns; i++) {
                conn *c = &w->conns[i];
                if (c->state != ST_FREE && now >= c->deadline)
                    finish(w, c, EXR_STATUS_TIMEOUT);
            }
        }
    }
    return NULL;
}

uint64_t exr_scan_planned(const exr_targets *t, const exr_scan_opts *o)
{
    uint64_t shards = o->shards ? o->shards : 1;
    uint64_t n = t->ranges.total * (uint64_t)t->nports + t->npairs;
    uint64_t per = n / shards + (o->shard < n % shards ? 1 : 0);
    for (size_t k = 0; k < t->nnames; k++)
        if (k % shards == o->shard)
            per += t->names[k].port ? 1 : (uint64_t)t->nports;
    return per;
}

/* Starts the scanning threads, each with its epoll instance and connections, and waits for
 * them. A thread or epoll instance refused after the first leaves the others to scan every
 * target all the same (the source is shared), with fewer threads. Returns how many ran;
 * why says what was refused. */
static int run_workers(source *s, SSL_CTX *ctx, const exr_scan_opts *o, char *why, size_t whylen)
{
    int nthreads = o->threads > 0 ? o->threads : 1;
    worker *ws = exr_xcalloc((size_t)nthreads, sizeof *ws);
    int per = o->concurrency / nthreads;
    if (per < 1)
        per = 1;
    for (int i = 0; i < nthreads; i++) {
        worker *w = &ws[i];
        w->src = s;
        w->ctx = ctx;
        w->ep = epoll_create1(EPOLL_CLOEXEC);
        if (w->ep < 0) {
            snprintf(why, whylen, "epoll_create1: %s", strerror(errno));
            break;
        }
        w->nconns = per;
        w->conns = exr_xcalloc((size_t)per, sizeof *w->conns);
        w->rng = o->seed * 2654435761u + (uint64_t)i * 0x9e3779b97f4a7c15ull + (uint64_t)time(NULL) + 1;
        for (int k = 0; k < per; k++) {
            w->conns[k].fd = -1;
            exr_http_init(&w->conns[k].resp, false);
        }
        if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
            snprintf(why, whylen, "pthread_create: %s", strerror(errno));
            break;
        }
        w->started = true;
    }
    int running = 0;
    for (int i = 0; i < nthreads; i++) {
        running += ws[i].started;
        if (ws[i].started)
            pthread_join(ws[i].th, NULL);
        if (ws[i].conns)
            close(ws[i].ep);
        for (int k = 0; k < ws[i].nconns; k++)
            exr_http_free(&ws[i].conns[k].resp);
        free(ws[i].conns);
    }
    free(ws);
    return running;
}

int exr_scan_run(const exr_targets *t, const exr_scan_opts *o, exr_scan_progress *pr, exr_err *e)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx)
        return exr_seterr(e, EXR_EIO, "cannot create TLS context");
    /* Old Exchange speaks TLS 1.0 with old ciphers; we record, never validate. */
    SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT | SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_COMPRESSION);
    /* no internal session store: each connection keeps the one session it resumes with
     * (SSL_get1_session), and a server sending thousands of TLS 1.3 tickets must not fill
     * a cache that is never read */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);

    source s;
    memset(&s, 0, sizeof s);
    pthread_mutex_init(&s.mu, NULL);
    s.t = t;
    s.o = o;
    s.pr = pr;
    s.nrange = t->ranges.total * (uint64_t)t->nports;
    exr_perm_init(&s.perm, s.nrange + t->npairs, o->seed, o->shard, o->shards ? o->shards : 1);
    s.last_ms = exr_now_ms();
    s.tokens = 1;
    atomic_store(&pr->planned, exr_scan_planned(t, o));

    int nres = t->nnames ? (t->nnames < 8 ? (int)t->nnames : 8) : 0;
    s.resolvers_left = nres;
    pthread_t *res = exr_xcalloc((size_t)(nres ? nres : 1), sizeof *res);
    int started_res = 0;
    for (int i = 0; i < nres; i++)
        if (pthread_create(&res[started_res], NULL, resolver_main, &s) == 0)
            started_res++;
    pthread_mutex_lock(&s.mu);
    s.resolvers_left -= nres - started_res; /* those never started never finish */
    pthread_mutex_unlock(&s.mu);
    if (nres && !started_res)
        resolver_main(&s); /* no thread to be had: resolve here, then scan */

    char why[200] = "";
    int running = run_workers(&s, ctx, o, why, sizeof why);
    for (int i = 0; i < started_res; i++)
        pthread_join(res[i], NULL);
    free(res);
    free(s.q);
    pthread_mutex_destroy(&s.mu);
    SSL_CTX_free(ctx);
    if (!running)
        return exr_seterr(e, EXR_EIO, "no scanning thread could start (%s)", why[0] ? why : "unknown");
    return 0;
}
