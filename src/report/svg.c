/* svg.c: see svg.h. */
#include "svg.h"
#include "../hunt/findings.h"
#include <stdio.h>
#include <string.h>

void exr_html_esc(exr_buf *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': exr_buf_adds(out, "&amp;"); break;
        case '<': exr_buf_adds(out, "&lt;"); break;
        case '>': exr_buf_adds(out, "&gt;"); break;
        case '"': exr_buf_adds(out, "&quot;"); break;
        case '\'': exr_buf_adds(out, "&#39;"); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                exr_buf_addc(out, ' ');
            else
                exr_buf_addc(out, *s);
        }
    }
}

static void open_svg(exr_buf *out, const char *title, int w, int h)
{
    exr_buf_printf(out,
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                   "role=\"img\" aria-label=\"",
                   w, h, w, h);
    exr_html_esc(out, title);
    exr_buf_adds(out, "\">");
}

void svg_lines(exr_buf *out, const char *title, const char *const *xl, int n, const svg_series *s, int ns, double ymax, const char *unit)
{
    const int W = 680, H = 280, L = 48, R = 150, T = 16, B = 48;
    open_svg(out, title, W, H);
    double pw = W - L - R, ph = H - T - B;
    for (int i = 0; i <= 4; i++) {
        double y = T + ph - ph * i / 4.0;
        exr_buf_printf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", L, y, L + pw, y);
        exr_buf_printf(out, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%.0f%s</text>", L - 6, y + 4, ymax * i / 4.0,
                       unit);
    }
    int step = n > 12 ? (n + 11) / 12 : 1;
    for (int i = 0; i < n; i += step) {
        double x = n > 1 ? L + pw * i / (n - 1) : L + pw / 2;
        exr_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">", x, H - B + 18);
        exr_html_esc(out, xl[i]);
        exr_buf_adds(out, "</text>");
    }
    for (int k = 0; k < ns; k++) {
        exr_buf_printf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" points=\"", s[k].color);
        for (int i = 0; i < n; i++) {
            double x = n > 1 ? L + pw * i / (n - 1) : L + pw / 2;
            double y = T + ph - ph * (s[k].y[i] > ymax ? 1 : s[k].y[i] / ymax);
            exr_buf_printf(out, "%.1f,%.1f ", x, y);
        }
        exr_buf_adds(out, "\"/>");
        for (int i = 0; i < n; i++) {
            double x = n > 1 ? L + pw * i / (n - 1) : L + pw / 2;
            double y = T + ph - ph * (s[k].y[i] > ymax ? 1 : s[k].y[i] / ymax);
            exr_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, y, s[k].color);
        }
        exr_buf_printf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", L + pw + 16, T + 6 + 22 * k, s[k].color);
        exr_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" class=\"legend\">", L + pw + 34, T + 17 + 22 * k);
        exr_html_esc(out, s[k].name);
        exr_buf_adds(out, "</text>");
    }
    exr_buf_adds(out, "</svg>");
}

void svg_hbars(exr_buf *out, const char *title, const char *const *labels, int rows, const double *v, int k, const char *const *segnames,
               const char *const *colors)
{
    const int W = 760, L = 250, R = 20, T = 30, RH = 22;
    int H = T + rows * RH + 10;
    open_svg(out, title, W, H);
    double max = 0;
    for (int r = 0; r < rows; r++) {
        double sum = 0;
        for (int i = 0; i < k; i++)
            sum += v[r * k + i];
        if (sum > max)
            max = sum;
    }
    if (max <= 0)
        max = 1;
    double pw = W - L - R;
    for (int i = 0; i < k; i++) {
        exr_buf_printf(out, "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/>", L + i * 150, colors[i]);
        exr_buf_printf(out, "<text x=\"%d\" y=\"17\" class=\"legend\">", L + i * 150 + 18);
        exr_html_esc(out, segnames[i]);
        exr_buf_adds(out, "</text>");
    }
    for (int r = 0; r < rows; r++) {
        int y = T + r * RH;
        exr_buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">", L - 6, y + 15);
        char lab[64];
        snprintf(lab, sizeof lab, "%.34s%s", labels[r], strlen(labels[r]) > 34 ? "…" : "");
        exr_html_esc(out, lab);
        exr_buf_adds(out, "</text>");
        double x = L;
        for (int i = 0; i < k; i++) {
            double w = pw * v[r * k + i] / max;
            if (w > 0)
                exr_buf_printf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>", x, y + 3, w, colors[i]);
            x += w;
        }
    }
    exr_buf_adds(out, "</svg>");
}

void svg_timeline(exr_buf *out, const char *title, const int64_t *t, const int *row, const char *const *colors, int n,
                  const char *const *rowlabels, int nrows)
{
    const int W = 680, L = 230, R = 20, T = 10, RH = 22, B = 36;
    int H = T + nrows * RH + B;
    open_svg(out, title, W, H);
    int64_t lo = t[0], hi = t[0];
    for (int i = 1; i < n; i++) {
        if (t[i] < lo)
            lo = t[i];
        if (t[i] > hi)
            hi = t[i];
    }
    if (hi == lo)
        hi = lo + 3600000;
    double pw = W - L - R;
    for (int r = 0; r < nrows; r++) {
        exr_buf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"grid\"/>", L, T + r * RH + 11, W - R, T + r * RH + 11);
        exr_buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">", L - 6, T + r * RH + 15);
        exr_html_esc(out, rowlabels[r]);
        exr_buf_adds(out, "</text>");
    }
    for (int i = 0; i < n; i++) {
        double x = L + pw * (double)(t[i] - lo) / (double)(hi - lo);
        exr_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\" fill-opacity=\"0.8\"/>", x, T + row[i] * RH + 11, colors[i]);
    }
    char a[32], b[32];
    exr_fmt_ms(lo, a, sizeof a);
    exr_fmt_ms(hi, b, sizeof b);
    exr_buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>", L, H - 10, a);
    exr_buf_printf(out, "<text x=\"%d\" y=\"%d\" class=\"tick\" text-anchor=\"end\">%s</text>", W - R, H - 10, b);
    exr_buf_adds(out, "</svg>");
}
