/* schema.c: the tables of both back ends. They differ only where the dialects do (row ids,
 * SQLite's PRAGMAs); every query is shared. */
#include "schema.h"
#include <stdio.h>

#define STR_(x) #x
#define STR(x) STR_(x)

/* version 1: stores before ticket states and the schema_version table (SQLite only).
 * observations.scan_id names a row of scans without a foreign key: the store writes the scan
 * before its rows and never deletes one, SQLite never enforced it (foreign_keys is off), and
 * on PostgreSQL its per-row check was a fifth of a bulk import's server time. OBS_KEYS: the
 * key that makes a resumed or repeated write harmless, and the index for address lookups. */
#define TABLES(ID, BIGINT, TXT, OBS_KEYS)                                                                                                  \
    "CREATE TABLE IF NOT EXISTS scans("                                                                                                    \
    " id " ID ", started " TXT " NOT NULL, finished " TXT ", args " TXT ", seed " BIGINT ", shard " TXT ", tool " TXT ", name " TXT        \
    ", targets " TXT ");"                                                                                                                  \
    "CREATE TABLE IF NOT EXISTS observations("                                                                                             \
    " id " ID ", scan_id " BIGINT " NOT NULL, ip " TXT " NOT NULL,"                                                                        \
    " port INTEGER NOT NULL, host_key " TXT " NOT NULL, hostname " TXT ", time " TXT " NOT NULL, status " TXT " NOT NULL,"                 \
    " exchange INTEGER NOT NULL, build " TXT ", build_source " TXT ", product " TXT ", cu " TXT ", su " TXT ", servername " TXT ","        \
    " proxylogon " TXT ", proxyshell " TXT ", proxynotshell " TXT ", webshells INTEGER, state " TXT ", kev_open INTEGER,"                  \
    " asserted " TXT ", record " TXT " NOT NULL," OBS_KEYS "CREATE TABLE IF NOT EXISTS host_info(ip " TXT " PRIMARY KEY, asn " BIGINT      \
    ", as_name " TXT ", country " TXT ");"                                                                                                 \
    "CREATE TABLE IF NOT EXISTS optout(address " TXT " PRIMARY KEY, added " TXT " NOT NULL);"                                              \
    "CREATE TABLE IF NOT EXISTS directives(id " ID ", ip " TXT " NOT NULL, port INTEGER, state " TXT " NOT NULL,"                          \
    " recipient " TXT " NOT NULL, template " TXT " NOT NULL, ticket " TXT " NOT NULL, created " TXT " NOT NULL,"                           \
    " observation_id " BIGINT ");"                                                                                                         \
    "CREATE INDEX IF NOT EXISTS directives_ip ON directives(ip, recipient);"                                                               \
    "CREATE TABLE IF NOT EXISTS ticket_day(day " TXT " PRIMARY KEY, last INTEGER NOT NULL);"                                               \
    "CREATE TABLE IF NOT EXISTS contacts_db(kind INTEGER NOT NULL, lo " TXT ", hi " TXT ", asn " BIGINT ", email " TXT " NOT NULL,"        \
    " org " TXT ", source " TXT " NOT NULL);"                                                                                              \
    "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL);"                                                                 \
    "CREATE TABLE IF NOT EXISTS state_tables(digest " TXT " NOT NULL);"

/* per host: first seen, first seen vulnerable, patched at (first clean observation after a
 * vulnerable one), compromised at (first web shell), notified at and the first ticket */
