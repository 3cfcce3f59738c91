#!/bin/sh
# make demo: start the bundled emulated Exchange fleet on free loopback addresses and ports,
# scan it into exray.db (SQLite), print the summary; notify, rescan after two servers update
# (one to the newest update, one to an old one), and show that every command gives the same
# answer; hunt a generated compromised triage copy; scan the fleet from "two machines" (two
# shard scanners) into a private PostgreSQL; say where the files are. It runs beside make
# test and twice in a row: nothing is fixed but the output folder (DEMO_DIR).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${DEMO_DIR:-$ROOT/demo-output}
mkdir -p "$OUT"
FLEET=$(mktemp -d "$ROOT/build/demo-fleet.XXXXXX")
PGTMP=""
cleanup() {
    "$ROOT/tests/fixtures/fleet/fleet.sh" stop "$FLEET" 2>/dev/null || true
    rm -rf "$FLEET"
    [ -z "$PGTMP" ] || { sh "$ROOT/tests/pg.sh" stop "$PGTMP/pg"; rm -rf "$PGTMP"; }
}
trap cleanup EXIT INT TERM
# a free TCP port and the one after it (the fleet listens on both), as the tests pick them
free_port() { python3 "$ROOT/tests/free_port.py"; }
# a /22 of loopback addresses no test uses (the tests take 127.77-127.81)
OCT=$(python3 -c 'import random; print(random.randrange(100, 250))')
NET=127.$OCT.0.0/22
BASE=127.$OCT.0.0
PORT=$(free_port)
echo "== starting the emulated fleet: 1024 hosts on $NET:$PORT (nginx, TLS)"
"$ROOT/tests/fixtures/fleet/fleet.sh" start "$FLEET" "$BASE" 1024 "$PORT"
# the sample contacts, moved to the fleet's addresses
sed "s/127\.77\./127.$OCT./g" "$ROOT/data/contacts-sample.csv" > "$OUT/contacts.csv"
rm -f "$OUT/exray.db" "$OUT/exray.db-wal" "$OUT/exray.db-shm"
echo "== exray scan -p $PORT $NET --db $OUT/exray.db -o $OUT/scan.jsonl"
"$ROOT/exray" scan -p "$PORT" --rate 2000 "$NET" --db "$OUT/exray.db" -o "$OUT/scan.jsonl"
"$ROOT/exray" scan -q -p "$PORT" --rate 2000 -F csv "$NET" -o "$OUT/scan.csv" 2>/dev/null
echo
echo "== a vulnerable server, as recorded (its state, the CVEs open, the known exploited first):"
grep '"state":"vulnerable"' "$OUT/scan.jsonl" | head -1 | cut -c1-600
echo
echo "== exray builds 15.1.2507.16   (2016 CU23 Nov22SU: patched for the 2021-22 campaigns, open to every CVE since)"
"$ROOT/exray" builds 15.1.2507.16 2>/dev/null | head -8
echo
echo "== exray scan --probe-webshells (a second scan: it finds the planted web shells)"
"$ROOT/exray" scan -q -p "$PORT" --rate 2000 --probe-webshells "$NET" --db "$OUT/exray.db" -o "$OUT/scan2.jsonl" 2>/dev/null
echo
echo "== exray notify --contacts $OUT/contacts.csv --maildir $OUT/maildir"
rm -rf "$OUT/maildir" "$OUT/maildir2"
"$ROOT/exray" notify --db "$OUT/exray.db" --contacts "$OUT/contacts.csv" --maildir "$OUT/maildir" \
    --from notify@cert.example --sender-name "Example CERT"
echo "messages: $(ls "$OUT/maildir/new" | wc -l) in $OUT/maildir/new, e.g.:"
f=$(ls "$OUT/maildir/new" | head -1)
sed -n '1,12p' "$OUT/maildir/new/$f"
echo
H1=127.$OCT.0.1
H2=127.$OCT.0.2
echo "== a week later two notified servers have updated: $H1 to the newest update (Exchange SE Oct26SU),"
echo "== $H2 to an old one (2016 CU23 Nov22SU: patched for the 2021-22 campaigns, still open to the CVEs since)"
echo "== exray scan --db $OUT/exray.db --rescan --notified-since 2021-03-01 (only the notified, still-open hosts)"
"$ROOT/tests/fixtures/fleet/fleet.sh" stop "$FLEET"
FLEET_PATCHED=1 FLEET_OLDSU=2 "$ROOT/tests/fixtures/fleet/fleet.sh" start "$FLEET" "$BASE" 1024 "$PORT"
"$ROOT/exray" scan -q --rate 2000 --db "$OUT/exray.db" --rescan --notified-since 2021-03-01 -o "$OUT/rescan.jsonl" 2>/dev/null
echo "rescanned $(wc -l < "$OUT/rescan.jsonl") hosts of 1024"
echo
echo "== exray stats (states per scan; the last row: the rescanned hosts, and remediated = notified and now fixed)"
"$ROOT/exray" stats --db "$OUT/exray.db" 2>/dev/null
echo
LATER=$(date -u -d '+8 days' +%Y-%m-%dT%H:%M:%SZ)
echo "== exray notify --now $LATER --resolved-notices (the rescan is new evidence: a reminder for what is still open,"
echo "== threaded to the first notice; $H1 is resolved, never reminded)"
"$ROOT/exray" notify --db "$OUT/exray.db" --contacts "$OUT/contacts.csv" --maildir "$OUT/maildir2" \
    --from notify@cert.example --sender-name "Example CERT" --now "$LATER" --resolved-notices 2>&1 | grep -v "warning:"
