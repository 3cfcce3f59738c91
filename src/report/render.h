/* render.h: what the report's sections share: Markdown cell escaping, percentages, the
 * one-sentence reading above a chart, and the sections drawn from the vulnerability table
 * (cvesec.c). */
#ifndef EXR_REPORT_RENDER_H
#define EXR_REPORT_RENDER_H
#include "../core/buf.h"
#include "data.h"

void exr_rep_md_cell(exr_buf *out, const char *s);
double exr_rep_pct(long a, long b);
void exr_rep_reading(exr_buf *out, const char *text);

int exr_rep_has_kev(const rdata *d);
void exr_rep_kev_html(const rdata *d, exr_buf *out);
void exr_rep_kev_md(const rdata *d, exr_buf *out);
int exr_rep_has_cves(const rdata *d);
void exr_rep_cves_html(const rdata *d, exr_buf *out);
void exr_rep_cves_md(const rdata *d, exr_buf *out);
int exr_rep_has_support(const rdata *d);
void exr_rep_support_html(const rdata *d, exr_buf *out);
void exr_rep_support_md(const rdata *d, exr_buf *out);

/* The report as one JSON object (json.c): the same figures as the page. */
void exr_report_json(const rdata *d, exr_buf *out);

#endif
