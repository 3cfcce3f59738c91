#!/bin/sh
# Follow-up rescans: `scan --db --rescan` takes its targets from the store, the hosts last
# seen vulnerable, compromised or undetermined, and nothing else. nginx logs which address
# each request reached, so the test sees exactly which hosts the rescan touched; the
# expected set comes from the fleet's profiles (Microsoft's build list), not from exray.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
FLEET_ACCESS_LOG=1
export FLEET_ACCESS_LOG
start_fleet 127.79.0.0 64 $PORT
DB=$(store r)
"$EXRAY" scan -q -p $PORT --rate 0 --probe-webshells 127.79.0.0/26 --db "$DB" -o "$WORK/first.jsonl" 2>"$WORK/first.err" || \
    fail "first scan: $(cat "$WORK/first.err")"
served() { # the distinct addresses nginx answered since the log was emptied
    awk '{print $1}' "$FLEET/access.log" | sort -u
}
expected() { # STATES: the fleet's hosts whose profile puts them in one of STATES, by
    # HealthChecker's rule over every CVE and the lifecycle today (hc_rule.py reads the tables)
    python3 - "$ROOT/tests/fixtures/fleet" "$1" "$ROOT" <<'PY'
import datetime, ipaddress, sys
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[3] + "/tests/integration")
from profiles import PROFILES
from hc_rule import Rule
d = sys.argv[3] + "/data/"
rule = Rule(d + "exchange-builds.csv", d + "exchange-vulns.csv")
want = set(sys.argv[2].split(","))
for i in range(64):
    p = PROFILES[i % len(PROFILES)]
    if not p["exp"]:
        continue
    state = rule.state(p["exp"]["build"], datetime.date.today().isoformat(), d + "exchange-lifecycle.csv", shell=bool(p.get("shells")))
    if state in want:
        print(ipaddress.ip_address("127.79.0.0") + i)
PY
}
: > "$FLEET/access.log"
"$EXRAY" scan -q --rate 0 --db "$DB" --rescan -o "$WORK/second.jsonl" 2>"$WORK/second.err" || fail "rescan: $(cat "$WORK/second.err")"
expected vulnerable,compromised,end-of-life,undetermined | sort > "$WORK/want"
served > "$WORK/got"
[ -s "$WORK/want" ] || fail "no expected hosts"
diff "$WORK/want" "$WORK/got" >/dev/null || fail "rescan touched other hosts: $(diff "$WORK/want" "$WORK/got" | head -5)"
[ "$(wc -l < "$WORK/second.jsonl")" -eq "$(wc -l < "$WORK/want")" ] || fail "rescan wrote $(wc -l < "$WORK/second.jsonl") records"
python3 - "$DB" "$(wc -l < "$WORK/want")" <<'PY' || fail "rescan store"
import dbconn, sys
db = dbconn.connect(sys.argv[1])
assert db.execute("select count(*) from scans where finished is not null").fetchone()[0] == 2
n = db.execute("select count(*) from observations where scan_id = (select max(id) from scans)").fetchone()[0]
assert n == int(sys.argv[2]), n
PY
ok "--rescan: exactly the $(wc -l < "$WORK/want") hosts last seen compromised, vulnerable, end-of-life or undetermined were requested, and stored as a second scan"
: > "$FLEET/access.log"
"$EXRAY" scan -q --rate 0 --db "$DB" --rescan --state patched -o "$WORK/third.jsonl" 2>"$WORK/third.err" || fail "rescan patched"
expected patched | sort > "$WORK/want"
served > "$WORK/got"
diff "$WORK/want" "$WORK/got" >/dev/null || fail "--state patched: $(diff "$WORK/want" "$WORK/got" | head -5)"
ok "--state patched: only the patched hosts"
: > "$FLEET/access.log"
"$EXRAY" scan --rate 0 --db "$DB" --rescan --notified-since 2021-03-01 -o "$WORK/fourth.jsonl" 2>"$WORK/fourth.err" || fail "rescan notified"
grep -q "no host in those states" "$WORK/fourth.err" || fail "--notified-since with no notices: $(cat "$WORK/fourth.err")"
[ ! -s "$FLEET/access.log" ] || fail "--notified-since with no notices still scanned"
ok "--notified-since: nothing notified, nothing scanned, said so"
printf 'network,email,org\n127.79.0.0/27,noc@low.example,Low\n' > "$WORK/contacts.csv"
"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail" 2>"$WORK/n.err" || fail "notify: $(cat "$WORK/n.err")"
python3 - "$DB" > "$WORK/notified" <<'PY'
import dbconn, sys
db = dbconn.connect(sys.argv[1])
for (ip,) in db.execute("select distinct d.ip from directives d join tickets t on t.id = d.ticket where t.sent_at is not null"):
    print(ip)
