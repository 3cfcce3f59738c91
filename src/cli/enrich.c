/* enrich.c: `exray enrich compile` (ip-location-db CSVs to one lookup file) and
 * `exray enrich lookup`. */
#include "../core/ipaddr.h"
#include "../notify/ipdb.h"
#include "opts.h"
#include "cli.h"
#include <stdio.h>
#include <string.h>

static int enrich_compile(int argc, char **argv)
{
    const exr_cmdspec *spec = &exr_spec_enrich_compile;
    exr_parsed p;
    int a = exr_opts_parse(spec, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    const char *a4 = p.val[ECOMPILE_ASN4], *a6 = p.val[ECOMPILE_ASN6], *c4 = p.val[ECOMPILE_COUNTRY4], *c6 = p.val[ECOMPILE_COUNTRY6];
    const char *out = p.val[ECOMPILE_OUTPUT];
    if (!out || (!a4 && !a6 && !c4 && !c6))
        return exr_opts_fail(spec, "compile needs -o FILE and at least one of --asn4, --asn6, --country4, --country6");
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
    exr_parsed p;
    int a = exr_opts_parse(&exr_spec_enrich_lookup, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    if (!p.val[ELOOKUP_IPDB])
        return exr_opts_fail(&exr_spec_enrich_lookup, "--ipdb FILE is required");
    exr_err e = {0, ""};
    exr_ipdb *db;
    if (exr_ipdb_open(&db, p.val[ELOOKUP_IPDB], &e) != 0) {
        fprintf(stderr, "exray enrich: %s\n", e.msg);
        return 2;
    }
    int rc = 0;
    for (int i = 0; i < p.npos; i++) {
        exr_addr ad;
        if (!exr_addr_parse(p.pos[i], &ad)) {
            fprintf(stderr, "exray enrich: '%s' is not an address\n", p.pos[i]);
            rc = 2;
            continue;
        }
        exr_geo g;
        exr_ipdb_lookup(db, &ad, &g);
        printf("%s\tAS%u\t%.*s\t%s\n", p.pos[i], g.asn, (int)(g.as_name ? g.as_name_len : 1), g.as_name ? g.as_name : "-",
               g.cc[0] ? g.cc : "-");
    }
    exr_ipdb_close(db);
    return rc;
}

int exr_cmd_enrich(int argc, char **argv)
{
    static const exr_subcmd subs[] = {{"compile", enrich_compile, &exr_spec_enrich_compile},
                                      {"lookup", enrich_lookup, &exr_spec_enrich_lookup}};
    return exr_opts_dispatch("enrich", subs, 2, argc, argv);
}
