#!/bin/sh
# Benchmark: the PostgreSQL store (a private server on 127.0.0.1, started here) against SQLite.
#   (1) one scan of the fleet into SQLite vs four shard scanners at once into PostgreSQL
#       (target: wall time <= 1.5x; the machine may have 2 cores);
#   (2) exray import of N generated observations (JSON Lines) into PostgreSQL (target >= 100,000 rows/s);
#   (3) exray report on those N observations in PostgreSQL (target < 30 s): the first read after
#       the import, then a second one.
# N defaults to 10,000,000 (N=1000000 sh bench/store.sh for a quicker run); FLEET hosts (default 4096).
# WARM=1 (default) fills the free memory with clean page cache before the import, WARM=0 does not;
# COLD=1 adds both loads on memory fresh from the host (root: drops the page cache). See below.
# Needs about 60 GB of disk with WARM=1 (the fill is at most the free memory, and leaves 40 GB).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXRAY=${EXRAY:-$ROOT/exray}
N=${N:-10000000}
FLEET=${FLEET:-4096}
W=$ROOT/build/bench-store
rm -rf "$W"; mkdir -p "$W"
PGTMP=$(mktemp -d /tmp/exray-bench-pg.XXXXXX); chmod 711 "$PGTMP"
trap 'rm -f "$W/fill"; sh "$ROOT/tests/pg.sh" stop "$PGTMP/pg"; sh "$ROOT/tests/fixtures/fleet/fleet.sh" stop "$W/fleet" 2>/dev/null; rm -rf "$PGTMP"' EXIT INT TERM
URI=$(sh "$ROOT/tests/pg.sh" start "$PGTMP/pg" 25450)
PW=$(cat "$PGTMP/pg/pwfile")
psql_on() { db=$1; shift; PGPASSWORD=$PW "$(sh "$ROOT/tests/pg.sh" bin)/psql" -X -h 127.0.0.1 -p 25450 -U exray -d "$db" "$@"; }
psql_q() { psql_on "$1" -At -c "$2"; }
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
# Memory. A VM whose host takes back the memory it frees (free page reporting, as this
# Firecracker VM's kernel does) pays in the kernel for the first write to each page again:
# here 4 GB written into never-used page cache took 18 s, the same a third time 0.7 s. A
# 10,000,000-row import puts ~10 GB of new table and index pages in the page cache, so its
# speed depends on how much such memory the machine has left. A database server that has
# been running has its memory full of cache; WARM=1 (the default) brings the machine to that
# state first, by writing a file of clean pages into the free memory (kept until the peer has
# loaded), and the peer below loads in the same state. WARM=0 measures the machine as found;
# COLD=1 adds a pair of loads (exray, then the peer, each into a new database) after the page
# cache is dropped, on memory fresh from the host (root only).
memfree() { awk '/^MemFree:/ {printf "%.1f", $2 / 1048576}' /proc/meminfo; }
if [ "${WARM:-1}" = 1 ]; then
    # all free memory but 2 GiB, leaving 40 GiB of disk for the tables, the WAL and the peer's file
    fill=$(awk -v disk="$(df -Pk "$W" | awk 'NR == 2 {print $4}')" '/^MemFree:/ {
        mb = int(($2 - 2097152) / 1024); room = int((disk - 41943040) / 1024); if (room < mb) mb = room; print (mb > 0 ? mb : 0) }' /proc/meminfo)
    echo "memory: $(memfree) GiB free; filling $fill MiB of it with clean page cache (WARM=1)"
    dd if=/dev/zero of="$W/fill" bs=1M count="$fill" status=none; sync
fi
mem0=$(memfree)
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
COLS="scan_id, ip, port, host_key, hostname, time, status, exchange, build, build_source, product, cu, su, servername, proxylogon, proxyshell, proxynotshell, webshells, state, kev_open, asserted, record"
psql_q exray "CREATE TABLE peer_obs (LIKE observations INCLUDING ALL)" >/dev/null
psql_on exray -q -c "\\copy (SELECT $COLS FROM observations) TO '$W/obs.tsv'"
sync
mem3=$(memfree)
t3=$(now)
psql_on exray -q -c "\\copy peer_obs($COLS) FROM '$W/obs.tsv'"
t4=$(now)
rm -f "$W/fill"
python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$rows" "$(cat "$W/report.rss")" "$t2b" "$mem0" "$mem3" "${WARM:-1}" <<'PY'
import sys
t0, t1, t2, t3, t4, rows, rss, t2b, mem0, mem3, warm = map(float, sys.argv[1:])
imp, peer = t1 - t0, t4 - t3
state = "memory full of clean page cache (WARM=1)" if warm else "memory as found (WARM=0)"
print(f"(2) import of {int(rows):,} observations into PostgreSQL, {state}, {mem0:.1f} GiB free: {imp:.1f} s, {rows / imp:,.0f} rows/s (target >= 100,000);"
      f" psql \\copy of the same rows ({mem3:.1f} GiB free): {peer:.1f} s, {rows / peer:,.0f} rows/s; exray/psql time {imp / peer:.2f}x")
print(f"(3) exray report on them: {t2 - t1:.1f} s (target < 30 s), peak memory {rss / 1024:,.0f} MiB;"
      f" a second report (hint bits already set): {t2b - t2:.1f} s")
PY
if [ "${COLD:-0}" = 1 ]; then
    # the same two loads on memory fresh from the host: each into a new database, after the
    # page cache is dropped and the load's input read back in
    psql_q exray "DROP TABLE peer_obs" >/dev/null
    cold() { # cold WHO: prints the load's seconds
        psql_q postgres "DROP DATABASE IF EXISTS cold" >/dev/null 2>&1; psql_q postgres "CREATE DATABASE cold" >/dev/null
        "$EXRAY" stats --db "${URI%/exray}/cold" >/dev/null 2>&1
        psql_q postgres "CHECKPOINT" >/dev/null; sync; echo 3 > /proc/sys/vm/drop_caches
        if [ "$1" = exray ]; then cat "$W"/part.* >/dev/null; else cat "$W/obs.tsv" >/dev/null; fi
        sleep 10 # the host takes the freed memory back
        a=$(now)
        if [ "$1" = exray ]; then "$EXRAY" import --db "${URI%/exray}/cold" "$W"/part.* 2>>"$W/import.err"
        else psql_on cold -q -c "\\copy observations($COLS) FROM '$W/obs.tsv'"; fi
        b=$(now); n=$(psql_q cold "SELECT count(*) FROM observations")
        [ "$n" = "$rows" ] || { echo "the cold $1 load stored $n rows, not $rows" >&2; exit 1; }
        python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$a" "$b"
    }
    ce=$(cold exray); cp=$(cold psql)
    python3 - "$ce" "$cp" "$rows" <<'PY'
import sys
ce, cp, rows = map(float, sys.argv[1:])
print(f"(2') the same loads on memory fresh from the host (page cache dropped, COLD=1): import {ce:.1f} s, {rows / ce:,.0f} rows/s;"
      f" psql \\copy {cp:.1f} s, {rows / cp:,.0f} rows/s; exray/psql time {ce / cp:.2f}x")
PY
fi
rm -f "$W/obs.tsv"
