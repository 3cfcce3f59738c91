#!/bin/sh
# Recall and false-alarm rate of exray hunt's built-in rules on the shared training corpus
# (real web shells, real benign ASP.NET files), and of --rules DIR if given as $1.
# Each set is hunted as a web root; a file counts as flagged when a content check
# (webshell.yara, webshell.hash, webshell.yara-external) names it.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXRAY=${EXRAY:-$ROOT/exray}
CORPUS=${EXR_CORPUS:-$ROOT/../shared/corpus}
[ -d "$CORPUS/train" ] || { echo "recall: no training corpus at $CORPUS/train; skipped"; exit 0; }
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
mkdir -p "$W/empty"
EXTRA=""; [ $# -ge 1 ] && EXTRA="--rules $1"
count() { # label dir
    # shellcheck disable=SC2086
    "$EXRAY" hunt -q $EXTRA --webroot "$2" -o "$W/$1.jsonl" "$W/empty" 2>/dev/null || true
    python3 - "$W/$1.jsonl" "$2" "$1" "${VERBOSE:-}" <<'PY'
import json, os, sys
out, d, label, verbose = sys.argv[1:5]
hit = set()
for l in open(out):
    f = json.loads(l)
    if f["check"] in ("webshell.yara", "webshell.hash", "webshell.yara-external"):
        hit.add(os.path.normpath(f["path"]))
files = []
for r, _, fs in os.walk(d):
    files += [os.path.normpath(os.path.join(r, f)) for f in fs]
n = len(files)
k = sum(1 for f in files if any(f.endswith(h) for h in hit))
print("%-16s %4d / %4d flagged (%.1f%%)" % (label, k, n, 100.0 * k / max(n, 1)))
if verbose:
    for f in sorted(files):
        flagged = any(f.endswith(h) for h in hit)
        if (label.endswith("shells") and not flagged) or (label.endswith("benign") and flagged):
            print("   ", "MISSED" if label.endswith("shells") else "FLAGGED", f)
PY
}
count train-shells "$CORPUS/train/webshells"
count train-benign "$CORPUS/train/benign"
count corpus-shells "$CORPUS/webshells"
count corpus-benign "$CORPUS/benign"
count owa-benign "$CORPUS/owa"
