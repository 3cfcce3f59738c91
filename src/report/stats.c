/* stats.c: see stats.h. One query: the states are stored (exposure.h), so the series is a
 * grouping of observations, never a judgement of its own. */
#include "stats.h"
#include "../core/keyset.h"
#include "../store/schema.h"
#include "../store/sql.h"
#include <string.h>

/* the states by severity, as exposure.h orders them */
#define RANK                                                                                                                               \
    "CASE o.state WHEN 'compromised' THEN 5 WHEN 'vulnerable' THEN 4 WHEN 'end-of-life' THEN 3 WHEN 'undetermined' THEN 2"                 \
    " WHEN 'patched' THEN 1 WHEN 'not-affected' THEN 0 END"
#define COUNT_RANK(n) "SUM(CASE WHEN sv = " #n " THEN 1 ELSE 0 END)"

/* h: one row per scan and address with its worst state there; counting those rows is one
 * grouping of the observations (eight COUNT(DISTINCT ip) sorted them eight times: 53 s on 10
 * million in PostgreSQL). nf: hosts sent a first notice while open, and when. */
static const char stats_sql[] =
    "WITH g AS (SELECT COALESCE(name, CAST(id AS TEXT)) AS k, MIN(name) AS name, MIN(id) AS id, MIN(started) AS started,"
    "   MAX(COALESCE(finished, started)) AS ended FROM scans GROUP BY COALESCE(name, CAST(id AS TEXT))),"
    " h AS (SELECT g.k,"
    "   MAX(CASE WHEN o.exchange = 1 THEN 1 ELSE 0 END) AS ex,"
    "   MAX(CASE WHEN o.exchange = 1 THEN " RANK " END) AS sv,"
    "   MAX(CASE WHEN o.exchange = 1 AND o.kev_open > 0 THEN 1 ELSE 0 END) AS kev"
    "   FROM g JOIN scans s ON COALESCE(s.name, CAST(s.id AS TEXT)) = g.k LEFT JOIN observations o ON o.scan_id = s.id"
    "   GROUP BY g.k, o.ip),"
    " c AS (SELECT k, SUM(ex) AS ex, " COUNT_RANK(0) " AS s0, " COUNT_RANK(1) " AS s1, " COUNT_RANK(2) " AS s2, " COUNT_RANK(
        3) " AS s3, " COUNT_RANK(4) " AS s4, " COUNT_RANK(5) " AS s5, SUM(kev) AS kev FROM h GROUP BY k),"
                                                             " nf AS (SELECT d.ip, MIN(t.sent_at) AS first_sent FROM directives d JOIN "
                                                             "tickets t ON t.id = d.ticket"
                                                             "   WHERE t.sent_at IS NOT NULL AND d.kind = 'first' AND d.state IN "
                                                             "('compromised', 'vulnerable', 'end-of-life', 'undetermined')"
                                                             "   GROUP BY d.ip)"
                                                             " SELECT g.id, g.started, c.ex, c.s0, c.s1, c.s2, c.s3, c.s4, c.s5, c.kev,"
                                                             " (SELECT COUNT(DISTINCT d.ip) FROM directives d JOIN tickets t ON t.id = "
                                                             "d.ticket WHERE t.sent_at IS NOT NULL"
                                                             "   AND t.sent_at <= g.ended),"
                                                             /* remediated: the host's state in the latest scan it answered in by then (host_latest's
     * rule) is patched or not affected */
                                                             " (SELECT COUNT(*) FROM nf WHERE nf.first_sent <= g.ended AND (SELECT CASE "
                                                             "WHEN MAX(o.exchange) = 0 THEN 0 ELSE"
                                                             "   MAX(CASE WHEN o.exchange = 1 THEN " RANK
                                                             " END) END FROM observations o WHERE o.ip = nf.ip AND o.state IS NOT NULL"
                                                             "   AND o.scan_id = (SELECT y.scan_id FROM observations y WHERE y.ip = nf.ip "
                                                             "AND y.state IS NOT NULL AND y.time <= g.ended"
                                                             "   ORDER BY y.time DESC, y.id DESC LIMIT 1)) <= 1 AND NOT " EXR_SHELL_STANDS(
                                                                 "nf.ip") "),"
                                                                          " g.name,"
                                                                          " (SELECT COUNT(DISTINCT d.ip) FROM directives d JOIN tickets t "
                                                                          "ON t.id = d.ticket WHERE d.kind = 'reminder'"
                                                                          "   AND t.sent_at IS NOT NULL AND t.sent_at <= g.ended),"
                                                                          " (SELECT COUNT(DISTINCT d.ip) FROM directives d JOIN tickets t "
                                                                          "ON t.id = d.ticket WHERE d.kind = 'escalation'"
                                                                          "   AND t.sent_at IS NOT NULL AND t.sent_at <= g.ended),"
                                                                          " (SELECT COUNT(DISTINCT d.ip) FROM directives d LEFT JOIN "
                                                                          "observations ro ON ro.id = d.observation_id"
                                                                          "   WHERE d.kind = 'resolved' AND COALESCE(ro.time, d.created) "
                                                                          "<= g.ended)"
                                                                          " FROM g JOIN c ON c.k = g.k ORDER BY g.started, g.id";

static void read_row(exr_stmt *st, exr_stats_row *r)
{
    memset(r, 0, sizeof *r);
    r->scan = exr_stmt_int(st, 0);
    r->started = exr_stmt_text(st, 1) ? exr_stmt_text(st, 1) : "";
    r->exchange = exr_stmt_int(st, 2);
    for (int k = 0; k < EXR_NSTATE; k++)
        r->states[k] = exr_stmt_int(st, 3 + k); /* ranks 0..5 are exposure.h's order */
    r->kev_open = exr_stmt_int(st, 9);
    r->notified = exr_stmt_int(st, 10);
    r->remediated = exr_stmt_int(st, 11);
    r->name = exr_stmt_text(st, 12);
    r->reminded = exr_stmt_int(st, 13);
    r->escalated = exr_stmt_int(st, 14);
    r->resolved = exr_stmt_int(st, 15);
}

int exr_stats_rows(exr_store *s, exr_stats_cb cb, void *ctx, exr_err *e)
{
    exr_db *db = exr_store_db(s);
    exr_keyset incomplete;
    exr_keyset_init(&incomplete);
    if (exr_store_incomplete_names(s, &incomplete, NULL, NULL, e) < 0) {
        exr_keyset_free(&incomplete);
        return -1;
    }
    exr_stmt *st;
    if (exr_db_prepare(db, stats_sql, &st) != EXR_SQL_OK) {
        exr_keyset_free(&incomplete);
        return exr_db_seterr(db, e, "stats");
    }
    int rc;
    while ((rc = exr_stmt_step(st)) == EXR_SQL_ROW) {
        exr_stats_row r;
        read_row(st, &r);
        if (r.name && exr_keyset_has(&incomplete, r.name))
            continue; /* shown when every shard has finished */
        cb(ctx, &r);
    }
    exr_stmt_finalize(st);
    exr_keyset_free(&incomplete);
    return rc == EXR_SQL_DONE ? 0 : exr_db_seterr(db, e, "stats");
}
