/* restate.c: keeps every stored state the answer of the tables in use. A state is computed
 * once, when its observation is written (exr_store_add), and stored, so that stats, report,
 * hosts, notify and rescans read one column instead of judging again. When the tables change
 * (a new exray's data, --builds/--vulns files, a store from before states) the digest in
 * state_tables differs and every row is computed again, in one transaction: a CVE published
 * after the scan applies to the builds the store already holds. */
#include "store.h"
#include "../core/timefmt.h"
#include "../exchange/exposure.h"
#include "sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct change {
    long long id;
    int state, nkev;
} change;

/* The digest the stored states were computed with ("" when none or unknown). */
static void stored_digest(exr_db *db, char *out, size_t n)
{
    exr_stmt *st;
    out[0] = 0;
    if (exr_db_prepare(db, "SELECT digest FROM state_tables", &st) != EXR_SQL_OK)
        return;
    if (exr_stmt_step(st) == EXR_SQL_ROW && exr_stmt_text(st, 0))
        snprintf(out, n, "%s", exr_stmt_text(st, 0));
    exr_stmt_finalize(st);
}

/* A row written before the store kept asserted CVEs: a campaign it stored vulnerable that its
 * build does not show was the source's word; its CVEs stand for it. */
static int legacy_asserted(exr_stmt *st, const exr_build_info *bi, const char **out)
{
    int n = 0;
    for (int s = 0; s < EXR_NSETS; s++) {
        const char *v = exr_stmt_text(st, 5 + s);
        if (!v || strcmp(v, "vulnerable") != 0 || (bi && bi->verdict[s] == EXR_V_VULNERABLE))
            continue;
        for (int k = 0; exr_vset_cves[s][k] && n < EXR_MAX_ASSERTED; k++)
            out[n++] = exr_vset_cves[s][k];
    }
    return n;
}

/* The state of one stored row: id, status, exchange, build, webshells, proxylogon,
 * proxyshell, proxynotshell, time, asserted, state. */
static void row_state(const exr_buildtab *tab, exr_build_memo *memo, exr_stmt *st, exr_build_info *bi, exr_exposure *x)
{
    const char *status = exr_stmt_text(st, 1), *build = exr_stmt_text(st, 3), *asserted = exr_stmt_text(st, 9);
    bool exchange = exr_stmt_int(st, 2) != 0;
    bool hb = exchange && exr_build_classify_text(tab, memo, build, bi);
    char ids[EXR_MAX_ASSERTED][24];
    const char *list[EXR_MAX_ASSERTED];
    int n = 0;
    if (asserted) {
        for (const char *p = asserted; *p && n < EXR_MAX_ASSERTED;) {
            size_t l = strcspn(p, " ");
            snprintf(ids[n], sizeof ids[n], "%.*s", (int)(l < 23 ? l : 23), p);
            list[n] = ids[n];
            n++;
            p += l + (p[l] == ' ');
        }
    } else if (!exr_stmt_text(st, 10)) {
        n = legacy_asserted(st, hb ? bi : NULL, list);
    }
    char day[11] = "";
    const char *t = exr_stmt_text(st, 8);
    if (t && strlen(t) >= 10)
        snprintf(day, sizeof day, "%.10s", t);
    exr_observed o = {.answered = exchange || (status && strcmp(status, "ok") == 0),
                      .exchange = exchange,
                      .bi = hb ? bi : NULL,
                      .shell = exr_stmt_int(st, 4) > 0,
                      .asserted = list,
                      .nasserted = n,
                      .day = day[0] ? day : NULL};
    exr_exposure_of(tab, &o, x);
}

static int read_changes(exr_db *db, const exr_buildtab *tab, change **out, size_t *nout, exr_err *e)
{
    exr_stmt *st;
    if (exr_db_prepare(db,
                       "SELECT id, status, exchange, build, COALESCE(webshells, 0), proxylogon, proxyshell, proxynotshell, time,"
                       " asserted, state, kev_open FROM observations",
                       &st) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "states");
    exr_build_memo *memo = exr_xcalloc(1, sizeof *memo);
    exr_build_info *bi = exr_xcalloc(1, sizeof *bi);
    size_t cap = 0;
    int rc;
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW) {
        exr_exposure x;
        row_state(tab, memo, st, bi, &x);
        const char *old = exr_stmt_text(st, 10);
        int was = exr_state_parse(old);
        if (was == x.state && (x.state < 0 || exr_stmt_int(st, 11) == x.nkev))
            continue;
        if (*nout == cap)
            *out = exr_xrealloc(*out, (cap = cap ? cap * 2 : 1024) * sizeof **out);
        (*out)[(*nout)++] = (change){exr_stmt_int(st, 0), x.state, x.nkev};
    }
    exr_stmt_finalize(st);
    free(bi);
    free(memo);
    return rc == EXR_SQL_DONE ? 0 : exr_db_seterr(db, e, "states");
}

static int write_changes(exr_db *db, const change *c, size_t n, const char *digest, exr_err *e)
{
    exr_stmt *up, *dg;
    if (exr_db_prepare(db, "UPDATE observations SET state = ?, kev_open = ? WHERE id = ?", &up) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "states");
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        exr_stmt_reset(up);
        if (c[i].state >= 0) {
            exr_stmt_bind_text(up, 1, exr_state_names[c[i].state]);
            exr_stmt_bind_int(up, 2, c[i].nkev);
        } else {
            exr_stmt_bind_null(up, 1);
            exr_stmt_bind_null(up, 2);
        }
        exr_stmt_bind_int(up, 3, c[i].id);
        rc = exr_stmt_step(up) == EXR_SQL_DONE ? 0 : exr_db_seterr(db, e, "update states");
    }
    exr_stmt_finalize(up);
    if (rc == 0 && exr_db_exec(db, "DELETE FROM state_tables") != EXR_SQL_OK)
        rc = exr_db_seterr(db, e, "states");
    if (rc == 0 && exr_db_prepare(db, "INSERT INTO state_tables(digest) VALUES(?)", &dg) == EXR_SQL_OK) {
        exr_stmt_bind_text(dg, 1, digest);
        rc = exr_stmt_step(dg) == EXR_SQL_DONE ? 0 : exr_db_seterr(db, e, "states");
        exr_stmt_finalize(dg);
    }
    return rc;
}

int exr_store_restate(exr_store *s, const exr_buildtab *tab, long *changed, exr_err *e)
{
    exr_db *db = exr_store_db(s);
    char want[17], have[64];
    exr_tables_digest(tab, want);
    *changed = -1;
    stored_digest(db, have, sizeof have);
    if (strcmp(want, have) == 0)
        return 0;
    /* exclusive: a notify planning meanwhile must see one set of states */
    if (exr_db_begin_exclusive(db) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "states");
    change *c = NULL;
    size_t n = 0;
    int rc = read_changes(db, tab, &c, &n, e);
    if (rc == 0)
        rc = write_changes(db, c, n, want, e);
    free(c);
    if (rc != 0) {
        exr_db_rollback(db);
        return -1;
    }
    if (exr_db_commit(db) != EXR_SQL_OK)
        return exr_db_seterr(db, e, "commit states");
    *changed = (long)n;
    return 0;
}
