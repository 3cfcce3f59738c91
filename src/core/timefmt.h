/* timefmt.h: wall-clock and monotonic time helpers. */
#ifndef EXR_TIMEFMT_H
#define EXR_TIMEFMT_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* RFC 3339 UTC, e.g. 2021-03-02T10:00:00Z (out needs 21 bytes). */
void exr_time_rfc3339(time_t t, char *out, size_t n);
/* Shadowserver's "YYYY-MM-DD HH:MM:SS" UTC. */
void exr_time_shadow(time_t t, char *out, size_t n);
/* Monotonic milliseconds. */
int64_t exr_now_ms(void);

#endif
