#!/bin/sh
# The emulated fleet: every profile gets the right build, source, CU, SU and verdicts;
# web-shell probe, CSV, SQLite, shards, blocklists, IPv6 and hostnames.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_fleet 127.77.0.0 512 $PORT
EXP="$FLEET/expected.jsonl"

# support states for a fixed day inside the 2016/2019 ESU window (not the wall clock's)
"$EXRAY" scan -q -p $PORT --rate 0 -t 10 --as-of 2026-01-15 127.77.0.0/23 -o "$WORK/scan.jsonl" 2>"$WORK/scan.err"
python3 "$ROOT/tests/integration/compare_fleet.py" "$EXP" "$WORK/scan.jsonl" || fail "fleet scan differs from expected"
grep -q "512 hosts scanned" "$WORK/scan.err" || fail "summary: $(cat "$WORK/scan.err")"
# the summary's counts and percentages, by column name, against the fleet's expected facts
python3 - "$WORK/scan.err" "$EXP" <<'PY' || fail "summary counts: $(cat "$WORK/scan.err")"
import json, re, sys
text = open(sys.argv[1]).read()
exp = [json.loads(l) for l in open(sys.argv[2])]
ex = [e for e in exp if e["exchange"]]
m = re.search(r"(\d+) hosts scanned .*; (\d+) Exchange servers found", text)
assert m and int(m.group(1)) == len(exp) and int(m.group(2)) == len(ex), (m and m.groups(), len(exp), len(ex))
lines = text.splitlines()
i = next(k for k, l in enumerate(lines) if l.split()[:1] == ["campaign"])
head = lines[i].split()
for l in lines[i + 1:i + 4]:
    row = dict(zip(head, l.split()))
    s = row["campaign"]
    n = {v: sum(1 for e in ex if e[s] == v) for v in ("vulnerable", "patched", "undetermined", "not-affected")}
    for v in n:
        assert int(row[v]) == n[v], (s, v, row[v], n[v])
    base = n["vulnerable"] + n["patched"] + n["undetermined"]
    assert row["patched%"] == "%.1f%%" % (100.0 * n["patched"] / base), (s, row["patched%"], n)
PY
# the states line: each Exchange server's state by HealthChecker's rule over the tables and
# the lifecycle on the --as-of day (hc_rule.py reads the data files, not exray)
python3 - "$WORK/scan.err" "$EXP" "$ROOT" <<'PY' || fail "summary states: $(cat "$WORK/scan.err")"
import json, re, sys
sys.path.insert(0, sys.argv[3] + "/tests/integration")
from hc_rule import Rule
d = sys.argv[3] + "/data/"
rule = Rule(d + "exchange-builds.csv", d + "exchange-vulns.csv")
ex = [e for e in map(json.loads, open(sys.argv[2])) if e["exchange"]]
want = {}
for e in ex:
    st = rule.state(e["build"], "2026-01-15", d + "exchange-lifecycle.csv")
    want[st] = want.get(st, 0) + 1
m = re.search(r"states of the (\d+) Exchange servers[^:]*:((?: [a-z-]+ \d+)+)", open(sys.argv[1]).read())
got = {k: int(v) for k, v in re.findall(r" ([a-z-]+) (\d+)", m.group(2))}
assert int(m.group(1)) == len(ex), (m.group(1), len(ex))
assert {k: v for k, v in got.items() if v} == want, (got, want)
assert want.get("vulnerable", 0) > 0 and len(want) >= 2, want  # the fixture holds more than one state
PY
ok "512-host fleet classified as expected; the summary's states are HealthChecker's rule over every CVE"
# every CVE per record: open_cves agrees with the campaign verdicts, kev_open is the open
# ones CISA lists, first (the campaigns' nine are all in KEV), support follows Microsoft's lifecycle
python3 - "$WORK/scan.jsonl" "$EXP" <<'PY' || fail "per-CVE fields"
import json, sys
SETS = {"proxylogon": {"CVE-2021-26855", "CVE-2021-26857", "CVE-2021-26858", "CVE-2021-27065"},
        "proxyshell": {"CVE-2021-34473", "CVE-2021-34523", "CVE-2021-31207"},
        "proxynotshell": {"CVE-2022-41040", "CVE-2022-41082"}}
