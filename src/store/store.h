/* store.h: where observations are kept: a SQLite file (the embedded default) or a
 * PostgreSQL database, behind one interface (store.c over sql.h). Writes are batched in transactions: a
 * killed run loses at most the open batch, and --resume rescans exactly those hosts. */
#ifndef EXR_STORE_H
#define EXR_STORE_H
#include "../core/err.h"
#include "../scan/record.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct exr_store exr_store;

int exr_store_open(exr_store **out, const char *path, exr_err *e);
/* Opens a store that must exist already (notify, stats, report read one; only scan and
 * import create one): a mistyped path is an error, not a new empty store. */
int exr_store_open_existing(exr_store **out, const char *path, exr_err *e);
/* exr_store_open for a scanner: a PostgreSQL server that cannot be reached is tried again,
 * with backoff, for up to timeout_s seconds (--db-timeout) before the open fails. */
int exr_store_open_waiting(exr_store **out, const char *path, long timeout_s, exr_err *e);
void exr_store_close(exr_store *s);
/* name: the logical scan this shard belongs to (exray scan --scan-name), or NULL;
 * targets: the digest of its target set (exr_targets_digest), or NULL (an import). */
int exr_store_scan_begin(exr_store *s, const char *args, uint64_t seed, const char *shard, const char *name, const char *targets,
                         int64_t *scan_id, exr_err *e);
/* A scan's stored arguments and target digest ("" when it has none). */
int exr_store_scan_info(exr_store *s, int64_t scan_id, char *args, size_t argsn, char *targets, size_t targetsn, exr_err *e);
/* Removes a scan that holds no observation (an import whose every row was bad). */
int exr_store_scan_discard(exr_store *s, int64_t scan_id, exr_err *e);
/* Finds the most recent unfinished scan (of that name and shard "I/N" when given); returns 1
 * found, 0 none, -1 error. */
int exr_store_scan_unfinished(exr_store *s, const char *name, const char *want_shard, int64_t *scan_id, uint64_t *seed, char *shard,
                              size_t shardn, exr_err *e);
/* Shards of the logical scan `name` already in the store: how many, the N they were started
 * with and their seed (0 rows: *n = 0); and whether shard `shard` has finished. */
int exr_store_scan_shards(exr_store *s, const char *name, const char *shard, int *n, int *nshards, uint64_t *seed, bool *finished,
                          exr_err *e);
/* Logical scans whose shards have not all finished: cb gets the name, N and a list such as
 * "1/4 3/4" of the shards missing. Returns how many such scans, or -1. */
typedef void (*exr_store_missing_cb)(void *ctx, const char *name, int nshards, const char *missing);
int exr_store_incomplete_scans(exr_store *s, exr_store_missing_cb cb, void *ctx, exr_err *e);
/* The same, as the set of their names (stats and report leave those scans out); cb, when
 * not NULL, also gets each one. Returns how many, or -1. */
struct exr_keyset;
int exr_store_incomplete_names(exr_store *s, struct exr_keyset *names, exr_store_missing_cb cb, void *ctx, exr_err *e);
typedef void (*exr_store_key_cb)(void *ctx, const char *ip, int port, const char *hostname);
int exr_store_scan_keys(exr_store *s, int64_t scan_id, exr_store_key_cb cb, void *ctx, exr_err *e);
/* Adds one observation to the open batch; commits when the batch is big or old. */
int exr_store_add(exr_store *s, int64_t scan_id, const exr_result *r, const char *json, size_t jsonlen, exr_err *e);
int exr_store_commit(exr_store *s, exr_err *e);
/* How long a lost PostgreSQL connection is retried (with backoff, the open batch kept)
 * before exr_store_add or exr_store_commit fail; default 60 s. */
void exr_store_set_timeout(exr_store *s, long seconds);
/* Rows a batch holds before it is written (default 1000; import takes more: a file is
 * imported again whole after a failure, and fewer commits cost less). */
void exr_store_set_batch(exr_store *s, int rows);
int exr_store_scan_finish(exr_store *s, int64_t scan_id, exr_err *e);
/* Follow-up rescans: the host:ports whose latest state (a bit 1 << EXR_S_* per state of
 * exposure.h; compromised once a web shell was ever seen there) is in states (resuming: not
 * counting the unfinished scan being resumed), optionally only those notified since
 * notified_since; cb gets ip, port, hostname (or NULL). Returns how many, or -1. */
#define EXR_RESCAN_OPEN (1u << EXR_S_COMPROMISED | 1u << EXR_S_VULNERABLE | 1u << EXR_S_EOL)
int exr_store_rescan_targets(exr_store *s, unsigned states, const char *notified_since, bool resuming, exr_store_key_cb cb, void *ctx,
                             exr_err *e);
/* Sets a scan's started/finished to the time span of its observations (an imported report:
 * its own times, not the import's). */
int exr_store_scan_span(exr_store *s, int64_t scan_id, exr_err *e);
/* Copies every table of `from` into the empty store `to` (either back end, ids kept), in
 * one transaction; cb gets each table's name and row count. */
typedef void (*exr_store_copy_cb)(void *ctx, const char *table, long rows);
int exr_store_copy(exr_store *from, exr_store *to, exr_store_copy_cb cb, void *ctx, exr_err *e);
/* The connection, for the queries of import, notify, stats and report (sql.h). */
struct exr_db;
struct exr_db *exr_store_db(exr_store *s);
/* The --db value with any password replaced by "***": for messages and stored arguments. */
void exr_store_redact(const char *target, char *out, size_t n);
/* Computes every stored state again (restate.c) when the tables differ from those the
 * states were computed with; *changed: rows changed, or -1 when nothing was to do. */
int exr_store_restate(exr_store *s, const exr_buildtab *tab, long *changed, exr_err *e);
/* must_exist: notify, stats and report need a store that is there already. */
int exr_store_open_as(exr_store **out, const char *target, bool must_exist, exr_err *e);

#endif
