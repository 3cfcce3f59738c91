#!/bin/sh
# exray notify on a scanned fleet: one message per recipient and state, correct MIME read
# back by Python's email parser, isolation between recipients, never twice (rerun, kill
# between delivery and bookkeeping), a worse state notified at once, opt-out, hostile
# names, templates with unknown variables, exray stats.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
# offset 5 has installed the newest update (SE Oct26SU): a patched host that is never notified
FLEET_PATCHED=5
export FLEET_PATCHED
start_fleet 127.77.0.0 256 $PORT
DB=$(store exray)
"$EXRAY" scan -q -p $PORT --rate 0 127.77.0.0/24 --db "$DB" -o /dev/null 2>/dev/null
# a new observation of every host: a reminder needs evidence newer than the last notice
fresh() { "$EXRAY" scan -q -p $PORT --rate 0 --probe-webshells 127.77.0.0/24 --db "$DB" -o /dev/null 2>/dev/null; }
cat > "$WORK/contacts.csv" <<'CSV'
network,email,org
127.77.0.0/25,noc@one.example,"Credit Union One"
127.77.0.64/26,it@two.example,City of Two
127.77.0.96/27,admin@three.example,"Bakery ""Three"""
127.77.0.128/25,abuse@four.example,Four Ltd
not-a-network,x@y.example,broken line
127.77.0.0/24,not-an-address,broken line
CSV
# hostile organisation names: CR/LF, non-UTF-8, very long
printf '127.77.0.200/29,evil@five.example,"Evil\rBcc: victim@else.example \377\376 %s"\n' "$(head -c 3000 /dev/zero | tr '\0' 'A')" >> "$WORK/contacts.csv"
# a hostile host name and server name stored with an observation
python3 - "$DB" <<'PY'
import dbconn, sys
db = dbconn.connect(sys.argv[1])
# PostgreSQL's text cannot hold a NUL at all: another control character there
nul = "\x01" if dbconn.is_pg(sys.argv[1]) else "\x00"
db.execute("UPDATE observations SET hostname = ?, servername = ? WHERE ip = '127.77.0.202'",
           ("mail.five.example\r\nBcc: victim@else.example", "EX" + nul + "\xff\r\nX-Injected: 1"))
db.commit()
PY
"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail" 2>"$WORK/n1.err" || fail "notify: $(cat "$WORK/n1.err")"
grep -q "contacts.csv:6: network is neither" "$WORK/n1.err" || fail "bad contact line not reported: $(cat "$WORK/n1.err")"
grep -q "contacts.csv:7: not a valid e-mail" "$WORK/n1.err" || fail "bad address not reported"
python3 "$ROOT/tests/integration/check_mail.py" "$WORK/mail" "$WORK/contacts.csv" "$FLEET/expected.jsonl" > "$WORK/s1.json" || fail "messages"
python3 - "$WORK/s1.json" "$FLEET/expected.jsonl" "$ROOT" <<'PY' || fail "first run"
import ipaddress, json, sys
sys.path.insert(0, sys.argv[3] + "/tests/integration")
from hc_rule import Rule
s = json.load(open(sys.argv[1]))
rule = Rule(sys.argv[3] + "/data/exchange-builds.csv", sys.argv[3] + "/data/exchange-vulns.csv")
nets = [(ipaddress.ip_network(n), r) for n, r in (("127.77.0.0/25", 1), ("127.77.0.64/26", 2), ("127.77.0.96/27", 3),
                                                   ("127.77.0.128/25", 4), ("127.77.0.200/29", 5))]
def owner(ip):
    return max((n for n in nets if ipaddress.ip_address(ip) in n[0]), key=lambda n: n[0].prefixlen)[1]
import datetime
def state(x):  # from the fleet's facts and HealthChecker's rule over every CVE, not from exray
    st = rule.state(x["build"], datetime.date.today().isoformat(), sys.argv[3] + "/data/exchange-lifecycle.csv")
    return "other" if st in ("patched", "not-affected") else st
# "other": nothing open by version on a supported line (SE with its newest update): never notified
want = {(owner(x["ip"]), state(x)) for x in map(json.loads, open(sys.argv[2])) if x["exchange"] and state(x) != "other"}
assert {"vulnerable", "end-of-life"} <= {st for _, st in want}, want
assert s["messages"] == len(want), (s["messages"], sorted(want))  # one per recipient and state
for ip, t in s["host_templates"].items():
    assert t == [state(next(x for x in map(json.loads, open(sys.argv[2])) if x["ip"] == ip))], (ip, t)
