#!/bin/sh
# Benchmark: exray report on a store of 1,000,000 observations over 30 scans (33,334
# Exchange hosts in 40 countries and 500 networks); target: under 5 seconds.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXRAY=${EXRAY:-$ROOT/exray}
W=$ROOT/build/bench-report
mkdir -p "$W"
DB=$W/big.db
if [ ! -f "$W/big.done" ]; then
    rm -f "$DB" "$DB-wal" "$DB-shm"
    "$EXRAY" contacts optout bench@example.invalid --db "$DB" >/dev/null  # creates the schema
    python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"delete from optout\"); c.commit()" "$DB"
    python3 - "$DB" <<'PY'
import random, sqlite3, sys
rnd = random.Random(3)
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA synchronous=OFF")
hosts = 33334
builds = [("15.1.2176.2", "2016", "CU19"), ("15.1.2176.9", "2016", "CU19"), ("15.2.792.3", "2019", "CU8"), ("15.2.792.10", "2019", "CU8"),
          ("15.0.1497.2", "2013", "CU23"), ("15.1.1261.35", "2016", "CU7"), ("15.2.986.36", "2019", "CU11"), ("15.1.2507.16", "2016", "CU23")]
cc = ["NL", "DE", "US", "FR", "GB", "IT", "ES", "PL", "SE", "CZ"] * 4
db.executemany("insert into host_info(ip, asn, as_name, country) values(?,?,?,?)",
               [("10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255), 64000 + i % 500, "Network %d" % (i % 500), cc[i % 40]) for i in range(hosts)])
for s in range(1, 31):
    db.execute("insert into scans(id, started, finished, args, seed, shard, tool) values(?,?,?,?,?,?,?)",
               (s, "2021-03-%02dT00:00:00Z" % s, "2021-03-%02dT01:00:00Z" % s, "bench", 1, "0/1", "bench"))
    rows = []
    for i in range(hosts if s < 30 else 1000000 - 29 * hosts):
        b = builds[(i + (s * i) // 97) % len(builds)] if rnd.random() > s / 40 else builds[7]
        v = {"15.1.2507.16": "patched", "15.2.986.36": "patched", "15.1.2176.9": "patched", "15.2.792.10": "patched"}.get(b[0], "vulnerable")
        rows.append((s, "10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255), 443, "", "2021-03-%02dT00:30:00Z" % s, "ok", 1, b[0], "x-owa-version",
                     b[1], b[2], v, v, "vulnerable" if b[0] not in ("15.1.2507.16", "15.2.986.36") else "patched",
                     1 if i % 211 == 0 and s > 3 else None, "{}"))
    db.executemany("insert into observations(scan_id, ip, port, host_key, time, status, exchange, build, build_source, product, cu,"
                   " proxylogon, proxyshell, proxynotshell, webshells, record) values(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.commit()
print("observations:", db.execute("select count(*) from observations").fetchone()[0])
PY
    touch "$W/big.done"
fi
s=$(date +%s.%N)
"$EXRAY" report --db "$DB" -o "$W/report.html" 2>/dev/null
e=$(date +%s.%N)
python3 -c "import sys; print('1,000,000 observations over 30 scans: report rendered in %.2f s (target < 5 s), %d bytes' % (float(sys.argv[2]) - float(sys.argv[1]), int(sys.argv[3])))" "$s" "$e" "$(wc -c < "$W/report.html")"
