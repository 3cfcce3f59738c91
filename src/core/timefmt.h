/* timefmt.h: wall-clock and monotonic time helpers, and the one timestamp form the store
 * writes: RFC 3339 UTC with microseconds, fixed width, so that text order is time order
 * and two events in the same second still compare correctly. */
#ifndef EXR_TIMEFMT_H
#define EXR_TIMEFMT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* "2021-03-02T10:00:00.123456Z" and its NUL */
#define EXR_TSTAMP_LEN 28

/* RFC 3339 UTC, e.g. 2021-03-02T10:00:00Z (out needs 21 bytes). */
void exr_time_rfc3339(time_t t, char *out, size_t n);
/* The store's form: RFC 3339 UTC with six fractional digits (out needs EXR_TSTAMP_LEN). */
void exr_time_stamp(int64_t us, char *out, size_t n);
/* Shadowserver's "YYYY-MM-DD HH:MM:SS" UTC. */
void exr_time_shadow(time_t t, char *out, size_t n);
/* Wall-clock microseconds since 1970. */
int64_t exr_clock_us(void);
/* Monotonic milliseconds. */
int64_t exr_now_ms(void);
/* Parses "YYYY-MM-DD[T| ]hh:mm:ss[.fraction][Z|+hh:mm|-hh:mm]" (no zone: UTC) into
 * microseconds since 1970 UTC. Refuses impossible fields (month 13, 31 April, hour 24,
 * minute 60) and anything after the zone. */
bool exr_time_parse(const char *s, int64_t *us);
/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
int64_t exr_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