assert all(len(t) == 1 for t in s["host_tickets"].values()), "a host in two tickets"
quiet = [x["ip"] for x in map(json.loads, open(sys.argv[2])) if x["exchange"] and state(x) == "other"]
assert quiet and not set(quiet) & set(s["host_tickets"]), "a patched host was notified"
assert "127.77.0.202" in s["host_tickets"], "hostile-name host missing"
PY
ok "one message per recipient and state (vulnerable by HealthChecker's rule, end-of-life); RFC 5322/MIME parsed by Python; every host only in its owner's message"

"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail" 2>"$WORK/n2.err"
grep -q "0 new directives in 0 new tickets" "$WORK/n2.err" || fail "rerun notified again: $(cat "$WORK/n2.err")"
[ "$(ls "$WORK/mail/new" | wc -l)" -eq "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["messages"])' "$WORK/s1.json")" ] ||
    fail "rerun delivered more messages"
ok "rerun within the interval: nothing new"

# a worse state at once: the probe finds planted web shells -> compromised
"$EXRAY" scan -q -p $PORT --rate 0 --probe-webshells 127.77.0.0/24 --db "$DB" -o /dev/null 2>/dev/null
"$EXRAY" contacts optout it@two.example --db "$DB" >/dev/null
"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail" 2>"$WORK/n3.err"
python3 "$ROOT/tests/integration/check_mail.py" "$WORK/mail" "$WORK/contacts.csv" "$FLEET/expected.jsonl" > "$WORK/s3.json" || fail "messages after rescan"
python3 - "$WORK/s1.json" "$WORK/s3.json" "$FLEET/expected.jsonl" <<'PY' || fail "worse state"
import json, sys
s1, s3 = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
shells = {json.loads(l)["ip"] for l in open(sys.argv[3]) if json.loads(l).get("shells")}
assert s3["by_template"].get("compromised", 0) >= 1, s3["by_template"]
new = set(s3["tickets"]) - set(s1["tickets"])
for ip, ts in s3["host_tickets"].items():
    if set(ts) & new and 64 <= int(ip.split(".")[-1]) < 96:
        raise AssertionError("opted-out recipient was sent %s after opting out" % ip)
compromised = [ip for ip, ts in s3["host_tickets"].items() if set(ts) & new]
assert compromised and all(ip in shells for ip in compromised), (compromised, shells)
PY
grep -q "1 opted out\|[1-9][0-9]* opted out" "$WORK/n3.err" || fail "opt-out not counted: $(cat "$WORK/n3.err")"
ok "vulnerable -> compromised notified at once with the compromise template; opt-out honoured"

# crash between delivery and bookkeeping, then rerun: each ticket delivered exactly once
# (the fault injection is compiled only into the test build, which make test runs as the ASan pass)
if "$EXRAY" --version | grep -q "test hooks"; then
fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail2" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
set +e
EXRAY_TEST_CRASH_AFTER_DELIVERIES=2 "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail2" 2>/dev/null
rc=$?
set -e
[ $rc -eq 137 ] || fail "fault injection did not fire (exit $rc)"
pending=$(python3 -c "import dbconn,sys; print(dbconn.connect(sys.argv[1]).execute('select count(*) from tickets where sent_at is null').fetchone()[0])" "$DB")
[ "$pending" -ge 1 ] || fail "no pending ticket after the crash"
"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail2" 2>"$WORK/n4.err"
grep -q "(1 had been delivered by an interrupted run)" "$WORK/n4.err" || fail "recovery: $(cat "$WORK/n4.err")"
python3 - "$DB" "$WORK/mail2" <<'PY' || fail "exactly once"
import collections, email, glob, os, dbconn, sys
db = dbconn.connect(sys.argv[1])
pending = db.execute("select count(*) from tickets where sent_at is null").fetchone()[0]
assert pending == 0, pending
# messages per ticket by their X-exray-Ticket header, not by file name (names are unique)
msgs = collections.Counter(email.message_from_binary_file(open(f, "rb"))["X-exray-Ticket"]
                           for f in glob.glob(os.path.join(sys.argv[2], "new", "*")) + glob.glob(os.path.join(sys.argv[2], "cur", "*")))
assert all(v == 1 for v in msgs.values()), {t: v for t, v in msgs.items() if v > 1}
sent = {r[0] for r in db.execute("select id from tickets where state = 'sent'")}
assert set(msgs) <= sent and sent & set(msgs), (set(msgs), sent)
PY
ok "killed between delivery and bookkeeping: every ticket delivered exactly once after the rerun"
else
    echo "  skip: crash injection needs the test build (the ASan pass with test hooks runs it)"
    fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail2" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
    set +e; EXRAY_TEST_CRASH_AFTER_DELIVERIES=2 "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail2" 2>/dev/null; rc=$?; set -e
    [ $rc -eq 0 ] || fail "the normal build obeyed a test fault-injection variable (exit $rc)"
fi

