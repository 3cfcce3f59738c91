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
# fewer than a batch's 1000 rows, yet committed: a batch is also written when a second old
[ "$before" -gt 0 ] && [ "$before" -lt 1000 ] || fail "killed run stored $before rows"
ok "killed run stored $before of 1024 hosts (batches of at most 1000 rows or 1 s)"
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

# a second Ctrl-C exits at once (130), without waiting for the hosts in flight: here every
# host accepts TCP and then says nothing (a listener that never answers), so the first
# Ctrl-C would wait for their 30 s deadline
SP=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(4096)
open(sys.argv[2], "w").write("ready")
time.sleep(120)' $SP "$WORK/silent.ready" &
PIDS="$PIDS $!"
i=0; while [ ! -f "$WORK/silent.ready" ]; do i=$((i+1)); [ $i -gt 100 ] && fail "silent listener did not start"; sleep 0.1; done
TWO=$(store two)
"$EXRAY" scan -q -p $SP --rate 0 -t 30 127.88.0.0/26 --db "$TWO" -o "$WORK/e.jsonl" 2>"$WORK/e.err" &
pid=$!
sleep 1
kill -INT $pid
sleep 0.3
kill -0 $pid 2>/dev/null || fail "the first Ctrl-C did not wait for the hosts in flight"
t0=$(date +%s%N)
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
waited=$(( ($(date +%s%N) - t0) / 1000000 ))
[ $rc -eq 130 ] || fail "a second Ctrl-C: exit $rc, not 130: $(cat "$WORK/e.err")"
[ $waited -lt 5000 ] || fail "a second Ctrl-C took $waited ms to end the scan"
ok "a second Ctrl-C exits at once (130 after ${waited} ms, 64 hosts still in flight with a 30 s deadline)"
