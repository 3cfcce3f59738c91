/* stats_cves.c: see stats_cves.h. One grouping by (scan, build) in the database, then each
 * distinct build classified once here: the store keeps builds, never a row per CVE. */
#include "stats_cves.h"
#include "../core/buf.h"
#include "../store/sql.h"
#include "state.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int exr_stats_cves(exr_store *s, const exr_buildtab *tab, exr_scan_cves **out, size_t *n, exr_err *e)
{
    *out = NULL;
    *n = 0;
    exr_db *db = exr_store_db(s);
    exr_stmt *st;
    if (exr_db_prepare(db,
                       "SELECT COALESCE(s.name, CAST(s.id AS TEXT)) AS k, o.build, COUNT(DISTINCT o.ip) FROM observations o"
                       " JOIN scans s ON s.id = o.scan_id WHERE o.exchange = 1 GROUP BY COALESCE(s.name, CAST(s.id AS TEXT)), o.build"
                       " ORDER BY 1",
                       &st) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "stats per CVE");
    exr_build_memo *memo = exr_xcalloc(1, sizeof *memo);
    exr_build_info *bi = exr_xcalloc(1, sizeof *bi);
    size_t cap = 0;
    int rc;
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW) {
        const char *k = exr_stmt_text(st, 0) ? exr_stmt_text(st, 0) : "";
        if (!*n || strcmp((*out)[*n - 1].key, k) != 0) {
            if (*n == cap)
                *out = exr_xrealloc(*out, (cap = cap ? cap * 2 : 16) * sizeof **out);
            memset(&(*out)[*n], 0, sizeof **out);
            snprintf((*out)[(*n)++].key, sizeof(*out)->key, "%s", k);
        }
        const exr_build_info *c = exr_state_classify(tab, memo, exr_stmt_text(st, 1), bi);
        long long hosts = exr_stmt_int(st, 2);
        if (c && c->cves.nopen > 0)
            (*out)[*n - 1].open += hosts;
        if (c && c->cves.nkev > 0)
            (*out)[*n - 1].kev += hosts;
    }
    free(bi);
    free(memo);
    exr_stmt_finalize(st);
    return rc == EXR_SQL_DONE ? 0 : exr_db_seterr(db, e, "stats per CVE");
}
