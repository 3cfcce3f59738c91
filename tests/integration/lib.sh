# lib.sh: shared helpers for integration tests (sourced). Needs EXRAY and BUILD.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${EXRAY:?EXRAY must point at the exray binary}"
: "${BUILD:?BUILD must point at the build folder}"
WORK="$BUILD/itest/$(basename "$0" .sh)"
rm -rf "$WORK"
mkdir -p "$WORK"
# caches (exray hunt's compiled --rules) stay in the test's folder, never in the user's
XDG_CACHE_HOME="$WORK/.cache"
export XDG_CACHE_HOME
FLEET="$WORK/fleet"
PIDS=""
cleanup() {
    "$ROOT/tests/fixtures/fleet/fleet.sh" stop "$FLEET" 2>/dev/null || true
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "  ok: $*"; }
start_fleet() { # BASE COUNT PORT: another test run may take PORT between free_port and
    # nginx's bind; then a new free port is taken (PORT is set to it) and the fleet tried again
    for _try in 1 2 3 4 5; do
        "$ROOT/tests/fixtures/fleet/fleet.sh" start "$FLEET" "$1" "$2" "$3" 2>"$WORK/fleet-start.err" && return 0
        grep -q "Address already in use" "$WORK/fleet-start.err" || { cat "$WORK/fleet-start.err" >&2; fail "the fleet did not start"; }
        "$ROOT/tests/fixtures/fleet/fleet.sh" stop "$FLEET" 2>/dev/null || true
        PORT=$(free_port)
        set -- "$1" "$2" "$PORT"
    done
    fail "the fleet found no free port in 5 tries"
}
# The store back end. By default a store is a SQLite file in $WORK; with EXRAY_TEST_PG set
# to a PostgreSQL server's URI (make test-integration-pg starts a private one) every store
# is a fresh database on it, and the same checks run against PostgreSQL. The tests read
# and change stores through tests/integration/dbconn.py, which takes either.
export PYTHONPATH="$ROOT/tests/integration${PYTHONPATH:+:$PYTHONPATH}"
on_pg() { [ -n "${EXRAY_TEST_PG:-}" ]; }
PGBIN=$(sh "$ROOT/tests/pg.sh" bin)
# A TCP port free now, and the one after it (tests/free_port.py)
free_port() { python3 "$ROOT/tests/free_port.py"; }
store() { # NAME: prints the --db value of a new, empty store
    if on_pg; then
        db="t$(basename "$0" .sh | tr -dc '0-9a-z_')_$1"
        PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -X -q -d "$EXRAY_TEST_PG" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null ||
            fail "cannot create database $db"
        echo "${EXRAY_TEST_PG%/*}/$db"
    else
        rm -f "$WORK/$1.db"
        echo "$WORK/$1.db"
    fi
}
