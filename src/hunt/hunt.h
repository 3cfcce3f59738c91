/* hunt.h: `exray hunt` as a library: discover a ROOT's layout, run every check over its
 * logs, event logs and files on a pool of threads, collect findings. */
#ifndef EXR_HUNT_H
#define EXR_HUNT_H
#include "../core/err.h"
#include "../exchange/builds.h"
#include "findings.h"
#include "layout.h"
#include <stdbool.h>

struct exr_hunt_rules; /* compiled YARA rules, files.c */

typedef struct exr_hunt_opts {
    int threads;
    const char *const *rule_paths; /* extra YARA rule files or folders */
    int nrule_paths;
    bool rules_strict;       /* a rule file that does not compile stops the hunt */
    const char *rules_cache; /* folder of compiled --rules kept between runs; NULL: none */
    /* told of each rule file left out (file, "file:line: error"); may be NULL */
    void (*rule_warn)(void *ctx, const char *file, const char *error);
    void *rule_warn_ctx;
    const exr_buildtab *builds;
    exr_layout_overrides ov;
} exr_hunt_opts;

typedef struct exr_hunt {
    exr_layout lay;
    exr_hunt_out out;
    const exr_hunt_opts *opts;
    struct exr_hunt_rules *rules; /* files.c */
    struct exr_archive *arch;     /* the ROOT is a collection archive (vfs.c), else NULL */
    long files_read;
    long long bytes_read;
} exr_hunt;

/* Compiles the built-in rules plus opts->rule_paths once (shared by all roots). */
int exr_hunt_rules_load(const exr_hunt_opts *o, void **rules, exr_err *e);
void exr_hunt_rules_free(void *rules);
/* The built-in rules matching one buffer (normalised first): their count, up to max names
 * (pointers into the rules), or -1 on a scan error. For tests and tools. */
int exr_hunt_rules_match(const struct exr_hunt_rules *r, const unsigned char *buf, size_t n, const char **names, int max);
/* Runs a whole hunt on one root; 0 or -1 (unusable root). */
int exr_hunt_run(exr_hunt *h, const char *root, const exr_hunt_opts *o, void *rules, exr_err *e);
void exr_hunt_free(exr_hunt *h);

/* per-file processors (logs.c, evtx.c, files.c) */
void exr_hunt_httpproxy_file(exr_hunt *h, const char *full, const char *folder);
void exr_hunt_ecp_file(exr_hunt *h, const char *full);
void exr_hunt_oab_file(exr_hunt *h, const char *full);
void exr_hunt_iis_file(exr_hunt *h, const char *full, const char *folder);
void exr_hunt_evtx_file(exr_hunt *h, const char *full);
/* Scans one file for web shells: every byte, in overlapping windows, whatever its size. */
void exr_hunt_web_file(exr_hunt *h, const char *full, const char *name, long long mtime_s);
/* Frees what a worker thread kept between files (its --rules scanner); call as it ends. */
void exr_hunt_thread_end(void);
/* True for the extensions IIS hands to ASP.NET or classic ASP (and code-behind sources). */
bool exr_hunt_aspnet_name(const char *name);
void exr_hunt_dump_file(exr_hunt *h, const char *full, const char *name, long long mtime_s);
void exr_hunt_archive_file(exr_hunt *h, const char *full, const char *name, long long mtime_s);

#endif
