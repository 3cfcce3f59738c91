#!/bin/sh
# Benchmark: the PostgreSQL store (a private server on 127.0.0.1, started here) against SQLite.
#   (1) one scan of the fleet into SQLite vs four shard scanners at once into PostgreSQL
#       (target: wall time <= 1.5x; the machine may have 2 cores);
#   (2) exray import of N generated observations (JSON Lines) into PostgreSQL (target >= 100,000 rows/s);
#   (3) exray report on those N observations in PostgreSQL (target < 30 s): the first read after
#       the import, then a second one.
# N defaults to 10,000,000 (N=1000000 sh bench/store.sh for a quicker run); FLEET hosts (default 4096).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXRAY=${EXRAY:-$ROOT/exray}
N=${N:-10000000}
FLEET=${FLEET:-4096}
W=$ROOT/build/bench-store
rm -rf "$W"; mkdir -p "$W"
PGTMP=$(mktemp -d /tmp/exray-bench-pg.XXXXXX); chmod 711 "$PGTMP"
trap 'sh "$ROOT/tests/pg.sh" stop "$PGTMP/pg"; sh "$ROOT/tests/fixtures/fleet/fleet.sh" stop "$W/fleet" 2>/dev/null; rm -rf "$PGTMP"' EXIT INT TERM
URI=$(sh "$ROOT/tests/pg.sh" start "$PGTMP/pg" 25450)
PW=$(cat "$PGTMP/pg/pwfile")
psql_q() { PGPASSWORD=$PW /usr/lib/postgresql/15/bin/psql -X -At -h 127.0.0.1 -p 25450 -U exray -d "$1" -c "$2"; }
psql_q postgres "CREATE DATABASE shards" >/dev/null
now() { python3 -c 'import time; print(time.time())'; }

FLEET_KEY=ec sh "$ROOT/tests/fixtures/fleet/fleet.sh" start "$W/fleet" 127.83.0.0 "$FLEET" 18443 >/dev/null
bits=$(python3 -c "import math,sys; print(32 - int(math.log2(int(sys.argv[1]))))" "$FLEET")
t0=$(now)
"$EXRAY" scan -q -p 18443 --rate 0 --seed 3 "127.83.0.0/$bits" --db "$W/one.db" -o /dev/null 2>/dev/null
t1=$(now)
for i in 0 1 2 3; do
    "$EXRAY" scan -q -p 18443 --rate 0 --seed 3 --shard $i/4 --scan-name bench "127.83.0.0/$bits" --db "${URI%/exray}/shards" -o /dev/null 2>/dev/null &
done
wait
t2=$(now)
stored=$(psql_q shards "SELECT count(DISTINCT ip) FROM observations")
python3 - "$t0" "$t1" "$t2" "$FLEET" "$stored" <<'PY'
import sys
t0, t1, t2, n, stored = map(float, sys.argv[1:])
a, b = t1 - t0, t2 - t1
print(f"(1) {int(n)} hosts: 1 scanner into SQLite {a:.2f} s; 4 shard scanners into PostgreSQL {b:.2f} s "
      f"({int(stored)} hosts stored); ratio {b / a:.2f}x (target <= 1.5x)")
PY

python3 - "$W/obs.jsonl" "$N" <<'PY'
import sys
out, n = sys.argv[1], int(sys.argv[2])
builds = [("15.1.2176.2", "2016", "CU19", "vulnerable"), ("15.2.986.36", "2019", "CU11", "patched"), ("15.0.1497.2", "2013", "CU23", "vulnerable")]
cc = ["NL", "DE", "US", "FR"]
with open(out, "w") as f:
    for i in range(n):
        b = builds[i % 3]
        ip = "10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255)
        day = 1 + (i >> 24) % 28
        f.write('{"ip":"%s","port":443,"hostname":null,"time":"2021-03-%02dT10:%02d:%02dZ","status":"ok","exchange":true,'
                '"build":"%s","build_source":"x-owa-version","product":"%s","cu":"%s","su":null,"servername":"EX%d",'
                '"proxylogon":"%s","proxyshell":"%s","proxynotshell":"%s"}\n'
                % (ip, day, (i >> 6) % 60, i % 60, b[0], b[1], b[2], i % 97, b[3], b[3], b[3]))
PY
# one report is read whole (at most 1 GiB): 1,000,000 lines a file, all in one import
(cd "$W" && split -l 1000000 -d -a 3 obs.jsonl part. && rm obs.jsonl)
sync # the generated files' 3 GB written out first, not during the import
t0=$(now)
"$EXRAY" import --db "$URI" "$W"/part.* 2>"$W/import.err"
t1=$(now)
/usr/bin/time -f %M -o "$W/report.rss" "$EXRAY" report --db "$URI" -o "$W/report.html" 2>/dev/null
t2=$(now)
# the first read after a bulk load also sets PostgreSQL's hint bits on every row (and writes
# the table out again), as autovacuum would later; a second report shows the read alone
"$EXRAY" report --db "$URI" -o "$W/report2.html" 2>/dev/null
t2b=$(now)
cmp -s "$W/report.html" "$W/report2.html" || { echo "the second report differs from the first" >&2; exit 1; }
# counted only now: a count right after the import would be the first read, and pay for it
rows=$(psql_q exray "SELECT count(*) FROM observations")
# the peer: PostgreSQL's own bulk load (psql \copy) of the very rows exray stored, into a
# table with the same columns, keys and indexes: what the server can take here
COLS="scan_id, ip, port, host_key, hostname, time, status, exchange, build, build_source, product, cu, su, servername, proxylogon, proxyshell, proxynotshell, webshells, record"
psql_q exray "CREATE TABLE peer_obs (LIKE observations INCLUDING ALL)" >/dev/null
PGPASSWORD=$PW /usr/lib/postgresql/15/bin/psql -X -q -h 127.0.0.1 -p 25450 -U exray -d exray -c "\\copy (SELECT $COLS FROM observations) TO '$W/obs.tsv'"
sync
t3=$(now)
PGPASSWORD=$PW /usr/lib/postgresql/15/bin/psql -X -q -h 127.0.0.1 -p 25450 -U exray -d exray -c "\\copy peer_obs($COLS) FROM '$W/obs.tsv'"
t4=$(now)
rm -f "$W/obs.tsv"
python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$rows" "$(cat "$W/report.rss")" "$t2b" <<'PY'
import sys
t0, t1, t2, t3, t4, rows, rss, t2b = map(float, sys.argv[1:])
imp, peer = t1 - t0, t4 - t3
print(f"(2) import of {int(rows):,} observations into PostgreSQL: {imp:.1f} s, {rows / imp:,.0f} rows/s (target >= 100,000);"
      f" psql \\copy of the same rows: {peer:.1f} s, {rows / peer:,.0f} rows/s; exray/psql time {imp / peer:.2f}x")
print(f"(3) exray report on them: {t2 - t1:.1f} s (target < 30 s), peak memory {rss / 1024:,.0f} MiB;"
      f" a second report (hint bits already set): {t2b - t2:.1f} s")
PY
