#!/bin/sh
# make demo: start the bundled emulated Exchange fleet, scan it into exray.db (SQLite),
# print the summary; then hunt a generated compromised triage copy; then scan the fleet from
# "two machines" (two shard scanners) into a private PostgreSQL; say where the files are.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${DEMO_DIR:-$ROOT/demo-output}
mkdir -p "$OUT"
FLEET="$ROOT/build/demo-fleet"
PGTMP=""
cleanup() {
    "$ROOT/tests/fixtures/fleet/fleet.sh" stop "$FLEET"
    [ -z "$PGTMP" ] || { sh "$ROOT/tests/pg.sh" stop "$PGTMP/pg"; rm -rf "$PGTMP"; }
}
trap cleanup EXIT INT TERM
echo "== starting the emulated fleet: 1024 hosts on 127.77.0.0/22:14443 (nginx, TLS)"
"$ROOT/tests/fixtures/fleet/fleet.sh" start "$FLEET" 127.77.0.0 1024 14443
rm -f "$OUT/exray.db" "$OUT/exray.db-wal" "$OUT/exray.db-shm"
echo "== exray scan -p 14443 127.77.0.0/22 --db $OUT/exray.db -o $OUT/scan.jsonl"
"$ROOT/exray" scan -p 14443 --rate 2000 127.77.0.0/22 --db "$OUT/exray.db" -o "$OUT/scan.jsonl"
"$ROOT/exray" scan -q -p 14443 --rate 2000 -F csv 127.77.0.0/22 -o "$OUT/scan.csv" 2>/dev/null
echo
echo "== a vulnerable server, as recorded:"
grep '"proxylogon":"vulnerable"' "$OUT/scan.jsonl" | head -1
echo
echo "== exray builds 15.1.2176.9"
"$ROOT/exray" builds 15.1.2176.9
echo
echo "== exray scan --probe-webshells (a second scan: it finds the planted web shells)"
"$ROOT/exray" scan -q -p 14443 --rate 2000 --probe-webshells 127.77.0.0/22 --db "$OUT/exray.db" -o "$OUT/scan2.jsonl"
echo
echo "== exray notify --contacts data/contacts-sample.csv --maildir $OUT/maildir"
rm -rf "$OUT/maildir"
"$ROOT/exray" notify --db "$OUT/exray.db" --contacts "$ROOT/data/contacts-sample.csv" --maildir "$OUT/maildir" \
    --from notify@cert.example --sender-name "Example CERT"
echo "messages: $(ls "$OUT/maildir/new" | wc -l) in $OUT/maildir/new, e.g.:"
f=$(ls "$OUT/maildir/new" | head -1)
sed -n '1,12p' "$OUT/maildir/new/$f"
echo
echo "== a week later, two notified servers have installed the update (offsets 1 and 2 of the fleet);"
echo "== exray scan --db $OUT/exray.db --rescan --notified-since 2021-03-01 (only the notified, still-affected hosts)"
FLEET_PATCHED=1,2 "$ROOT/tests/fixtures/fleet/fleet.sh" start "$FLEET" 127.77.0.0 1024 14443
"$ROOT/exray" scan -q --rate 2000 --db "$OUT/exray.db" --rescan --notified-since 2021-03-01 -o "$OUT/rescan.jsonl"
echo "rescanned $(wc -l < "$OUT/rescan.jsonl") hosts of 1024"
echo
echo "== exray stats (the last row counts the servers remediated after notice)"
"$ROOT/exray" stats --db "$OUT/exray.db"
echo
LATER=$(date -u -d '+8 days' +%Y-%m-%dT%H:%M:%SZ)
echo "== exray notify --now $LATER --resolved-notices (the rescan is new evidence: reminders to the"
echo "== still-affected, threaded to the first notice; a server patched after exposure stays a case: back doors may remain)"
rm -rf "$OUT/maildir2"
"$ROOT/exray" notify --db "$OUT/exray.db" --contacts "$ROOT/data/contacts-sample.csv" --maildir "$OUT/maildir2" \
    --from notify@cert.example --sender-name "Example CERT" --now "$LATER" --resolved-notices
