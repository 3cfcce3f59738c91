# lib.sh: shared helpers for integration tests (sourced). Needs EXRAY and BUILD.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${EXRAY:?EXRAY must point at the exray binary}"
: "${BUILD:?BUILD must point at the build folder}"
WORK="$BUILD/itest/$(basename "$0" .sh)"
rm -rf "$WORK"
mkdir -p "$WORK"
FLEET="$WORK/fleet"
PIDS=""
cleanup() {
    "$ROOT/tests/fixtures/fleet/fleet.sh" stop "$FLEET" 2>/dev/null || true
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "  ok: $*"; }
start_fleet() { # BASE COUNT PORT
    "$ROOT/tests/fixtures/fleet/fleet.sh" start "$FLEET" "$1" "$2" "$3"
}