#define HOST_HISTORY                                                                                                                       \
    " host_history AS SELECT h.ip, h.first_seen, h.first_vulnerable, h.compromised_at,"                                                    \
    " (SELECT MIN(x.time) FROM observations x WHERE x.ip = h.ip AND x.time > h.first_vulnerable"                                           \
    "   AND x.state IN ('patched', 'not-affected')) AS patched_at,"                                                                        \
    " (SELECT MIN(t.sent_at) FROM directives d JOIN tickets t ON t.id = d.ticket WHERE d.ip = h.ip AND t.sent_at IS NOT NULL)"             \
    "   AS notified_at,"                                                                                                                   \
    " (SELECT t.id FROM directives d JOIN tickets t ON t.id = d.ticket WHERE d.ip = h.ip AND t.sent_at IS NOT NULL"                        \
    "   ORDER BY t.sent_at LIMIT 1) AS ticket"                                                                                             \
    " FROM (SELECT ip, MIN(time) AS first_seen,"                                                                                           \
    "   MIN(CASE WHEN state IN ('vulnerable', 'end-of-life', 'compromised') THEN time END)"                                                \
    "   AS first_vulnerable, MIN(CASE WHEN webshells > 0 THEN time END) AS compromised_at"                                                 \
    "   FROM observations WHERE exchange = 1 GROUP BY ip) h;"

/* per host ever seen as Exchange: its present state, the one every command reports. A host's
 * state in a scan is the worst state of its Exchange observations there, or not-affected when
 * it answered but nothing was Exchange (a port that did not answer says nothing); its present
 * state is that of the latest scan it answered in (by the newest observation time, then row:
 * an imported 2021 report after a 2024 scan does not make 2021 the present). The row shown is
 * the scan's newest Exchange observation (or newest answer). */
#define STATE_RANK(col)                                                                                                                    \
    "CASE " col " WHEN 'compromised' THEN 5 WHEN 'vulnerable' THEN 4 WHEN 'end-of-life' THEN 3 WHEN 'undetermined' THEN 2"                 \
    " WHEN 'patched' THEN 1 WHEN 'not-affected' THEN 0 END"
#define HOST_LATEST                                                                                                                        \
    " host_latest AS SELECT o.ip, o.port, o.id, s.t AS time,"                                                                              \
    "   CASE WHEN s.sv = 5 OR " EXR_SHELL_STANDS(                                                                                          \
        "s.ip") " THEN 'compromised' WHEN s.ex = 0 THEN 'not-affected'"                                                                    \
                "   WHEN s.sv = 4 THEN 'vulnerable'"                                                                                       \
                "   WHEN s.sv = 3 THEN 'end-of-life' WHEN s.sv = 2 THEN 'undetermined' WHEN s.sv = 1 THEN 'patched' ELSE 'not-affected' "  \
                "END AS state,"                                                                                                            \
                "   o.kev_open, s.ex AS exchange, o.build FROM (SELECT g.*, ROW_NUMBER() OVER (PARTITION BY ip ORDER BY t DESC, aid "      \
                "DESC) AS rn"                                                                                                              \
                "   FROM (SELECT ip, scan_id, MAX(time) AS t, MAX(exchange) AS ex, MAX(CASE WHEN exchange = 1 THEN id END) AS xid, "       \
                "MAX(id) AS aid,"                                                                                                          \
                "     MAX(CASE WHEN exchange = 1 THEN " STATE_RANK(                                                                        \
                    "state") " END) AS sv"                                                                                                 \
                             "     FROM observations WHERE state IS NOT NULL AND ip <> '' GROUP BY ip, scan_id) g) s"                      \
                             " JOIN observations o ON o.id = COALESCE(s.xid, s.aid)"                                                       \
                             " WHERE s.rn = 1 AND s.ip IN (SELECT ip FROM observations WHERE exchange = 1);"

static const char sqlite_schema[] = TABLES(
    "INTEGER PRIMARY KEY", "INTEGER", "TEXT",
    " UNIQUE(scan_id, ip, port, host_key));"
    "CREATE INDEX IF NOT EXISTS observations_ip ON observations(ip, port);") "CREATE TABLE IF NOT EXISTS tickets(id TEXT PRIMARY KEY, "
                                                                             "recipient TEXT NOT NULL, org TEXT, template TEXT NOT NULL,"
                                                                             " day TEXT NOT NULL, created TEXT NOT NULL, sent_at TEXT, "
                                                                             "delivery TEXT);";

