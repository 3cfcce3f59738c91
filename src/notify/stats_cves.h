/* stats_cves.h: per scan, the Exchange hosts open by version to a selected CVE and to a
 * known exploited one, from the builds the store holds and the tables (exray stats). */
#ifndef EXR_STATS_CVES_H
#define EXR_STATS_CVES_H
#include "../core/err.h"
#include "../exchange/builds.h"
#include "../store/store.h"
#include <stddef.h>

typedef struct exr_scan_cves {
    char key[64]; /* the scan's --scan-name, or its id */
    long long open, kev;
} exr_scan_cves;

/* One entry per scan key with an Exchange observation; *out is the caller's to free. */
int exr_stats_cves(exr_store *s, const exr_buildtab *tab, exr_scan_cves **out, size_t *n, exr_err *e);

#endif
