/* report.c: `exray report`, the campaign as HTML or Markdown. */
#include "../core/buf.h"
#include "../core/outfile.h"
#include "../report/report.h"
#include "opts.h"
#include "cli.h"
#include "open.h"
#include <stdio.h>
#include <errno.h>
#include <string.h>

int exr_cmd_report(int argc, char **argv)
{
    const exr_cmdspec *spec = &exr_spec_report;
    exr_parsed p;
    int a = exr_opts_parse(spec, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    const char *db = p.val[REPORT_DB], *out = p.val[REPORT_OUTPUT], *hunt = p.val[REPORT_HUNT];
    int md = p.val[REPORT_FORMAT] ? exr_opt_choice(spec, REPORT_FORMAT, p.val[REPORT_FORMAT]) : 0;
    if (md < 0)
        return 2;
    if (!db)
        return exr_opts_fail(spec, "--db FILE is required");
    exr_err e = {0, ""};
    exr_buildtab tab = {0};
    exr_store *s;
    if (exr_cli_tables("report", NULL, p.val[REPORT_VULNS], p.val[REPORT_CVES], p.val[REPORT_KEV_ONLY] != NULL, p.val[REPORT_AS_OF],
                       &tab) != 0)
        return 2;
    if (exr_store_open_existing(&s, db, &e) != 0) {
        fprintf(stderr, "exray report: %s\n", e.msg);
        exr_buildtab_free(&tab);
        return 2;
    }
    if (exr_cli_restate("report", s, &tab) != 0) {
        exr_store_close(s);
        exr_buildtab_free(&tab);
        return 2;
    }
    exr_report_opts o = {hunt, md == 1, md == 2, &tab};
    exr_buf b;
    exr_buf_init(&b);
    int rc = exr_report_write(s, &o, &b, &e);
    exr_store_close(s);
    exr_buildtab_free(&tab);
    if (rc != 0) {
        fprintf(stderr, "exray report: %s\n", e.msg);
        exr_buf_free(&b);
        return 2;
    }
    FILE *f = out ? exr_open_output(out, false) : stdout;
    if (!f || fwrite(b.p, 1, b.len, f) != b.len || (f != stdout && fclose(f) != 0)) {
        fprintf(stderr, "exray report: %s: cannot write: %s\n", out ? out : "stdout", strerror(errno));
        exr_buf_free(&b);
        return 2;
    }
    if (out)
        fprintf(stderr, "exray report: wrote %s (%zu bytes)\n", out, b.len);
    exr_buf_free(&b);
    return 0;
}
