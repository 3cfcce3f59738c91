#!/bin/sh
# Times and the store's own guarantees: imports honour RFC 3339 offsets and refuse
# impossible dates by file and line; microseconds are kept and compare correctly within a
# second; a JSON null port is the HTTPS port; an import that stores nothing leaves no scan,
# and an import is never continued by `scan --resume`; `scan --resume` refuses other
# targets; an older store's times are migrated, a newer store is refused. Every expected
# value here is written from the input, not read back from exray.
. "$(dirname "$0")/lib.sh"
DB=$(store t)
q() { python3 -c "import dbconn,sys; r = dbconn.connect(sys.argv[1]).execute(sys.argv[2]).fetchall(); print('\n'.join('|'.join('' if v is None else str(v) for v in x) for x in r))" "$DB" "$1"; }

# 1. offsets, fractions, impossible dates, null ports
cat > "$WORK/a.jsonl" <<'EOF'
{"ip":"192.0.2.1","port":443,"time":"2021-03-11T10:00:00+02:00","status":"ok","exchange":true,"build":"15.1.2176.2"}
{"ip":"192.0.2.2","port":443,"time":"2021-13-45 99:99:99","status":"ok","exchange":true,"build":"15.1.2176.2"}
{"ip":"192.0.2.3","port":null,"time":"2021-03-11T08:00:00.25Z","status":"ok","exchange":true,"build":"15.1.2176.2"}
{"ip":"192.0.2.4","port":443,"time":"2021-02-29T08:00:00Z","status":"ok","exchange":true,"build":"15.1.2176.2"}
{"ip":"192.0.2.5","port":443,"time":"2021-03-11T03:30:00.5-04:30","status":"ok","exchange":true,"build":"15.1.2176.2"}
EOF
"$EXRAY" import --db "$DB" "$WORK/a.jsonl" 2>"$WORK/a.err" || fail "import: $(cat "$WORK/a.err")"
grep -q "a.jsonl:2: bad timestamp" "$WORK/a.err" || fail "an impossible date was not refused by line: $(cat "$WORK/a.err")"
grep -q "a.jsonl:4: bad timestamp" "$WORK/a.err" || fail "29 February 2021 was not refused: $(cat "$WORK/a.err")"
grep -q "3 imported, 2 skipped" "$WORK/a.err" || fail "import counts: $(cat "$WORK/a.err")"
[ "$(q "SELECT ip, port, time FROM observations ORDER BY ip")" = "192.0.2.1|443|2021-03-11T08:00:00.000000Z
192.0.2.3|443|2021-03-11T08:00:00.250000Z
192.0.2.5|443|2021-03-11T08:00:00.500000Z" ] || fail "stored times and ports: $(q "SELECT ip, port, time FROM observations ORDER BY ip")"
[ "$(q "SELECT started, finished FROM scans")" = "2021-03-11T08:00:00.000000Z|2021-03-11T08:00:00.500000Z" ] ||
    fail "the import's scan span: $(q "SELECT started, finished FROM scans")"
ok "import: +02:00 and -04:30 offsets to UTC, fractions kept, 2021-13-45 and 2021-02-29 refused by line, a null port is 443"

# 2. the record's own time carries the microseconds the store has
q "SELECT record FROM observations WHERE ip = '192.0.2.3'" | grep -q '"time":"2021-03-11T08:00:00.250000Z"' ||
    fail "the stored record's time: $(q "SELECT record FROM observations WHERE ip = '192.0.2.3'")"
ok "the stored record says the same time as its column"

# 3. an import that stores nothing leaves no scan; an import is never resumed as a scan
printf '{"ip":"bad","time":"2021-03-11T08:00:00Z"}\n{"ip":"192.0.2.9","time":"yesterday"}\n' > "$WORK/bad.jsonl"
"$EXRAY" import --db "$DB" "$WORK/bad.jsonl" 2>"$WORK/bad.err" || fail "all-bad import: $(cat "$WORK/bad.err")"
[ "$(q "SELECT count(*) FROM scans")" = 1 ] || fail "an import of bad rows only added a scan: $(q "SELECT id, args FROM scans")"
"$EXRAY" stats --db "$DB" > "$WORK/stats.txt" || fail "stats"
[ "$(wc -l < "$WORK/stats.txt")" -eq 2 ] || fail "stats shows an empty scan: $(cat "$WORK/stats.txt")"
printf 'not,a,report\n1,2,3\n' > "$WORK/header.csv"
"$EXRAY" import --db "$DB" "$WORK/header.csv" 2>/dev/null && fail "a CSV without scan_exchange columns was imported"
[ "$(q "SELECT count(*) FROM scans WHERE finished IS NULL")" = 0 ] || fail "a failed import left an unfinished scan"
# an import killed midway leaves its scan unfinished: --resume must not continue it
python3 - "$DB" <<'PY'
import dbconn, sys
db = dbconn.connect(sys.argv[1])
db.execute("INSERT INTO scans(started, args, seed, shard, tool) VALUES('2021-03-12T00:00:00.000000Z', 'import /x/killed.csv', 0, '0/1', 'exray')")
db.commit()
PY
"$EXRAY" scan -p 1 --rate 0 -t 1 --db "$DB" --resume 127.0.0.1 -o "$WORK/r.jsonl" 2>"$WORK/r.err" || fail "scan --resume: $(cat "$WORK/r.err")"
grep -q "no unfinished scan" "$WORK/r.err" || fail "scan --resume continued an import: $(cat "$WORK/r.err")"
[ "$(q "SELECT count(*) FROM observations WHERE scan_id = (SELECT id FROM scans WHERE args LIKE 'import /x/killed.csv')")" = 0 ] ||
    fail "scan rows went into the import's scan"
ok "an all-bad import adds no scan (stats shows none); a failed or killed import is never continued by scan --resume"

# 4. scan --resume with other targets is refused, naming the scan; the same targets resume
R=$(store resume)
"$EXRAY" scan -q -p 1 --rate 0 -t 1 --db "$R" 127.0.0.1 127.0.0.2 -o /dev/null 2>/dev/null || fail "first scan"
python3 -c "import dbconn,sys; d = dbconn.connect(sys.argv[1]); d.execute('UPDATE scans SET finished = NULL'); d.commit()" "$R"
set +e; "$EXRAY" scan -q -p 1 --rate 0 -t 1 --db "$R" --resume 127.0.0.3 -o /dev/null 2>"$WORK/other.err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "other targets" "$WORK/other.err" || fail "--resume with other targets (exit $rc): $(cat "$WORK/other.err")"
set +e; "$EXRAY" scan -q -p 2 --rate 0 -t 1 --db "$R" --resume 127.0.0.1 127.0.0.2 -o /dev/null 2>"$WORK/other.err"; rc=$?; set -e
[ $rc -eq 2 ] || fail "--resume with other ports was not refused (exit $rc)"
[ "$(python3 -c "import dbconn,sys; print(dbconn.connect(sys.argv[1]).execute('SELECT count(*) FROM scans WHERE finished IS NULL').fetchone()[0])" "$R")" = 1 ] ||
    fail "a refused resume finished the scan"
"$EXRAY" scan -q -p 1 --rate 0 -t 1 --db "$R" --resume 127.0.0.2 127.0.0.1 -o /dev/null 2>"$WORK/same.err" || fail "--resume, same targets: $(cat "$WORK/same.err")"
ok "scan --resume: other targets or ports refused (exit 2), the scan left unfinished; the same set in another order resumes"

# 5. same-second order: a ticket sent and a rescan a few milliseconds later compare right
python3 - "$DB" <<'PY' || fail "same-second comparison"
import dbconn, sys
db = dbconn.connect(sys.argv[1])
# 08:00:00.25 < 08:00:00.5 in the store's text order, as in time
r = db.execute("SELECT ip FROM observations WHERE time > '2021-03-11T08:00:00.250000Z' AND ip LIKE '192.0.2.%' ORDER BY time").fetchall()
assert [x[0] for x in r] == ["192.0.2.5"], r
PY
ok "times within one second compare in their order"

# 6. older and newer stores (SQLite; 20_postgres checks PostgreSQL)
if ! on_pg; then
    O="$WORK/old.db"
    cp "$DB" "$O"
    python3 - "$O" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE observations SET time = substr(time, 1, 19) || 'Z'")
db.execute("UPDATE scans SET started = substr(started, 1, 19) || 'Z', finished = substr(finished, 1, 19) || 'Z'")
db.execute("UPDATE schema_version SET version = 5")
db.commit()
PY
    "$EXRAY" stats --db "$O" >/dev/null 2>"$WORK/old.err" || fail "a version 5 store: $(cat "$WORK/old.err")"
    # the current version (schema.h's EXR_SCHEMA_VERSION), not a number copied here
    want=$(sed -n 's/^#define EXR_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$ROOT/src/store/schema.h")
    [ "$(sqlite3 "$O" "SELECT version FROM schema_version")" = "$want" ] || fail "not migrated to version $want"
    [ "$(sqlite3 "$O" "SELECT time FROM observations WHERE ip = '192.0.2.1'")" = 2021-03-11T08:00:00.000000Z ] ||
        fail "the old time was not migrated: $(sqlite3 "$O" "SELECT time FROM observations")"
    sqlite3 "$O" "UPDATE schema_version SET version = 99"
    set +e; "$EXRAY" stats --db "$O" >/dev/null 2>"$WORK/newer.err"; rc=$?; set -e
    [ $rc -eq 2 ] && grep -q "made by a newer exray" "$WORK/newer.err" || fail "a newer store (exit $rc): $(cat "$WORK/newer.err")"
    [ "$(sqlite3 "$O" "SELECT version FROM schema_version")" = 99 ] || fail "a newer store was rewritten"
    ok "a version 5 store's second-form times become microsecond times; a version 99 store is refused (exit 2) and left as it was"
fi

# 7. notify reads each host's newest observation, whatever it saw: a server that stopped
# answering as Exchange gets no "vulnerable" notice from an older observation
N=$(store notify)
cat > "$WORK/n.jsonl" <<'EOF2'
{"ip":"192.0.2.10","port":443,"time":"2021-03-11T08:00:00Z","status":"ok","exchange":true,"build":"15.1.2176.2"}
{"ip":"192.0.2.11","port":443,"time":"2021-03-11T08:00:00Z","status":"ok","exchange":true,"build":"15.1.2176.2"}
EOF2
printf '%s\n' '{"ip":"192.0.2.10","port":443,"time":"2021-03-18T08:00:00Z","status":"timeout","exchange":false,"build":null}' > "$WORK/n2.jsonl"
"$EXRAY" import --db "$N" "$WORK/n.jsonl" "$WORK/n2.jsonl" 2>/dev/null || fail "import for notify"
printf 'network,email,org\n192.0.2.0/24,noc@doc.example,Doc\n' > "$WORK/n.csv"
"$EXRAY" notify --db "$N" --contacts "$WORK/n.csv" --maildir "$WORK/nmail" 2>"$WORK/n.err" || fail "notify: $(cat "$WORK/n.err")"
python3 - "$WORK/nmail/new" > "$WORK/nmail.txt" <<'PY'
import email, glob, os, sys
from email import policy
for f in glob.glob(os.path.join(sys.argv[1], "*")):
    m = email.message_from_bytes(open(f, "rb").read(), policy=policy.default)
    for p in m.walk():
        if not p.is_multipart():
            print(p.get_content())
PY
grep -q "192.0.2.11" "$WORK/nmail.txt" || fail "the vulnerable host was not notified"
! grep -q "192.0.2.10" "$WORK/nmail.txt" || fail "a host whose newest observation is a timeout was notified from an older one"
ok "notify: a host whose newest observation is no longer Exchange gets no notice; the one still vulnerable does"

# 8. a new SQLite store (contacts, tickets) is created 0600 and never through a link
if ! on_pg; then
    rm -f "$WORK/private.db"
    (umask 022; "$EXRAY" import --db "$WORK/private.db" "$WORK/n.jsonl" 2>/dev/null) || fail "import into a new store"
    [ "$(stat -c %a "$WORK/private.db")" = 600 ] || fail "a new store is $(stat -c %a "$WORK/private.db"), not 600"
    echo keep > "$WORK/victim"
    ln -sf "$WORK/victim" "$WORK/linked.db"
    "$EXRAY" import --db "$WORK/linked.db" "$WORK/n.jsonl" 2>/dev/null && fail "a store was opened through a symbolic link"
    [ "$(cat "$WORK/victim")" = keep ] || fail "the link's target was written"
    ok "a new store is created 0600 under umask 022; a store path that is a symbolic link is refused"
fi

# 9. JSON \u escapes: a surrogate pair is one character (Python's json writes U+1F600 so),
# \u0000 and a lone surrogate are U+FFFD, bad hex refuses the line
J=$(store json)
printf '%s\n' '{"ip":"192.0.2.20","port":443,"hostname":"\ud83d\ude00x\u0000y\udc00z","time":"2021-03-11T08:00:00Z","status":"ok","exchange":true,"build":"15.1.2176.2"}' \
    '{"ip":"192.0.2.21","port":443,"hostname":"\u12G4","time":"2021-03-11T08:00:00Z","status":"ok","exchange":true,"build":"15.1.2176.2"}' > "$WORK/u.jsonl"
"$EXRAY" import --db "$J" "$WORK/u.jsonl" 2>"$WORK/u.err" || fail "import: $(cat "$WORK/u.err")"
grep -q "u.jsonl:2: not a JSON object" "$WORK/u.err" || fail "bad \\u hex not refused: $(cat "$WORK/u.err")"
python3 - "$J" <<'PY' || fail "\\u escapes"
import dbconn, sys
db = dbconn.connect(sys.argv[1])
h = db.execute("SELECT hostname FROM observations WHERE ip = '192.0.2.20'").fetchone()[0]
assert h == "\U0001F600x\ufffdy\ufffdz", ascii(h)
PY
ok "JSON: a surrogate pair is one character, \\u0000 and a lone surrogate U+FFFD, bad hex refused by line"
