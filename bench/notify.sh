#!/bin/sh
# Benchmarks for exray notify:
#  1. lookups per second on one core: exray's compiled ip-location-db file (ASN, AS name,
#     country) vs libmaxminddb on ip-location-db's .mmdb, same random addresses, same run;
#  2. 100,000 synthetic Exchange hosts grouped into tickets and rendered into a Maildir
#     (target: under 10 s).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EXRAY=${EXRAY:-$ROOT/exray}
W=$ROOT/build/bench-notify
mkdir -p "$W"
cd "$ROOT"
[ -f build/ipdb/exray-ipdb.bin ] || make -s ipdb
make -s build/ipdb_bench
echo "== 1. IP -> ASN/AS name/country lookups, one core, 2,000,000 random IPv4 addresses"
taskset -c 0 build/ipdb_bench build/ipdb/exray-ipdb.bin build/ipdb/country-mmdb/geo-whois-asn-country.mmdb 2000000
echo
echo "== 2. 100,000 hosts grouped and rendered into a Maildir"
rm -rf "$W/mail" "$W/bench.db" "$W/bench.db-wal" "$W/bench.db-shm"
printf 'timestamp,ip,port,hostname,tag,asn,geo,region,city,naics,sic,sector,version,servername,url\n' > "$W/hosts.csv"
python3 - "$W/hosts.csv" "$W/contacts.csv" <<'PY'
import random, sys
rnd = random.Random(7)
builds = ["15.2.792.3", "15.1.2176.2", "15.0.1497.2", "15.2.986.5", "15.1.2507.6", "15.2.858.5"]
with open(sys.argv[1], "a") as f:
    for i in range(100000):
        ip = "10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255)
        tag = "exchange;webshell" if i % 97 == 0 else "exchange;cve-2021-26855"
        f.write('"2021-03-09 10:%02d:%02d","%s",443,"mail%d.example.org","%s",%d,"NL",,,,,,"%s","EX%d",\n'
                % (i // 60 % 60, i % 60, ip, i, tag, 64500 + i % 500, builds[i % len(builds)], i % 1000))
with open(sys.argv[2], "w") as f:
    f.write("network,email,org\n")
    for n in range(0, 391):  # one organisation per /16..ish block of /24s
        f.write("10.%d.%d.0/22,abuse%d@org%d.example,Organisation %d\n" % (n // 64, (n % 64) * 4, n, n, n))
PY
"$EXRAY" import --db "$W/bench.db" "$W/hosts.csv" 2>&1 | tail -1
s=$(date +%s.%N)
"$EXRAY" notify --db "$W/bench.db" --contacts "$W/contacts.csv" --maildir "$W/mail" 2>"$W/notify.err"
e=$(date +%s.%N)
msgs=$(ls "$W/mail/new" | wc -l)
python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); print('100,000 hosts -> %s messages in %.2f s (target < 10 s)' % (sys.argv[3], t))" "$s" "$e" "$msgs"
tail -2 "$W/notify.err"
