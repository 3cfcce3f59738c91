#!/bin/sh
# funclen.sh MAX FILE...: prints every function longer than MAX lines (from the line that
# opens its body to the closing brace, both counted) as FILE:LINE NAME LENGTH; exit 1 if any.
max=$1; shift
awk -v max="$max" '
FNR == 1 { inside = 0 }
/^[A-Za-z].*\(/ && !/;$/ { sig = $0; sigline = FNR }
/^\{/ && !inside { inside = 1; start = FNR; name = sig; sub(/\(.*/, "", name); n = split(name, w, /[ *]+/); name = w[n]; next }
/^\}/ && inside { inside = 0; len = FNR - start + 1; if (len > max) { printf "%s:%d %s %d\n", FILENAME, sigline, name, len; bad = 1 } }
END { exit bad }' "$@"