exp = {json.loads(l)["ip"]: json.loads(l) for l in open(sys.argv[2])}
def support(e):  # on 2026-01-15, by Microsoft's lifecycle pages
    if e["product"] == "SE":
        return "supported"
    if (e["product"], e["cu"]) in (("2016", "CU23"), ("2019", "CU14"), ("2019", "CU15")):
        return "extended-security-updates"
    return "end-of-life" if e["product"] in ("2010", "2013", "2016", "2019") else None
SINCE = {"2010": "2020-10-13", "2013": "2023-04-11", "2016": "2025-10-14", "2019": "2025-10-14", "SE": None}
seen = 0
for r in map(json.loads, open(sys.argv[1])):
    for k in ("open_cves", "undetermined_cves", "kev_open", "support"):
        assert k in r, (k, r["ip"])
    e = exp[r["ip"]]
    if not r["exchange"] or not r["build"] or e["product"] in ("Online", None):
        assert r["open_cves"] is None and r["support"] is None, r
        continue
    seen += 1
    assert r["support"]["state"] == support(e), (r["ip"], r["support"], e["product"], e["cu"])
    assert r["support"]["since"] == SINCE[e["product"]] and r["support"]["as_of"] == "2026-01-15", (r["ip"], r["support"])
    opened = set(r["open_cves"])
    assert len(opened) == len(r["open_cves"]), r
    kev = r["open_cves"][:r["kev_open"]]          # the known exploited come first
    for s, cves in SETS.items():
        if e[s] == "vulnerable":
            assert opened & cves and (opened & cves) <= set(kev), (r["ip"], s, sorted(opened & cves))
        if e[s] in ("patched", "not-affected"):
            assert not opened & cves and not set(r["undetermined_cves"]) & cves, (r["ip"], s)
assert seen > 200, seen
# the 2023-2026 profiles: open, closed and configuration-dependent CVEs written from Microsoft's lists
checked = 0
for r in map(json.loads, open(sys.argv[1])):
    c = exp[r["ip"]].get("cves_exp")
    if not c:
        continue
    checked += 1
    opened, und = set(r["open_cves"]), set(r["undetermined_cves"])
    assert set(c["open"]) == opened if c["exact"] else set(c["open"]) <= opened, (r["ip"], r["build"], sorted(opened ^ set(c["open"])))
    assert not set(c["closed"]) & (opened | und), (r["ip"], r["build"], set(c["closed"]) & (opened | und))
    assert set(c["undet"]) == und, (r["ip"], r["build"], sorted(und))
    # of the KEV CVEs, only CVE-2026-42897 (Jun26SU, which none of them carries) is open on them
    assert r["kev_open"] == 1 and r["open_cves"][0] == "CVE-2026-42897" and "CVE-2026-42897" in c["open"], (r["ip"], r["kev_open"])
assert checked >= 16, checked
PY
ok "records carry open_cves, undetermined_cves, kev_open and support, consistent with the campaign verdicts and the lifecycle"

"$EXRAY" scan -q -p $PORT --rate 0 --probe-webshells 127.77.0.0/24 -o "$WORK/probe.jsonl" 2>"$WORK/scan1.err" ||
    fail "exray scan exited $?: $(tail -3 "$WORK/scan1.err")"
head -256 "$EXP" > "$WORK/exp256.jsonl"
python3 "$ROOT/tests/integration/compare_fleet.py" "$WORK/exp256.jsonl" "$WORK/probe.jsonl" --probed || fail "web-shell probe"
ok "web-shell probe: planted shells found, catch-all servers report nothing"

