/* enrich.c: `exray enrich compile` (ip-location-db CSVs to one lookup file) and
 * `exray enrich lookup`. */
#include "../core/ipaddr.h"
#include "../notify/ipdb.h"
#include "args.h"
#include "cli.h"
#include <stdio.h>
#include <string.h>

static const char USAGE[] = "usage: exray enrich compile [--asn4 F] [--asn6 F] [--country4 F] [--country6 F] -o FILE\n"
                            "       exray enrich lookup --ipdb FILE ADDRESS...\n";

static int enrich_compile(int argc, char **argv)
{
    const char *a4 = NULL, *a6 = NULL, *c4 = NULL, *c6 = NULL, *out = NULL;
    const char *pos[1];
    int npos;
    exr_flag flags[] = {{"--asn4", &a4}, {"--asn6", &a6}, {"--country4", &c4}, {"--country6", &c6}, {"-o", &out}, {"--output", &out}};
    int a = exr_args_scan("enrich", argc, argv, 2, flags, 6, pos, 0, &npos, USAGE);
    if (a != EXR_ARGS_OK)
        return a == EXR_ARGS_HELP ? 0 : 2;
    if (!out || (!a4 && !a6 && !c4 && !c6)) {
        fprintf(stderr, "exray enrich: compile needs -o FILE and at least one input\n%s", USAGE);
        return 2;
    }
    exr_err e = {0, ""};
    long bad = 0;
    if (exr_ipdb_compile(a4, a6, c4, c6, out, &bad, &e) != 0) {
        fprintf(stderr, "exray enrich: %s\n", e.msg);
        return 2;
    }
    fprintf(stderr, "exray enrich: wrote %s (%ld malformed lines skipped)\n", out, bad);
    return 0;
}

static int enrich_lookup(int argc, char **argv)
{
    const char *path = NULL;
    const char *addrs[256];
    int na;
    exr_flag flags[] = {{"--ipdb", &path}};
    int a = exr_args_scan("enrich", argc, argv, 2, flags, 1, addrs, 256, &na, USAGE);
    if (a != EXR_ARGS_OK)
        return a == EXR_ARGS_HELP ? 0 : 2;
    if (!path || !na) {
        fprintf(stderr, "exray enrich: lookup needs --ipdb FILE and addresses\n%s", USAGE);
        return 2;
    }
    exr_err e = {0, ""};
    exr_ipdb *db;
    if (exr_ipdb_open(&db, path, &e) != 0) {
        fprintf(stderr, "exray enrich: %s\n", e.msg);
        return 2;
    }
    int rc = 0;
    for (int i = 0; i < na; i++) {
        exr_addr ad;
        if (!exr_addr_parse(addrs[i], &ad)) {
            fprintf(stderr, "exray enrich: '%s' is not an address\n", addrs[i]);
            rc = 2;
            continue;
        }
        exr_geo g;
        exr_ipdb_lookup(db, &ad, &g);
        printf("%s\tAS%u\t%.*s\t%s\n", addrs[i], g.asn, (int)(g.as_name ? g.as_name_len : 1), g.as_name ? g.as_name : "-",
               g.cc[0] ? g.cc : "-");
    }
    exr_ipdb_close(db);
    return rc;
}

int exr_cmd_enrich(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "compile") == 0)
        return enrich_compile(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "lookup") == 0)
        return enrich_lookup(argc, argv);
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(USAGE, stdout);
        return 0;
    }
    fprintf(stderr, "exray enrich: compile or lookup\n%s", USAGE);
    return 2;
}
