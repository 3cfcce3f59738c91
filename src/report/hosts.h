/* hosts.h: the report's per-scan counts and its per-host state ("latest": a host's newest
 * Exchange observation, by time then row id), computed in one pass over the observations.
 * A database sorting ten million rows by address to find each host's newest takes minutes;
 * one streamed read and a hash table take one table scan. Both back ends read the same rows,
 * so the figures are the same on either. */
#ifndef EXR_REPORT_HOSTS_H
#define EXR_REPORT_HOSTS_H
#include "../core/err.h"
#include "../core/keyset.h"
#include "../exchange/builds.h"
#include "data.h"

struct exr_db;
/* Fills d->scans (leaving out scans whose name is in incomplete), d->countries, d->asns
 * (the top 20 by hosts) and d->cus (classified with tab). */
int exr_report_hosts(struct exr_db *db, const exr_buildtab *tab, const exr_keyset *incomplete, rdata *d, exr_err *e);

#endif
