#!/bin/sh
# Runs every integration test that keeps a store (--db) again with PostgreSQL as the store:
# one private server (tests/pg.sh: initdb + pg_ctl on 127.0.0.1, scram), a fresh database
# per store (lib.sh: store), stopped at the end. The tests' checks, golden files and
# expected figures are the same as on SQLite, so both back ends give the same records,
# stats, reports and tickets. Needs EXRAY and BUILD as the integration tests do.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TESTS="01_fleet 03_resume 07_notify 08_import 09_smtp 10_report 15_exactly_once 16_history 17_rescan 21_store_time 23_loop"
PGTMP=$(mktemp -d /tmp/exray-itest-pg.XXXXXX)
chmod 711 "$PGTMP"
trap 'sh "$ROOT/tests/pg.sh" stop "$PGTMP/pg"; rm -rf "$PGTMP"' EXIT INT TERM
URI=""
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("0.0.0.0", 0)); print(s.getsockname()[1])'; }
for port in $(free_port) $(free_port) $(free_port); do
    URI=$(sh "$ROOT/tests/pg.sh" start "$PGTMP/pg" $port 2>"$PGTMP/err") && break
    URI=""
done
[ -n "$URI" ] || { echo "FAIL: could not start PostgreSQL: $(tail -5 "$PGTMP/err")" >&2; exit 1; }
EXRAY_TEST_PG="${URI%/*}/postgres"
export EXRAY_TEST_PG
for t in $TESTS; do
    echo "== tests/integration/$t.sh (PostgreSQL store)"
    s=$(date +%s); sh "$ROOT/tests/integration/$t.sh"; echo "   ($(( $(date +%s) - s )) s)"
done