/* Ticket states (pending -> sending -> sent | failed | uncertain) on SQLite stores made
 * before them: a ticket with a send time is sent, every other one pending. */
static const char sqlite_ticket_states[] = "ALTER TABLE tickets ADD COLUMN state TEXT NOT NULL DEFAULT 'pending';"
                                           "ALTER TABLE tickets ADD COLUMN run_id TEXT;"
                                           "ALTER TABLE tickets ADD COLUMN lease_until TEXT;"
                                           "UPDATE tickets SET state = 'sent' WHERE sent_at IS NOT NULL;";

/* byte order, as SQLite's BINARY: the same results and order whatever the database's locale,
 * and index comparisons without the locale's collation */
#define PGTEXT "TEXT COLLATE \"C\""

static const char pg_schema[] = "SELECT pg_advisory_xact_lock(7274617900);"
    /* one B-tree serves both the key and address lookups (ip, port first); a scan's rows
     * lie together in insertion order, so a BRIN index (a few pages) finds them: each
     * imported row updates one B-tree, not two (stores made before version 4 keep theirs).
     * The BRIN index is summarized by (auto)vacuum, not on every new range (autosummarize):
     * a bulk import fills autovacuum's queue of 256 work items at once, and then logs "request
     * for BRIN range summarization ... was not recorded" once per 128 new pages, ~8,700 lines
     * in the server's log per 10 million rows; the scan's newest, unsummarized rows are read
     * either way. */
    TABLES(
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT", PGTEXT,
        " UNIQUE(ip, port, scan_id, host_key));"
        "CREATE INDEX IF NOT EXISTS observations_scan ON observations USING brin(scan_id);") "CREATE TABLE IF NOT EXISTS tickets(id " PGTEXT
                                                                                             " PRIMARY KEY, recipient " PGTEXT
                                                                                             " NOT NULL, org " PGTEXT ", template " PGTEXT
                                                                                             " NOT NULL,"
                                                                                             " day " PGTEXT " NOT NULL, created " PGTEXT
                                                                                             " NOT NULL, sent_at " PGTEXT
                                                                                             ", delivery " PGTEXT ", state " PGTEXT
                                                                                             " NOT NULL DEFAULT 'pending',"
                                                                                             " run_id " PGTEXT ", lease_until " PGTEXT ");";

/* Older PostgreSQL stores: version 3 named scans; version 4 has no foreign key from
 * observations to scans (see TABLES); version 5 no BRIN autosummarize; version 6 the targets digest. Looked up first:
 * ALTER TABLE locks the table out even when it has nothing to do, and would wait behind a
 * report reading it. */
static const char pg_migrate[] =
    "DO $$ DECLARE c record; BEGIN"
    " IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'scans'::regclass AND attname = 'name' AND NOT attisdropped) THEN"
    "  ALTER TABLE scans ADD COLUMN name TEXT;"
    " END IF;"
    " FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'observations'::regclass AND contype = 'f' LOOP"
    "  EXECUTE format('ALTER TABLE observations DROP CONSTRAINT %I', c.conname);"
    " END LOOP;"
    " IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'scans'::regclass AND attname = 'targets' AND NOT attisdropped) THEN"
    "  ALTER TABLE scans ADD COLUMN targets TEXT;"
    " END IF;"
    " IF EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass('observations_scan') AND reloptions @> ARRAY['autosummarize=on']) THEN"
    "  ALTER INDEX observations_scan RESET (autosummarize);"
    " END IF;"
    " END $$;";

/* Version 6: times keep microseconds (timefmt.h's fixed-width form). An older store's
 * "...:SSZ" times become "...:SS.000000Z", the same instant, so that text comparison with
 * new times stays time order: unconverted, 'Z' would sort after every fraction of its second. */
