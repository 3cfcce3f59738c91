/* import.c: `exray import`, Shadowserver reports and exray JSON Lines into the store. */
#include "../notify/import.h"
#include "opts.h"
#include "cli.h"
#include "open.h"
#include <stdio.h>

static void import_report(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "exray import: %s (line skipped)\n", msg);
}

int exr_cmd_import(int argc, char **argv)
{
    const exr_cmdspec *spec = &exr_spec_import;
    exr_parsed p;
    int a = exr_opts_parse(spec, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    if (!p.val[IMPORT_DB])
        return exr_opts_fail(spec, "--db FILE is required");
    exr_err e = {0, ""};
    exr_buildtab tab = {0};
    exr_store *s;
    if (exr_cli_open_with_builds("import", p.val[IMPORT_DB], true, &tab, &s, &e) != 0)
        return 2;
    /* a file is imported again whole after a failure: batches of 10,000 rows, fewer commits */
    exr_store_set_batch(s, 10000);
    int rc = 0;
    exr_buf text;
    exr_buf_init(&text);
    for (int i = 0; i < p.npos; i++) {
        exr_import_stats st = {0, 0, 0, 0, 0};
        if (exr_import_file(s, &tab, p.pos[i], &text, import_report, NULL, &st, &e) != 0) {
            fprintf(stderr, "exray import: %s\n", e.msg);
            rc = 2;
            continue;
        }
        if (st.duplicate_of)
            fprintf(stderr, "exray import: %s: already imported, as scan %lld (the same bytes): not stored again\n", p.pos[i],
                    st.duplicate_of);
        else
            fprintf(stderr, "exray import: %s: %ld rows, %ld imported, %ld skipped\n", p.pos[i], st.rows, st.imported, st.bad);
    }
    exr_buf_free(&text);
    exr_store_close(s);
    exr_buildtab_free(&tab);
    return rc;
}
