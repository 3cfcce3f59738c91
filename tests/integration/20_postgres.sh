#!/bin/sh
# PostgreSQL as the store, on a private server this test starts (initdb + pg_ctl on
# 127.0.0.1, scram password authentication, stopped at the end):
# - scan, import, contacts optout, notify, a follow-up rescan, stats and report give the
#   same records, tickets, stats and report on PostgreSQL as on SQLite (times aside);
# - the password is never printed nor stored;
# - four shard scanners at once into one database, with the server restarted mid-scan:
#   every host stored exactly once, verdicts identical to one SQLite scan;
# - two notify workers at once: every ticket delivered once.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
PGTMP=$(mktemp -d /tmp/exray-pg.XXXXXX)
chmod 711 "$PGTMP"
pg_cleanup() { sh "$ROOT/tests/pg.sh" stop "$PGTMP/pg"; rm -rf "$PGTMP"; cleanup; }
trap pg_cleanup EXIT INT TERM
URI=""
for pgport in $(free_port) $(free_port) $(free_port); do
    URI=$(sh "$ROOT/tests/pg.sh" start "$PGTMP/pg" $pgport 2>"$WORK/pg.err") && break
    URI=""
done
[ -n "$URI" ] || fail "could not start PostgreSQL: $(tail -5 "$WORK/pg.err")"
PW=$(cat "$PGTMP/pg/pwfile")
psql_q() { PGPASSWORD=$PW "$PGBIN/psql" -X -At -h 127.0.0.1 -p "$pgport" -U exray -d "$1" -c "$2"; }
psql_q postgres "CREATE DATABASE shards" >/dev/null
psql_q postgres "CREATE DATABASE workers" >/dev/null
ok "private PostgreSQL on 127.0.0.1:$pgport"
others=$(grep -l '#include <sqlite3.h>\|#include <libpq-fe.h>' "$ROOT"/src/*/*.c "$ROOT"/src/*/*.h | grep -v '/src/store/' || true)
[ -z "$others" ] || fail "files outside src/store include a database library: $others"

start_fleet 127.81.0.0 256 $PORT
printf '127.81.0.0/24,abuse@example.net,Example Networks\n127.81.0.128/25,cert@example.org,Example Org\n' > "$WORK/contacts.csv"
printf '"timestamp","ip","port","hostname","tag","asn","geo","region","city","naics","sic","sector","version","servername","url"\n"2021-03-09 08:00:00","203.0.113.9",443,"mail.example.nl","exchange;cve-2021-26855",64496,"NL",,,,,,"15.1.2176.2","EX01",\n' > "$WORK/report.csv"

run_all() { # STORE DIR: the whole chain into one store; outputs in DIR
    d=$2; mkdir -p "$d"
    "$EXRAY" scan -q -p $PORT --rate 0 --seed 5 --probe-webshells 127.81.0.0/26 --db "$1" -o "$d/scan.jsonl" 2>"$d/scan.err" || fail "scan into $d: $(cat "$d/scan.err")"
    "$EXRAY" import --db "$1" "$WORK/report.csv" 2>"$d/import.err" || fail "import into $d: $(cat "$d/import.err")"
    "$EXRAY" contacts optout cert@example.org --db "$1" >/dev/null 2>"$d/optout.err" || fail "optout $d"
    R="$ROOT/tests/fixtures/rpsl"
    "$EXRAY" contacts import --db "$1" "$R/ripe.db.inetnum" "$R/ripe.db.inet6num" "$R/ripe.db.aut-num" "$R/ripe.db.organisation" \
        "$R/ripe.db.role" 2>"$d/rpsl.err" || fail "contacts import into $d: $(cat "$d/rpsl.err")"
    grep -q "4 with an abuse mailbox" "$d/rpsl.err" || fail "contacts import into $d: $(tail -1 "$d/rpsl.err")"
    # no pause between the scan, the notices and the rescan: the store keeps microseconds,
    # and events in the same second must still compare in their order
    "$EXRAY" notify --db "$1" --contacts "$WORK/contacts.csv" --maildir "$d/md" 2>"$d/notify.err" || fail "notify $d: $(cat "$d/notify.err")"
    "$EXRAY" scan -q --rate 0 --db "$1" --rescan -o "$d/rescan.jsonl" 2>"$d/rescan.err" || fail "rescan $d: $(cat "$d/rescan.err")"
    "$EXRAY" stats --db "$1" > "$d/stats.txt" 2>"$d/stats.err" || fail "stats $d: $(cat "$d/stats.err")"
    "$EXRAY" report --db "$1" --format md -o "$d/report.md" 2>"$d/report.err" || fail "report $d: $(cat "$d/report.err")"
    "$EXRAY" notify --db "$1" --uncertain > "$d/uncertain.txt" 2>/dev/null || fail "notify --uncertain $d"
}
normalise() { # drop times and per-run words, keep the rest
    sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}Z?/TIME/g; s/"time":"[^"]*"/"time":T/g' "$1" | sort
}
run_all "$WORK/lite.db" "$WORK/lite"
run_all "$URI" "$WORK/pg"
for f in scan.jsonl rescan.jsonl stats.txt report.md uncertain.txt; do
    normalise "$WORK/lite/$f" > "$WORK/a"; normalise "$WORK/pg/$f" > "$WORK/b"
    [ -s "$WORK/a" ] || [ "$f" = uncertain.txt ] || fail "$f is empty"
    cmp -s "$WORK/a" "$WORK/b" || fail "$f differs between SQLite and PostgreSQL: $(diff "$WORK/a" "$WORK/b" | head -6)"