# a fixed day after the ESU window: states (and so severities and classifications) do not
# follow the wall clock
"$EXRAY" scan -q -p $PORT --rate 0 --as-of 2026-12-01 -F csv 127.77.0.0/25 -o "$WORK/scan.csv" 2>"$WORK/scan2.err" ||
    fail "exray scan exited $?: $(tail -3 "$WORK/scan2.err")"
python3 - "$WORK/scan.csv" "$EXP" <<'PY' || fail "CSV output"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
want = "timestamp,severity,ip,protocol,port,hostname,tag,asn,geo,region,city,naics,hostname_source,sector,version,servername,url".split(",")
assert list(rows[0].keys()) == want, rows[0].keys()
assert len(rows) == 128, len(rows)
exp = {json.loads(l)["ip"]: json.loads(l) for l in open(sys.argv[2])}
for r in rows:
    e = exp[r["ip"]]
    if e["proxylogon"] == "vulnerable":
        assert "cve-2021-26855" in r["tag"] and r["severity"] == "critical", r
    if not e["exchange"]:
        assert r["tag"] == "", r
    else:
        assert r["tag"].startswith("exchange"), r
        assert r["version"] == e["build"], (r, e)
PY
python3 - "$WORK/scan.csv" "$EXP" "$ROOT" <<'PY' || fail "CSV tag CVEs"
import csv, json, sys
sys.path.insert(0, sys.argv[3] + "/tests/integration")
from hc_rule import Rule
rule = Rule(sys.argv[3] + "/data/exchange-builds.csv", sys.argv[3] + "/data/exchange-vulns.csv")
exp = {json.loads(l)["ip"]: json.loads(l) for l in open(sys.argv[2])}
exact = 0
for r in csv.DictReader(open(sys.argv[1])):
    e = exp[r["ip"]]
    tags = r["tag"].split(";")
    want = rule.open_cves(e["build"]) if e["exchange"] and not e.get("shells") else None
    if want is not None:  # every CVE open by HealthChecker's rule, once, nothing else
        exact += 1
        assert len(tags) == len(set(tags)) and set(tags[1:]) == {c.lower() for c in want}, (r["ip"], sorted(set(tags[1:]) ^ {c.lower() for c in want}))
        # the severity follows the state: critical with a known exploited CVE open, high with
        # another, medium end-of-life, low undetermined, info patched
        st = rule.state(e["build"], "2026-12-01", sys.argv[3] + "/data/exchange-lifecycle.csv")
        sev = {"vulnerable": "critical" if any(rule.kev(c) for c in want) else "high", "end-of-life": "medium",
               "undetermined": "low"}.get(st, "info")
        assert r["severity"] == sev, (r["ip"], r["severity"], sev, st)
    if e.get("proxyshell") == "vulnerable":
        assert "cve-2021-31207" in tags, r
    if e.get("proxynotshell") == "vulnerable":
        assert "cve-2022-41040" in tags and "cve-2022-41082" in tags, r
    if e.get("proxylogon") == "patched":
        assert "cve-2021-26855" not in tags, r
assert exact > 80, exact
PY
ok "Shadowserver scan_exchange CSV; the tag lists exactly the CVEs open by HealthChecker's rule"

"$EXRAY" scan -q -p $PORT --rate 0 --as-of 2026-12-01 -F intelmq 127.77.0.0/25 -o "$WORK/scan.intelmq" 2>"$WORK/scan3.err" ||
    fail "exray scan exited $?: $(tail -3 "$WORK/scan3.err")"
python3 "$ROOT/tests/integration/intelmq_check.py" "$WORK/scan.intelmq" 10 || fail "IntelMQ events do not validate"
python3 - "$WORK/scan.intelmq" "$EXP" "$ROOT" <<'PY' || fail "IntelMQ events"
import json, sys
sys.path.insert(0, sys.argv[3] + "/tests/integration")
from hc_rule import Rule
rule = Rule(sys.argv[3] + "/data/exchange-builds.csv", sys.argv[3] + "/data/exchange-vulns.csv")
CLS = {"compromised": "exchange-server-webshell", "vulnerable": "vulnerable-exchange-server",
       "end-of-life": "end-of-life-exchange-server", "undetermined": "exchange-server", "patched": "exchange-server-patched",
       "not-affected": "exchange-server-not-affected"}