#define MICROS(t, c) "UPDATE " t " SET " c " = substr(" c ", 1, 19) || '.000000Z' WHERE length(" c ") = 20 AND substr(" c ", 20, 1) = 'Z';"
static const char micro_times[] =
    MICROS("scans", "started") MICROS("scans", "finished") MICROS("observations", "time") MICROS("optout", "added")
        MICROS("directives", "created") MICROS("tickets", "created") MICROS("tickets", "sent_at") MICROS("tickets", "lease_until");

/* Version 7: the notification loop. A directive's kind (first, reminder, escalation,
 * resolved) and origin (the recipient whose case it belongs to, when it went to the next
 * contact up the chain) and origin_org (its organisation); a ticket's kind and refs (the first notices it follows up, which
 * its In-Reply-To and References name). */
/* Version 8: one exposure model. An observation's state (exposure.h), its count of known
 * exploited CVEs open and the CVEs its source asserted, computed when written; older rows get
 * them from exr_store_restate, which an empty state_tables digest calls for. */
static const struct {
    const char *table, *column, *type;
} loop_columns[] = {
    {"directives", "kind", "TEXT NOT NULL DEFAULT 'first'"},
    {"directives", "origin", "TEXT"},
    {"directives", "origin_org", "TEXT"},
    {"tickets", "kind", "TEXT NOT NULL DEFAULT 'first'"},
    {"tickets", "refs", "TEXT"},
    {"observations", "state", "TEXT"},
    {"observations", "kev_open", "INTEGER"},
    {"observations", "asserted", "TEXT"},
};

static int fail(exr_db *db, exr_err *e, const char *what)
{
    exr_seterr(e, EXR_ESTORE, "schema: %s: %s", what, exr_db_errmsg(db));
    exr_db_rollback(db);
    return -1;
}