done
(cd "$WORK/lite/md/new" && ls) > "$WORK/a"; (cd "$WORK/pg/md/new" && ls) > "$WORK/b"
[ -s "$WORK/a" ] && cmp -s "$WORK/a" "$WORK/b" || fail "tickets differ: $(diff "$WORK/a" "$WORK/b" | head -4)"
grep -l "cert@example.org" "$WORK/pg/md/new/"* >/dev/null 2>&1 && fail "an opted-out address was sent to"
ok "scan, import, optout, notify ($(wc -l < "$WORK/a") tickets), rescan, stats and report: the same on PostgreSQL as on SQLite"

# More observations than one cursor chunk (20,000) and one batch: two imports in which
# hosts are seen again later, at the same time (the later row wins) or earlier; a line
# repeated within a file (PostgreSQL's direct COPY conflicts and the batch goes through
# the temporary table); networks and countries from a Shadowserver report.
python3 - "$WORK/big1.jsonl" "$WORK/big2.jsonl" "$WORK/big.csv" <<'PY'
import sys
vs = [("15.1.2176.2", "vulnerable"), ("15.2.986.36", "patched"), ("15.0.1497.2", "vulnerable"), ("15.2.1118.7", "patched")]
def rec(i, day, v):
    return ('{"ip":"10.9.%d.%d","port":443,"hostname":null,"time":"2021-03-%02dT10:00:00Z","status":"ok","exchange":true,'
            '"build":"%s","servername":"EX%d"}\n' % (i >> 8, i & 255, day, v[0], i % 7))
with open(sys.argv[1], "w") as f:
    for i in range(30000):
        f.write(rec(i, 1 + i % 3, vs[i % 4]))
        if i == 777:
            f.write(rec(i, 1 + i % 3, vs[i % 4]))
with open(sys.argv[2], "w") as f:
    for i in range(0, 30000, 2):
        # a third later (patched now), a third at the same time, a third earlier
        f.write(rec(i, 1 + i % 3 + (i % 3 == 0) * 5 - (i % 3 == 2), vs[(i + 1) % 4]))
with open(sys.argv[3], "w") as f:
    f.write('"timestamp","ip","port","hostname","tag","asn","geo","version"\n')
    for i in range(0, 30000, 150):
        k = i // 150
        f.write('"2021-03-02 08:00:00","10.9.%d.%d",443,,"exchange",%d,"%s","15.1.2176.2"\n' % (i >> 8, i & 255, 64496 + k % 4, ("NLDEFR"[k % 3 * 2:k % 3 * 2 + 2]).lower() if k % 7 == 0 else "NLDEFR"[k % 3 * 2:k % 3 * 2 + 2]))
PY
psql_q postgres "CREATE DATABASE big" >/dev/null
BIG=${URI%/exray}/big
for st in "$WORK/big.db" "$BIG"; do
    "$EXRAY" import --db "$st" "$WORK/big1.jsonl" "$WORK/big2.jsonl" "$WORK/big.csv" 2>"$WORK/big.err" || fail "import of 45,001 rows: $(cat "$WORK/big.err")"
done
n_lite=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM observations').fetchone()[0])" "$WORK/big.db")
n_pg=$(psql_q big "SELECT count(*) FROM observations")
[ "$n_lite" = 45200 ] && [ "$n_pg" = 45200 ] || fail "45,200 distinct observations expected: SQLite $n_lite, PostgreSQL $n_pg"
"$EXRAY" report --db "$WORK/big.db" --format md -o "$WORK/big_lite.md" 2>/dev/null || fail "report on the SQLite store"
# the report reads this table (over 1,024 pages) by two server processes, each over half
# of it in one snapshot: the server's log shows both cursors
psql_q big "SELECT pg_relation_size('observations') >= 1024 * 8192" | grep -q t || fail "the big table is too small to be read in halves"
psql_q postgres "ALTER DATABASE big SET log_statement = 'all'" >/dev/null
log_from=$(wc -c < "$PGTMP/pg/server.log")
"$EXRAY" report --db "$BIG" --format md -o "$WORK/big_pg.md" 2>/dev/null || fail "report on the PostgreSQL store"
psql_q postgres "ALTER DATABASE big RESET log_statement" >/dev/null
tail -c +$((log_from + 1)) "$PGTMP/pg/server.log" > "$WORK/big_log"
grep -q "SET TRANSACTION SNAPSHOT" "$WORK/big_log" && grep -q "DECLARE exr_cursor.* FROM observations WHERE ctid < '([0-9]*,0)'" "$WORK/big_log" &&
    grep -q "DECLARE exr_cursor.* FROM observations WHERE ctid >= '([0-9]*,0)'" "$WORK/big_log" ||
    fail "the report did not read the observations in two halves: $(grep -c DECLARE "$WORK/big_log") cursors"
