/* ipdb.h: offline IP -> ASN, AS name, country. ip-location-db's CSVs are compiled once into
 * a compact file of sorted, non-overlapping ranges (IPv4 and IPv6, one table for ASN and
 * one for country, AS names in a string pool) that is memory-mapped; a 16-bit (IPv4) or
 * 20-bit-of-the-first-32 (IPv6) index narrows each binary search to a few entries.
 * A MaxMind .mmdb is also accepted through libmaxminddb. */
#ifndef EXR_IPDB_H
#define EXR_IPDB_H
#include "../core/err.h"
#include "../core/ipaddr.h"
#include <stddef.h>
#include <stdint.h>

typedef struct exr_ipdb exr_ipdb;

typedef struct exr_geo {
    uint32_t asn;        /* 0 unknown */
    const char *as_name; /* NULL unknown; points into the mapped file (not NUL-terminated) */
    size_t as_name_len;
    char cc[3]; /* "" unknown */
} exr_geo;

/* Compiles CSVs "start,end,asn,name" (asn files) and "start,end,cc" (country files). Any
 * may be NULL. Malformed lines are counted in *bad. */
int exr_ipdb_compile(const char *asn4, const char *asn6, const char *cc4, const char *cc6, const char *out, long *bad, exr_err *e);
/* Opens a compiled file, or a .mmdb (by its name). */
int exr_ipdb_open(exr_ipdb **db, const char *path, exr_err *e);
void exr_ipdb_close(exr_ipdb *db);
void exr_ipdb_lookup(const exr_ipdb *db, const exr_addr *a, exr_geo *out);

#endif
