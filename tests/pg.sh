#!/bin/sh
# pg.sh start DIR PORT | stop DIR | restart DIR | again DIR: a private PostgreSQL server for the tests, on 127.0.0.1
# with password (scram-sha-256) authentication, its data in DIR; never a system service.
# start prints the connection URI (password included) on stdout.
set -eu
# the installed server, the highest version when there are several
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n | tail -1)
[ -n "$BIN" ] || BIN=/usr/lib/postgresql/15/bin
cmd=$1 dir=${2:-}
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
start_server() {
    as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$(cat "$dir/port") -c unix_socket_directories='$dir' -c fsync=off -c max_connections=50" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
}
case $cmd in
bin) # where the server's programs are, for the tests' psql
    echo "$BIN"
    ;;
again) # start a stopped server again, data kept
    start_server
    ;;
start)
    port=$3
    [ -x "$BIN/initdb" ] || { echo "pg.sh: $BIN/initdb missing (scripts/deps.sh installs postgresql)" >&2; exit 1; }
    rm -rf "$dir"; mkdir -p "$dir"
    pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    printf '%s\n' "$pw" > "$dir/pwfile"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres "$dir"; chmod 700 "$dir"
        runuser -u postgres -- test -x "$dir" || { echo "pg.sh: user postgres cannot reach $dir (make its parents searchable)" >&2; exit 1; }
    fi
    as_pg "$BIN/initdb" -D "$dir/data" -U exray --pwfile="$dir/pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    echo "$port" > "$dir/port"
    start_server

    PGPASSWORD=$pw "$BIN/psql" -q -h 127.0.0.1 -p "$port" -U exray -d postgres -c "CREATE DATABASE exray" >/dev/null
    echo "postgresql://exray:$pw@127.0.0.1:$port/exray"
    ;;
stop)
    [ -d "$dir/data" ] && as_pg "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
restart)
    as_pg "$BIN/pg_ctl" -D "$dir/data" -m fast -w restart >/dev/null
    ;;
esac