# a role allowed one connection: the second is refused and one cursor reads the whole table
psql_q big "CREATE ROLE reader LOGIN PASSWORD 'rd-$PW' CONNECTION LIMIT 1; GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader" >/dev/null
"$EXRAY" report --db "postgresql://reader:rd-$PW@127.0.0.1:$pgport/big" --format md -o "$WORK/big_one.md" 2>"$WORK/big_one.err" ||
    fail "report with one connection allowed: $(cat "$WORK/big_one.err")"
cmp -s "$WORK/big_pg.md" "$WORK/big_one.md" || fail "the report read by one connection differs from the one read in halves"
grep -q 'too many connections for role "reader"' "$PGTMP/pg/server.log" || fail "the reader's second connection was not refused"
# a server where the snapshot cannot be exported (here: not allowed) is read by one cursor too
psql_q big "REVOKE EXECUTE ON FUNCTION pg_export_snapshot() FROM PUBLIC" >/dev/null
"$EXRAY" report --db "postgresql://reader:rd-$PW@127.0.0.1:$pgport/big" --format md -o "$WORK/big_one.md" 2>"$WORK/big_one.err" ||
    fail "report without pg_export_snapshot: $(cat "$WORK/big_one.err")"
cmp -s "$WORK/big_pg.md" "$WORK/big_one.md" || fail "the report read without an exported snapshot differs"
grep -q 'permission denied for function pg_export_snapshot' "$PGTMP/pg/server.log" || fail "pg_export_snapshot was not refused"
normalise "$WORK/big_lite.md" > "$WORK/a"; normalise "$WORK/big_pg.md" > "$WORK/b"
cmp -s "$WORK/a" "$WORK/b" || fail "report of 45,200 observations differs: $(diff "$WORK/a" "$WORK/b" | head -6)"
# the latest observation of each host, worked out here from the files: the later time
# wins, a tie goes to the later import (the higher row id); "nl" and "NL" are two countries
python3 - "$WORK/big1.jsonl" "$WORK/big2.jsonl" "$WORK/big.csv" "$WORK/big_pg.md" <<'PY' || fail "the report's CU or country table is not that of each host's latest observation"
import csv, json, re, sys
cu = {"15.1.2176.2": ("2016", "CU19"), "15.2.986.36": ("2019", "CU11"), "15.0.1497.2": ("2013", "CU23"), "15.2.1118.7": ("2019", "CU12")}
latest, country = {}, {}
for n, path in enumerate(sys.argv[1:3]):
    for line in open(path):
        r = json.loads(line)
        if r["ip"] not in latest or (r["time"], n) >= latest[r["ip"]][0]:
            latest[r["ip"]] = ((r["time"], n), r["build"])
for r in csv.DictReader(open(sys.argv[3])):
    t = r["timestamp"].replace(" ", "T") + "Z"
    country[r["ip"]] = r["geo"]
    if r["ip"] not in latest or (t, 2) >= latest[r["ip"]][0]:
        latest[r["ip"]] = ((t, 2), r["version"])
want_cu, want_cc = {}, {}
for ip, (_, b) in latest.items():
    want_cu[cu[b]] = want_cu.get(cu[b], 0) + 1
    c = country.get(ip, "--")
    want_cc[c] = want_cc.get(c, 0) + 1
md = open(sys.argv[4]).read()
got_cu = {(m.group(1), m.group(2)): int(m.group(3)) for m in re.finditer(r"^\| (20[0-9]{2}) \| (CU[0-9]+) \| ([0-9]+) \|", md, re.M)}
table = md.split("By country:")[1].split("By network")[0]
got_cc = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\| ([A-Za-z-]{2}) \| ([0-9]+) \|", table, re.M)}
if got_cu != want_cu or got_cc != want_cc:
    sys.exit("CU: want %s got %s; country: want %s got %s" % (want_cu, got_cu, want_cc, got_cc))
PY
ok "45,200 observations in two imports (a repeated line, hosts seen again): the same count and report on both; cursor read in chunks, by two server processes"

# exray db copy: SQLite -> PostgreSQL -> SQLite, the same store each time
psql_q postgres "CREATE DATABASE copied" >/dev/null
CP="postgresql://exray:$PW@127.0.0.1:$pgport/copied"
"$EXRAY" db copy --from "$WORK/lite.db" --to "$CP" 2>"$WORK/copy1.err" || fail "db copy to PostgreSQL: $(cat "$WORK/copy1.err")"
"$EXRAY" db copy --from "$CP" --to "$WORK/back.db" 2>"$WORK/copy2.err" || fail "db copy to SQLite: $(cat "$WORK/copy2.err")"
for st in "$CP" "$WORK/back.db"; do
    "$EXRAY" stats --db "$st" > "$WORK/c.txt" && cmp -s "$WORK/c.txt" "$WORK/lite/stats.txt" || fail "stats after db copy differ ($st)"
    "$EXRAY" report --db "$st" --format md > "$WORK/c.md" && cmp -s "$WORK/c.md" "$WORK/lite/report.md" || fail "report after db copy differs"
