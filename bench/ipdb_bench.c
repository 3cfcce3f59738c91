/* ipdb_bench.c: lookups per second on one core, exray's compiled ip-location-db file
 * (ASN, AS name and country fetched) against libmaxminddb on ip-location-db's .mmdb
 * (country; ip-location-db publishes no ASN .mmdb on npm), same random addresses, same run.
 * usage: ipdb_bench EXRAY-IPDB MMDB [N] */
#include "core/ipaddr.h"
#include "notify/ipdb.h"
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    long n = argc > 3 ? atol(argv[3]) : 2000000;
    exr_err e;
    exr_ipdb *db;
    if (exr_ipdb_open(&db, argv[1], &e) != 0) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    MMDB_s mm;
    if (MMDB_open(argv[2], MMDB_MODE_MMAP, &mm) != MMDB_SUCCESS)
        return 1;
    exr_addr *a = malloc((size_t)n * sizeof *a);
    struct sockaddr_storage *ss = malloc((size_t)n * sizeof *ss);
    uint64_t x = 88172645463325252ull;
    for (long i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        a[i].family = 4;
        a[i].v = (uint32_t)x;
        exr_addr_sockaddr(&a[i], 0, &ss[i]);
    }
    /* warm both */
    volatile unsigned sink = 0;
    for (int r = 0; r < 2; r++) {
        double t0 = now();
        for (long i = 0; i < n; i++) {
            exr_geo g;
            exr_ipdb_lookup(db, &a[i], &g);
            sink += g.asn + (unsigned)g.as_name_len + (unsigned char)g.cc[0];
        }
        double t1 = now();
        for (long i = 0; i < n; i++) {
            int err;
            MMDB_lookup_result_s res = MMDB_lookup_sockaddr(&mm, (struct sockaddr *)&ss[i], &err);
            if (err == MMDB_SUCCESS && res.found_entry) {
                MMDB_entry_data_s d;
                if (MMDB_get_value(&res.entry, &d, "country_code", NULL) == MMDB_SUCCESS && d.has_data)
                    sink += d.data_size;
            }
        }
        double t2 = now();
        if (r == 1) {
            double re = (double)n / (t1 - t0), rm = (double)n / (t2 - t1);
            printf("%-48s %12.0f lookups/s\n", "libmaxminddb (.mmdb, country)", rm);
            printf("%-48s %12.0f lookups/s\n", "exray ipdb (ASN, AS name, country)", re);
            printf("ratio exray/libmaxminddb: %.2f (target >= 1.5)\n", re / rm);
        }
    }
    (void)sink;
    exr_ipdb_close(db);
    MMDB_close(&mm);
    free(a);
    free(ss);
    return 0;
}
