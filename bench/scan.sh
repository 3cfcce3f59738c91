#!/bin/sh
# Benchmark: exray vs nmap's http-headers NSE on the emulated fleet (nginx, TLS, loopback).
# Both read /owa/ from every host of 127.77.0.0/20 (4096 hosts) on port 443 in the same run.
# Prints hosts/s for both, the ratio, exray's CPU ms per host, and exray's correctness check;
# then the floor: a bare client (bench/bare_client.c) doing one TLS handshake and one GET per
# host with the same OpenSSL, and exray's CPU per host as a multiple of it.
# usage: bench/scan.sh [COUNT]   (COUNT hosts, default 4096; a power of two up to 65536)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXRAY=${EXRAY:-$ROOT/exray}
COUNT=${1:-4096}
PREFIX=$(python3 -c "import math,sys; print(32 - int(math.log2(int(sys.argv[1]))))" "$COUNT")
RANGE=127.77.0.0/$PREFIX
W=$ROOT/build/bench
mkdir -p "$W"
FLEET=$W/fleet-${FLEET_KEY:-rsa}
trap '"$ROOT/tests/fixtures/fleet/fleet.sh" stop "$FLEET"' EXIT INT TERM
"$ROOT/tests/fixtures/fleet/fleet.sh" start "$FLEET" 127.77.0.0 "$COUNT" 443
command -v nmap >/dev/null || { echo "bench: nmap missing (run scripts/deps.sh)" >&2; exit 1; }

now() { date +%s.%N; }
echo "fleet: $COUNT hosts ($RANGE:443), nginx with TLS (${FLEET_KEY:-rsa} certificate) on loopback; machine: $(nproc) cores"

t0=$(now)
/usr/bin/time -f "%U %S %M" -o "$W/exray.time" "$EXRAY" scan -q -p 443 --rate 0 -c 1000 "$RANGE" -o "$W/exray.jsonl" 2>"$W/exray.err"
t1=$(now)
/usr/bin/time -f "%U %S %M" -o "$W/nmap.time" nmap -Pn -n -p443 --script http-headers --script-args http-headers.path=/owa/ \
    "$RANGE" -oN "$W/nmap.txt" >/dev/null 2>"$W/nmap.err"
t2=$(now)

# the floor: one handshake and one GET per host, nothing else
cc -O2 -o "$W/bare_client" "$ROOT/bench/bare_client.c" -lssl -lcrypto
/usr/bin/time -f "%U %S %M" -o "$W/bare.time" "$W/bare_client" 127.77.0.0 "$COUNT" 443 > "$W/bare.out"

python3 - "$COUNT" "$t0" "$t1" "$t2" "$W" "$FLEET/expected.jsonl" <<'PY'
import json, sys
count, t0, t1, t2, w, exp = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
eu, es, erss = open(w + "/exray.time").read().split()
nu, ns, nrss = open(w + "/nmap.time").read().split()
ex_wall, nm_wall = t1 - t0, t2 - t1
ex_rate, nm_rate = count / ex_wall, count / nm_wall
ex_cpu = (float(eu) + float(es)) * 1000 / count
nm_cpu = (float(nu) + float(ns)) * 1000 / count
recs = [json.loads(l) for l in open(w + "/exray.jsonl")]
want = {json.loads(l)["ip"]: json.loads(l) for l in open(exp)}
right = sum(1 for r in recs if r["build"] == want[r["ip"]]["build"] and r["proxylogon"] == want[r["ip"]]["proxylogon"])
nm_hdrs = open(w + "/nmap.txt").read().count("X-OWA-Version")
print("%-7s %9s %10s %12s %10s" % ("tool", "wall s", "hosts/s", "CPU ms/host", "max RSS MB"))
print("%-7s %9.2f %10.0f %12.3f %10.1f" % ("nmap", nm_wall, nm_rate, nm_cpu, int(nrss) / 1024))
print("%-7s %9.2f %10.0f %12.3f %10.1f" % ("exray", ex_wall, ex_rate, ex_cpu, int(erss) / 1024))
print("ratio: exray/nmap throughput = %.1fx" % (ex_rate / nm_rate))
print("exray: %d/%d records, %d with the expected build and ProxyLogon verdict; nmap saw X-OWA-Version on %d hosts"
      % (len(recs), count, right, nm_hdrs))
bu, bs, brss = open(w + "/bare.time").read().split()
bare_cpu = (float(bu) + float(bs)) * 1000 / count
print("floor: a bare OpenSSL client, one handshake and one GET per host: %.3f CPU ms/host (%s); exray/floor CPU per host = %.2fx"
      % (bare_cpu, open(w + "/bare.out").read().strip(), ex_cpu / bare_cpu))
PY

# Memory for a listed target set (zmap's output: one address a line). LIST_ADDRS distinct,
# non-adjacent addresses (default 5 million; 50 million to check the internet-scale claim)
# in 127.0.0.0/8 and, past its 5.6 million, in 126/8, 125/8, ... which a user blocklist
# removes before anything is sent; the scan is one shard of 65536, so only a few loopback
# addresses are contacted. Reports max RSS over a one-address baseline.
N=${LIST_ADDRS:-5000000}
python3 - "$N" "$W/list.txt" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
with open(out, "w", buffering=1 << 20) as f:
    for i in range(n):
        a = i * 3  # every third address: no two adjacent, nothing merges
        f.write("%d.%d.%d.%d\n" % (127 - (a >> 24), (a >> 16) & 255, (a >> 8) & 255, a & 255))
PY
seq 100 126 | sed 's|$|.0.0.0/8|' > "$W/list.block"
/usr/bin/time -f "%M" -o "$W/list.rss" "$EXRAY" scan -q -T "$W/list.txt" -b "$W/list.block" --rate 0 -t 1 --seed 7 --shard 0/65536 -p 9 -o /dev/null 2>/dev/null || true
/usr/bin/time -f "%M" -o "$W/base.rss" "$EXRAY" scan -q --rate 0 -t 1 -p 9 127.0.0.1 -o /dev/null 2>/dev/null || true
python3 - "$N" "$(cat "$W/list.rss")" "$(cat "$W/base.rss")" <<'PY'
import sys
n, rss, base = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
per = (rss - base) * 1024 / n
print("listed targets: %d distinct IPv4 addresses: max RSS %.0f MB (baseline %.0f MB): %.1f bytes per address; "
      "50 million would need about %.0f MB" % (n, rss / 1024, base / 1024, per, (base * 1024 + per * 50e6) / 2**20))
PY
