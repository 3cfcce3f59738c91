#!/bin/sh
# exray builds --import / --check: Microsoft's build-number page (Markdown source or saved
# HTML) and a build CSV become a table that --builds takes, with the fixing updates set by
# rule; the built-in table survives a round trip through the page format unchanged; --check
# and scan say when a table is old.
. "$(dirname "$0")/lib.sh"
F="$ROOT/tests/fixtures/builds"
for f in page.md page.html; do
    day0=$(date -u +%Y-%m-%d)
    "$EXRAY" builds --import "$F/$f" -o "$WORK/$f.csv" > "$WORK/$f.out" || fail "--import $f"
    day1=$(date -u +%Y-%m-%d)
    grep -q "^21 builds from" "$WORK/$f.out" || fail "$f: $(head -2 "$WORK/$f.out")"
    grep -q "^  + SE RTM Oct26SU 15.2.2562.60 (su, 2026-10-13)" "$WORK/$f.out" || fail "$f: the new update is not reported: $(cat "$WORK/$f.out")"
    grep -q "^# table-date: \($day0\|$day1\)$" "$WORK/$f.csv" || fail "$f: no table-date of the import's day"
    grep -q "^SE,RTM,15.2.2562.53,2026-09,su,Sep26SUv2,," "$WORK/$f.csv" || fail "$f: month-only date not kept"
    grep -q "^2019,CU8,15.2.792.10,2021-03-02,su,Mar21SU,KB5000871,proxylogon$" "$WORK/$f.csv" || fail "$f: Mar21SU row: $(grep 792.10 "$WORK/$f.csv")"
    grep -q "^2019,CU8,15.2.792.15,2021-05-11,su,May21SU,KB5003435,proxyshell$" "$WORK/$f.csv" || fail "$f: May21SU row"
    grep -q "^2019,CU9,15.2.858.5,2021-03-16,cu,,,proxylogon$" "$WORK/$f.csv" || fail "$f: first fixed CU (ProxyLogon)"
    grep -q "^2019,CU10,15.2.922.7,2021-06-29,cu,,,proxyshell$" "$WORK/$f.csv" || fail "$f: first fixed CU (ProxyShell)"
    grep -q "^2019,CU13,15.2.1258.12,2023-05-03,cu,,,proxynotshell$" "$WORK/$f.csv" || fail "$f: first fixed CU (ProxyNotShell)"
    grep -q "^2019,CU15,15.2.1748.24,2025-04-18,hu,Apr25HU,," "$WORK/$f.csv" || fail "$f: hotfix update kind"
    "$EXRAY" builds --builds "$WORK/$f.csv" 15.2.2562.60 15.2.792.13 > "$WORK/$f.verdicts"
    grep -q "15.2.2562.60: Exchange SE RTM Oct26SU" "$WORK/$f.verdicts" || fail "$f: the imported table is not used"
    grep -A4 "15.2.792.13:" "$WORK/$f.verdicts" | grep -q "proxyshell .*vulnerable.*open: CVE-2021-31207" || fail "$f: Apr21SU reasoning"
done
[ "$(tail -n +2 "$WORK/page.md.csv")" = "$(tail -n +2 "$WORK/page.html.csv")" ] || fail "HTML and Markdown give different tables"
ok "Microsoft's page as Markdown and as saved HTML: the same table; fixing updates and first fixed CUs set by rule; HU kind; month-only dates; what changed is printed"

"$EXRAY" builds --import "$F/builds.csv" -o "$WORK/csv.csv" > "$WORK/csv.out" || fail "--import CSV"
"$EXRAY" builds --builds "$WORK/csv.csv" 15.1.2176.14 | grep -q "proxyshell .*patched" || fail "CSV import verdict"
ok "a build CSV (name, build, date columns) imports too"

# Get-ExchangeBuildNumber's ExchangeBuildNumbers.csv ("Exchange 2019 CU14 Jun26SU", M/D/YYYY,
# KB column, zero-padded builds, 2010 rollups); the fixture's rows are the file's own
EBN="$F/ExchangeBuildNumbers.csv"
"$EXRAY" builds --import "$EBN" -o "$WORK/ebn.csv" > "$WORK/ebn.out" || fail "--import ExchangeBuildNumbers.csv: $(cat "$WORK/ebn.out")"
for row in "2010,SP3 RU32,14.3.513.0,2021-03-02,cu,,KB5000978," "2010,SP2 RU5,14.2.328.10,2012-12-10,su,RU5v2,KB2785908," \
    "2013,SP1,15.0.847.64,2021-03-02,su,Mar21SU,KB5000871,proxylogon" "2013,CU23,15.0.1497.2,2019-06-18,cu,,KB4489622," \
    "2019,CU13,15.2.1258.12,2023-05-03,cu,,KB5020999," "2019,CU14,15.2.1544.25,2025-04-18,hu,Apr25HU,KB5050673," \
    "2019,CU14,15.2.1544.41,2026-06-09,su,Jun26SU,KB5094142," "SE,RTM,15.2.2562.20,2025-08-12,su,Aug25SU,KB5063224,"; do
    grep -q "^$row" "$WORK/ebn.csv" || fail "ExchangeBuildNumbers.csv: no row $row"
