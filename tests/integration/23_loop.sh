#!/bin/sh
# The notification loop, replayed from imported reports (nothing scanned), message by message:
# four organisations over five weekly reports, each notify run at --now a day after its report.
#   A (2 hosts) patches one in week 2; B (1 host) never patches; C (1 host) patches in week 2
#   and is vulnerable again in week 5; D (1 host, its network's AS has a contact) never patches.
# First notices once; nothing without a newer observation; reminders only for hosts still
# affected, threaded to the first notice; no third reminder but one escalation: A's and B's
# hosts to the national CERT (NL), D's to its AS contact; one resolved notice to C; C's
# relapse opens a new case.
. "$(dirname "$0")/lib.sh"
DB=$(store loop)
VULN=15.2.2562.17   # Exchange SE RTM: open CVEs of Aug25SU..Oct26SU, CVE-2026-42897 (KEV) among them
FIXED=15.2.2562.56  # Exchange SE RTM Oct26SU, the newest update: none open
cat > "$WORK/contacts.csv" <<'CSV'
network,email,org
198.51.100.0/28,noc@a.example,Org A
198.51.100.16/28,it@b.example,Org B
198.51.100.32/28,admin@c.example,Org C
198.51.100.48/28,ops@d.example,Org D
AS64501,abuse@isp.example,ISP Example
CSV
# week N's report: "ip build" pairs, observed on that week's Monday at 10:00:00.250 UTC
report() {
    day=$1; shift
    : > "$WORK/w$day.jsonl"
    while [ $# -gt 0 ]; do
        # the network and country as exray's import names them, and as enriched feeds do:
        # B's country as Shadowserver's "geo", D's AS as IntelMQ's "source.asn"
        net='"asn":64500,"country":"NL"'
        case $1 in 198.51.100.17) net='"asn":64500,"geo":"NL"' ;; 198.51.100.49) net='"source.asn":64501,"country":"NL"' ;; esac
        printf '{"ip":"%s","port":443,"hostname":"mail.%s.example","time":"2026-%sT10:00:00.250Z","build":"%s","status":"ok","exchange":true,%s}\n' \
            "$1" "$1" "$day" "$2" "$net" >> "$WORK/w$day.jsonl"
        shift 2
    done
    "$EXRAY" import --db "$DB" "$WORK/w$day.jsonl" >/dev/null 2>"$WORK/imp.err" || fail "import week $day: $(cat "$WORK/imp.err")"
}
notify() { # maildir, --now day, more options
    m=$1; d=$2; shift 2
    "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/$m" --from cert@cert.example \
        --now "2026-${d}T09:00:00Z" --resolved-notices "$@" 2>"$WORK/$m.err" || fail "notify $m: $(cat "$WORK/$m.err")"
}
# messages of a maildir, one JSON line each: kind, to, ticket, hosts (from the CSV), threading
messages() {
    python3 - "$WORK/$1" <<'PY'
import csv, email, glob, json, os, re, sys
from email import policy
out = []
for f in sorted(glob.glob(os.path.join(sys.argv[1], "new", "*"))):
    m = email.message_from_binary_file(open(f, "rb"), policy=policy.default)
    att = [p for p in m.iter_parts() if p.get_content_disposition() == "attachment"][0]
    body = next(m.iter_parts()).get_content()
    ids = lambda h: re.findall(r"<(\d{8}-\d{8})\.", str(m[h] or ""))
    out.append({"kind": m["X-exray-Notice"], "to": m["To"].addresses[0].addr_spec, "ticket": m["X-exray-Ticket"],
                "hosts": sorted(r["ip"] for r in csv.DictReader(att.get_content().splitlines())),
                "irt": ids("In-Reply-To"), "refs": ids("References"), "body": body})
for o in sorted(out, key=lambda o: (o["to"], o["kind"])):
    print(json.dumps(o))
PY
}
A1=198.51.100.1 A2=198.51.100.2 B1=198.51.100.17 C1=198.51.100.33 D1=198.51.100.49