echo "follow-ups by kind: $(cat "$OUT"/maildir2/new/* 2>/dev/null | grep -a '^X-exray-Notice:' | sort | uniq -c | tr -s ' \n' ' ')"
echo "== exray cases --db $OUT/exray.db (the first lines)"
"$ROOT/exray" cases --db "$OUT/exray.db" | head -6
echo
echo "== a compromised server's triage copy (KAPE layout), generated: $OUT/triage"
rm -rf "$OUT/triage"
python3 "$ROOT/tests/fixtures/triage/gen.py" "$OUT/triage" --style kape
echo "== exray hunt -o $OUT/findings.jsonl --timeline $OUT/timeline.csv $OUT/triage"
set +e
"$ROOT/exray" hunt -o "$OUT/findings.jsonl" --timeline "$OUT/timeline.csv" "$OUT/triage" 2>"$OUT/hunt.log"
rc=$?
set -e
echo "(exit status $rc: 1 = indicators found)"
echo
echo "== exray report --db $OUT/exray.db --hunt $OUT/findings.jsonl -o $OUT/report.html"
"$ROOT/exray" report --db "$OUT/exray.db" --hunt "$OUT/findings.jsonl" -o "$OUT/report.html"
"$ROOT/exray" report --db "$OUT/exray.db" --format md -o "$OUT/report.md" 2>/dev/null
echo
# the password is in the URI: shown masked, as exray itself shows it
PGPORT=25490
PGTMP=$(mktemp -d /tmp/exray-demo-pg.XXXXXX)
chmod 711 "$PGTMP"
echo "== scanning from several machines: a private PostgreSQL on 127.0.0.1:$PGPORT (initdb + pg_ctl, stopped at the end)"
URI=$(sh "$ROOT/tests/pg.sh" start "$PGTMP/pg" $PGPORT)
SHOWN="postgresql://exray:***@127.0.0.1:$PGPORT/exray"
echo "== exray scan -p 14443 --seed 7 --shard 0/2 --scan-name demo-2021-03 127.77.0.0/22 --db $SHOWN"
"$ROOT/exray" scan -q -p 14443 --rate 2000 --seed 7 --shard 0/2 --scan-name demo-2021-03 127.77.0.0/22 --db "$URI" -o /dev/null
echo "== exray stats --db $SHOWN   (one of two shards has run)"
"$ROOT/exray" stats --db "$URI" | head -3
echo "== the second machine: the same command with --shard 1/2"
"$ROOT/exray" scan -q -p 14443 --rate 2000 --seed 7 --shard 1/2 --scan-name demo-2021-03 127.77.0.0/22 --db "$URI" -o /dev/null
echo "== exray stats --db $SHOWN   (the scan is complete)"
"$ROOT/exray" stats --db "$URI" | head -3
echo "== exray db copy --from $SHOWN --to $OUT/shards.db   (the store, back to SQLite)"
rm -f "$OUT/shards.db" "$OUT/shards.db-wal" "$OUT/shards.db-shm"
"$ROOT/exray" db copy --from "$URI" --to "$OUT/shards.db"
echo
echo "files:"
echo "  $OUT/exray.db         SQLite store (tables scans, observations)"
echo "  $OUT/shards.db        the two shards' scan, copied from PostgreSQL"
echo "  $OUT/scan.jsonl       JSON Lines, one record per host"
echo "  $OUT/scan.csv         Shadowserver scan_exchange CSV"
echo "  $OUT/maildir/new/     notifications (one per recipient and state), RFC 5322"
echo "  $OUT/maildir2/new/    a week later: reminders and resolved notices, threaded to the first"
echo "  $OUT/findings.jsonl   hunt findings, JSON Lines"
echo "  $OUT/timeline.csv     hunt timeline for Timesketch"
echo "  $OUT/report.html      the campaign at a glance (open it in a browser; it loads nothing)"
echo "  $OUT/report.md        the same figures as Markdown tables"
