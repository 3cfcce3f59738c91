/* open.c: build table + store for import and report. */
#include "open.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

/* A table older than the builds it judges says "patched" where it cannot know: said once a
 * run, on standard error, by every command that gives verdicts (vulns --check says it too). */
static void warn_stale(const char *cmd, const exr_buildtab *tab)
{
    if (strcmp(cmd, "vulns") == 0 || !tab->vulns)
        return;
    const exr_build_row *miss[8];
    size_t n = exr_buildtab_uncovered(tab, miss, 8);
    if (n) {
        fprintf(stderr,
                "exray %s: warning: the vulnerability table names no CVE of %s%s%s: servers on %s are judged without them; "
                "exray vulns --check\n",
                cmd, miss[0]->update, n > 1 ? " and later updates the build table knows, such as " : "", n > 1 ? miss[n - 1]->update : "",
                n > 1 ? "them" : "it");
    }
    long age = exr_day_age(tab->vulns->kev_date, (long long)time(NULL));
    if (age > 90)
        fprintf(stderr,
                "exray %s: warning: known exploited (KEV) dates from CISA's catalog of %s, %ld days old: CVEs added since are not "
                "marked; refresh with exray vulns --import known_exploited_vulnerabilities.csv\n",
                cmd, tab->vulns->kev_date, age);
}

int exr_cli_tables(const char *cmd, const char *builds, const char *vulns, const char *cves, bool kev_only, const char *asof,
                   exr_buildtab *tab)
{
    exr_err e = {0, ""};
    if ((builds ? exr_buildtab_load_file(tab, builds, &e) : exr_buildtab_load_default(tab, &e)) != 0 ||
        (vulns && exr_buildtab_load_vulns(tab, vulns, &e) != 0) || (cves && exr_vulntab_select(&tab->vt, cves, &e) != 0) ||
        (kev_only && !cves && exr_vulntab_select(&tab->vt, "kev", &e) != 0)) {
        fprintf(stderr, "exray %s: %s\n", cmd, e.msg);
        exr_buildtab_free(tab);
        return -1;
    }
    if (cves && kev_only) {
        fprintf(stderr, "exray %s: --kev-only is --cves kev: give one of the two\n", cmd);
        exr_buildtab_free(tab);
        return -1;
    }
    if (asof && !exr_buildtab_set_asof(tab, asof)) {
        fprintf(stderr, "exray %s: --as-of '%s': give a day as YYYY-MM-DD\n", cmd, asof);
        exr_buildtab_free(tab);
        return -1;
    }
    warn_stale(cmd, tab);
    return 0;
}

int exr_cli_open_with_builds(const char *cmd, const char *db, bool create, exr_buildtab *tab, exr_store **s, exr_err *e)
{
    if (exr_buildtab_load_default(tab, e) != 0) {
        fprintf(stderr, "exray %s: %s\n", cmd, e->msg);
        return -1;
    }
    warn_stale(cmd, tab);
    if ((create ? exr_store_open(s, db, e) : exr_store_open_existing(s, db, e)) != 0) {
        fprintf(stderr, "exray %s: %s\n", cmd, e->msg);
        exr_buildtab_free(tab);
        return -1;
    }
    if (exr_cli_restate(cmd, *s, tab) != 0) {
        exr_store_close(*s);
        exr_buildtab_free(tab);
        return -1;
    }
    return 0;
}

int exr_cli_restate(const char *cmd, exr_store *s, const exr_buildtab *tab)
{
    exr_err e = {0, ""};
    long changed;
    if (exr_store_restate(s, tab, &changed, &e) != 0) {
        fprintf(stderr, "exray %s: %s\n", cmd, e.msg);
        return -1;
    }
    if (changed > 0)
        fprintf(stderr,
                "exray %s: the tables in use differ from those the stored states were computed with: %ld observations judged again\n", cmd,
                changed);
    return 0;
}
