/* intelmq.h: IntelMQ events (harmonization field names, flat JSON Lines) for scan
 * records; the time and name helpers are shared with the hunt's events. */
#ifndef EXR_INTELMQ_H
#define EXR_INTELMQ_H
#include "record.h"
#include <stdbool.h>
#include <time.h>

/* "2021-03-02T10:00:00+00:00", IntelMQ's DateTime */
void exr_intelmq_time(time_t t, char *out, size_t n);
/* A host name as IntelMQ's FQDN type takes it; false if it is not one. */
bool exr_intelmq_fqdn(const char *in, char *out, size_t n);
/* One event line for an Exchange server; nothing for other hosts. */
void exr_result_intelmq(const exr_result *r, exr_buf *out);

#endif
