/* targets.h: what to scan. Parses target lines (addresses, CIDRs, hostnames, host:port,
 * https:// URLs, zmap and masscan -oL output), port lists and zmap-format blocklists, and
 * applies the blocklist rules:
 *   - a user blocklist (--blocklist) always removes what it lists;
 *   - the default blocklist removes reserved ranges from any target that merely contains
 *     them, but a target lying wholly inside a default-blocked range is an explicit choice
 *     (your own 10.0.0.0/8, 127.77.0.0/20 in tests) and is kept. */
#ifndef EXR_TARGETS_H
#define EXR_TARGETS_H
#include "../core/err.h"
#include "rangeset.h"
#include <stdbool.h>
#include <stdint.h>

#define EXR_MAX_PORTS 64

typedef struct exr_hostname_target {
    char *name;
    uint16_t port; /* 0: use the port list */
} exr_hostname_target;

typedef struct exr_pair {
    exr_addr addr;
    uint16_t port;
} exr_pair;

typedef struct exr_targets {
    exr_rangeset ranges_in; /* raw target ranges scanned on every port of the list (freed by finish) */
    size_t nranges_in;      /* how many there were, after merging */
    exr_pair *pairs;        /* addr:port targets with their own port */
    size_t npairs, cappairs;
    exr_hostname_target *names;
    size_t nnames, capnames;
    uint16_t ports[EXR_MAX_PORTS];
    int nports;
    exr_rangeset user_block;    /* normalized */
    exr_rangeset default_block; /* normalized */
    /* after exr_targets_finish: */
    exr_rangeset ranges; /* indexed, blocklists applied */
    uint64_t blocked;    /* addresses removed by blocklists (approximate for huge sets) */
} exr_targets;

void exr_targets_init(exr_targets *t);
void exr_targets_free(exr_targets *t);
/* One target spec; where names the source ("FILE:LINE" or "argument") for errors. */
int exr_targets_add_line(exr_targets *t, const char *line, const char *where, exr_err *e);
/* Reads a file ("-" = stdin), one target per line, # comments. */
int exr_targets_add_file(exr_targets *t, const char *path, exr_err *e);
int exr_ports_parse(const char *s, uint16_t *ports, int *nports, exr_err *e);
/* zmap blocklist format: CIDR or address per line, # comments. */
int exr_blocklist_parse(exr_rangeset *out, const char *text, size_t len, const char *name, exr_err *e);
int exr_blocklist_add_file(exr_targets *t, const char *path, exr_err *e);
int exr_blocklist_load_default(exr_targets *t, exr_err *e);
/* Applies blocklists, dedups pairs, builds the index. Fails if the space is too big. */
int exr_targets_finish(exr_targets *t, exr_err *e);
/* True if a resolved or explicit single address may be scanned (user blocklist only). */
bool exr_targets_allowed(const exr_targets *t, const exr_addr *a);
/* Validates a DNS name (letters, digits, '-', '_', '.'; labels <= 63; total <= 253). */
bool exr_hostname_valid(const char *s, size_t n);
/* SHA-256 (hex) of a finished target set: the same set gives the same digest. */
void exr_targets_digest(const exr_targets *t, char out[65]);

#endif