report 11-02 $A1 $VULN $A2 $VULN $B1 $VULN $C1 $VULN $D1 $VULN
notify n1 11-03
messages n1 > "$WORK/n1.json"
python3 - "$WORK/n1.json" <<'PY' || fail "week 1: first notices"
import json, sys
ms = [json.loads(l) for l in open(sys.argv[1])]
got = [(m["kind"], m["to"], m["hosts"]) for m in ms]
assert got == [("first", "admin@c.example", ["198.51.100.33"]), ("first", "it@b.example", ["198.51.100.17"]),
               ("first", "noc@a.example", ["198.51.100.1", "198.51.100.2"]), ("first", "ops@d.example", ["198.51.100.49"])], got
assert all(not m["irt"] and not m["refs"] for m in ms), "a first notice threads to nothing"
PY
ok "week 1: one first notice per organisation, naming its hosts only, threaded to nothing"
TA=$(python3 -c "import json,sys; print([json.loads(l)['ticket'] for l in open(sys.argv[1]) if 'noc@a' in l][0])" "$WORK/n1.json")
TB=$(python3 -c "import json,sys; print([json.loads(l)['ticket'] for l in open(sys.argv[1]) if 'it@b' in l][0])" "$WORK/n1.json")
TD=$(python3 -c "import json,sys; print([json.loads(l)['ticket'] for l in open(sys.argv[1]) if 'ops@d' in l][0])" "$WORK/n1.json")

# no newer observation: nothing, even when remind-after has long passed
notify n1b 11-20 --remind-after 0
[ -z "$(ls "$WORK/n1b/new" 2>/dev/null)" ] || fail "a message without new evidence: $(ls "$WORK/n1b/new")"
grep -q "5 without newer evidence" "$WORK/n1b.err" || fail "no-evidence count: $(cat "$WORK/n1b.err")"
ok "no newer observation, no message (5 hosts counted as without newer evidence)"

report 11-09 $A1 $FIXED $A2 $VULN $B1 $VULN $C1 $FIXED $D1 $VULN
# a newer observation, but remind-after (7 days after the 11-03 notice) not yet passed: only
# C, every host of its case now patched, is thanked
notify n2a 11-09
messages n2a > "$WORK/n2a.json"
python3 - "$WORK/n2a.json" <<'PY' || fail "week 2, before remind-after"
import json, sys
ms = [json.loads(l) for l in open(sys.argv[1])]
got = [(m["kind"], m["to"], m["hosts"]) for m in ms]
assert got == [("resolved", "admin@c.example", ["198.51.100.33"])], got
c = ms[0]
assert c["irt"] and c["irt"] == c["refs"] and "2026-11-09" in c["body"] and "2026-11-03" in c["body"], c
PY
notify n2 11-10
messages n2 > "$WORK/n2.json"
python3 - "$WORK/n2.json" "$TA" "$TB" "$TD" <<'PY' || fail "week 2: reminders and the resolved notice"
import json, sys
ms = [json.loads(l) for l in open(sys.argv[1])]
ta, tb, td = sys.argv[2:5]
got = [(m["kind"], m["to"], m["hosts"]) for m in ms]
assert got == [("reminder", "it@b.example", ["198.51.100.17"]),
               ("reminder", "noc@a.example", ["198.51.100.2"]), ("reminder", "ops@d.example", ["198.51.100.49"])], got
by = {m["to"]: m for m in ms}
for to, t in (("noc@a.example", ta), ("it@b.example", tb), ("ops@d.example", td)):
    assert by[to]["irt"] == [t] and by[to]["refs"] == [t], (to, by[to]["irt"], by[to]["refs"], t)
a = by["noc@a.example"]["body"]
assert ta in a and "2026-11-03" in a and "2026-11-09" in a, a
assert "1 of your 2 servers is no longer affected" in a, a
assert "198.51.100.1 " not in a, "the patched host in a reminder"
PY
ok "week 2: reminders only for the still-affected hosts, threaded to the first notice, saying what changed; C thanked once"

