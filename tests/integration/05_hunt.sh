#!/bin/sh
# exray hunt on generated triage copies (KAPE, Velociraptor and plain layouts): every
# planted trace is found and nothing else at medium or above; exit statuses; the ROOT is
# never written; links out of the ROOT are not followed; timeline CSV; bad input.
. "$(dirname "$0")/lib.sh"
GEN="$ROOT/tests/fixtures/triage/gen.py"
for style in kape velociraptor plain; do
    python3 "$GEN" "$WORK/$style" --style "$style"
    exp="$WORK/$style.expected.jsonl"; [ -f "$exp" ] || exp="$WORK/$style/expected.jsonl"
    before=$(find "$WORK/$style" -printf '%p %s %T@ %m\n' | sort | md5sum)
    set +e; "$EXRAY" hunt -q -o "$WORK/$style.jsonl" --timeline "$WORK/$style.csv" "$WORK/$style" 2>"$WORK/$style.err"; rc=$?; set -e
    [ $rc -eq 1 ] || fail "$style: exit $rc, expected 1 ($(head -3 "$WORK/$style.err"))"
    python3 "$ROOT/tests/integration/compare_hunt.py" "$exp" "$WORK/$style.jsonl" || fail "$style findings"
    after=$(find "$WORK/$style" -printf '%p %s %T@ %m\n' | sort | md5sum)
    [ "$before" = "$after" ] || fail "$style: the hunt changed the ROOT"
    ok "$style layout: every planted trace found, nothing else at medium or above, ROOT unchanged"
done

python3 - "$WORK/kape.csv" "$WORK/kape.jsonl" <<'PY' || fail "timeline"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert list(rows[0].keys())[:3] == ["datetime", "timestamp_desc", "message"], rows[0].keys()
times = [r["datetime"] for r in rows]
assert times == sorted(times), "timeline not sorted"
timed = [f for f in map(json.loads, open(sys.argv[2])) if f["time"]]
assert len(rows) == len(timed), (len(rows), len(timed))
assert any(r["check"] == "webshell.yara" and r["timestamp_desc"] == "File Modified" for r in rows)
PY
ok "Timesketch timeline: sorted, one row per timed finding"

# two ROOTs: one timeline, sorted across both (not one sorted run per ROOT)
set +e; "$EXRAY" hunt -q --timeline "$WORK/two.csv" "$WORK/kape" "$WORK/velociraptor" 2>/dev/null; rc=$?; set -e
[ $rc -eq 1 ] || fail "two roots: exit $rc"
python3 - "$WORK/two.csv" "$WORK/kape.csv" "$WORK/velociraptor.csv" <<'PY' || fail "timeline across ROOTs"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
times = [r["datetime"] for r in rows]
assert times == sorted(times), "the timeline of two ROOTs is not in time order"
assert len(rows) == sum(1 for _ in csv.DictReader(open(sys.argv[2]))) + sum(1 for _ in csv.DictReader(open(sys.argv[3])))
assert {r["root"] for r in rows} == {r["root"] for f in sys.argv[2:] for r in csv.DictReader(open(f))}
PY
ok "two ROOTs: one timeline in time order across both, every row of each"

set +e; "$EXRAY" hunt -q -F intelmq -o "$WORK/kape.intelmq" "$WORK/kape" 2>/dev/null; rc=$?; set -e
[ $rc -eq 1 ] || fail "hunt -F intelmq: exit $rc"
python3 "$ROOT/tests/integration/intelmq_check.py" "$WORK/kape.intelmq" 5 || fail "hunt IntelMQ events do not validate"
python3 - "$WORK/kape.intelmq" "$WORK/kape.jsonl" <<'PY' || fail "hunt IntelMQ events"
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
fs = [json.loads(l) for l in open(sys.argv[2])]
assert len(evs) == len(fs), (len(evs), len(fs))
shells = [e for e in evs if e["extra.check"].startswith("webshell.")]
assert shells and all(e["classification.identifier"] == "exchange-server-webshell" and e["classification.type"] == "system-compromise" for e in shells)
PY
ok "hunt --format intelmq: one valid IntelMQ event per finding; web shells are system-compromise"