done
! grep -q "^2007\|,8\.3\." "$WORK/ebn.csv" || fail "Exchange 2007 imported"
grep -q "missing from the import (kept out of the new table; --merge keeps them)" "$WORK/ebn.out" || fail "no --merge hint"
# every CVE by its update's name: Feb23SU fixes CVE-2023-21529; CVE-2023-21707 needs Mar23SU too
"$EXRAY" builds --builds "$WORK/ebn.csv" --format json 15.1.2507.21 15.1.2507.23 > "$WORK/ebn.json"
python3 - "$WORK/ebn.json" <<'PY' || fail "verdicts from an imported ExchangeBuildNumbers.csv"
import json, sys
a, b = [json.loads(l)["cves"] for l in open(sys.argv[1])]
assert a["CVE-2023-21529"]["verdict"] == "patched" and a["CVE-2023-21707"]["verdict"] == "vulnerable", (a["CVE-2023-21529"], a["CVE-2023-21707"])
assert b["CVE-2023-21707"]["verdict"] == "patched", b["CVE-2023-21707"]
PY
# --merge: the current table's rows the file lacks are kept; every (build, CVE) verdict of the
# built-in table's builds is then the built-in one
"$EXRAY" builds --import "$EBN" --merge -o "$WORK/ebn-merged.csv" > "$WORK/ebn-merged.out" || fail "--import --merge"
grep -q "missing from the import and kept (--merge)" "$WORK/ebn-merged.out" || fail "--merge: $(tail -2 "$WORK/ebn-merged.out")"
awk -F, '!/^#/ && $3 ~ /^15\./ {print $3}' "$ROOT/data/exchange-builds.csv" > "$WORK/b15.txt"
# shellcheck disable=SC2046
"$EXRAY" builds --format json --as-of 2026-01-15 $(cat "$WORK/b15.txt") > "$WORK/m1.json"
# shellcheck disable=SC2046
"$EXRAY" builds --builds "$WORK/ebn-merged.csv" --format json --as-of 2026-01-15 $(cat "$WORK/b15.txt") > "$WORK/m2.json"
python3 - "$WORK/m1.json" "$WORK/m2.json" <<'PY' || fail "--merge changes verdicts"
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == len(b) > 300, (len(a), len(b))
pairs = [(x["build"], c, v["verdict"], y["cves"][c]["verdict"]) for x, y in zip(a, b) for c, v in x["cves"].items()]
bad = [p for p in pairs if p[2] != p[3]]
assert len(pairs) > 25000 and not bad, (len(pairs), bad[:5])
PY
ok "ExchangeBuildNumbers.csv imports (KB, zero-padded builds, 2010 rollups, HU); per-CVE verdicts follow update names; --merge keeps every verdict"

# round trip: the built-in table written as Microsoft's page and imported again is unchanged
python3 - "$ROOT/data/exchange-builds.csv" > "$WORK/builtin.md" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#"))]
M = "January February March April May June July August September October November December".split()
print("|Product name|Release date|Build number (short format)|Build number (long format)|")
print("|:-----|:-----|:-----|:-----|")
for r in rows:
    if r["kind"] == "cu-owa":
        continue  # not on Microsoft's page
    d = r["released"]
    ds = "%s %d, %s" % (M[int(d[5:7]) - 1], int(d[8:]), d[:4]) if len(d) == 10 else "%s %s" % (M[int(d[5:7]) - 1], d[:4])
    if r["product"] == "2010" and "RU" in r["cu"]:
        v = " v" + r["update"].split("v")[1] if r["kind"] != "cu" and "v" in r["update"] else ""
        name = "Update Rollup %s%s for Exchange Server 2010 SP3" % (r["cu"].split("RU")[1], v)
    elif r["product"] == "2010":
        name = "Exchange Server 2010 %s" % r["cu"]
    else:
        name = "Exchange Server %s %s%s" % (r["product"], r["cu"], " " + r["update"] if r["update"] else "")
    if r["kb"]:
        name = "[%s](https://support.microsoft.com/help/%s)" % (name, r["kb"][2:])
    print("|%s|%s|%s|x|" % (name, ds, r["build"]))
