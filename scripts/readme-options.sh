#!/bin/sh
# readme-options.sh FILE GENERATED: replaces FILE's option tables (docs/options.md; from the
# "<!-- options: generated" line to "<!-- options: end -->") with GENERATED.
set -e
readme=$1 gen=$2
grep -q '^<!-- options: generated' "$readme" || { echo "$readme has no '<!-- options: generated' marker" >&2; exit 1; }
awk -v gen="$gen" '
/^<!-- options: generated/ { while ((getline l < gen) > 0) print l; skip = 1; next }
/^<!-- options: end -->/ { skip = 0; next }
!skip { print }' "$readme" > "$readme.tmp"
mv "$readme.tmp" "$readme"