done
"$EXRAY" notify --db "$CP" --contacts "$WORK/contacts.csv" --maildir "$WORK/cmd" 2>"$WORK/cn.err" || fail "notify on the copy"
grep -q " 0 new tickets" "$WORK/cn.err" || fail "the copy lost its tickets: notify planned again: $(head -2 "$WORK/cn.err")"
"$EXRAY" scan -q -p $PORT --rate 0 127.81.0.1 --db "$CP" -o /dev/null 2>"$WORK/cs.err" || fail "a scan into the copy: $(cat "$WORK/cs.err")"
"$EXRAY" db copy --from "$WORK/lite.db" --to "$CP" 2>"$WORK/copy3.err" && fail "db copy into a store that is not empty"
grep -q "not empty" "$WORK/copy3.err" || fail "db copy into a non-empty store: $(cat "$WORK/copy3.err")"
ok "db copy SQLite -> PostgreSQL -> SQLite: same stats, report and tickets; the copy takes new scans; a non-empty target is refused"


# Text that COPY's text format must escape (tab, newline, CR, backslash, "\N") or that is
# not UTF-8, written by the binary COPY: the same bytes in every column as SQLite keeps
printf '{"ip":"10.1.0.1","port":443,"hostname":"a\\tb\\nc\\\\d\\re","time":"2021-03-01T10:00:00Z","status":"ok","exchange":true,"build":"15.1.2176.2","servername":"EX\\"q"}\n{"ip":"10.1.0.2","port":8443,"hostname":"x\377\376y\\\\N","time":"2021-03-01T10:00:00Z","status":"ok","exchange":true,"build":"15.2.986.36","servername":"\\\\N"}\n{"ip":"10.1.0.3","port":443,"time":"2021-03-01T10:00:00Z","status":"ok","exchange":false}\n' > "$WORK/odd.jsonl"
psql_q postgres "CREATE DATABASE odd" >/dev/null
"$EXRAY" import --db "$WORK/odd.db" "$WORK/odd.jsonl" 2>/dev/null || fail "import of odd text into SQLite"
"$EXRAY" import --db "${URI%/exray}/odd" "$WORK/odd.jsonl" 2>"$WORK/odd.err" || fail "import of odd text into PostgreSQL: $(cat "$WORK/odd.err")"
"$EXRAY" db copy --from "${URI%/exray}/odd" --to "$WORK/odd_back.db" 2>"$WORK/odd.err" || fail "db copy of odd text: $(cat "$WORK/odd.err")"
python3 - "$WORK/odd.db" "$WORK/odd_back.db" <<'PY' || fail "text written to PostgreSQL by binary COPY differs from SQLite's"
import sqlite3, sys
cols = ("scan_id, ip, port, host_key, hostname, time, status, exchange, build, build_source, product, cu, su, servername,"
        " proxylogon, proxyshell, proxynotshell, webshells, record")
a, b = (sqlite3.connect(p).execute("SELECT %s FROM observations ORDER BY ip" % cols).fetchall() for p in sys.argv[1:])
if len(a) != 3 or a != b:
    sys.exit("SQLite %r\nvia PostgreSQL %r" % (a, b))
if a[0][cols.split(", ").index("hostname")] != "a\tb\nc\\d\re":
    sys.exit("hostname not kept: %r" % (a[0],))
PY
# a store whose record column an analyst made jsonb: rows still go in (COPY's text format,
# for a column type the binary writer does not know)
psql_q odd "ALTER TABLE observations ALTER COLUMN record TYPE jsonb USING record::jsonb" >/dev/null
# the same rows a day later (the same bytes would be recognised as imported already)
sed 's/2021-03-01T/2021-03-02T/' "$WORK/odd.jsonl" > "$WORK/odd2.jsonl"
"$EXRAY" import --db "${URI%/exray}/odd" "$WORK/odd2.jsonl" 2>"$WORK/odd.err" || fail "import into a store with a jsonb record: $(cat "$WORK/odd.err")"
[ "$(psql_q odd "SELECT count(*) FROM observations WHERE record->>'hostname' = E'a\\tb\\nc\\\\d\\re'")" = 2 ] ||
    fail "a jsonb record store did not take the rows: $(psql_q odd "SELECT count(*), count(DISTINCT scan_id) FROM observations")"
