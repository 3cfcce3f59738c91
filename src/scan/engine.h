/* engine.h: the scan engine. One epoll event loop per thread, each with up to
 * concurrency/threads hosts in flight; non-blocking connect, OpenSSL TLS and HTTP/1.1
 * keep-alive, a hard per-host deadline, a global rate limit on new hosts. Targets are
 * drawn from a shared source: the permuted ranges, then hostnames as they resolve
 * (resolver threads, so DNS never blocks the loops). */
#ifndef EXR_ENGINE_H
#define EXR_ENGINE_H
#include "../core/err.h"
#include "../exchange/builds.h"
#include "record.h"
#include "targets.h"
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef void (*exr_result_cb)(void *ctx, exr_result *r);
/* Returns true when host:port (or hostname:port) was already scanned (resume). */
typedef bool (*exr_skip_cb)(void *ctx, const exr_addr *a, uint16_t port, const char *hostname);

typedef struct exr_scan_opts {
    int threads;
    int concurrency;
    double rate;    /* new hosts per second; <= 0 unlimited */
    int timeout_ms; /* hard per-host deadline */
    const char *user_agent;
    bool probe_webshells;
    const exr_buildtab *builds;
    uint64_t seed;
    uint32_t shard, shards;
    exr_result_cb on_result; /* called from engine threads, one call at a time per thread */
    exr_skip_cb skip;
    void *ctx;
    volatile sig_atomic_t *stop; /* set to stop taking new targets */
} exr_scan_opts;

typedef struct exr_scan_progress {
    _Atomic uint64_t planned;
    _Atomic uint64_t started;
    _Atomic uint64_t done;
    _Atomic uint64_t skipped;
} exr_scan_progress;

/* Total host:port pairs this shard will visit (before resume skips); names count once
 * per port. */
uint64_t exr_scan_planned(const exr_targets *t, const exr_scan_opts *o);
int exr_scan_run(const exr_targets *t, const exr_scan_opts *o, exr_scan_progress *pr, exr_err *e);

#endif
