/* svg.h: the few chart shapes the report needs, drawn as inline SVG with fixed sizes so a
 * page reads the same on screen and on paper; every label goes through exr_html_esc. */
#ifndef EXR_SVG_H
#define EXR_SVG_H
#include "../core/buf.h"
#include <stdint.h>

void exr_html_esc(exr_buf *out, const char *s);

typedef struct svg_series {
    const char *name;
    const char *color;
    const double *y; /* n values, 0..ymax */
} svg_series;

/* Lines over n points (x labels), y from 0 to ymax with the unit appended to ticks. */
void svg_lines(exr_buf *out, const char *title, const char *const *xlabels, int n, const svg_series *s, int ns, double ymax,
               const char *unit);
/* Horizontal stacked bars: rows labels, k segments per row (values[row*k + i]). */
void svg_hbars(exr_buf *out, const char *title, const char *const *labels, int rows, const double *values, int k,
               const char *const *segnames, const char *const *colors);
/* Dots on a time axis, one row per category. */
void svg_timeline(exr_buf *out, const char *title, const int64_t *t, const int *row, const char *const *colors, int n,
                  const char *const *rowlabels, int nrows);

#endif
