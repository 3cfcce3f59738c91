#!/bin/sh
# test-summary.sh LOG...: the one closing line of `make test`, over every suite's log.
# passed: unit tests (cmocka's "[       OK ]"), integration checks ("  ok:"), fuzz targets
# that ran their time ("#N ... DONE"); failed: every "== FAILED:" line (a unit binary, an
# integration script, a fuzz target), or one for a phase that failed before any of those
# (a build error: "== PHASE FAILED"); skipped: every "skip:" line. Exit 1 when any failed.
set -eu
passed=0 failed=0 skipped=0
for log in "$@"; do
    [ -f "$log" ] || continue
    p=$(grep -cE '^\[       OK \]|^  ok: |^#[0-9]+.*DONE' "$log" || true)
    f=$(grep -c '^== FAILED:' "$log" || true)
    [ "$f" -eq 0 ] && grep -q '^== PHASE FAILED' "$log" && f=1
    s=$(grep -cE '^ *skip: ' "$log" || true)
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