grep -q "PATCHED AFTER COMPROMISE" <<EOF2 || fail "build history: patched after compromise not reported"
$("$EXRAY" hunt "$WORK/kape" 2>/dev/null || true)
EOF2
ok "build history: patched after compromise reported"

# a clean server: exit 0
python3 "$GEN" "$WORK/clean" --style plain --only-clean
set +e; "$EXRAY" hunt -o "$WORK/clean.jsonl" "$WORK/clean" >"$WORK/clean.out" 2>&1; rc=$?; set -e
[ $rc -eq 0 ] || fail "clean tree: exit $rc: $(grep -v '^ *$' "$WORK/clean.jsonl" | head -3)"
grep -q "Nothing suspicious detected" "$WORK/clean.out" || fail "clean summary"
ok "clean server: exit 0, 'Nothing suspicious detected'"

# a link out of the ROOT is not followed, and not passed over in silence: it is reported
# as not examined, so the hunt does not say "clean" (exit 1)
mkdir -p "$WORK/outside"
printf '<%%@ Page Language="Jscript"%%><%%eval(Request.Item["x"],"unsafe");%%>' > "$WORK/outside/shell.aspx"
ln -s "$WORK/outside" "$WORK/clean/inetpub/wwwroot/aspnet_client/linked"
ln -s "$WORK/outside/shell.aspx" "$WORK/clean/inetpub/wwwroot/aspnet_client/link.aspx"
set +e; "$EXRAY" hunt -q -o "$WORK/link.jsonl" "$WORK/clean" 2>/dev/null; rc=$?; set -e
[ $rc -eq 1 ] || fail "links: exit $rc, expected 1 (not examined)"
python3 - "$WORK/link.jsonl" <<'PY' || fail "a link out of the ROOT was followed or not reported: $(cat "$WORK/link.jsonl")"
import json, sys
fs = [json.loads(l) for l in open(sys.argv[1])]
assert not [f for f in fs if f["check"].startswith("webshell.")], "link target scanned"
ne = {f["path"]: f for f in fs if f["check"] == "hunt.not-examined"}
for p in ("inetpub/wwwroot/aspnet_client/linked", "inetpub/wwwroot/aspnet_client/link.aspx"):
    assert p in ne and ne[p]["severity"] == "medium" and "link" in ne[p]["evidence"], (p, ne)
PY
rm "$WORK/clean/inetpub/wwwroot/aspnet_client/linked" "$WORK/clean/inetpub/wwwroot/aspnet_client/link.aspx"
ok "links out of the ROOT are not followed; each is reported as not examined (exit 1)"

# an unusable ROOT is an error (2); the other roots are still hunted
set +e; "$EXRAY" hunt -q -o "$WORK/two.jsonl" "$WORK/does-not-exist" "$WORK/kape" 2>"$WORK/two.err"; rc=$?; set -e
[ $rc -eq 2 ] || fail "missing root: exit $rc"
grep -q "does-not-exist" "$WORK/two.err" || fail "missing root not named"
[ -s "$WORK/two.jsonl" ] || fail "the second root was not hunted"
ok "an unusable ROOT: exit 2, named, the other ROOT still hunted"