report 11-16 $A1 $FIXED $A2 $VULN $B1 $VULN $C1 $FIXED $D1 $VULN
if "$EXRAY" --version | grep -q "test hooks"; then
    # kill -9 after the first reminder is delivered, before it is marked sent; the rerun
    # delivers the rest and sends none twice (checked message by message below)
    notify n3 11-17 --plan-only
    set +e
    EXRAY_TEST_CRASH_AFTER_DELIVERIES=1 "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/n3" \
        --from cert@cert.example --now 2026-11-17T09:00:00Z 2>/dev/null
    rc=$?; set -e
    [ $rc -eq 137 ] || fail "fault injection did not fire during the reminder run (exit $rc)"
    notify n3 11-17
    grep -q "(1 had been delivered by an interrupted run)" "$WORK/n3.err" || fail "reminder recovery: $(cat "$WORK/n3.err")"
    KILLED=" (killed with -9 midway, then rerun)"
else
    notify n3 11-17
    KILLED=""
fi
messages n3 > "$WORK/n3.json"
python3 - "$WORK/n3.json" <<'PY' || fail "week 3: second reminders"
import json, sys
got = [(m["kind"], m["to"], m["hosts"]) for m in map(json.loads, open(sys.argv[1]))]
assert got == [("reminder", "it@b.example", ["198.51.100.17"]), ("reminder", "noc@a.example", ["198.51.100.2"]),
               ("reminder", "ops@d.example", ["198.51.100.49"])], got
PY
ok "week 3: the second reminders, each once$KILLED; nothing for the resolved case"

report 11-23 $A1 $FIXED $A2 $VULN $B1 $VULN $C1 $FIXED $D1 $VULN
# two workers deliver the escalations at once: each ticket delivered by one of them
notify n4 11-24 --plan-only
for w in 1 2; do
    "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/n4" --from cert@cert.example --now 2026-11-24T09:00:00Z 2>"$WORK/w$w.err" &
    eval "p$w=\$!"
done
wait $p1 || fail "worker 1: $(cat "$WORK/w1.err")"
wait $p2 || fail "worker 2: $(cat "$WORK/w2.err")"
n=$(cat "$WORK/w1.err" "$WORK/w2.err" | sed -n 's/^  \([0-9]*\) tickets delivered.*(\([0-9]*\) had been.*/\1 \2/p' | awk '{d+=$1; a+=$2} END {print d, a}')
[ "$n" = "2 0" ] || fail "two workers delivered (delivered, already) = $n, expected 2 0: $(cat "$WORK/w1.err" "$WORK/w2.err")"
messages n4 > "$WORK/n4.json"
python3 - "$WORK/n4.json" "$TA" "$TB" "$TD" <<'PY' || fail "week 4: escalation"
import json, sys
ms = [json.loads(l) for l in open(sys.argv[1])]
ta, tb, td = sys.argv[2:5]
got = [(m["kind"], m["to"], m["hosts"]) for m in ms]
assert got == [("escalation", "abuse@isp.example", ["198.51.100.49"]),
               ("escalation", "cert@ncsc.nl", ["198.51.100.17", "198.51.100.2"])], got
cert = [m for m in ms if m["to"] == "cert@ncsc.nl"][0]
assert sorted(cert["refs"]) == sorted([ta, tb]) and cert["irt"][0] in (ta, tb), (cert["refs"], cert["irt"])
assert "Org A" in cert["body"] and "Org B" in cert["body"] and "Org D" not in cert["body"], cert["body"]
isp = [m for m in ms if m["to"] == "abuse@isp.example"][0]
assert isp["refs"] == [td] and "Org D" in isp["body"] and "Org A" not in isp["body"], isp
PY
ok "week 4: no third reminder; one escalation to the national CERT listing A's and B's unpatched hosts, D's to its AS contact"

report 11-30 $A1 $FIXED $A2 $VULN $B1 $VULN $C1 $VULN $D1 $VULN
notify n5 12-01
messages n5 > "$WORK/n5.json"
python3 - "$WORK/n5.json" <<'PY' || fail "week 5"
import json, sys
got = [(m["kind"], m["to"], m["hosts"], m["irt"]) for m in map(json.loads, open(sys.argv[1]))]
assert got == [("first", "admin@c.example", ["198.51.100.33"], [])], got
PY
ok "week 5: nothing more after the escalation; C affected again: a new case, a first notice"

