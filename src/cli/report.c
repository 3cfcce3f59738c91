/* report.c: `exray report`, the campaign as HTML or Markdown. */
#include "../core/buf.h"
#include "../report/report.h"
#include "args.h"
#include "cli.h"
#include "open.h"
#include <stdio.h>
#include <string.h>

static const char USAGE[] = "usage: exray report --db FILE [-o report.html] [--format html|md] [--hunt findings.jsonl]\n";

int exr_cmd_report(int argc, char **argv)
{
    const char *db = NULL, *out = NULL, *hunt = NULL, *format = "html";
    const char *pos[1];
    int npos;
    exr_flag flags[] = {{"--db", &db}, {"-o", &out}, {"--output", &out}, {"--hunt", &hunt}, {"--format", &format}};
    int a = exr_args_scan("report", argc, argv, 1, flags, 5, pos, 0, &npos, USAGE);
    if (a != EXR_ARGS_OK)
        return a == EXR_ARGS_HELP ? 0 : 2;
    if (strcmp(format, "md") != 0 && strcmp(format, "html") != 0) {
        fprintf(stderr, "exray report: --format html or md\n");
        return 2;
    }
    if (!db) {
        fprintf(stderr, "exray report: --db FILE is required\n%s", USAGE);
        return 2;
    }
    exr_err e = {0, ""};
    exr_buildtab tab;
    exr_store *s;
    if (exr_cli_open_with_builds("report", db, false, &tab, &s, &e) != 0)
        return 2;
    exr_report_opts o = {hunt, strcmp(format, "md") == 0, &tab};
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
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f || fwrite(b.p, 1, b.len, f) != b.len || (out && fclose(f) != 0)) {
        fprintf(stderr, "exray report: %s: cannot write\n", out ? out : "stdout");
        exr_buf_free(&b);
        return 2;
    }
    if (out)
        fprintf(stderr, "exray report: wrote %s (%zu bytes)\n", out, b.len);
    exr_buf_free(&b);
    return 0;
}