PY
[ -s "$WORK/notified" ] || fail "notify sent nothing"
: > "$FLEET/access.log"
"$EXRAY" scan -q --rate 0 --db "$DB" --rescan --notified-since 2021-03-01 -o "$WORK/fifth.jsonl" 2>"$WORK/fifth.err" || fail "rescan notified: $(cat "$WORK/fifth.err")"
expected vulnerable,compromised,end-of-life,undetermined | sort > "$WORK/states"
sort "$WORK/notified" | comm -12 - "$WORK/states" > "$WORK/want"
served > "$WORK/got"
[ -s "$WORK/want" ] || fail "no notified host to rescan"
diff "$WORK/want" "$WORK/got" >/dev/null || fail "--notified-since: $(diff "$WORK/want" "$WORK/got" | head -5)"
grep -q '^127\.79\.0\.\(3[2-9]\|[4-6][0-9]\)$' "$WORK/got" && fail "--notified-since rescanned a host nobody was told about"
: > "$FLEET/access.log"
"$EXRAY" scan --rate 0 --db "$DB" --rescan --notified-since 2999-01-01 -o /dev/null 2>"$WORK/sixth.err" || fail "future date"
[ ! -s "$FLEET/access.log" ] || fail "--notified-since in the future still scanned"
ok "--notified-since: only the $(wc -l < "$WORK/want") notified hosts (of 127.79.0.0/27) still in those states; none for a later date"
# Two notified servers install an update: offset 1 the newest (Exchange SE Oct26SU), offset 2
# an old one (2016 CU23 Nov22SU: patched for the 2021-22 campaigns, open to every CVE since).
# The rescan, stats, report (three formats), notify, cases and hosts must then agree: the
# first resolved, the second still open, everywhere.
FLEET_PATCHED=1
FLEET_OLDSU=2
export FLEET_PATCHED FLEET_OLDSU
"$ROOT/tests/fixtures/fleet/fleet.sh" stop "$FLEET"
start_fleet 127.79.0.0 64 $PORT
"$EXRAY" report --db "$DB" --format json -o "$WORK/before.json" 2>/dev/null || fail "report before"
: > "$FLEET/access.log"
"$EXRAY" scan -q --rate 0 --db "$DB" --rescan -o "$WORK/seventh.jsonl" 2>"$WORK/seventh.err" || fail "rescan after patching: $(cat "$WORK/seventh.err")"
python3 - "$DB" "$WORK/seventh.jsonl" <<'PY' || fail "remediation after the rescan"
import json, dbconn, sys
recs = {r["ip"]: r for r in map(json.loads, open(sys.argv[2]))}
for ip in ("127.79.0.1", "127.79.0.2"):  # both patched for the three campaigns
    assert [recs[ip][k] for k in ("proxylogon", "proxyshell", "proxynotshell")] == ["patched"] * 3, recs[ip]