ok "tab, newline, CR, backslash, \\N and invalid UTF-8 in text columns: the same in every column on PostgreSQL as on SQLite; a jsonb record column takes them too"
cat "$WORK"/pg/*.err > "$WORK/all.err"
grep -q -- "$PW" "$WORK/all.err" && fail "the password was printed"
grep -q 'postgresql://exray:\*\*\*@' "$WORK/pg/scan.err" || fail "the store is not named (redacted) in the summary: $(tail -2 "$WORK/pg/scan.err")"
[ -z "$(psql_q exray "SELECT args FROM scans WHERE args LIKE '%$PW%'")" ] || fail "the password was stored in scans.args"
"$EXRAY" stats --db "postgresql://exray:wrong@127.0.0.1:$pgport/exray" >/dev/null 2>"$WORK/bad.err" && fail "a wrong password was accepted"
grep -q "wrong" "$WORK/bad.err" && fail "a wrong password was echoed: $(cat "$WORK/bad.err")"
PGPASSWORD=$PW "$EXRAY" stats --db "host=127.0.0.1 port=$pgport user=exray dbname=exray" > "$WORK/kw.txt" 2>"$WORK/kw.err" || fail "keyword form with PGPASSWORD: $(cat "$WORK/kw.err")"
cmp -s "$WORK/kw.txt" "$WORK/pg/stats.txt" || fail "the keyword form reads another store"
mkdir -p "$WORK/home"
printf '127.0.0.1:%s:exray:exray:%s\n' "$pgport" "$PW" > "$WORK/home/.pgpass"
chmod 600 "$WORK/home/.pgpass"
(unset PGPASSWORD PGPASSFILE; HOME="$WORK/home" "$EXRAY" stats --db "postgresql://exray@127.0.0.1:$pgport/exray") > "$WORK/pgpass.txt" 2>"$WORK/pgpass.err" ||
    fail "the password from ~/.pgpass: $(cat "$WORK/pgpass.err")"
cmp -s "$WORK/pgpass.txt" "$WORK/pg/stats.txt" || fail "with ~/.pgpass another store was read"
(unset PGPASSWORD PGPASSFILE; HOME="$WORK/nohome" "$EXRAY" stats --db "postgresql://exray@127.0.0.1:$pgport/exray") >/dev/null 2>&1 &&
    fail "no password anywhere, yet the store opened (the ~/.pgpass check proves nothing)"
[ "$(psql_q exray "SELECT version FROM schema_version")" = 8 ] || fail "schema_version is not 8"
# a store at the current version opens without DDL: a lock that CREATE INDEX would wait for
# (held here as autovacuum holds it after a bulk import) does not hold up stats
psql_q exray "BEGIN; LOCK TABLE observations IN SHARE UPDATE EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT" >/dev/null 2>&1 &
locker=$!
i=0
until [ "$(psql_q exray "SELECT count(*) FROM pg_locks WHERE relation = 'observations'::regclass AND mode = 'ShareUpdateExclusiveLock' AND granted")" = 1 ]; do
    i=$((i + 1)); [ $i -gt 100 ] && fail "the test's lock was not taken"; sleep 0.1
done
set +e; timeout 20 "$EXRAY" stats --db "$URI" > "$WORK/locked.txt" 2>"$WORK/locked.err"; rc=$?; set -e
psql_q postgres "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE relation IS NOT NULL AND mode = 'ShareUpdateExclusiveLock' AND pid <> pg_backend_pid()" >/dev/null 2>&1 || true
kill $locker 2>/dev/null || true; wait $locker 2>/dev/null || true
[ $rc -eq 0 ] && cmp -s "$WORK/locked.txt" "$WORK/pg/stats.txt" || fail "stats waited on a table lock when opening a current store (exit $rc): $(cat "$WORK/locked.err")"
ok "the password is neither printed nor stored; keyword form, PGPASSWORD and ~/.pgpass; schema_version 8; a current store opens without DDL or lock waits"

# a store made by version 2 (scans without names, a foreign key from observations to scans):
# opened, it is migrated to version 5 in place, its rows kept, and takes new scans
psql_q postgres "CREATE DATABASE old" >/dev/null
psql_q old "CREATE TABLE scans(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, started TEXT NOT NULL, finished TEXT, args TEXT, seed BIGINT, shard TEXT, tool TEXT);
 CREATE TABLE observations(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, scan_id BIGINT NOT NULL REFERENCES scans(id), ip TEXT NOT NULL,
 port INTEGER NOT NULL, host_key TEXT NOT NULL, hostname TEXT, time TEXT NOT NULL, status TEXT NOT NULL, exchange INTEGER NOT NULL, build TEXT,
 build_source TEXT, product TEXT, cu TEXT, su TEXT, servername TEXT, proxylogon TEXT, proxyshell TEXT, proxynotshell TEXT, webshells INTEGER,
 record TEXT NOT NULL, UNIQUE(scan_id, ip, port, host_key));
 INSERT INTO scans(started, finished, args, seed, shard, tool) VALUES('2021-03-05T00:00:00Z', '2021-03-05T01:00:00Z', 'scan', 1, '0/1', 'exray');
 INSERT INTO observations(scan_id, ip, port, host_key, time, status, exchange, build, proxylogon, record)
   VALUES(1, '192.0.2.7', 443, '', '2021-03-05T00:10:00Z', 'ok', 1, '15.1.2176.2', 'vulnerable', '{}')" >/dev/null
OLD="postgresql://exray:$PW@127.0.0.1:$pgport/old"
"$EXRAY" stats --db "$OLD" > "$WORK/old.txt" 2>"$WORK/old.err" || fail "a version 2 store: $(cat "$WORK/old.err")"
[ "$(psql_q old "SELECT version FROM schema_version")" = 8 ] || fail "the old store was not migrated to version 8"
# version 6: second-form times become the same instant with microseconds, so that they
# compare with new times in text order
[ "$(psql_q old "SELECT time FROM observations WHERE ip = '192.0.2.7'")" = 2021-03-05T00:10:00.000000Z ] ||
    fail "the old store's observation time was not migrated: $(psql_q old "SELECT time FROM observations")"
[ "$(psql_q old "SELECT started || ' ' || finished FROM scans WHERE id = 1")" = "2021-03-05T00:00:00.000000Z 2021-03-05T01:00:00.000000Z" ] ||
    fail "the old store's scan times were not migrated"
[ "$(psql_q old "SELECT count(*) FROM pg_constraint WHERE conrelid = 'observations'::regclass AND contype = 'f'")" = 0 ] ||
    fail "the old store kept its foreign key"
[ "$(psql_q old "SELECT count(*) FROM observations WHERE ip = '192.0.2.7'")" = 1 ] || fail "the old store lost its row"
# version 8: the old row's state computed from its build (2016 CU19 without Mar21SU: CVEs open)
[ "$(psql_q old "SELECT state FROM observations WHERE ip = '192.0.2.7'")" = vulnerable ] ||
    fail "the old store's row has no state: $(psql_q old "SELECT state, kev_open FROM observations")"
"$EXRAY" import --db "$OLD" "$WORK/lite/scan.jsonl" 2>"$WORK/old.err" || fail "import into the migrated store: $(cat "$WORK/old.err")"
[ "$(psql_q old "SELECT count(DISTINCT scan_id) FROM observations")" = 2 ] || fail "the migrated store did not take a new scan"
# a version 4 store summarized its BRIN index on every new range (autosummarize): opened, it
# no longer does (a bulk import filled autovacuum's queue and logged a line per 128 pages)
psql_q old "ALTER INDEX observations_scan SET (autosummarize = on); UPDATE schema_version SET version = 4" >/dev/null
[ "$(psql_q old "SELECT count(*) FROM pg_class WHERE relname = 'observations_scan' AND reloptions @> ARRAY['autosummarize=on']")" = 1 ] ||
    fail "the test could not make a version 4 index"
"$EXRAY" stats --db "$OLD" >/dev/null 2>"$WORK/old.err" || fail "a version 4 store: $(cat "$WORK/old.err")"
[ "$(psql_q old "SELECT count(*) FROM pg_class WHERE relname = 'observations_scan' AND reloptions @> ARRAY['autosummarize=on']")" = 0 ] ||
    fail "the version 4 store's BRIN index still summarizes on every new range"
[ "$(psql_q old "SELECT version FROM schema_version")" = 8 ] || fail "the version 4 store was not migrated to version 8"
[ "$(psql_q exray "SELECT count(*) FROM pg_class WHERE relname = 'observations_scan' AND reloptions @> ARRAY['autosummarize=on']")" = 0 ] ||
    fail "a new store's BRIN index summarizes on every new range"
# a store made by a newer exray is refused, not rewritten
psql_q old "UPDATE schema_version SET version = 99" >/dev/null
set +e; "$EXRAY" stats --db "$OLD" >/dev/null 2>"$WORK/newer.err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "newer exray" "$WORK/newer.err" || fail "a store of schema version 99 was not refused (exit $rc): $(cat "$WORK/newer.err")"
[ "$(psql_q old "SELECT version FROM schema_version")" = 99 ] || fail "the newer store's version was rewritten"
psql_q old "UPDATE schema_version SET version = 8" >/dev/null
ok "version 2 and 4 stores are migrated in place (scan names, no foreign key, no BRIN autosummarize, microsecond times, notice kinds, states: version 8), keep their rows and take new scans; a newer store is refused"

# four shards at once; the server restarts while they write
SH="postgresql://exray:$PW@127.0.0.1:$pgport/shards"
"$EXRAY" scan -q -p $PORT --rate 0 --seed 11 127.81.0.0/24 -o "$WORK/one.jsonl" 2>/dev/null || fail "reference scan"
pids=""
for i in 0 1 2 3; do
    "$EXRAY" scan -q -p $PORT --rate 30 --seed 11 --shard $i/4 --scan-name march --db-timeout 60 127.81.0.0/24 --db "$SH" \
        -o "$WORK/shard$i.jsonl" 2>"$WORK/shard$i.err" &
    pids="$pids $!"
done
# restart once all four have registered their shard (past opening the store) and rows are coming in
i=0
until [ "$(psql_q shards "SELECT count(*) FROM scans" 2>/dev/null)" = 4 ] && [ "$(psql_q shards "SELECT count(*) FROM observations" 2>/dev/null)" -gt 0 ]; do
    i=$((i + 1)); [ $i -gt 100 ] && fail "the shard scanners did not start"; sleep 0.1
done
sh "$ROOT/tests/pg.sh" restart "$PGTMP/pg" || fail "restart"
for p in $pids; do wait "$p" || fail "a shard scanner failed across the restart: $(cat "$WORK"/shard*.err | tail -5)"; done
# the restart cut the scanners' connections while they were writing
grep -q "terminating connection due to administrator command" "$PGTMP/pg/server.log" || fail "the restart cut no connection"
[ "$(psql_q shards "SELECT count(*), count(DISTINCT ip) FROM observations")" = "256|256" ] ||
    fail "shards stored $(psql_q shards "SELECT count(*), count(DISTINCT ip) FROM observations") (rows|hosts), not 256|256"
[ "$(psql_q shards "SELECT count(*) FROM scans WHERE finished IS NOT NULL")" = 4 ] || fail "not every shard finished"
psql_q shards "SELECT ip || ' ' || COALESCE(proxylogon,'-') || ' ' || COALESCE(proxyshell,'-') || ' ' || COALESCE(proxynotshell,'-') FROM observations" | sort > "$WORK/a"
python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    print(r["ip"], *(r.get(k) or "-" for k in ("proxylogon", "proxyshell", "proxynotshell")))' "$WORK/one.jsonl" | sort > "$WORK/b"
cmp -s "$WORK/a" "$WORK/b" || fail "shard verdicts differ from one scan: $(diff "$WORK/a" "$WORK/b" | head -4)"
"$EXRAY" scan -q -p $PORT --rate 0 --seed 11 127.81.0.0/24 --db "$WORK/one.db" -o /dev/null 2>/dev/null || fail "reference scan into SQLite"
"$EXRAY" stats --db "$SH" | awk '$1 == "march" {$1 = $2 = ""; print}' > "$WORK/a"
"$EXRAY" stats --db "$WORK/one.db" | awk '$1 == "1" {$1 = $2 = ""; print}' > "$WORK/b"
[ -s "$WORK/a" ] && cmp -s "$WORK/a" "$WORK/b" || fail "stats of the four shards ($(cat "$WORK/a")) differ from one scan ($(cat "$WORK/b"))"
ok "four shards at once, server restarted mid-scan: 256 hosts stored once each, verdicts and stats as one SQLite scan"

# a logical scan with a shard missing, then that shard killed and resumed
"$EXRAY" scan -q -p $PORT --rate 0 --seed 21 --shard 0/2 --scan-name april 127.81.0.0/24 --db "$SH" -o /dev/null 2>/dev/null || fail "april 0/2"
"$EXRAY" stats --db "$SH" > "$WORK/st.txt"
grep -q '^april' "$WORK/st.txt" && fail "an incomplete logical scan is shown"
grep -q '^scan april: shards missing: 1/2' "$WORK/st.txt" || fail "stats does not name the missing shard: $(cat "$WORK/st.txt")"
"$EXRAY" report --db "$SH" --format md | grep -q 'april (shards missing: 1/2)' || fail "report does not name the missing shard"
# a finished scan whose name ends another's ("pril" in "april") is shown: names match whole
before=$("$EXRAY" report --db "$SH" --format md | sed -n 's/^\([0-9]*\) scans, the last on.*/\1/p')
"$EXRAY" scan -q -p $PORT --rate 0 --seed 22 --shard 0/1 --scan-name pril 127.81.0.0/30 --db "$SH" -o /dev/null 2>/dev/null || fail "pril"
after=$("$EXRAY" report --db "$SH" --format md | sed -n 's/^\([0-9]*\) scans, the last on.*/\1/p')
[ -n "$before" ] && [ "$after" = $((before + 1)) ] || fail "the report left out the finished scan pril ($before then $after scans)"
"$EXRAY" stats --db "$SH" | grep -q '^pril ' || fail "stats left out the finished scan pril"
"$EXRAY" scan -q -p $PORT --rate 40 --seed 21 --shard 1/2 --scan-name april 127.81.0.0/24 --db "$SH" -o /dev/null 2>/dev/null &
p=$!; sleep 1.5; kill -9 $p; wait $p 2>/dev/null || true
"$EXRAY" scan -q -p $PORT --rate 0 --seed 21 --shard 0/2 --scan-name april 127.81.0.0/24 --db "$SH" -o /dev/null 2>"$WORK/again.err" &&
    fail "a finished shard ran again"
