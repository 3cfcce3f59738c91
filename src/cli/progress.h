/* progress.h: zmap-style status line on stderr, redrawn in place. */
#ifndef EXR_PROGRESS_H
#define EXR_PROGRESS_H
#include <stdint.h>

/* elapsed_ms since start; prints "\r..." with done/total, rate, ETA and extra text. */
void exr_progress_line(uint64_t done, uint64_t total, int64_t elapsed_ms, const char *extra);
void exr_progress_clear(void);
void exr_fmt_duration(int64_t secs, char *out, int n);

#endif
