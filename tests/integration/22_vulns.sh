#!/bin/sh
# exray vulns: the vulnerability table listed (every row, --kev-only, csv, json), its age and
# coverage of the build table checked, its KEV dates refreshed from CISA's catalog. Every
# expectation is read from the fixtures and data files here, never from exray's output.
. "$(dirname "$0")/lib.sh"
V="$ROOT/data/exchange-vulns.csv"
KEV="$ROOT/tests/fixtures/vulns/kev.csv"

# --format csv is the table's rows; --kev-only the rows with a kev_added; the KEV ones first
"$EXRAY" vulns --format csv > "$WORK/all.csv"
"$EXRAY" vulns --kev-only --format json > "$WORK/kev.json"
"$EXRAY" vulns > "$WORK/all.txt"
python3 - "$V" "$WORK/all.csv" "$WORK/kev.json" "$WORK/all.txt" <<'PY' || fail "vulns listing"
import csv, json, sys
rows = list(csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#")))
out = list(csv.DictReader(open(sys.argv[2])))
key = lambda r: (r["update"], r["cve"], r["products"], r["kev_added"], r["campaign"], r["config"])
assert sorted(map(key, out)) == sorted(map(key, rows)), "csv rows differ from the table"
firsts = [bool(r["kev_added"]) for r in out]
assert firsts == sorted(firsts, reverse=True), "the known exploited are not first"
kev = [json.loads(l) for l in open(sys.argv[3])]
want = {(r["cve"], r["update"], r["kev_added"]) for r in rows if r["kev_added"]}
assert {(j["cve"], j["update"], j["kev_added"]) for j in kev} == want, "--kev-only"
# CISA's Exchange entries: the 17 of the 2025-08-25 catalog and CVE-2026-42897 (2026-05-15)
assert len({j["cve"] for j in kev}) == 18, len({j["cve"] for j in kev})
assert any(j["cve"] == "CVE-2026-42897" and j["kev_added"] == "2026-05-15" and j["update"] == "Jun26SU" for j in kev), "CVE-2026-42897"
text = open(sys.argv[4]).read().splitlines()
assert text[0].split()[:4] == ["cve", "update", "products", "kev_added"], text[0]
assert len(text) == len(rows) + 1, (len(text), len(rows))
PY
ok "vulns lists every row (csv = the table), --kev-only the 18 Exchange CVEs in KEV, the known exploited first"

# --check: ages from the table's own date lines; the build table's newer updates it misses
sed -e 's/^# table-date: .*/# table-date: 2000-01-01/' "$V" > "$WORK/old.csv"
set +e
"$EXRAY" vulns --vulns "$WORK/old.csv" --check --max-age 90 > "$WORK/old.out"; rc=$?
"$EXRAY" vulns --check --max-age 100000 > "$WORK/now.out"; rc2=$?
set -e
[ $rc -eq 1 ] && grep -q "rows last checked.*2000-01-01, [0-9]* days ago (more than 90)" "$WORK/old.out" || fail "--check old (exit $rc): $(cat "$WORK/old.out")"
grep -q "KEV dates from CISA's catalog of: 2025-08-25.*current" "$WORK/now.out" || fail "--check kev-date: $(cat "$WORK/now.out")"
# the updates of the build table newer than any update the vulnerability table names
python3 - "$ROOT/data/exchange-builds.csv" "$V" "$WORK/now.out" $rc2 <<'PY' || fail "--check coverage: $(cat "$WORK/now.out")"
import csv, re, sys
b = list(csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#")))
v = list(csv.DictReader(l for l in open(sys.argv[2]) if not l.startswith("#")))
names = {r["update"] for r in v}
base = lambda u: re.sub(r"v\d$", "", u)
named = [r["released"] for r in b if base(r["update"]) in names and r["kind"] in ("su", "hu")]
newest = max(named)
want = sorted({base(r["update"]) for r in b if r["kind"] == "su" and re.match(r"^[A-Z][a-z]{2}\d\dSU", r["update"])
               and base(r["update"]) not in names and r["released"][:len(newest)] > newest[:len(r["released"])]})
got = sorted(re.findall(r"^  (\S+) released", open(sys.argv[3]).read(), re.M))
assert got == want, (got, want)
assert (int(sys.argv[4]) == 1) == bool(want), sys.argv[4]
PY
ok "--check: exit 1 with the date for an old table; the build table's updates newer than the table and not named are listed"

# --import: KEV dates from the catalog; removed, changed and missing CVEs said; exit 1 when
# an Exchange CVE of the catalog has no row; the table written loads
set +e; "$EXRAY" vulns --import "$KEV" -o "$WORK/new.csv" > "$WORK/imp.out"; rc=$?; set -e
[ $rc -eq 1 ] || fail "--import exit $rc: $(cat "$WORK/imp.out")"
python3 - "$V" "$WORK/new.csv" "$KEV" "$WORK/imp.out" <<'PY' || fail "--import: $(cat "$WORK/imp.out")"
import csv, datetime, sys
old = list(csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#")))
new = list(csv.DictReader(l for l in open(sys.argv[2]) if not l.startswith("#")))
cat = {}
for r in csv.DictReader(open(sys.argv[3])):
    try:
        datetime.date.fromisoformat(r["dateAdded"])
    except ValueError:
        continue
    if r["vendorProject"] == "Microsoft" and "Exchange" in r["product"]:
        cat[r["cveID"]] = r["dateAdded"]
assert len(new) == len(old)
for o, n in zip(old, new):
    assert (o["update"], o["cve"], o["config"]) == (n["update"], n["cve"], n["config"])
    assert n["kev_added"] == cat.get(o["cve"], ""), (o["cve"], n["kev_added"])
rep = open(sys.argv[4]).read()
assert "CVE-2021-26857 kev_added none: no longer in the catalog (was 2021-11-03)" in rep
assert "CVE-2022-41080 kev_added 2023-01-12 (was 2023-01-10)" in rep
assert "! CVE-2099-90001 is an Exchange CVE in the catalog" in rep and "CVE-2021-99999" not in rep and "CVE-2026-20001" not in rep
assert "# kev-date: 2026-11-30\n" in open(sys.argv[2]).read()  # the catalog's newest valid dateAdded
PY
"$EXRAY" builds --vulns "$WORK/new.csv" --format json 15.1.2507.6 > "$WORK/b.json"
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["cves"]; assert c["CVE-2021-26857"]["kev"] is None and c["CVE-2022-41080"]["kev"] == "2023-01-12", c["CVE-2021-26857"]' "$WORK/b.json" ||
    fail "the imported table is not used"
printf 'a,b\n1,2\n' > "$WORK/notkev.csv"
set +e; "$EXRAY" vulns --import "$WORK/notkev.csv" -o "$WORK/x.csv" 2> "$WORK/notkev.err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "notkev.csv:1: not CISA's KEV CSV" "$WORK/notkev.err" && [ ! -e "$WORK/x.csv" ] || fail "a file that is no catalog (exit $rc): $(cat "$WORK/notkev.err")"
ok "--import: dates set from the catalog (changed, removed), a multi-line record read, an impossible date and a Windows row ignored, the CVE with no row named (exit 1), a non-catalog refused"

# the real catalog, when a copy of cisagov/kev-data is on this machine: no change, none missing
REAL=""
for d in "${EXR_KEV_DATA:-}" /work/.mirror/cisagov+kev-data/repo; do
    [ -n "$d" ] && [ -d "$d" ] && REAL=$d && break
done
if [ -n "$REAL" ] && git -C "$REAL" show HEAD:known_exploited_vulnerabilities.csv > "$WORK/real.csv" 2>/dev/null; then
    "$EXRAY" vulns --import "$WORK/real.csv" -o "$WORK/real-new.csv" > "$WORK/real.out" || fail "real catalog: $(cat "$WORK/real.out")"
    grep -q " 0 without a row" "$WORK/real.out" || fail "real catalog: $(tail -3 "$WORK/real.out")"
    ok "the real KEV catalog ($REAL): every Exchange CVE in it has a row"
else
    echo "  skip: no copy of cisagov/kev-data (EXR_KEV_DATA)"
fi