# the cases: A, B, D open (2 reminders each, escalated); C's first case resolved, its second open
"$EXRAY" cases --db "$DB" --format json > "$WORK/cases.json" 2>"$WORK/cases.err" || fail "cases: $(cat "$WORK/cases.err")"
python3 - "$WORK/cases.json" <<'PY' || fail "exray cases --format json"
import json, sys
cs = [json.loads(l) for l in open(sys.argv[1])]
got = sorted((c["recipient"], c["state"], c["reminders"], c["escalated"], len(c["hosts"])) for c in cs)
assert got == [("admin@c.example", "open", 0, False, 1), ("admin@c.example", "resolved", 0, False, 1),
               ("it@b.example", "open", 2, True, 1), ("noc@a.example", "open", 2, True, 2),
               ("ops@d.example", "open", 2, True, 1)], got
a = [c for c in cs if c["recipient"] == "noc@a.example"][0]
h = {x["ip"]: x for x in a["hosts"]}
assert h["198.51.100.1"]["resolved_at"].startswith("2026-11-09T10:00:00.25") and h["198.51.100.1"]["reminders"] == 0, h
assert h["198.51.100.2"]["escalated_to"] == "cert@ncsc.nl" and h["198.51.100.2"]["resolved_at"] is None, h
assert a["org"] == "Org A" and a["first_notice"].startswith("2026-11-03") and a["last_notice"].startswith("2026-11-24"), a
d = [c for c in cs if c["recipient"] == "ops@d.example"][0]
assert d["hosts"][0]["escalated_to"] == "abuse@isp.example", d
c = [c for c in cs if c["recipient"] == "admin@c.example" and c["state"] == "resolved"][0]
assert c["resolved_at"].startswith("2026-11-09") and c["last_notice"].startswith("2026-11-09"), c
# open cases first, the oldest notice first
states = [c["state"] for c in cs]
assert states == sorted(states, key=lambda s: s != "open"), states
PY
"$EXRAY" cases --db "$DB" --open --format csv > "$WORK/open.csv" || fail "cases --open"
python3 - "$WORK/open.csv" <<'PY' || fail "exray cases --open --format csv"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert sorted(r["recipient"] for r in rows) == ["admin@c.example", "it@b.example", "noc@a.example", "ops@d.example"], rows
a = [r for r in rows if r["recipient"] == "noc@a.example"][0]
assert (a["hosts"], a["open_hosts"], a["reminders"], a["escalated"]) == ("2", "1", "2", "true"), a
PY
[ "$("$EXRAY" cases --db "$DB" --resolved | tail -n +2 | wc -l)" -eq 1 ] || fail "cases --resolved"
ok "exray cases: open and resolved cases with their hosts, reminder and escalation counts (json, csv, --open, --resolved)"

# stats by column name: the loop as it stood at the end of each weekly report
"$EXRAY" stats --db "$DB" > "$WORK/stats.txt" || fail "stats"
python3 - "$WORK/stats.txt" <<'PY' || fail "stats reminded/escalated/resolved: $(cat "$WORK/stats.txt")"
import sys
lines = open(sys.argv[1]).read().splitlines()
cols = lines[0].split()
rows = {r["started"][:10]: r for r in (dict(zip(cols, l.split())) for l in lines[1:] if l[:1].isdigit())}
want = {"2026-11-02": (0, 0, 0), "2026-11-09": (0, 0, 2), "2026-11-16": (3, 0, 2), "2026-11-23": (3, 0, 2), "2026-11-30": (3, 3, 2)}
got = {d: (int(r["reminded"]), int(r["escalated"]), int(r["resolved"])) for d, r in rows.items()}
assert got == want, got
# the week's hosts by state, and remediated: notified hosts fixed by then (A1 and C1 from week
# 2; C1's relapse in week 5 takes it back)
want = {"2026-11-02": (5, 0, 0), "2026-11-09": (3, 2, 2), "2026-11-16": (3, 2, 2), "2026-11-23": (3, 2, 2), "2026-11-30": (4, 1, 1)}
got = {d: (int(r["vulnerable"]), int(r["patched"]), int(r["remediated"])) for d, r in rows.items()}
assert got == want, got
PY
ok "stats: hosts by state, remediated, reminded, escalated and resolved by the end of each report"