PY
"$EXRAY" builds --import "$WORK/builtin.md" -o "$WORK/builtin.csv" > "$WORK/builtin.out" || fail "round trip import"
grep -q "^0 added, 0 changed, 0 missing" "$WORK/builtin.out" || fail "round trip: $(tail -5 "$WORK/builtin.out")"
ok "round trip: the built-in table through the page format and back: 0 added, 0 changed, 0 missing (fixing bits by rule equal the curated ones)"

# --check, and scan's warning
# the tables' dates are the test's, never the built-in table's (which ages with the clock)
sed "s/^# table-date: .*/# table-date: $(date -u +%Y-%m-%d)/" "$WORK/page.md.csv" > "$WORK/fresh.csv"
"$EXRAY" builds --builds "$WORK/fresh.csv" --check > "$WORK/check.out" || fail "--check on a table dated today: $(cat "$WORK/check.out")"
sed "s/^# table-date: .*/# table-date: $(date -u -d '-89 days' +%Y-%m-%d)/" "$WORK/page.md.csv" > "$WORK/edge.csv"
"$EXRAY" builds --builds "$WORK/edge.csv" --check > "$WORK/edge.out" || fail "--check on a table 89 days old: $(cat "$WORK/edge.out")"
sed 's/^# table-date: .*/# table-date: 2020-01-01/' "$WORK/page.md.csv" > "$WORK/old.csv"
set +e; "$EXRAY" builds --builds "$WORK/old.csv" --check > "$WORK/old.out"; rc=$?; set -e
[ $rc -eq 1 ] || fail "--check on an old table: exit $rc"
grep -q "days ago (more than 90).*exray builds --import" "$WORK/old.out" || fail "--check message: $(cat "$WORK/old.out")"
set +e; "$EXRAY" builds --builds "$WORK/old.csv" --check --max-age 100000 >/dev/null; rc=$?; set -e
[ $rc -eq 0 ] || fail "--max-age"
"$EXRAY" scan -q -p 9 --builds "$WORK/old.csv" 127.0.0.1 -o /dev/null 2> "$WORK/scan.err" || true
[ "$(grep -c 'warning: the build table' "$WORK/scan.err")" -eq 1 ] || fail "scan warning: $(cat "$WORK/scan.err")"
"$EXRAY" scan -q -p 9 --builds "$WORK/fresh.csv" 127.0.0.1 -o /dev/null 2> "$WORK/scan2.err" || true
! grep -q "warning: the build table" "$WORK/scan2.err" || fail "scan warns about a current table"
ok "--check: exit 0 for a table dated today or 89 days ago, 1 with how to refresh for an old one; scan warns once on an old table"

# every CVE as data: a new update's CVE is a row of a copy of the vulnerability table, and
# --vulns takes it with no new exray (here an invented CVE fixed by Sep26SU on 2016 and 2019)
{ cat "$ROOT/data/exchange-vulns.csv"; echo "Sep26SU,CVE-2026-99999,2016 2019,2026-09-30,TestChain,"; } > "$WORK/vulns.csv"
"$EXRAY" builds --vulns "$WORK/vulns.csv" 15.1.2507.72 15.1.2507.73 15.2.1748.53 > "$WORK/v.out" || fail "builds --vulns: $(cat "$WORK/v.out")"
python3 - "$WORK/v.out" <<'PY' || fail "the new CVE: $(cat "$WORK/v.out")"
import re, sys
blocks = {}
for b in open(sys.argv[1]).read().split("\n15.")[0:]:
    head = b.split(":", 1)[0]
    blocks[head if head.startswith("15.") else "15." + head] = b
def line(build, title):
    m = re.search(r"^  %s +(\d+)(?:: (.*))?$" % re.escape(title), blocks[build], re.M)
    if not m:
        return (None, [])
    if title != "open CVEs":
        return (int(m.group(1)), (m.group(2) or "").split(", "))
    # open CVEs: one line per fixing update below the count, "    Sep26SU  CVE-... (KEV) CVE-..."
    ids, by = [], {}
    for l in blocks[build][m.end():].splitlines()[1:]:
        if not l.startswith("    "):
            break
        su, *rest = l.split()
        for c in rest:
            if c.startswith("CVE-"):
                ids.append(c)
                by[c] = (su, "(KEV)" in l.split(c, 1)[1].split("CVE-")[0])
    line.by = by
    return (int(m.group(1)), ids)
