#!/bin/sh
# Time, not row order: an imported 2026 report showing a host patched (moved to Exchange SE, Oct26SU: every
# update of its line), then an imported 2021
# report of the same host vulnerable. "Latest" is the newest observation time, so notify plans
# nothing for the host, stats and report order the scans by when they were observed, and
# host_history keeps the 2021 vulnerability and the 2026 fix.
. "$(dirname "$0")/lib.sh"
DB=$(store h)
cat > "$WORK/2026.csv" <<'CSV'
"timestamp","severity","ip","protocol","port","hostname","tag","asn","geo","region","city","naics","hostname_source","sector","version","servername","url"
"2026-10-20 10:00:00","info","203.0.113.9","tcp",443,"mail.example.nl","exchange",64496,"NL",,,,"ptr",,"15.2.2562.56","EX01",
CSV
cat > "$WORK/2021.csv" <<'CSV'
"timestamp","ip","port","hostname","tag","asn","geo","region","city","naics","sic","sector","version","servername","url"
"2021-03-09 08:00:00","203.0.113.9",443,"mail.example.nl","exchange;cve-2021-26855",64496,"NL",,,,,,"15.1.2176.2","EX01",
CSV
printf 'network,email,org\n203.0.113.0/24,noc@example.nl,Example\n' > "$WORK/contacts.csv"
"$EXRAY" import --db "$DB" "$WORK/2026.csv" >/dev/null 2>&1 || fail "import 2026"
"$EXRAY" import --db "$DB" "$WORK/2021.csv" >/dev/null 2>&1 || fail "import 2021"
python3 - "$DB" <<'PY' || fail "scans carry the reports' times"
import dbconn, sys
db = dbconn.connect(sys.argv[1])
rows = db.execute("select started, finished from scans order by id").fetchall()
assert rows[0][0].startswith("2026-10-20") and rows[1][0].startswith("2021-03-09"), rows
PY
ok "an import's scan starts and ends at its report's times, not the import's"
"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail" 2>"$WORK/n.err" || fail "notify: $(cat "$WORK/n.err")"
grep -q "(compromised 0, vulnerable 0, end-of-life 0, undetermined 0, patched 1)" "$WORK/n.err" || \
    fail "the 2021 report became the present: $(grep 'Exchange hosts' "$WORK/n.err")"
python3 - "$DB" <<'PY' || fail "notify planned a vulnerable notice"
import dbconn, sys
db = dbconn.connect(sys.argv[1])
tpl = [r[0] for r in db.execute("select template from tickets")]
assert tpl == [], tpl  # a patched host is never told; the 2021 exposure shows in host_history
PY
ok "notify: the newest observation (2026, patched) is the host's state; no 'vulnerable' notice"
"$EXRAY" stats --db "$DB" > "$WORK/stats.txt" || fail "stats"
python3 - "$WORK/stats.txt" <<'PY' || fail "stats order"
import sys
lines = [l for l in open(sys.argv[1]) if l[:1].isdigit()]
dates = [l.split()[1] for l in lines]
assert dates == sorted(dates) and dates[0].startswith("2021"), dates
PY
"$EXRAY" report --db "$DB" --format md -o "$WORK/r.md" 2>/dev/null || fail "report"
python3 - "$WORK/r.md" <<'PY' || fail "report order"
import re, sys
lines = open(sys.argv[1]).read().splitlines()
# every per-scan table (the patch rate, the campaigns): its rows in observation order
for i, l in enumerate(lines):
    if l.startswith("| scan | date |"):
        rows = [x for x in lines[i + 2:i + 4] if re.match(r"\| \d+ \| 20", x)]
        dates = [x.split("|")[2].strip() for x in rows]
        assert len(dates) == 2 and dates == sorted(dates) and dates[0].startswith("2021-03-09"), dates
assert "the last on 2026-10-20" in open(sys.argv[1]).read()
PY
python3 - "$DB" <<'PY' || fail "host_history"
import dbconn, sys
db = dbconn.connect(sys.argv[1], dicts=True)
h = db.execute("select * from host_history where ip = '203.0.113.9'").fetchone()
assert h["first_vulnerable"].startswith("2021-03-09") and h["patched_at"].startswith("2026-10-20"), dict(h)
PY
ok "stats and report order scans by observation time (2021 before 2026); host_history: vulnerable 2021, patched 2026"
# a mistyped store: a SQLite path that is not there, a PostgreSQL database that does not exist
if on_pg; then TYPO="${EXRAY_TEST_PG%/*}/t16_typo"; WHY='database "t16_typo" does not exist'; else TYPO="$WORK/typo.db"; WHY="no such store"; fi
for cmd in "stats" "report -o $WORK/x.html" "notify --maildir $WORK/m2"; do
    # shellcheck disable=SC2086
    set +e; "$EXRAY" $cmd --db "$TYPO" >/dev/null 2>"$WORK/typo.err"; rc=$?; set -e
    [ $rc -eq 2 ] || fail "$cmd on a missing store: exit $rc"
    grep -qF "$WHY" "$WORK/typo.err" || fail "$cmd: message: $(cat "$WORK/typo.err")"
    [ ! -e "$WORK/typo.db" ] || fail "$cmd created the store"
done
ok "stats, report and notify refuse a --db that does not exist (exit 2), and create nothing"

# control characters in a host name or an organisation name are shown escaped in the body
D2=$(store c)
printf '"timestamp","ip","port","hostname","tag","asn","geo","region","city","naics","sic","sector","version","servername","url"\n"2021-03-09 08:00:00","203.0.113.10",443,"evil.example\rInjected: line","exchange;cve-2021-26855",64496,"NL",,,,,,"15.1.2176.2","EX02",\n' > "$WORK/ctl.csv"
printf 'network,email,org\n203.0.113.0/24,noc@example.nl,"Org\013Second: line"\n' > "$WORK/ctl-contacts.csv"
"$EXRAY" import --db "$D2" "$WORK/ctl.csv" >/dev/null 2>&1 || fail "import with control characters"
"$EXRAY" notify --db "$D2" --contacts "$WORK/ctl-contacts.csv" --maildir "$WORK/ctlmail" 2>"$WORK/ctl.err" || fail "notify: $(cat "$WORK/ctl.err")"
python3 - "$WORK/ctlmail" <<'PY' || fail "control characters reached the message body as line breaks"
import email, glob, sys
from email import policy
f = glob.glob(sys.argv[1] + "/new/*")
assert len(f) == 1, f
m = email.message_from_binary_file(open(f[0], "rb"), policy=policy.default)
body = m.get_body(("plain",)).get_content()
lines = body.splitlines()
assert not any(l.startswith("Injected:") or l.startswith("Second:") for l in lines), body
assert "evil.example\\rInjected: line" in body, body  # the organisation name is cleaned when the contacts load
PY
ok "a host name or organisation with a bare CR or a vertical tab is shown escaped in the body, never as a new line"
