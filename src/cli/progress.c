/* progress.c: see progress.h. */
#include "progress.h"
#include <stdio.h>

void exr_fmt_duration(int64_t s, char *out, int n)
{
    if (s < 0)
        s = 0;
    if (s >= 3600)
        snprintf(out, (size_t)n, "%lldh%02lldm", (long long)(s / 3600), (long long)(s % 3600 / 60));
    else if (s >= 60)
        snprintf(out, (size_t)n, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
    else
        snprintf(out, (size_t)n, "%llds", (long long)s);
}

void exr_progress_line(uint64_t done, uint64_t total, int64_t elapsed_ms, const char *extra)
{
    double pct = total ? 100.0 * (double)done / (double)total : 100.0;
    double rate = elapsed_ms > 0 ? (double)done * 1000.0 / (double)elapsed_ms : 0;
    char eta[32] = "?";
    if (rate > 0 && total >= done)
        exr_fmt_duration((int64_t)((double)(total - done) / rate), eta, sizeof eta);
    char el[32];
    exr_fmt_duration(elapsed_ms / 1000, el, sizeof el);
    fprintf(stderr, "\r\033[K%s %5.1f%% (%s left); %llu/%llu hosts; %.0f hosts/s; %s", el, pct, eta, (unsigned long long)done,
            (unsigned long long)total, rate, extra ? extra : "");
    fflush(stderr);
}

void exr_progress_clear(void)
{
    fputs("\r\033[K", stderr);
    fflush(stderr);
}