static int sqlite_has_column(exr_db *db, const char *table, const char *column)
{
    exr_stmt *st;
    if (exr_db_prepare(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", &st) != EXR_SQL_OK)
        return -1;
    exr_stmt_bind_text(st, 1, table);
    exr_stmt_bind_text(st, 2, column);
    int have = exr_stmt_step(st) == EXR_SQL_ROW;
    exr_stmt_finalize(st);
    return have;
}

/* The version a store says it has; -1 when it says none (new, or older than the table). */
static int stored_version(exr_db *db)
{
    exr_stmt *st;
    if (exr_db_prepare(db, "SELECT version FROM schema_version", &st) != EXR_SQL_OK)
        return -1;
    int v = exr_stmt_step(st) == EXR_SQL_ROW ? (int)exr_stmt_int(st, 0) : -1;
    exr_stmt_finalize(st);
    return v;
}

/* Whether a PostgreSQL store has its version table yet (asked without an error, which would
 * abort the transaction). */
static bool pg_has_versions(exr_db *db)
{
    exr_stmt *st;
    if (exr_db_prepare(db, "SELECT to_regclass('schema_version') IS NOT NULL", &st) != EXR_SQL_OK)
        return false;
    bool have = exr_stmt_step(st) == EXR_SQL_ROW && exr_stmt_int(st, 0);
    exr_stmt_finalize(st);
    return have;
}

int exr_schema_apply(exr_db *db, exr_err *e)
{
    bool pg = exr_db_kind(db) == EXR_DB_PG;
    /* per connection, and not inside a transaction */
    if (!pg && exr_db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL") != EXR_SQL_OK)
        return fail(db, e, "journal");
    /* a store already at this version needs no DDL: even CREATE INDEX IF NOT EXISTS locks the
     * table, and waits for autovacuum or a writer to let go of it */
    int was = stored_version(db);
    if (was == EXR_SCHEMA_VERSION)
        return 0;
    /* never rewrite what a newer exray made: its tables may mean more than this one knows */
    if (was > EXR_SCHEMA_VERSION)
        return exr_seterr(e, EXR_ESTORE,
                          "made by a newer exray (schema version %d; this exray knows up to %d): use that exray or a newer one", was,
                          EXR_SCHEMA_VERSION);
    if ((pg ? exr_db_begin(db) : exr_db_begin_exclusive(db)) != EXR_SQL_OK)
        return fail(db, e, "begin");
    /* scanners opening a new store at once: the first migrates, the others find it done under
     * the lock and touch nothing (an ALTER TABLE would wait behind the first one's writes) */
    if (pg && exr_db_exec(db, "SELECT pg_advisory_xact_lock(7274617900)") != EXR_SQL_OK)
        return fail(db, e, "lock");
    if (pg && pg_has_versions(db) && stored_version(db) == EXR_SCHEMA_VERSION)
        return exr_db_commit(db) == EXR_SQL_OK ? 0 : fail(db, e, "commit");
    if (exr_db_exec(db, pg ? pg_schema : sqlite_schema) != EXR_SQL_OK)
        return fail(db, e, "create");
    if (!pg) {
        int have = sqlite_has_column(db, "tickets", "state");
        if (have < 0 || (!have && exr_db_exec(db, sqlite_ticket_states) != EXR_SQL_OK))
            return fail(db, e, "ticket states");
        /* version 3: scans carry the name of the logical scan their shard belongs to */
        have = sqlite_has_column(db, "scans", "name");
        if (have < 0 || (!have && exr_db_exec(db, "ALTER TABLE scans ADD COLUMN name TEXT") != EXR_SQL_OK))
            return fail(db, e, "scan names");
        /* version 6: the digest of a scan's target set, which --resume must match */
        have = sqlite_has_column(db, "scans", "targets");
        if (have < 0 || (!have && exr_db_exec(db, "ALTER TABLE scans ADD COLUMN targets TEXT") != EXR_SQL_OK))
            return fail(db, e, "scan targets");
    }
    if (pg && exr_db_exec(db, pg_migrate) != EXR_SQL_OK)
        return fail(db, e, "migrate");
    for (size_t i = 0; i < sizeof loop_columns / sizeof loop_columns[0]; i++) {
        char sql[256];
        int have = pg ? 0 : sqlite_has_column(db, loop_columns[i].table, loop_columns[i].column);
        snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s%s %s", loop_columns[i].table, pg ? "IF NOT EXISTS " : "",
                 loop_columns[i].column, loop_columns[i].type);
        if (have < 0 || (!have && exr_db_exec(db, sql) != EXR_SQL_OK))
            return fail(db, e, "notice kinds");
    }
    if (exr_db_exec(db, "CREATE INDEX IF NOT EXISTS directives_origin ON directives(ip, origin)") != EXR_SQL_OK)
        return fail(db, e, "notice kinds");
    /* the views name the state column: made again over the new columns */
    if (exr_db_exec(db, pg ? "CREATE OR REPLACE VIEW" HOST_HISTORY "CREATE OR REPLACE VIEW" HOST_LATEST
                           : "DROP VIEW IF EXISTS host_history; CREATE VIEW" HOST_HISTORY
                             "DROP VIEW IF EXISTS host_latest; CREATE VIEW" HOST_LATEST) != EXR_SQL_OK)
        return fail(db, e, "host views");
    if (was >= 0 && was < 8 && exr_db_exec(db, "DELETE FROM state_tables; INSERT INTO state_tables(digest) VALUES('')") != EXR_SQL_OK)
        return fail(db, e, "states");
    if (exr_db_exec(db, micro_times) != EXR_SQL_OK)
        return fail(db, e, "microsecond times");
    if (exr_db_exec(db, "CREATE INDEX IF NOT EXISTS tickets_state ON tickets(state);"
                        "DELETE FROM schema_version;"
                        "INSERT INTO schema_version(version) VALUES(" STR(EXR_SCHEMA_VERSION) ");") != EXR_SQL_OK)
        return fail(db, e, "version");
    return exr_db_commit(db) == EXR_SQL_OK ? 0 : fail(db, e, "commit");
}