"$EXRAY" scan -q -p $PORT --rate 0 --resume --shard 1/2 --scan-name april 127.81.0.0/24 --db "$SH" -o /dev/null 2>"$WORK/res.err" ||
    fail "resume of shard 1/2: $(cat "$WORK/res.err")"
[ "$(psql_q shards "SELECT count(*), count(DISTINCT ip) FROM observations o JOIN scans s ON s.id = o.scan_id WHERE s.name = 'april'")" = "256|256" ] ||
    fail "april after resume: $(psql_q shards "SELECT count(*), count(DISTINCT ip) FROM observations o JOIN scans s ON s.id = o.scan_id WHERE s.name = 'april'")"
"$EXRAY" stats --db "$SH" | grep -q '^april' || fail "the completed logical scan is not shown"
# many shards: one of 5000 finished, the other 4999 named as missing (the list cut short with a count)
"$EXRAY" scan -q -p $PORT --rate 0 --seed 23 --shard 4999/5000 --scan-name wide 127.81.0.0/30 --db "$SH" -o /dev/null 2>/dev/null || fail "wide 4999/5000"
"$EXRAY" stats --db "$SH" > "$WORK/st.txt"
grep -q '^wide ' "$WORK/st.txt" && fail "a scan with 4999 of 5000 shards missing is shown"
python3 - "$WORK/st.txt" <<'PY' || fail "stats does not list the 4999 missing shards of wide: $(grep wide "$WORK/st.txt" | cut -c1-200)"
import re, sys
line = next(l for l in open(sys.argv[1]) if l.startswith("scan wide: shards missing: "))
m = re.fullmatch(r"scan wide: shards missing: ((?:\d+/5000 ?)+) and (\d+) more \(shown when all 5000 have finished\)\n", line)
listed = m.group(1).split()
assert listed[0] == "0/5000" and "4999/5000" not in listed and len(listed) + int(m.group(2)) == 4999, line
PY
ok "--scan-name: stats and report name a missing shard; a finished shard is refused; a killed shard resumes; then the scan is shown"

