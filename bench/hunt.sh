#!/bin/sh
# Benchmark, on one generated triage tree of at least 400 MB, warm cache, in the same run:
#  1. exray hunt vs yara -r with string rules for the same log indicators
#     (bench/hunt-indicators.yar);
#  2. exray hunt --rules R vs yara -r with the same rules R, R being signature-base's yara/
#     folder when EXR_SIGBASE names one, else a generated rule set of signature-base's size
#     and shape (bench/ruleset.py: 5,000 rules in 715 files, cut from the shared corpus).
#     yara gets R compiled once by yarac (a namespace per file, Loki's external variables
#     defined), so its time is scanning only.
# Prints wall times and the ratios (yara / exray: >= 1.0 means exray is as fast or faster).
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
RS=${EXR_SIGBASE:-}
CORPUS=${EXR_CORPUS:-$ROOT/../shared/corpus}
if [ -z "$RS" ]; then
    RS=$W/ruleset
    [ -d "$RS" ] || python3 "$ROOT/bench/ruleset.py" "$CORPUS" "$RS" 5000
fi
nrules=$(cat $(find "$RS" -name '*.yar' -o -name '*.yara') | grep -c '^ *\(private \|global \)*rule ')
set --
for f in $(find "$RS" -name '*.yar' -o -name '*.yara' | sort); do set -- "$@" "$(basename "$f" | tr -c 'A-Za-z0-9_\n' _):$f"; done
if yarac -d filename= -d filepath= -d extension= -d filetype= -d owner= -d md5= "$@" "$W/rules.yarc" 2>"$W/yarac.err"; then
    exr=$(best "$EXRAY" hunt -q --rules "$RS" -o "$W/findings-rules.jsonl" "$T")
    yar=$(best yara -C -r -d filename= -d filepath= -d extension= -d filetype= -d owner= -d md5= "$W/rules.yarc" "$T")
else
    echo "yarac could not compile $RS ($(head -1 "$W/yarac.err")); the --rules comparison is skipped"
    exr=0; yar=0
fi
python3 - "$size" "$files" "$ex" "$ya" "$nf" "$(nproc)" "$exr" "$yar" "$nrules" "$RS" <<'PY'
import sys
size, files, ex, ya, nf, cores = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
exr, yar, nrules, rs = float(sys.argv[7]), float(sys.argv[8]), int(sys.argv[9]), sys.argv[10]
print("tree: %d MB, %d files; %s cores; best of 3, warm cache" % (size, files, cores))
print("%-28s %8s %10s" % ("tool", "wall s", "MB/s"))
print("%-28s %8.2f %10.0f" % ("yara -r (string rules)", ya, size / ya))
print("%-28s %8.2f %10.0f" % ("exray hunt", ex, size / ex))
print("ratio yara/exray: %.2f (>= 1.0: exray as fast or faster); exray findings: %d" % (ya / ex, nf))
if exr > 0:
    print()
    print("with %d rules from %s:" % (nrules, rs))
    print("%-28s %8s %10s" % ("tool", "wall s", "MB/s"))
    print("%-28s %8.2f %10.0f" % ("yara -C -r (yarac'd rules)", yar, size / yar))
    print("%-28s %8.2f %10.0f" % ("exray hunt --rules", exr, size / exr))
    print("ratio yara/exray: %.2f (goal >= 2.0)" % (yar / exr))
PY

# the web-content case: real documentation, fonts and images as a web root (bench/hunt-web.sh)
echo
EXRAY="$EXRAY" sh "$ROOT/bench/hunt-web.sh"