# a template with an unknown variable stops the run before anything is sent
mkdir -p "$WORK/tpl"
for t in "$ROOT"/data/templates/*.txt; do cp "$t" "$WORK/tpl/"; done
printf 'Subject: [${ticket}] x\nHello ${orgname}\n' > "$WORK/tpl/vulnerable.txt"
before=$(ls "$WORK/mail3" 2>/dev/null | wc -l)
set +e; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail3" --templates "$WORK/tpl" --interval 0 2>"$WORK/n5.err"; rc=$?; set -e
[ $rc -eq 2 ] || fail "unknown template variable: exit $rc"
grep -q "vulnerable.txt:2: unknown variable \${orgname}" "$WORK/n5.err" || fail "message: $(cat "$WORK/n5.err")"
[ ! -d "$WORK/mail3/new" ] || fail "something was delivered"
ok "unknown template variable: error with file and line, nothing sent"

"$EXRAY" stats --db "$DB" > "$WORK/stats.txt"
nscans=$(python3 -c "import dbconn,sys; print(dbconn.connect(sys.argv[1]).execute('select count(*) from scans').fetchone()[0])" "$DB")
[ "$nscans" -ge 2 ] && [ "$(grep -c '^[0-9]' "$WORK/stats.txt")" -eq "$nscans" ] || fail "stats rows (of $nscans scans): $(cat "$WORK/stats.txt")"
"$EXRAY" stats --db "$DB" --format json > "$WORK/stats.json"
"$EXRAY" stats --db "$DB" --format csv > "$WORK/stats.csv"
python3 - "$WORK/stats.txt" "$FLEET/expected.jsonl" "$ROOT" "$WORK/stats.json" "$WORK/stats.csv" <<'PY' || fail "stats: $(cat "$WORK/stats.txt")"
import csv, datetime, json, sys
sys.path.insert(0, sys.argv[3] + "/tests/integration")
from hc_rule import Rule
rule = Rule(sys.argv[3] + "/data/exchange-builds.csv", sys.argv[3] + "/data/exchange-vulns.csv")
STATES = ["compromised", "vulnerable", "end-of-life", "undetermined", "patched", "not-affected"]
names = ["scan", "started", "exchange"] + STATES + ["kev_open", "notified", "remediated", "reminded", "escalated", "resolved"]
lines = open(sys.argv[1]).read().splitlines()
head = lines[0].split()
assert head == names, head  # the columns, by name
rows = {l.split()[0]: dict(zip(head, l.split())) for l in lines[1:]}
assert int(rows["2"]["compromised"]) > 0 and int(rows["1"]["compromised"]) == 0, rows
# scan 1 (no probe): every Exchange host by its state by HealthChecker's rule over every CVE and
# the lifecycle today; kev_open: those with a known exploited CVE open
ex = [x for x in map(json.loads, open(sys.argv[2])) if x["exchange"]]
today = datetime.date.today().isoformat()
want = {st: 0 for st in STATES}
for x in ex:
    want[rule.state(x["build"], today, sys.argv[3] + "/data/exchange-lifecycle.csv")] += 1
got = {st: int(rows["1"][st]) for st in STATES}
assert got == want, (got, want)
kev = sum(1 for x in ex if any(rule.kev(c) for c in rule.open_cves(x["build"]) or ()))
assert int(rows["1"]["kev_open"]) == kev and 0 < kev, (rows["1"]["kev_open"], kev)
assert want["vulnerable"] and want["end-of-life"] and want["patched"], want
# the same figures as JSON Lines and CSV
js = {j["scan"]: j for j in map(json.loads, open(sys.argv[4]))}
cs = {r["scan"]: r for r in csv.DictReader(open(sys.argv[5]))}
for k, r in rows.items():
    for st in STATES:
        assert js[k]["states"][st] == int(r[st]) == int(cs[k][st]), (k, st)
    for c in names[9:]:
        assert js[k][c] == int(r[c]) == int(cs[k][c]), (k, c)
PY
ok "exray stats: one row per scan; states and kev_open as HealthChecker's rule says over every CVE; text, JSON and CSV agree"

python3 - "$DB" "$FLEET/expected.jsonl" <<'PY' || fail "host_history"
import json, dbconn, sys
db = dbconn.connect(sys.argv[1])
h = {r[0]: r for r in db.execute("select ip, first_seen, first_vulnerable, compromised_at, patched_at, notified_at, ticket from host_history")}
shells = {json.loads(l)["ip"] for l in open(sys.argv[2]) if json.loads(l).get("shells")}
for ip in shells:
    assert h[ip][3], ("no compromised_at", h[ip])
notified = [r for r in h.values() if r[5]]
assert notified and all(r[6] for r in notified), notified[:2]
assert all(r[1] <= (r[2] or r[1]) for r in h.values())
PY
ok "host_history: first seen, first vulnerable, compromised at, notified at and ticket per host"