echo "follow-ups by kind: $(cat "$OUT"/maildir2/new/* 2>/dev/null | grep -a '^X-exray-Notice:' | sort | uniq -c | tr -s ' \n' ' ')"
python3 - "$OUT/maildir2/new" "$H2" <<'PY'
import email, glob, os, re, sys
from email import policy
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*"))):
    body = next(email.message_from_binary_file(open(f, "rb"), policy=policy.default).iter_parts()).get_content()
    if re.search(r"^  %s port" % re.escape(sys.argv[2]), body, re.M):
        cves = re.findall(r"^  (CVE-\d+-\d+) ", body, re.M)
        print("== the reminder naming %s lists %d CVEs still open on its servers (known exploited first), e.g.:" % (sys.argv[2], len(cves)))
        print("\n".join(l for l in body.splitlines() if l.startswith("  CVE-2026-42897")))
        break
PY
echo
echo "== one answer everywhere, for the two servers (hosts, cases, the report's JSON):"
"$ROOT/exray" hosts --db "$OUT/exray.db" 2>/dev/null | awk -v a="$H1" -v b="$H2" 'NR == 1 || $1 == a || $1 == b'
"$ROOT/exray" cases --db "$OUT/exray.db" --format json 2>/dev/null | python3 -c '
import json, sys
a, b = sys.argv[1:3]
for c in map(json.loads, sys.stdin):
    for h in c["hosts"]:
        if h["ip"] in (a, b):
            print("cases: %s %s (%s)" % (h["ip"], "resolved " + (h["resolution"] or "") if h["resolved_at"] else "open", c["recipient"]))
' "$H1" "$H2"
"$ROOT/exray" report --db "$OUT/exray.db" --format json 2>/dev/null | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("report: today %s; funnel: %d notified, %d resolved, %d still open" % (
    ", ".join("%s %d" % kv for kv in r["current"]["states"].items()), r["funnel"]["notified"], r["funnel"]["resolved"], r["funnel"]["still_open"]))'
echo "== exray cases --db $OUT/exray.db (the first lines)"
"$ROOT/exray" cases --db "$OUT/exray.db" 2>/dev/null | head -6
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
PGPORT=$(free_port)
PGTMP=$(mktemp -d /tmp/exray-demo-pg.XXXXXX)
chmod 711 "$PGTMP"
echo "== scanning from several machines: a private PostgreSQL on 127.0.0.1:$PGPORT (initdb + pg_ctl, stopped at the end)"
URI=$(sh "$ROOT/tests/pg.sh" start "$PGTMP/pg" $PGPORT)
SHOWN="postgresql://exray:***@127.0.0.1:$PGPORT/exray"
echo "== exray scan -p $PORT --seed 7 --shard 0/2 --scan-name demo-2021-03 $NET --db $SHOWN"
"$ROOT/exray" scan -q -p "$PORT" --rate 2000 --seed 7 --shard 0/2 --scan-name demo-2021-03 "$NET" --db "$URI" -o /dev/null 2>/dev/null
echo "== exray stats --db $SHOWN   (one of two shards has run)"
"$ROOT/exray" stats --db "$URI" 2>/dev/null | head -3
echo "== the second machine: the same command with --shard 1/2"
"$ROOT/exray" scan -q -p "$PORT" --rate 2000 --seed 7 --shard 1/2 --scan-name demo-2021-03 "$NET" --db "$URI" -o /dev/null 2>/dev/null
echo "== exray stats --db $SHOWN   (the scan is complete)"
"$ROOT/exray" stats --db "$URI" 2>/dev/null | head -3
echo "== exray db copy --from $SHOWN --to $OUT/shards.db   (the store, back to SQLite)"
rm -f "$OUT/shards.db" "$OUT/shards.db-wal" "$OUT/shards.db-shm"
"$ROOT/exray" db copy --from "$URI" --to "$OUT/shards.db"
echo
echo "files:"
echo "  $OUT/exray.db         SQLite store (tables scans, observations)"
echo "  $OUT/shards.db        the two shards' scan, copied from PostgreSQL"
echo "  $OUT/scan.jsonl       JSON Lines, one record per host"
echo "  $OUT/scan.csv         Shadowserver scan_exchange CSV"
echo "  $OUT/contacts.csv     the sample contacts, moved to the fleet's addresses"
echo "  $OUT/maildir/new/     notifications (one per recipient and state), RFC 5322"
echo "  $OUT/maildir2/new/    a week later: reminders and resolved notices, threaded to the first"
echo "  $OUT/findings.jsonl   hunt findings, JSON Lines"
echo "  $OUT/timeline.csv     hunt timeline for Timesketch"
echo "  $OUT/report.html      the campaign at a glance (open it in a browser; it loads nothing)"
echo "  $OUT/report.md        the same figures as Markdown tables"