# the server gone for longer than --db-timeout: exit 2, nothing lost, --resume finishes
"$EXRAY" scan -q -p $PORT --rate 15 --seed 31 --scan-name gone --db-timeout 2 127.81.0.0/26 --db "$SH" -o /dev/null 2>"$WORK/gone.err" &
p=$!
sleep 1
sh "$ROOT/tests/pg.sh" stop "$PGTMP/pg"
set +e; wait $p; rc=$?; set -e
[ $rc -eq 2 ] || fail "a scan whose database stayed away exited $rc, not 2: $(cat "$WORK/gone.err")"
grep -q "unreachable for more than 2 s (--db-timeout): postgresql: connection to server .* failed: Connection refused .*observations not written" \
    "$WORK/gone.err" || fail "no one-line --db-timeout message: $(cat "$WORK/gone.err")"
grep -q -- "$PW" "$WORK/gone.err" && fail "the password was printed"
# a scanner started while the server is down waits up to --db-timeout for it, then exit 2
set +e; "$EXRAY" scan -q -p $PORT --rate 0 --seed 32 --scan-name down --db-timeout 2 127.81.0.0/30 --db "$SH" -o /dev/null 2>"$WORK/down.err"
rc=$?; set -e
[ $rc -eq 2 ] && grep -q "Connection refused.*; unreachable for more than 2 s (--db-timeout)" "$WORK/down.err" ||
    fail "a scan started with the database down for longer than --db-timeout: exit $rc, $(cat "$WORK/down.err")"
