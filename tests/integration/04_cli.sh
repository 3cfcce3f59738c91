#!/bin/sh
# Bad input stops before scanning with the file and line named and exit status 2.
. "$(dirname "$0")/lib.sh"
expect2() { # description, grep pattern, command...
    d=$1 pat=$2; shift 2
    set +e; "$@" >"$WORK/o" 2>"$WORK/e"; rc=$?; set -e
    [ $rc -eq 2 ] || fail "$d: exit $rc, expected 2 ($(cat "$WORK/e"))"
    grep -q -- "$pat" "$WORK/e" || fail "$d: message '$(cat "$WORK/e")' lacks '$pat'"
    [ ! -s "$WORK/o" ] || fail "$d: produced output"
    ok "$d"
}
printf '127.0.0.1\n# comment\n10.0.0.0/33\n' > "$WORK/t1"
expect2 "bad CIDR in targets file" "t1:3" "$EXRAY" scan -T "$WORK/t1"
printf 'host name with spaces\n' > "$WORK/t2"
expect2 "garbage target line" "t2:1" "$EXRAY" scan -T "$WORK/t2"
printf 'ba\rd.example\n' > "$WORK/t3"
expect2 "CR inside a target" "t3:1" "$EXRAY" scan -T "$WORK/t3"
expect2 "bad port list" "bad port" "$EXRAY" scan -p 443,70000 127.0.0.1
expect2 "http:// URL" "only https" "$EXRAY" scan http://127.0.0.1/
printf '10.0.0.0/8\nnot-a-cidr\n' > "$WORK/bl"
expect2 "bad blocklist line" "bl:2" "$EXRAY" scan -b "$WORK/bl" 127.0.0.1
printf 'product,cu,build,released,kind,update,kb,fixes\n2019,CU9,15.2.858,2021-03-16,cu,,,\n' > "$WORK/b.csv"
expect2 "3-part build in builds file" "b.csv:2" "$EXRAY" scan --builds "$WORK/b.csv" 127.0.0.1
expect2 "shard without seed" "needs --seed" "$EXRAY" scan --shard 0/2 127.0.0.1
expect2 "huge IPv6 range" "too large" "$EXRAY" scan 2001:db8::/64
expect2 "builds: not a version" "not a build number" "$EXRAY" builds 15.x
out=$("$EXRAY" builds 15.2.858.2)
echo "$out" | grep -q "2019 CU9" || fail "builds 15.2.858.2: $out"
echo "$out" | grep -q "proxylogon *patched" || fail "builds 15.2.858.2 proxylogon: $out"
echo "$out" | grep -q "proxyshell *vulnerable" || fail "builds 15.2.858.2 proxyshell: $out"
ok "builds VERSION"
n=$("$EXRAY" builds --list | grep -c "Mar21SU")
[ "$n" -ge 27 ] || fail "builds --list shows $n Mar21SU rows"
ok "builds --list ($n Mar21SU rows)"
"$EXRAY" builds --builds "$ROOT/data/exchange-builds.csv" 15.1.2176 | grep -q "undetermined" || fail "--builds FILE"
ok "builds --builds FILE"
