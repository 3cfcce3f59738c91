/* builds.c: `exray builds VERSION...` and `exray builds --list`. */
#include "../exchange/builds.h"
#include "cli.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

int exr_cmd_builds(int argc, char **argv)
{
    static const struct option opts[] = {
        {"list", no_argument, 0, 'l'}, {"builds", required_argument, 0, 'b'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *file = NULL;
    int list = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "lb:h", opts, NULL)) != -1) {
        switch (c) {
        case 'l': list = 1; break;
        case 'b': file = optarg; break;
        case 'h':
            printf("usage: exray builds [--builds FILE] VERSION...\n       exray builds [--builds FILE] --list\n\n"
                   "Prints what an Exchange build is (product, CU, security update) and its verdict for\n"
                   "ProxyLogon, ProxyShell and ProxyNotShell. A 3-part build (what OWA's page path shows)\n"
                   "is 'undetermined' when its CU received a fixing security update.\n");
            return 0;
        default: return 2;
        }
    }
    exr_buildtab tab;
    exr_err e = {0, ""};
    if ((file ? exr_buildtab_load_file(&tab, file, &e) : exr_buildtab_load_default(&tab, &e)) != 0) {
        fprintf(stderr, "exray builds: %s\n", e.msg);
        return 2;
    }
    int rc = 0;
    if (list) {
        printf("%-7s %-10s %-16s %-10s %-6s %-10s %-10s %s\n", "product", "cu", "build", "released", "kind", "update", "kb", "fixes");
        for (size_t i = 0; i < tab.n; i++) {
            const exr_build_row *r = &tab.rows[i];
            char v[40], fx[64] = "";
            exr_version_format(&r->build, v, sizeof v);
            for (int s = 0; s < EXR_NSETS; s++)
                if (r->fixes & (1u << s)) {
                    if (fx[0])
                        strcat(fx, ";");
                    strcat(fx, exr_vset_name[s]);
                }
            printf("%-7s %-10s %-16s %-10s %-6s %-10s %-10s %s\n", r->product, r->cu, v, r->released, exr_rowkind_name(r->kind),
                   r->update[0] ? r->update : "-", r->kb[0] ? r->kb : "-", fx[0] ? fx : "-");
        }
    } else if (optind >= argc) {
        fprintf(stderr, "exray builds: give a build number such as 15.2.858.5, or --list\n");
        rc = 2;
    }
    for (int i = optind; !list && i < argc; i++) {
        exr_version v;
        if (!exr_version_parse(argv[i], strlen(argv[i]), &v)) {
            fprintf(stderr, "exray builds: '%s' is not a build number (a.b.c or a.b.c.d)\n", argv[i]);
            rc = 2;
            continue;
        }
        exr_build_info bi;
        exr_build_classify(&tab, &v, &bi);
        char vs[40];
        exr_version_format(&v, vs, sizeof vs);
        printf("%s: Exchange %s %s%s%s", vs, bi.product ? bi.product : "(unknown version)", bi.cu ? bi.cu : "(unknown CU)",
               bi.su ? " " : "", bi.su ? bi.su : "");
        if (bi.released)
            printf(", released %s", bi.released);
        printf(v.n == 3 ? " (CU-level build: the SU level is not visible)\n"
                        : bi.exact ? "\n" : " (revision not in the table; compared numerically)\n");
        for (int s = 0; s < EXR_NSETS; s++)
            printf("  %-14s %-13s %s\n", exr_vset_name[s], exr_verdict_name(bi.verdict[s]), bi.why[s]);
    }
    exr_buildtab_free(&tab);
    return rc;
}