# ... and runs when the server comes back within it
"$EXRAY" scan -q -p $PORT --rate 0 --seed 33 --scan-name late --db-timeout 60 127.81.0.64/28 --db "$SH" -o /dev/null 2>"$WORK/late.err" &
late=$!
sleep 2
kill -0 $late 2>/dev/null || fail "a scanner started while the database was down did not wait for it: $(cat "$WORK/late.err")"
sh "$ROOT/tests/pg.sh" again "$PGTMP/pg" || fail "PostgreSQL did not start again"
wait $late || fail "the scanner that waited for the database failed: $(cat "$WORK/late.err")"
[ "$(psql_q shards "SELECT count(*), count(DISTINCT o.ip) FROM observations o JOIN scans s ON s.id = o.scan_id WHERE s.name = 'late' AND s.finished IS NOT NULL")" = "16|16" ] ||
    fail "the scan that waited for the database did not store its 16 hosts"
# a refused login is not waited for (waiting does not mend it)
set +e; timeout 30 "$EXRAY" scan -q -p $PORT --rate 0 --db-timeout 60 127.81.0.0/30 --db "postgresql://exray:wrong@127.0.0.1:$pgport/shards" -o /dev/null 2>"$WORK/pw.err"
rc=$?; set -e
[ $rc -eq 2 ] && grep -q "password authentication failed" "$WORK/pw.err" && ! grep -q "unreachable" "$WORK/pw.err" ||
    fail "a refused login: exit $rc (124: it waited), $(cat "$WORK/pw.err")"
"$EXRAY" scan -q -p $PORT --rate 0 --resume --scan-name gone 127.81.0.0/26 --db "$SH" -o /dev/null 2>"$WORK/gone2.err" ||
    fail "resume after --db-timeout: $(cat "$WORK/gone2.err")"
[ "$(psql_q shards "SELECT count(*), count(DISTINCT ip) FROM observations o JOIN scans s ON s.id = o.scan_id WHERE s.name = 'gone'")" = "64|64" ] ||
    fail "after --db-timeout and --resume: $(psql_q shards "SELECT count(*), count(DISTINCT ip) FROM observations o JOIN scans s ON s.id = o.scan_id WHERE s.name = 'gone'")"
ok "the database away longer than --db-timeout: exit 2 with the reason, also at start; back within it: the scan goes on; --resume stores the 64 hosts once each"

# two notify workers at once
WK="postgresql://exray:$PW@127.0.0.1:$pgport/workers"
"$EXRAY" import --db "$WK" "$WORK/lite/scan.jsonl" 2>/dev/null || fail "import for workers"
i=0; while [ $i -lt 64 ]; do printf '127.81.0.%d/32,owner%d@example.net,Owner %d\n' $i $i $i; i=$((i + 1)); done > "$WORK/many.csv"
"$EXRAY" notify --db "$WK" --contacts "$WORK/many.csv" --plan-only 2>"$WORK/plan.err" || fail "plan: $(cat "$WORK/plan.err")"
"$EXRAY" notify --db "$WK" --contacts "$WORK/many.csv" --maildir "$WORK/w1" 2>"$WORK/w1.err" & p1=$!
"$EXRAY" notify --db "$WK" --contacts "$WORK/many.csv" --maildir "$WORK/w2" 2>"$WORK/w2.err" & p2=$!
wait $p1 || fail "worker 1: $(cat "$WORK/w1.err")"
wait $p2 || fail "worker 2: $(cat "$WORK/w2.err")"
tickets=$(psql_q workers "SELECT count(*) FROM tickets")
delivered=$(cat "$WORK"/w1/new/* "$WORK"/w2/new/* 2>/dev/null | grep -c '^X-exray-Ticket:' || true)
both=$( (ls "$WORK/w1/new"; ls "$WORK/w2/new") 2>/dev/null | sort | uniq -d | wc -l)
[ "$tickets" -gt 1 ] && [ "$delivered" -eq "$tickets" ] && [ "$both" -eq 0 ] ||
    fail "two workers: $tickets tickets, $delivered messages, $both delivered by both"
[ "$(psql_q workers "SELECT count(*) FROM tickets WHERE state <> 'sent'")" = 0 ] || fail "tickets left unsent"
ok "two notify workers at once: $tickets tickets, each delivered once"
