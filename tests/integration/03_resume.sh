#!/bin/sh
# Crash and resume: kill -9 a scan writing to the store, then --resume. Every host ends up in
# the store exactly once, the resumed run skips what was done, and the scan is finished.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_fleet 127.77.0.0 1024 $PORT
DB=$(store exray)
"$EXRAY" scan -q -p $PORT --rate 250 --seed 9 127.77.0.0/22 --db "$DB" -o "$WORK/a.jsonl" 2>"$WORK/a.err" &
pid=$!
sleep 2.5
kill -9 $pid
wait $pid 2>/dev/null || true
before=$(python3 -c "import dbconn,sys; print(dbconn.connect(sys.argv[1]).execute('select count(*) from observations').fetchone()[0])" "$DB")
[ "$before" -gt 0 ] && [ "$before" -lt 1024 ] || fail "killed run stored $before rows"
ok "killed run stored $before of 1024 hosts"
"$EXRAY" scan -q -p $PORT --rate 0 127.77.0.0/22 --db "$DB" --resume -o "$WORK/b.jsonl" 2>"$WORK/b.err"
grep -q "already in the store" "$WORK/b.err" || fail "resume did not skip: $(cat "$WORK/b.err")"
python3 - "$DB" "$before" "$WORK/b.jsonl" <<'PY' || fail "resume result"
import dbconn, sys
db = dbconn.connect(sys.argv[1])
n, d = db.execute("select count(*), count(distinct ip) from observations").fetchone()
assert n == 1024 and d == 1024, (n, d)
assert db.execute("select count(*) from scans").fetchone()[0] == 1
assert db.execute("select count(*) from scans where finished is not null").fetchone()[0] == 1
scanned_again = sum(1 for _ in open(sys.argv[3]))
assert scanned_again <= 1024 - int(sys.argv[2]) + 0, scanned_again
PY
ok "after --resume: 1024 hosts, each once; only unfinished hosts rescanned"
INT=$(store int)
"$EXRAY" scan -q -p $PORT --rate 100 --seed 3 127.77.0.0/22 --db "$INT" -o "$WORK/c.jsonl" 2>"$WORK/c.err" &
pid=$!
sleep 2
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
[ $rc -eq 1 ] || fail "an interrupted scan exited $rc, not 1: $(cat "$WORK/c.err")"
grep -q "interrupted: --resume continues" "$WORK/c.err" || fail "an interrupted scan did not say so: $(cat "$WORK/c.err")"
"$EXRAY" scan -q -p $PORT --rate 0 127.77.0.0/22 --db "$INT" --resume -o "$WORK/d.jsonl" 2>"$WORK/d.err" ||
    fail "resume after SIGINT exited $?"
[ $(($(wc -l < "$WORK/c.jsonl") + $(wc -l < "$WORK/d.jsonl"))) -eq 1024 ] || fail "SIGINT + resume did not cover the 1024 hosts once"
ok "SIGINT: the scan says it was interrupted and exits 1; --resume finishes it (exit 0), every host once"