assert recs["127.79.0.1"]["state"] == "patched" and recs["127.79.0.1"]["open_cves"] == [], recs["127.79.0.1"]
# the old update leaves the 2023-2026 CVEs open, CVE-2026-42897 (KEV) among them
assert recs["127.79.0.2"]["state"] == "vulnerable" and recs["127.79.0.2"]["open_cves"][0] == "CVE-2026-42897", recs["127.79.0.2"]
db = dbconn.connect(sys.argv[1], dicts=True)
h = {r["ip"]: r for r in db.execute("select * from host_history")}
assert h["127.79.0.1"]["notified_at"] and h["127.79.0.1"]["patched_at"], dict(h["127.79.0.1"])
assert h["127.79.0.2"]["notified_at"] and not h["127.79.0.2"]["patched_at"], dict(h["127.79.0.2"])
assert h["127.79.0.7"]["notified_at"] and not h["127.79.0.7"]["patched_at"], dict(h["127.79.0.7"])
PY
"$EXRAY" stats --db "$DB" --format json > "$WORK/stats.json" || fail "stats"
python3 - "$WORK/stats.json" <<'PY' || fail "stats after the rescan: $(cat "$WORK/stats.json")"
import json, sys
last = [json.loads(l) for l in open(sys.argv[1])][-1]
assert last["remediated"] == 1, last  # the newest update only
PY
"$EXRAY" report --db "$DB" --format md -o "$WORK/r.md" 2>/dev/null || fail "report"
"$EXRAY" report --db "$DB" --format json -o "$WORK/r.json" 2>/dev/null || fail "report json"
python3 - "$WORK/r.md" "$WORK/notified" "$WORK/r.json" "$WORK/before.json" <<'PY' || fail "report funnel: $(grep -A2 '^| notified |' "$WORK/r.md")"
import json, sys
n = len(open(sys.argv[2]).read().split())  # the hosts with a sent notice, by the test's own query
lines = open(sys.argv[1]).read().splitlines()
i = next(k for k, l in enumerate(lines) if l.startswith("| notified |"))
head = [c.strip() for c in lines[i].strip("|").split("|")]
row = dict(zip(head, [c.strip() for c in lines[i + 2].strip("|").split("|")]))
assert n > 20 and (row["notified"], row["resolved"], row["still open"]) == (str(n), "1", str(n - 1)), (row, n)
js, before = json.load(open(sys.argv[3])), json.load(open(sys.argv[4]))
assert (js["funnel"]["notified"], js["funnel"]["resolved"], js["funnel"]["still_open"]) == (n, 1, n - 1), js["funnel"]
# a rescan of a subset cannot lower the patch rate: every known host counts at its latest state
share = lambda p: (p["known_states"]["patched"] + p["known_states"]["not-affected"]) / p["known"]
assert share(js["over_time"][-1]) > share(before["over_time"][-1]), (js["over_time"][-1], before["over_time"][-1])
assert js["over_time"][-1]["known"] == before["over_time"][-1]["known"] == js["current"]["hosts"], js["over_time"]
assert js["current"]["states"] == js["over_time"][-1]["known_states"], js["current"]
PY
# notify resolves the first (a thank-you with --resolved-notices) and not the second;
# cases and hosts say the same
"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail" --resolved-notices 2>"$WORK/n2.err" ||
    fail "notify after the rescan: $(cat "$WORK/n2.err")"
"$EXRAY" cases --db "$DB" --format json > "$WORK/cases.json" 2>/dev/null || fail "cases"
"$EXRAY" hosts --db "$DB" --format json > "$WORK/hosts.json" 2>/dev/null || fail "hosts"
python3 - "$DB" "$WORK/cases.json" "$WORK/hosts.json" "$WORK/r.json" <<'PY' || fail "notify, cases and hosts after the rescan"
import dbconn, json, sys
db = dbconn.connect(sys.argv[1])
kinds = {(ip, k) for ip, k in db.execute("select ip, kind from directives")}
assert ("127.79.0.1", "resolved") in kinds and ("127.79.0.2", "resolved") not in kinds, sorted(kinds)
assert not any(k in ("reminder", "escalation") and ip == "127.79.0.1" for ip, k in kinds), kinds
hosts = {h["ip"]: h for h in map(json.loads, open(sys.argv[3]))}
case_of = {}
for c in map(json.loads, open(sys.argv[2])):
    for h in c["hosts"]:
        case_of[h["ip"]] = h
assert case_of["127.79.0.1"]["resolved_at"] and case_of["127.79.0.1"]["resolution"] == "patched-after-exposure", case_of["127.79.0.1"]
assert not case_of["127.79.0.2"]["resolved_at"], case_of["127.79.0.2"]
assert hosts["127.79.0.1"]["state"] == "patched" and hosts["127.79.0.2"]["state"] == "vulnerable", (hosts["127.79.0.1"], hosts["127.79.0.2"])
assert "CVE-2026-42897" in hosts["127.79.0.2"]["open_cves"] and hosts["127.79.0.2"]["kev_open"] >= 1, hosts["127.79.0.2"]
# one answer: hosts' states are the report's current states
rep = json.load(open(sys.argv[4]))["current"]["states"]
for st, n in rep.items():
    assert sum(1 for h in hosts.values() if h["state"] == st) == n, (st, n)