exp = {json.loads(l)["ip"]: json.loads(l) for l in open(sys.argv[2])}
evs = [json.loads(l) for l in open(sys.argv[1])]
exch = {ip for ip, e in exp.items() if e["exchange"] and ip.startswith("127.77.0.") and int(ip.split(".")[-1]) < 128}
assert {e["source.ip"] for e in evs} == exch, "one event per Exchange server"
for ev in evs:
    e = exp[ev["source.ip"]]
    # classified by the state (every CVE, the lifecycle on 2026-12-01), never by the campaigns alone
    st = rule.state(e["build"], "2026-12-01", sys.argv[3] + "/data/exchange-lifecycle.csv")
    assert ev["extra.state"] == st and ev["classification.identifier"] == CLS[st], (ev, e, st)
    assert (ev["classification.type"] == "vulnerable-system") == (st in ("vulnerable", "end-of-life")), ev
    assert ev["extra.build"] == e["build"] and ev["extra.proxyshell"] == e["proxyshell"], (ev, e)
    if e["proxylogon"] == "vulnerable":
        assert "cve-2021-26855" in ev["extra.cves"], ev
    if e["product"] in ("2013", "2016", "2019", "SE"):
        # every open CVE (not only the campaigns'), the known exploited counted, the support state
        assert ev["extra.support"] in ("supported", "extended-security-updates", "end-of-life"), ev
        assert isinstance(ev["extra.kev_open"], int) and len(ev["extra.cves"]) >= ev["extra.kev_open"], ev
    if e["build"] == "15.1.2507.16":  # 2016 CU23 Nov22SU: Feb23SU's CVE-2023-21529 is open
        assert "cve-2023-21529" in ev["extra.cves"], ev
PY
ok "--format intelmq: one valid IntelMQ event per Exchange server, classified and with the open CVEs"

S=$(store exray)
"$EXRAY" scan -q -p $PORT --rate 0 127.77.0.0/24 --db "$S" -o /dev/null 2>"$WORK/scan4.err" ||
    fail "exray scan exited $?: $(tail -3 "$WORK/scan4.err")"
python3 - "$S" <<'PY' || fail "store"
import dbconn, sys, json
db = dbconn.connect(sys.argv[1])
n, d = db.execute("select count(*), count(distinct ip) from observations").fetchone()
assert n == 256 and d == 256, (n, d)
assert db.execute("select count(*) from scans where finished is not null").fetchone()[0] == 1
r = db.execute("select record, proxylogon, build from observations where ip='127.77.0.2'").fetchone()
assert json.loads(r[0])["build"] == r[2] == "15.1.2176.9" and r[1] == "patched", r
PY
ok "store: one row per host, scan marked finished"

for i in 0 1 2; do
    "$EXRAY" scan -q -p $PORT --rate 0 --seed 42 --shard $i/3 127.77.0.0/24 -o "$WORK/shard$i.jsonl" 2>"$WORK/scan5.err" ||
        fail "exray scan exited $?: $(tail -3 "$WORK/scan5.err")"
done
python3 - "$WORK"/shard0.jsonl "$WORK"/shard1.jsonl "$WORK"/shard2.jsonl <<'PY' || fail "shards"
import json, sys
sets = [set(json.loads(l)["ip"] for l in open(f)) for f in sys.argv[1:]]
allips = set().union(*sets)
assert len(allips) == 256, len(allips)
assert sum(len(s) for s in sets) == 256, [len(s) for s in sets]
assert all(len(s) > 40 for s in sets), [len(s) for s in sets]
PY
ok "3 shards: disjoint, no gaps"