# bad input: junk, a huge line, data without #Fields, a truncated EVTX
B="$WORK/bad"
python3 "$GEN" "$B" --style plain
HP="$B/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Owa"
head -c 20000 /dev/urandom > "$HP/HttpProxy_2021030399-1.LOG"
python3 -c "import sys; sys.stdout.write('2021-03-03T01:00:00.000Z,' + 'A' * 1500000 + '\n')" > "$HP/HttpProxy_2021030398-1.LOG"
printf '2021-03-03T01:00:00.000Z,x,15,1,2176,2,,Owa\n' > "$HP/HttpProxy_2021030397-1.LOG"
mkdir -p "$B/Windows/System32/winevt/Logs"
CORPUS=${EXR_CORPUS:-$ROOT/../shared/corpus}
if [ -d "$CORPUS/evtx" ]; then
    head -c 30000 "$CORPUS/evtx/sbousseaden_privexchange_dirkjan.evtx" > "$B/Windows/System32/winevt/Logs/Application.evtx"
fi
set +e; "$EXRAY" hunt -q -o "$WORK/bad.jsonl" "$B" 2>"$WORK/bad.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "bad input: exit $rc"
grep -q "HttpProxy_2021030398-1.LOG:1: line longer than" "$WORK/bad.err" || fail "huge line not reported: $(cat "$WORK/bad.err")"
grep -q "HttpProxy_2021030397-1.LOG:1: data before any #Fields" "$WORK/bad.err" || fail "missing #Fields not reported"
DAMAGED="Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Owa/HttpProxy_2021030398-1.LOG"
[ -d "$CORPUS/evtx" ] && DAMAGED="$DAMAGED
Windows/System32/winevt/Logs/Application.evtx"
# shellcheck disable=SC2086
(IFS='
'; python3 "$ROOT/tests/integration/compare_hunt.py" "$B/expected.jsonl" "$WORK/bad.jsonl" $DAMAGED) || fail "planted traces lost next to bad input, or damage not reported"
ok "bad input reported with file and line; the hunt went on and found everything"
if [ -d "$CORPUS/evtx" ]; then
    grep -q "Application.evtx: truncated" "$WORK/bad.err" || fail "truncated EVTX not reported: $(cat "$WORK/bad.err")"
    ok "truncated EVTX reported"
else
    echo "  skip: truncated EVTX check needs $CORPUS/evtx"
fi

# attacker-chosen names reach the terminal escaped: a file name with a newline, a forged
# "Nothing suspicious detected" line, ESC [2J (clear screen) and BEL
python3 "$GEN" "$WORK/hostile" --style plain --only-clean
H="$WORK/hostile/inetpub/wwwroot/aspnet_client"
python3 - "$H" <<'PY'
import os, sys
name = "x.aspx\n  Web shells (files): Nothing suspicious detected\x1b[2J\x07.aspx"
open(os.path.join(sys.argv[1], name), "w").write('<%@ Page Language="Jscript"%><%eval(Request.Item["x"],"unsafe");%>')
os.makedirs(os.path.join(sys.argv[1], "d\x1b]0;owned\x07"))
open(os.path.join(sys.argv[1], "d\x1b]0;owned\x07", "s.aspx"), "w").write('<%@ Page Language="Jscript"%><%eval(Request.Item["y"],"unsafe");%>')
PY
set +e; "$EXRAY" hunt "$WORK/hostile" > "$WORK/hostile.out" 2>"$WORK/hostile.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "hostile names: exit $rc"
python3 - "$WORK/hostile.out" "$WORK/hostile.err" <<'PY' || fail "a control character reached the terminal"
import sys
for f in sys.argv[1:]:
    raw = open(f, "rb").read()
    bad = [c for c in raw if c < 0x20 and c not in (0x0a,)] + [c for c in raw if c == 0x7f]
    assert not bad, "%s: control bytes %r" % (f, sorted(set(bad)))
out = open(sys.argv[1], encoding="utf-8", errors="replace").read()
assert "x.aspx\\n  Web shells (files): Nothing suspicious detected\\x1b[2J\\x07.aspx" in out, "the name is not shown escaped"
assert not any(l.startswith("  Web shells (files): Nothing") for l in out.splitlines()), "a forged summary line"
assert "d\\x1b]0;owned\\x07/s.aspx" in out, "the folder name is not shown escaped"
PY
ok "hostile file and folder names (newline, ESC, BEL) shown escaped in the summary: no forged line, no control byte"

# outputs never follow a symbolic link, and are created 0600
echo "precious" > "$WORK/target.txt"
ln -sf "$WORK/target.txt" "$WORK/link.csv"
set +e; "$EXRAY" hunt -q --timeline "$WORK/link.csv" "$WORK/clean" >/dev/null 2>"$WORK/link.err"; rc=$?; set -e
[ $rc -eq 2 ] || fail "--timeline through a link: exit $rc"
[ "$(cat "$WORK/target.txt")" = precious ] || fail "--timeline LINK overwrote the link's target"
rm -f "$WORK/new.jsonl"
(umask 022; "$EXRAY" hunt -q -o "$WORK/new.jsonl" "$WORK/clean" >/dev/null 2>&1) || true
[ "$(stat -c %a "$WORK/new.jsonl")" = 600 ] || fail "findings file created $(stat -c %a "$WORK/new.jsonl"), not 600"
ok "--timeline LINK refused (exit 2), its target untouched; findings created 0600 under umask 022"

# an IIS log that lost its #Fields line is read with IIS's 15 default fields (and that is
# said); an HttpProxy log exported with PowerShell's Export-Csv (a quoted "DateTime",...
# header row, no #Fields) is read by that header: the exploitation rows in both are found
X="$WORK/export"
python3 "$GEN" "$X" --style plain --only-clean
W3="$X/inetpub/logs/LogFiles/W3SVC1"
mkdir -p "$W3"
printf '%s\n' "2021-03-09 06:49:42 10.0.0.5 POST /ecp/y.js - 443 - 130.255.189.21 ExchangeServicesClient/0.0.0.0 - 200 0 0 31" > "$W3/u_ex210309.log"
python3 - "$WORK/kape" "$X" <<'PY'
import csv, glob, io, os, sys
src = glob.glob(os.path.join(sys.argv[1], "C", "Program Files", "Microsoft", "Exchange Server", "V15", "Logging", "HttpProxy", "Ecp",
                             "HttpProxy_2021030306-1.LOG"))[0]
lines = open(src, encoding="utf-8").read().splitlines()
fields = next(l for l in lines if l.startswith("#Fields: "))[len("#Fields: "):].split(",")
rows = [r for r in csv.reader(l for l in lines if not l.startswith("#"))]
out = io.StringIO()
w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")  # Export-Csv -NoTypeInformation quotes every cell
w.writerow(fields)
w.writerows(rows)
d = os.path.join(sys.argv[2], "Program Files", "Microsoft", "Exchange Server", "V15", "Logging", "HttpProxy", "Ecp")
os.makedirs(d, exist_ok=True)
open(os.path.join(d, "HttpProxy_2021030306-1.LOG"), "w", encoding="utf-8").write(out.getvalue())
PY
set +e; "$EXRAY" hunt -q -o "$WORK/export.jsonl" "$X" 2>"$WORK/export.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "exported and #Fields-less logs: exit $rc: $(cat "$WORK/export.err")"
grep -q "u_ex210309.log:1: no #Fields line; IIS's default 15 fields assumed" "$WORK/export.err" || fail "the missing #Fields is not reported: $(cat "$WORK/export.err")"
grep -q '"check":"iis.ecp-js".*"path":"inetpub/logs/LogFiles/W3SVC1/u_ex210309.log","line":1' "$WORK/export.jsonl" || fail "the IIS row without #Fields was not read: $(cat "$WORK/export.jsonl")"
grep -q '"check":"cve-2021-26855.httpproxy".*HttpProxy/Ecp/HttpProxy_2021030306-1.LOG' "$WORK/export.jsonl" || fail "the Export-Csv HttpProxy log was not read: $(cat "$WORK/export.err")"
ok "an IIS log without #Fields read with the 15 default fields (reported); an Export-Csv HttpProxy log read by its \"DateTime\" header"
