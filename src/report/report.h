/* report.h: the campaign at a glance: one self-contained HTML page (inline CSS and SVG, no
 * script, no external resource) or the same figures as Markdown tables. Charts are rows of
 * a table (like zmap's modules): adding one touches one function and one line. */
#ifndef EXR_REPORT_H
#define EXR_REPORT_H
#include "../core/buf.h"
#include "../core/err.h"
#include "../exchange/builds.h"
#include "../store/store.h"

typedef struct exr_report_opts {
    const char *hunt_jsonl; /* optional: a hunt's findings to draw as a timeline */
    int markdown;           /* Markdown tables instead of HTML */
    int json;               /* one JSON object instead (json.c) */
    const exr_buildtab *builds;
} exr_report_opts;

int exr_report_write(exr_store *s, const exr_report_opts *o, exr_buf *out, exr_err *e);

#endif
