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
expected() { # STATES: the fleet's hosts whose profile puts them in one of STATES
    python3 - "$ROOT/tests/fixtures/fleet" "$1" <<'PY'
import ipaddress, sys
sys.path.insert(0, sys.argv[1])
from profiles import PROFILES
want = set(sys.argv[2].split(","))
for i in range(64):
    p = PROFILES[i % len(PROFILES)]
    if not p["exp"]:
        continue
    v = p["exp"]["v"]
    state = "compromised" if p.get("shells") else "vulnerable" if "vulnerable" in v else "undetermined" if "undetermined" in v else "patched"
    if state in want:
        print(ipaddress.ip_address("127.79.0.0") + i)
PY
}
: > "$FLEET/access.log"
"$EXRAY" scan -q --rate 0 --db "$DB" --rescan -o "$WORK/second.jsonl" 2>"$WORK/second.err" || fail "rescan: $(cat "$WORK/second.err")"
expected vulnerable,compromised,undetermined | sort > "$WORK/want"
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
ok "--rescan: exactly the $(wc -l < "$WORK/want") hosts last seen vulnerable, compromised or undetermined were requested, and stored as a second scan"
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
expected vulnerable,compromised,undetermined | sort > "$WORK/states"
sort "$WORK/notified" | comm -12 - "$WORK/states" > "$WORK/want"
served > "$WORK/got"
[ -s "$WORK/want" ] || fail "no notified host to rescan"
diff "$WORK/want" "$WORK/got" >/dev/null || fail "--notified-since: $(diff "$WORK/want" "$WORK/got" | head -5)"
grep -q '^127\.79\.0\.\(3[2-9]\|[4-6][0-9]\)$' "$WORK/got" && fail "--notified-since rescanned a host nobody was told about"
: > "$FLEET/access.log"
"$EXRAY" scan --rate 0 --db "$DB" --rescan --notified-since 2999-01-01 -o /dev/null 2>"$WORK/sixth.err" || fail "future date"
[ ! -s "$FLEET/access.log" ] || fail "--notified-since in the future still scanned"
ok "--notified-since: only the $(wc -l < "$WORK/want") notified hosts (of 127.79.0.0/27) still in those states; none for a later date"
# Two notified servers install the update (offsets 1 and 2: Exchange 2019 CU8 and 2016 CU19);
# the rescan sees them patched, and stats and report count them remediated after notice.
FLEET_PATCHED=1,2
export FLEET_PATCHED
"$ROOT/tests/fixtures/fleet/fleet.sh" stop "$FLEET"
start_fleet 127.79.0.0 64 $PORT
: > "$FLEET/access.log"
"$EXRAY" scan -q --rate 0 --db "$DB" --rescan -o "$WORK/seventh.jsonl" 2>"$WORK/seventh.err" || fail "rescan after patching: $(cat "$WORK/seventh.err")"
python3 - "$DB" "$WORK/seventh.jsonl" <<'PY' || fail "remediation after the rescan"
import json, dbconn, sys
recs = {r["ip"]: r for r in map(json.loads, open(sys.argv[2]))}
for ip in ("127.79.0.1", "127.79.0.2"):
    assert [recs[ip][k] for k in ("proxylogon", "proxyshell", "proxynotshell")] == ["patched"] * 3, recs[ip]
db = dbconn.connect(sys.argv[1], dicts=True)
h = {r["ip"]: r for r in db.execute("select * from host_history")}
for ip in ("127.79.0.1", "127.79.0.2"):
    assert h[ip]["notified_at"] and h[ip]["patched_at"], dict(h[ip])
assert h["127.79.0.7"]["notified_at"] and not h["127.79.0.7"]["patched_at"], dict(h["127.79.0.7"])
PY
"$EXRAY" stats --db "$DB" > "$WORK/stats.txt" || fail "stats"
python3 - "$WORK/stats.txt" <<'PY' || fail "stats after the rescan: $(cat "$WORK/stats.txt")"
import re, sys
lines = open(sys.argv[1]).read().splitlines()
# by column name: the text table's header words, the last row's cells after the three set cells
cols = lines[0].split()
tail = cols[cols.index("open"):]
last = dict(zip(tail, lines[-1].split()[-len(tail):]))
assert last["remediated"] == "2", last
PY
"$EXRAY" report --db "$DB" --format md -o "$WORK/r.md" 2>/dev/null || fail "report"
python3 - "$WORK/r.md" "$WORK/notified" <<'PY' || fail "report funnel: $(grep -A2 '^| notified |' "$WORK/r.md")"
import sys
n = len(open(sys.argv[2]).read().split())  # the hosts with a sent notice, by the test's own query
lines = open(sys.argv[1]).read().splitlines()
i = next(k for k, l in enumerate(lines) if l.startswith("| notified |"))
head = [c.strip() for c in lines[i].strip("|").split("|")]
row = dict(zip(head, [c.strip() for c in lines[i + 2].strip("|").split("|")]))
assert n > 20 and (row["notified"], row["resolved"], row["still open"]) == (str(n), "2", str(n - 2)), (row, n)
PY
ok "two notified servers patched: the rescan records them, host_history has patched_at, stats and the report's funnel count 2 remediated of the notified"
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
# after the fleet update, two of the previous rescan's hosts are patched and drop out
assert n == d == prev - 2, (n, d, prev)
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
