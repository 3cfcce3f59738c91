#!/bin/sh
# exray report: every value of the Markdown report checked against the fixture's facts
# (tests/fixtures/report/facts.py, computed independently by expect.py); the HTML and
# Markdown layout against golden files; hostile names escaped;
# an empty store says so; Debian's Chromium renders the page headless with no request
# leaving it and every chart of non-zero size, and a screenshot is saved.
. "$(dirname "$0")/lib.sh"
python3 "$ROOT/tests/fixtures/report/make_store.py" "$EXRAY" "$WORK/fixed.db"
DB="$WORK/fixed.db"
# on PostgreSQL the fixture goes over with exray db copy: the same store on either back end
if on_pg; then
    DB=$(store fixed)
    "$EXRAY" db copy --from "$WORK/fixed.db" --to "$DB" >/dev/null 2>"$WORK/copy.err" || fail "db copy: $(cat "$WORK/copy.err")"
fi
HUNT="$ROOT/tests/fixtures/report/hunt.jsonl"
"$EXRAY" report --db "$DB" --hunt "$HUNT" --as-of 2026-01-15 -o "$WORK/report.html" 2>/dev/null
"$EXRAY" report --db "$DB" --hunt "$HUNT" --as-of 2026-01-15 --format md > "$WORK/report.md"
python3 "$ROOT/tests/fixtures/report/expect.py" "$WORK/report.md" > "$WORK/expect.out" || fail "the report against the fixture's facts: $(cat "$WORK/expect.out")"
ok "$(cat "$WORK/expect.out"): patch rate, countries, networks, CUs, funnel (a patched-after-exposure notice is not 'still open')"
cmp -s "$WORK/report.html" "$ROOT/tests/golden/report.html" || { diff "$ROOT/tests/golden/report.html" "$WORK/report.html" | head -20; fail "HTML differs from tests/golden/report.html"; }
cmp -s "$WORK/report.md" "$ROOT/tests/golden/report.md" || { diff "$ROOT/tests/golden/report.md" "$WORK/report.md" | head -20; fail "Markdown differs from tests/golden/report.md"; }
ok "HTML and Markdown match the golden files"
if grep -q "<script" "$WORK/report.html" || grep -q "<img src=x" "$WORK/report.html" || grep -q '<b>x</b>' "$WORK/report.html"; then
    fail "a hostile name reached the page as markup"
fi
grep -q "&lt;script&gt;alert(1)&lt;/script&gt; Evil AS" "$WORK/report.html" || fail "hostile AS name not shown escaped"
grep -q '\\<script\\>alert(1)\\</script\\> Evil AS' "$WORK/report.md" || fail "hostile AS name not escaped in Markdown"
if grep -Eq '(src|href)="|url\(' "$WORK/report.html"; then fail "the page refers to an external resource"; fi
ok "hostile names escaped; no external resource"
# a store with nothing in it yet (contacts creates one; report and stats only read)
EMPTY=$(store empty)
"$EXRAY" contacts optout empty@example.invalid --db "$EMPTY" >/dev/null
python3 -c "import dbconn,sys; c=dbconn.connect(sys.argv[1]); c.execute('delete from optout'); c.commit()" "$EMPTY"
"$EXRAY" report --db "$EMPTY" -o "$WORK/empty.html" 2>/dev/null
grep -q "holds no scans yet" "$WORK/empty.html" || fail "empty store"
cmp -s "$WORK/empty.html" "$ROOT/tests/golden/report-empty.html" || fail "empty report differs from the golden file"
ok "an empty store produces a report that says so"
PW="$ROOT/build/node/node_modules/playwright-core"
[ -d "$PW" ] || fail "playwright-core missing in build/node (scripts/deps.sh installs it)"
command -v chromium >/dev/null || fail "chromium missing (scripts/deps.sh installs it)"
PLAYWRIGHT_CORE="$PW" timeout 180 node "$ROOT/tests/browser/check_report.js" "$WORK/report.html" "$WORK/report.png" > "$WORK/browser.json" \
    || fail "browser check: $(cat "$WORK/browser.json")"
python3 - "$WORK/browser.json" <<'PY' || fail "browser result"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] and r["charts"] == 10 and not r["outside"] and r["requests"] == 1, r
PY
[ -s "$WORK/report.png" ] || fail "no screenshot"
ok "Chromium: 10 charts (today's states, the patch rate, the known exploited CVE lines, the support bars, the campaigns) of non-zero size, no request left the page, screenshot $WORK/report.png"