PY
ok "one server on the newest update, one on an old one: the rescan, stats, report (md, json), notify, cases and hosts agree: the first resolved, the second open; the patch rate rose and did not fall for the rescan subset"
if "$EXRAY" scan --rescan -o /dev/null 2>"$WORK/e.err"; then fail "--rescan without --db succeeded"; fi
grep -q "needs --db" "$WORK/e.err" || fail "--rescan without --db: $(cat "$WORK/e.err")"
if on_pg; then NONE="${EXRAY_TEST_PG%/*}/t17_none"; else NONE="$WORK/none.db"; fi
if "$EXRAY" scan --rescan --db "$NONE" 2>"$WORK/e.err"; then fail "--rescan on a missing store succeeded"; fi
[ ! -e "$WORK/none.db" ] || fail "--rescan created a store"
if "$EXRAY" scan --state patched 127.0.0.1 -o /dev/null 2>"$WORK/e.err"; then fail "--state without --rescan succeeded"; fi
grep -q "go with --rescan" "$WORK/e.err" || fail "--state without --rescan: $(cat "$WORK/e.err")"
ok "--rescan refuses without a store, and never creates one; --state alone is refused"
# A killed rescan resumes over the same population (the unfinished scan's own rows do not
# change which hosts are in it) and finishes.
"$EXRAY" scan -q --rate 10 --db "$DB" --rescan -o "$WORK/k.jsonl" 2>"$WORK/k.err" &
pid=$!
sleep 1.5
kill -9 $pid
wait $pid 2>/dev/null || true
start_fleet 127.79.0.0 64 $PORT
"$EXRAY" scan -q --rate 0 --db "$DB" --rescan --resume -o "$WORK/k2.jsonl" 2>"$WORK/k2.err" || fail "resume rescan: $(cat "$WORK/k2.err")"
python3 - "$DB" <<'PY' || fail "resumed rescan"
import dbconn, sys
db = dbconn.connect(sys.argv[1])
sid, fin = db.execute("select id, finished from scans order by id desc limit 1").fetchone()
assert fin, "the resumed rescan is not finished"
prev = db.execute("select count(*) from observations where scan_id = ?", (sid - 1,)).fetchone()[0]
n, d = db.execute("select count(*), count(distinct ip) from observations where scan_id = ?", (sid,)).fetchone()
# after the fleet update, one of the previous rescan's hosts is patched and drops out (the
# one on an old update stays vulnerable)
assert n == d == prev - 1, (n, d, prev)
PY
ok "kill -9 during a rescan, then --rescan --resume: the same hosts, each once, scan finished"

# never by a stored name: a vulnerable host whose stored name points elsewhere (here
# "localhost", 127.0.0.1, where nothing of the fleet listens) is rescanned at its address
python3 - "$DB" > "$WORK/named.txt" <<'PY'
import dbconn, sys
db = dbconn.connect(sys.argv[1])
ip = db.execute("SELECT ip FROM observations WHERE proxylogon = 'vulnerable' AND scan_id = (SELECT max(id) FROM scans) ORDER BY ip LIMIT 1").fetchone()[0]
db.execute("UPDATE observations SET hostname = 'localhost' WHERE ip = ?", (ip,))
db.commit()
print(ip)
PY
named=$(cat "$WORK/named.txt")
[ -n "$named" ] || fail "no vulnerable host to name"
: > "$FLEET/access.log"
"$EXRAY" scan -q --rate 0 --db "$DB" --rescan -o "$WORK/named.jsonl" 2>"$WORK/named.err" || fail "rescan with a stored name: $(cat "$WORK/named.err")"
served | grep -qx "$named" || fail "the host with a stored name was not rescanned at its address $named"
python3 - "$WORK/named.jsonl" "$named" <<'PY' || fail "the record of the named host"
import json, sys
r = [x for x in map(json.loads, open(sys.argv[1])) if x["ip"] == sys.argv[2]]
assert len(r) == 1 and r[0]["status"] == "ok" and r[0]["exchange"], r
PY
ok "--rescan goes to the stored address, never by a stored name (a host named 'localhost' was scanned at $named)"
