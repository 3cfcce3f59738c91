#!/bin/sh
# Hostile servers: stall, drip, endless headers, endless body, malformed headers, garbage
# instead of TLS, reset, stalled handshake. The scan ends within its deadline, every host
# gets a record with a clear status, memory stays bounded, the normal host is right, and
# the requests exray sent are plain GETs for the documented paths only.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_fleet 127.77.0.0 8 $PORT
HP=$(free_port)
python3 "$ROOT/tests/fixtures/hostile/hostile.py" "$FLEET/cert.pem" "$FLEET/key.pem" $HP "$WORK/ready" "$WORK/requests.log" 2>"$WORK/hostile.err" &
PIDS="$PIDS $!"
i=0; while [ ! -f "$WORK/ready" ]; do i=$((i+1)); [ $i -gt 100 ] && fail "hostile server did not start"; sleep 0.1; done
: > "$WORK/targets.txt"
for n in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do echo "127.66.0.$n:$HP" >> "$WORK/targets.txt"; done
echo "127.77.0.2:$PORT  # the normal host" >> "$WORK/targets.txt"
TIMEOUT=3
start=$(date +%s%N)
/usr/bin/time -f "%M" -o "$WORK/rss" "$EXRAY" scan -q -t $TIMEOUT --probe-webshells -T "$WORK/targets.txt" -o "$WORK/out.jsonl" 2>"$WORK/err"
end=$(date +%s%N)
ms=$(( (end - start) / 1000000 ))
[ $ms -lt $(( TIMEOUT * 1000 + 3000 )) ] || fail "scan took ${ms} ms with a ${TIMEOUT}s per-host deadline"
ok "scan of 20 hosts ended in ${ms} ms (deadline ${TIMEOUT}s; endless 1xx and trailers, a form-tag bomb among them)"
rss=$(cat "$WORK/rss")
limit=40960; [ "${SANITIZED:-0}" = 1 ] && limit=524288
[ "$rss" -lt $limit ] || fail "max RSS ${rss} KiB"
ok "max RSS ${rss} KiB (20,000 TLS 1.3 session tickets from one server among them)"
python3 - "$WORK/out.jsonl" <<'PY' || fail "statuses"
import json, sys
want = {"127.66.0.1": {"timeout"}, "127.66.0.2": {"timeout"}, "127.66.0.3": {"http-error"},
        "127.66.0.4": {"ok"}, "127.66.0.5": {"http-error"}, "127.66.0.6": {"tls-error"},
        "127.66.0.7": {"reset", "tls-error"}, "127.66.0.8": {"timeout"}, "127.66.0.9": {"ok"},
        "127.77.0.2": {"ok"}, **{"127.66.0.%d" % n: {"ok"} for n in range(10, 17)},
        "127.66.0.17": {"http-error"}, "127.66.0.18": {"http-error"}, "127.66.0.19": {"ok"}}
got = {}
for l in open(sys.argv[1]):
    r = json.loads(l)
    got[r["ip"]] = r
assert set(got) == set(want), sorted(got)
for ip, st in want.items():
    assert got[ip]["status"] in st, (ip, got[ip]["status"], st)
assert got["127.66.0.4"]["exchange"] is False
n = got["127.77.0.2"]
assert n["build"] == "15.1.2176.9" and n["proxylogon"] == "patched" and n["proxyshell"] == "vulnerable", n
assert got["127.66.0.9"]["exchange"] and got["127.66.0.9"]["servername"] == "EX16-REC"
assert got["127.66.0.16"]["build"] == "15.1.2507.16" and got["127.66.0.16"]["servername"] == "EX16-TIX", got["127.66.0.16"]
PY
# SNI: none when the target is an address; the name when it is a name or a URL
"$EXRAY" scan -q -t $TIMEOUT 127.0.0.1:$HP localhost:$HP https://localhost:$HP/ -o "$WORK/sni.jsonl" 2>"$WORK/sni.err" || true
python3 - "$WORK/sni.jsonl" <<'PY' || fail "SNI: $(cat "$WORK/sni.jsonl")"
import json, sys
r = [x for x in map(json.loads, open(sys.argv[1])) if x["ip"] == "127.0.0.1"]
by_name = {x["hostname"]: x["servername"] for x in r}
assert by_name.get(None) == "NO-SNI", by_name          # the address alone: no server name sent
assert by_name.get("localhost") == "localhost", by_name  # the name given: sent as SNI
PY
ok "SNI: none for an address alone, the known host name when there is one"
ok "one record per host with the expected status; normal host classified"
python3 - "$WORK/out.jsonl" <<'PY' || fail "edge servers"
import json, sys
got = {r["ip"]: r for r in map(json.loads, open(sys.argv[1]))}
def field(ip, **want):
    r = got[ip]
    for k, v in want.items():
        assert r[k] == v, (ip, k, r[k], v, r)
field("127.66.0.10", exchange=True, build="15.2.1544.25", build_source="x-owa-version", proxynotshell="patched")
field("127.66.0.11", exchange=True, build="15.1.2507.16", proxynotshell="patched", proxynotshell_open=[])
field("127.66.0.12", exchange=True, build="15.0.1497.44", servername="EX13-PAD", proxynotshell="patched")
field("127.66.0.13", exchange=True, build="15.2.1118", build_source="owa-path")
field("127.66.0.14", exchange=False, build=None, proxylogon=None, proxyshell=None, proxynotshell=None)
field("127.66.0.15", exchange=True, product="Online", proxylogon="not-affected", proxyshell="not-affected", proxynotshell="not-affected")
PY
ok "edge servers: obs-text headers, HTTP/1.0 close-delimited, padded and folded headers, body-only build, phishing clone, Exchange Online"
python3 - "$WORK/requests.log" <<'PY' || fail "requests sent"
import sys
data = open(sys.argv[1], "rb").read().decode()
reqs = [r for r in data.split("\r\n\r\n") if r.strip()]
allowed = {"/owa/", "/owa/auth/logon.aspx",
           "/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application"}
assert len(reqs) >= 3, reqs
for r in reqs:
    lines = r.split("\r\n")
    method, path, ver = lines[0].split(" ")
    assert method == "GET" and ver == "HTTP/1.1", lines[0]
    assert path in allowed or path.startswith(("/aspnet_client/", "/owa/auth/", "/oab/")), path
    names = [l.split(":", 1)[0].lower() for l in lines[1:]]
    assert set(names) <= {"host", "user-agent", "accept", "connection"}, names
    assert "x-anonresource" not in r.lower() and "x-beresource" not in r.lower() and "cookie" not in r.lower()
    assert "@" not in path and "autodiscover" not in path.lower()
PY
ok "only plain GETs for documented paths; no cookies, no SSRF probes"
