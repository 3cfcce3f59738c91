#!/bin/sh
# Benchmark: exray hunt vs yara -r with string rules for the same log indicators
# (bench/hunt-indicators.yar), on one generated triage tree of at least 400 MB, warm cache,
# in the same run. Prints wall times and the ratio (yara / exray: >= 1.0 means exray is
# at least as fast while doing the field-aware checks).
# usage: bench/hunt.sh [MB]   (default 400)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXRAY=${EXRAY:-$ROOT/exray}
MB=${1:-400}
W=$ROOT/build/bench-hunt
T=$W/tree-$MB
if [ ! -f "$W/tree-$MB.done" ]; then
    rm -rf "$T"
    mkdir -p "$W"
    echo "generating a $MB MB triage tree..."
    python3 "$ROOT/tests/fixtures/triage/gen.py" "$T" --style kape --clean-mb "$MB"
    touch "$W/tree-$MB.done"
fi
size=$(du -sm "$T" | cut -f1)
files=$(find "$T" -type f | wc -l)
find "$T" -type f -exec cat {} + > /dev/null   # warm the page cache
now() { date +%s.%N; }
best() { # runs "$@" 3 times, prints the best wall time
    b=""
    for i in 1 2 3; do
        s=$(now); "$@" > /dev/null 2>&1 || true; e=$(now)
        t=$(python3 -c "print('%.3f' % ($e - $s))")
        if [ -z "$b" ] || python3 -c "import sys; sys.exit(0 if $t < $b else 1)"; then b=$t; fi
    done
    echo "$b"
}
ex=$(best "$EXRAY" hunt -q -o "$W/findings.jsonl" "$T")
ya=$(best yara -r "$ROOT/bench/hunt-indicators.yar" "$T")
nf=$(wc -l < "$W/findings.jsonl")
python3 - "$size" "$files" "$ex" "$ya" "$nf" "$(nproc)" <<'PY'
import sys
size, files, ex, ya, nf, cores = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
print("tree: %d MB, %d files; %s cores; best of 3, warm cache" % (size, files, cores))
print("%-28s %8s %10s" % ("tool", "wall s", "MB/s"))
print("%-28s %8.2f %10.0f" % ("yara -r (string rules)", ya, size / ya))
print("%-28s %8.2f %10.0f" % ("exray hunt", ex, size / ex))
print("ratio yara/exray: %.2f (>= 1.0: exray as fast or faster); exray findings: %d" % (ya / ex, nf))
PY