assert "CVE-2026-99999" in line("15.1.2507.72", "open CVEs")[1]          # Aug26SU: below the update
assert "CVE-2026-99999" in line("15.1.2507.72", "known exploited")[1]    # and in KEV (the row says so)
assert "CVE-2026-99999" not in line("15.1.2507.73", "open CVEs")[1]      # Sep26SU
assert "CVE-2026-99999" not in line("15.2.1748.53", "open CVEs")[1]      # Sep26SUv2
n, l = line("15.1.2507.72", "open CVEs")
assert n == len(l), (n, l)
assert line.by["CVE-2026-99999"] == ("Sep26SU", True), line.by  # grouped under its update, marked KEV
PY
"$EXRAY" builds 15.1.2507.72 | grep -q "CVE-2026-99999" && fail "the built-in table knows the invented CVE"
printf 'update,cve,products,kev_added,campaign,config\nSep26SU,CVE-2026-1,2015,,,\n' > "$WORK/badv.csv"
set +e; "$EXRAY" builds --vulns "$WORK/badv.csv" 15.1.2507.72 >/dev/null 2>"$WORK/badv.err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "badv.csv:2: " "$WORK/badv.err" || fail "a bad vulnerability table (exit $rc): $(cat "$WORK/badv.err")"
ok "--vulns: a CVE added as a row is open below its update and closed at it (v2 too), in KEV as the row says; a bad row is refused by line"

# the differential check: HealthChecker's rule read again in Python from the two tables,
# against exray builds --format json, for every 2013/2016/2019/SE build and every CVE
awk -F, '!/^#/ && $3 ~ /^[0-9]+\./ {print $3}' "$ROOT/data/exchange-builds.csv" > "$WORK/all-builds.txt"
# shellcheck disable=SC2046
"$EXRAY" builds --format json --as-of 2026-01-15 $(cat "$WORK/all-builds.txt") > "$WORK/all.json" || fail "builds --format json"
python3 "$ROOT/tests/integration/check_cves.py" "$ROOT/data/exchange-builds.csv" "$ROOT/data/exchange-vulns.csv" "$WORK/all.json" > "$WORK/cves.out" ||
    fail "per-CVE verdicts differ from HealthChecker's rule: $(cat "$WORK/cves.out")"
python3 - "$WORK/all.json" <<'PY' || fail "builds --format json fields"
import json, sys
for j in map(json.loads, open(sys.argv[1])):
    assert set(j) >= {"build", "product", "cu", "su", "support", "proxylogon", "proxyshell", "proxynotshell", "cves"}, j.keys()
    sup = j["support"]  # on 2026-01-15, by Microsoft's lifecycle pages
    if j["product"] == "2013":
        assert (sup["state"], sup["since"], sup["as_of"]) == ("end-of-life", "2023-04-11", "2026-01-15"), sup
    if (j["product"], j["cu"]) == ("2016", "CU23"):
        assert (sup["state"], sup["since"]) == ("extended-security-updates", "2025-10-14"), (j["build"], sup)
    if (j["product"], j["cu"]) == ("2016", "CU22"):
        assert (sup["state"], sup["since"]) == ("end-of-life", "2025-10-14"), (j["build"], sup)
    if j["product"] == "SE":
        assert (sup["state"], sup["since"]) == ("supported", None), (j["build"], sup)
    if j["cves"]:
        for cve, e in j["cves"].items():
            assert e["verdict"] in ("vulnerable", "patched", "undetermined", "not-affected") and e["fixed_by"], (cve, e)
# every Exchange CVE in CISA's KEV (kev-data, 2025-08-25) is in the table with its date
kev = {"CVE-2021-31196", "CVE-2024-21410", "CVE-2022-41080", "CVE-2022-41082", "CVE-2022-41040", "CVE-2018-8581", "CVE-2021-33766",
       "CVE-2021-42321", "CVE-2020-17144", "CVE-2021-34523", "CVE-2020-0688", "CVE-2021-34473", "CVE-2021-31207", "CVE-2021-26855",
       "CVE-2021-26858", "CVE-2021-27065", "CVE-2021-26857"}
flagged = set()
for j in map(json.loads, open(sys.argv[1])):
    for cve, e in (j["cves"] or {}).items():
        if e["kev"]:
            flagged.add(cve)
assert kev - {"CVE-2020-17144"} <= flagged, sorted(kev - flagged)   # 17144 is Exchange 2010's alone
PY
"$EXRAY" builds --format json 14.3.496.0 | grep -q '"CVE-2020-17144":{"verdict":"vulnerable"' || fail "2010 SP3 RU30: CVE-2020-17144"
ok "$(cat "$WORK/cves.out"); builds --format json carries support and every CVE; every Exchange CVE in KEV is flagged"
