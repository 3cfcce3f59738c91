#!/bin/sh
# A bystander nginx, standing for a web server the machine already runs: started before the
# test suites, checked after them. The tests must stop only the processes they started.
#   bystander.sh start DIR | check DIR
set -eu
cmd=$1 dir=$2
case $cmd in
start)
    mkdir -p "$dir"
    [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null && sleep 0.3
    dir=$(cd "$dir" && pwd)
    # a port free now (another checkout's tests may run beside these), kept for the check
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "$port" > "$dir/port"
    cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $dir/tmp; proxy_temp_path $dir/tmp; fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp; scgi_temp_path $dir/tmp;
    server { listen 127.0.0.1:$port; location / { return 200 "bystander\n"; } }
}
CONF
    mkdir -p "$dir/tmp"
    nginx -q -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
    ;;
check)
    pid=$(cat "$dir/nginx.pid" 2>/dev/null || echo 0)
    port=$(cat "$dir/port" 2>/dev/null || echo 0)
    alive=0
    kill -0 "$pid" 2>/dev/null && python3 -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:$port/', timeout=5).read() != b'bystander\n')" 2>/dev/null && alive=1
    [ "$pid" -gt 0 ] && kill "$pid" 2>/dev/null || true
    if [ $alive -ne 1 ]; then
        echo "FAIL: the nginx that was running before the tests (pid $pid) no longer answers: a test stopped a process it did not start" >&2
        exit 1
    fi
    echo "  ok: the nginx running before the tests still answers after them"
    ;;
esac
