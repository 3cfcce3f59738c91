/* findings.h: the thread-safe collection of hunt findings, input problems, coverage and
 * build history for one ROOT, and its outputs (JSON Lines, Timesketch CSV). */
#ifndef EXR_FINDINGS_H
#define EXR_FINDINGS_H
#include "../core/buf.h"
#include "checks.h"
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define EXR_NO_TIME INT64_MIN

typedef struct exr_finding {
    const exr_check *check;
    int severity;
    char *path;      /* relative to the root, '/'-separated */
    long line;       /* 0 = none */
    int64_t time_ms; /* EXR_NO_TIME = none */
    char *client_ip; /* or NULL */
    char *evidence;  /* bounded, printable */
    const char *time_desc;
    struct exr_rule_meta *rule; /* external YARA rule that matched, or NULL */
} exr_finding;

/* What a community rule says about itself (Loki/THOR meta names). */
typedef struct exr_rule_meta {
    char *name, *file, *description, *author, *reference;
    long score; /* -1 when the rule has none */
} exr_rule_meta;

typedef struct exr_coverage {
    char name[64];
    long files;
    int64_t oldest_ms, newest_ms;
} exr_coverage;

typedef struct exr_buildobs {
    int64_t hour; /* epoch hours */
    uint32_t v[4];
} exr_buildobs;

typedef struct exr_hunt_out {
    pthread_mutex_t mu;
    char *root_name;
    exr_finding *f;
    size_t nf, capf;
    char **problems; /* "file:line: what" */
    size_t nprob, capprob;
    long problems_total;
    exr_coverage cov[48];
    int ncov;
    exr_buildobs *b;
    size_t nb, capb;
    bool decode_paths; /* a Velociraptor collection: finding paths with %XX undone */
} exr_hunt_out;

void exr_hunt_out_init(exr_hunt_out *o, const char *root_name);
void exr_hunt_out_free(exr_hunt_out *o);
void exr_hunt_add(exr_hunt_out *o, const char *check_id, int severity_or_minus1, const char *path, long line, int64_t time_ms,
                  const char *client_ip, size_t iplen, const char *evidence, size_t evlen);
/* Like exr_hunt_add, and the finding carries the rule's metadata (copied). */
void exr_hunt_add_rule(exr_hunt_out *o, const char *check_id, int severity, const char *path, int64_t time_ms, const char *evidence,
                       size_t evlen, const exr_rule_meta *m);
/* A file or folder that could not be examined (fully): a hunt.not-examined finding with
 * the reason, and an input problem; the verdict of the root is then incomplete. */
void exr_hunt_not_examined(exr_hunt_out *o, const char *rel, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void exr_hunt_problem(exr_hunt_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void exr_hunt_cover(exr_hunt_out *o, const char *folder, int64_t oldest_ms, int64_t newest_ms);
void exr_hunt_builds(exr_hunt_out *o, const exr_buildobs *b, size_t n);
/* Sorts findings by time (untimed last), then path and line. */
void exr_hunt_sort(exr_hunt_out *o);
void exr_finding_json(const exr_hunt_out *o, const exr_finding *f, exr_buf *out);
/* The finding as an IntelMQ event (flat harmonization names, RSIT classification). */
void exr_finding_intelmq(const exr_hunt_out *o, const exr_finding *f, exr_buf *out);
void exr_timeline_header(exr_buf *out);
void exr_finding_timeline(const exr_hunt_out *o, const exr_finding *f, exr_buf *out);
/* "2021-03-03T07:13:14Z" */
void exr_fmt_ms(int64_t ms, char *out, size_t n);
/* Parses "YYYY-MM-DD[T ]HH:MM:SS[.fff][Z]"; returns EXR_NO_TIME when it is not one. */
int64_t exr_parse_time(const char *s, size_t n);

#endif