printf '# exclude one /28\n127.77.0.16/28\n' > "$WORK/block.conf"
"$EXRAY" scan -q -p $PORT --rate 0 -b "$WORK/block.conf" 127.77.0.0/24 -o "$WORK/blocked.jsonl" 2>"$WORK/blocked.err"
python3 - "$WORK/blocked.jsonl" <<'PY' || fail "blocklist"
import json, sys, ipaddress
ips = [ipaddress.ip_address(json.loads(l)["ip"]) for l in open(sys.argv[1])]
assert len(ips) == 240, len(ips)
assert not any(ipaddress.ip_address("127.77.0.16") <= ip <= ipaddress.ip_address("127.77.0.31") for ip in ips)
PY
grep -q "16 addresses excluded" "$WORK/blocked.err" || fail "blocklist count not reported"
ok "user blocklist removes its ranges"

"$EXRAY" scan -q --rate 0 "localhost:$PORT" "[::1]:$PORT" "https://127.77.0.3:$PORT/owa/" -o "$WORK/names.jsonl" 2>"$WORK/scan6.err" ||
    fail "exray scan exited $?: $(tail -3 "$WORK/scan6.err")"
python3 - "$WORK/names.jsonl" <<'PY' || fail "hostnames / IPv6 / URL targets"
import json, sys
rs = {(r["hostname"] or r["ip"]): r for r in map(json.loads, open(sys.argv[1]))}
assert rs["localhost"]["status"] == "ok" and rs["localhost"]["ip"] in ("127.0.0.1", "::1"), rs["localhost"]
assert rs["::1"]["status"] == "ok" and rs["::1"]["tls"]["subject"], rs["::1"]
assert rs["127.77.0.3"]["build"] == "15.1.2507.16", rs["127.77.0.3"]
assert "mail.fleet.test" in rs["127.77.0.3"]["tls"]["sans"]
PY
ok "hostname, IPv6 and https:// URL targets"

"$EXRAY" scan -q "127.77.0.5:$((PORT + 1))" -o "$WORK/tls10.jsonl" 2>"$WORK/scan7.err" ||
    fail "exray scan exited $?: $(tail -3 "$WORK/scan7.err")"
python3 - "$WORK/tls10.jsonl" <<'PY' || fail "TLS 1.0 server"
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["status"] == "ok" and r["tls"]["version"] == "TLSv1", r
assert r["product"] == "2010" and r["cu"] == "SP3" and r["proxylogon"] == "not-affected", r
PY
ok "TLS 1.0-only Exchange 2010 server"

# --rate bounds new hosts per second: 300 hosts at 100/s cannot finish in under 2 s
start=$(date +%s%N)
"$EXRAY" scan -q -p $PORT --rate 100 127.77.0.0/24 127.77.1.0/26 127.77.1.64/27 127.77.1.96/28 -o "$WORK/rate.jsonl" 2>"$WORK/scan8.err" ||
    fail "exray scan exited $?: $(tail -3 "$WORK/scan8.err")"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
n=$(wc -l < "$WORK/rate.jsonl")
[ "$n" -eq 368 ] || fail "rate-limited scan wrote $n records"
[ "$ms" -ge 3000 ] || fail "368 hosts at --rate 100 took only ${ms} ms"
ok "--rate 100: 368 hosts took ${ms} ms"

# on a terminal, a zmap-style status line (done/total, hosts/s, Exchange found, ETA)
if command -v script >/dev/null; then
    script -qec "$EXRAY scan -p $PORT --rate 150 127.77.0.0/23 -o $WORK/tty.jsonl" /dev/null > "$WORK/tty.out" 2>&1 || true
    grep -q "hosts/s; exchange [0-9]*; vulnerable [0-9]*" "$WORK/tty.out" || fail "no progress line on a terminal: $(tail -c 300 "$WORK/tty.out")"
    grep -q "left)" "$WORK/tty.out" || fail "progress line without ETA"
    "$EXRAY" scan -q -p $PORT --rate 0 127.77.0.0/28 -o /dev/null 2>"$WORK/notty.err"
    if grep -q "hosts/s;" "$WORK/notty.err"; then fail "progress line printed without a terminal"; fi
    ok "progress line on a terminal, none otherwise"
fi
