#!/bin/sh
# exray import: Shadowserver scan_exchange CSV in the 2021 layout (sic, no severity) and the
# current one, and exray's own JSON Lines; bad lines reported with file and line; the
# imported ASN and country drive recipient resolution (ASN contact, national CERT fallback).
. "$(dirname "$0")/lib.sh"
DB=$(store exray)
J=$(store j)
# routes MAILDIR WHAT: runs the Python on stdin with `got`, each recipient's set of hosts
# (last octet) read from the CSV attachments of the messages in MAILDIR
routes() {
    python3 -c "$(printf '%s\n' \
        'import csv, email, glob, sys' \
        'from email import policy' \
        'got = {}' \
        'for f in glob.glob(sys.argv[1] + "/new/*"):' \
        '    m = email.message_from_binary_file(open(f, "rb"), policy=policy.default)' \
        '    att = [p for p in m.iter_parts() if p.get_content_disposition() == "attachment"][0]' \
        '    for r in csv.DictReader(att.get_content().splitlines()):' \
        '        got.setdefault(m["To"].addresses[0].addr_spec, set()).add(int(r["ip"].split(".")[-1]))'; cat)" "$1" \
        || fail "$2"
}
cat > "$WORK/2021-05-14-scan_exchange-test.csv" <<'CSV'
"timestamp","ip","port","hostname","tag","asn","geo","region","city","naics","sic","sector","version","servername","url"
"2021-05-14 00:11:30","12.237.1.2",443,"afs-exch-cas2.xxx.com","exchange;cve-2021-26855",7018,"US","CALIFORNIA","TURLOCK",517311,,"Communications, Service Provider, and Hosting Service","15.2.721","AFS-EXCH2019",
"2021-05-14 00:11:37","98.153.3.4",443,"rrcs-98-153-3-4.west.biz.rr.com","exchange;webshell",20001,"US",,,,,,"15.0.847","SSAMAIL",
"yesterday","1.2.3.4",443,,"exchange;cve-2021-26855",1,"NL",,,,,,,,
"2021-05-14 00:12:00","not-an-ip",443,,"exchange;cve-2021-26855",1,"NL",,,,,,,,
CSV
cat > "$WORK/2024-02-01-scan_exchange-test.csv" <<'CSV'
"timestamp","severity","ip","protocol","port","hostname","tag","asn","geo","region","city","naics","hostname_source","sector","version","servername","url"
"2024-02-01 10:00:00","critical","203.0.113.9","tcp",443,"mail.example.nl","exchange;cve-2021-26855",64496,"NL","NOORD-HOLLAND","AMSTERDAM",,"ptr",,"15.1.2176","EX01",
"2024-02-01 10:00:01","critical","198.51.100.7","tcp",443,,"exchange;cve-2021-26855",64497,"ZZ",,,,,,,"EX02",
CSV
"$EXRAY" import --db "$DB" "$WORK/2021-05-14-scan_exchange-test.csv" "$WORK/2024-02-01-scan_exchange-test.csv" 2>"$WORK/imp.err" || fail "import: $(cat "$WORK/imp.err")"
grep -q "2021-05-14-scan_exchange-test.csv:4: bad timestamp" "$WORK/imp.err" || fail "bad timestamp not reported: $(cat "$WORK/imp.err")"
grep -q "2021-05-14-scan_exchange-test.csv:5: bad ip" "$WORK/imp.err" || fail "bad ip not reported"
grep -q "2 imported, 2 skipped" "$WORK/imp.err" || fail "2021 counts: $(cat "$WORK/imp.err")"
python3 - "$DB" <<'PY' || fail "imported rows"
import dbconn, sys
db = dbconn.connect(sys.argv[1])
rows = {r[0]: r for r in db.execute("select ip, build, proxylogon, webshells, servername, hostname from observations")}
assert set(rows) == {"12.237.1.2", "98.153.3.4", "203.0.113.9", "198.51.100.7"}, rows
assert rows["12.237.1.2"][1:3] == ("15.2.721", "vulnerable"), rows["12.237.1.2"]
assert rows["98.153.3.4"][3] == 1, rows["98.153.3.4"]
assert rows["198.51.100.7"][2] == "vulnerable", rows["198.51.100.7"]  # the tag alone says so
info = {r[0]: r[1:] for r in db.execute("select ip, asn, country from host_info")}
assert info["203.0.113.9"] == (64496, "NL") and info["12.237.1.2"] == (7018, "US"), info
PY
ok "Shadowserver 2021 and current layouts imported; bad lines reported with file and line"
printf 'network,email,org\nAS7018,abuse@att.example,AT&T\n' > "$WORK/contacts.csv"
"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --maildir "$WORK/mail" 2>"$WORK/n.err" || fail "notify: $(cat "$WORK/n.err")"
python3 - "$WORK/mail" <<'PY' || fail "resolution"
import email, glob, sys
from email import policy
to = {}
for f in glob.glob(sys.argv[1] + "/new/*"):
    m = email.message_from_binary_file(open(f, "rb"), policy=policy.default)
    to[m["To"].addresses[0].addr_spec] = str(m["Subject"])
assert "abuse@att.example" in to, to                    # ASN contact
assert "cert@ncsc.nl" in to, to                         # national CERT fallback (NL)
assert "report@cisa.gov" in to and "compromise" in to["report@cisa.gov"], to  # US web shell
assert len(to) == 3, to                                  # ZZ has no contact
PY
grep -q "1 without a contact" "$WORK/n.err" || fail "host without contact not counted: $(cat "$WORK/n.err")"
ok "ASN contact, then national CERT by country; a host without any contact is counted"
PORT=$(free_port)
start_fleet 127.77.0.0 64 $PORT
"$EXRAY" scan -q -p $PORT --rate 0 127.77.0.0/26 -o "$WORK/scan.jsonl" 2>/dev/null
"$EXRAY" import --db "$J" "$WORK/scan.jsonl" 2>"$WORK/j.err" || fail "jsonl import"
grep -q "64 rows, 64 imported, 0 skipped" "$WORK/j.err" || fail "jsonl: $(cat "$WORK/j.err")"
python3 - "$J" "$WORK/scan.jsonl" <<'PY' || fail "jsonl round trip"
import json, dbconn, sys
db = dbconn.connect(sys.argv[1])
got = {r[0]: r[1:] for r in db.execute("select ip, build, proxylogon, proxyshell, proxynotshell, exchange from observations")}
for l in open(sys.argv[2]):
    r = json.loads(l)
    g = got[r["ip"]]
    assert g[0] == r["build"] and g[4] == (1 if r["exchange"] else 0), (r, g)
    if r["exchange"] and r["build"]:
        assert g[1:4] == (r["proxylogon"], r["proxyshell"], r["proxynotshell"]), (r, g)
PY
ok "exray JSON Lines import round-trips builds and verdicts"
# exray's own CSV and JSON Lines import back whole: every host (Exchange or not) in the same
# state as the scan gave it; a web shell the probe found comes back too
"$EXRAY" scan -q -p $PORT --rate 0 --probe-webshells --as-of 2026-12-01 127.77.0.0/26 -o "$WORK/probe.jsonl" 2>/dev/null
"$EXRAY" scan -q -p $PORT --rate 0 --probe-webshells --as-of 2026-12-01 -F csv 127.77.0.0/26 -o "$WORK/probe.csv" 2>/dev/null
for f in probe.csv probe.jsonl; do
    R=$(store "rt_${f%%.*}_${f##*.}")
    "$EXRAY" import --db "$R" "$WORK/$f" 2>"$WORK/rt.err" || fail "import of exray's own $f: $(cat "$WORK/rt.err")"
    grep -q "64 rows, 64 imported, 0 skipped" "$WORK/rt.err" || fail "$f: $(cat "$WORK/rt.err")"
    "$EXRAY" hosts --db "$R" --format json > "$WORK/rt.hosts" 2>/dev/null || fail "hosts after importing $f"
    python3 - "$WORK/probe.jsonl" "$WORK/rt.hosts" "$f" <<'PY' || fail "round trip of exray's own $f"
import json, sys
scan = {r["ip"]: r for r in map(json.loads, open(sys.argv[1]))}
hosts = {h["ip"]: h for h in map(json.loads, open(sys.argv[2]))}
exch = {ip for ip, r in scan.items() if r["exchange"]}
assert set(hosts) == exch, sorted(set(hosts) ^ exch)
states = set()
for ip, h in hosts.items():
    want = scan[ip]["state"]
    # the import judges support on the observation's day (today), the scan on --as-of: both
    # past the 2016/2019 ESU window, so the states are the same
    assert h["state"] == want, (sys.argv[3], ip, h["state"], want, scan[ip]["build"])
    states.add(want)
assert {"compromised", "vulnerable", "end-of-life"} <= states, states
PY
done
"$EXRAY" import --db "$R" "$WORK/probe.jsonl" 2>"$WORK/rt2.err" || fail "a second import of the same file"
grep -q "already imported, as scan 1" "$WORK/rt2.err" || fail "the same file imported twice: $(cat "$WORK/rt2.err")"
printf '{\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n  "type": "object"\n}\n' > "$WORK/schema.json"
set +e; "$EXRAY" import --db "$R" "$WORK/schema.json" 2>"$WORK/schema.err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "no scan_exchange report row nor exray record" "$WORK/schema.err" || fail "a JSON schema was imported (exit $rc): $(cat "$WORK/schema.err")"
ok "exray's own CSV and JSON Lines import back whole (states, web shells); the same file twice is one scan; a JSON schema is refused (exit 2)"

# offline enrichment: a compiled ip-location-db style file gives ASN and country, which
# route the hosts without a network contact to their ASN contact or national CERT
printf '127.77.0.0,127.77.0.31,64496,"Example Hosting, Inc."\n127.77.0.32,127.77.0.63,64497,Other Net\n' > "$WORK/asn4.csv"
printf '127.77.0.0,127.77.0.31,NL\n127.77.0.32,127.77.0.63,SE\n' > "$WORK/cc4.csv"
"$EXRAY" enrich compile --asn4 "$WORK/asn4.csv" --country4 "$WORK/cc4.csv" -o "$WORK/ipdb.bin" 2>/dev/null
out=$("$EXRAY" enrich lookup --ipdb "$WORK/ipdb.bin" 127.77.0.5 127.77.0.40 127.77.0.99)
echo "$out" | grep -q "127.77.0.5	AS64496	Example Hosting, Inc.	NL" || fail "lookup: $out"
echo "$out" | grep -q "127.77.0.99	AS0	-	-" || fail "lookup of an unknown address: $out"
printf 'network,email,org\nAS64496,noc@hosting.example,Example Hosting\n' > "$WORK/asn-contacts.csv"
"$EXRAY" notify --db "$J" --ipdb "$WORK/ipdb.bin" --contacts "$WORK/asn-contacts.csv" --maildir "$WORK/mail-e" 2>"$WORK/e.err" || fail "notify --ipdb: $(cat "$WORK/e.err")"
grep -q "hosts enriched with ASN, AS name and country" "$WORK/e.err" || fail "no enrichment: $(cat "$WORK/e.err")"
routes "$WORK/mail-e" "enriched routing" <<'PY'
assert got.get("noc@hosting.example") and all(x < 32 for x in got["noc@hosting.example"]), got
assert got.get("cert@cert.se") and all(32 <= x < 64 for x in got["cert@cert.se"]), got
assert all(x < 64 for s in got.values() for x in s), got
PY
ok "enrichment from a compiled IP database: ASN contact, national CERT by country"

# RIPE split dumps: abuse-c -> role -> abuse-mailbox, or the org's abuse-c; the most
# specific inetnum wins; objects without a mailbox are counted; bad lines reported
R="$ROOT/tests/fixtures/rpsl"
gzip -c "$R/ripe.db.role" > "$WORK/ripe.db.role.gz"
"$EXRAY" contacts import --db "$J" "$R/ripe.db.inetnum" "$R/ripe.db.inet6num" "$R/ripe.db.aut-num" \
    "$R/ripe.db.organisation" "$WORK/ripe.db.role.gz" 2>"$WORK/rpsl.err" || fail "contacts import: $(cat "$WORK/rpsl.err")"
grep -q "ripe.db.inetnum:26: bad inetnum range" "$WORK/rpsl.err" || fail "bad inetnum not reported: $(cat "$WORK/rpsl.err")"
grep -q "ripe.db.role.gz:15: not an 'attribute: value' line" "$WORK/rpsl.err" || fail "bad role line not reported: $(cat "$WORK/rpsl.err")"
grep -q "4 with an abuse mailbox, 1 without" "$WORK/rpsl.err" || fail "counts: $(cat "$WORK/rpsl.err")"
rm -rf "$WORK/mail-r"
"$EXRAY" notify --db "$J" --maildir "$WORK/mail-r" --interval 0 2>"$WORK/r.err" || fail "notify with RIPE contacts: $(cat "$WORK/r.err")"
routes "$WORK/mail-r" "RIPE routing" <<'PY'
city = got.get("it-security@cityhall.example", set())
isp = got.get("abuse@example-isp.example", set())
assert city and all(32 <= x < 48 for x in city), got
assert isp and not any(32 <= x < 48 for x in isp), got
assert any(24 <= x < 32 for x in isp), got
PY
ok "RIPE dumps (plain and gzip): most specific inetnum's abuse-c, else the org's abuse-c"

# APNIC split dumps beside them (another source): a network with only mnt-irt reaches the
# irt's abuse-mailbox, abuse-c wins over mnt-irt, an unknown irt leaves no contact and the
# RIPE allocation around it still applies
"$EXRAY" contacts import --db "$J" --source apnic "$R/apnic.db.inetnum" "$R/apnic.db.irt" "$R/apnic.db.role" \
    2>"$WORK/apnic.err" || fail "APNIC import: $(cat "$WORK/apnic.err")"
grep -q "2 with an abuse mailbox, 1 without" "$WORK/apnic.err" || fail "APNIC counts: $(cat "$WORK/apnic.err")"
rm -rf "$WORK/mail-a"
"$EXRAY" notify --db "$J" --maildir "$WORK/mail-a" --interval 0 2>"$WORK/a.err" || fail "notify with APNIC contacts: $(cat "$WORK/a.err")"
routes "$WORK/mail-a" "APNIC routing" <<'PY'
irt = got.get("abuse@apnic-member.example", set())
school = got.get("soc@ap-school.example", set())
isp = got.get("abuse@example-isp.example", set())
assert irt and all(0 <= x < 16 for x in irt), got
assert school and all(16 <= x < 24 for x in school), got
assert not any(0 <= x < 24 for x in isp), got
# 24..31 stay the ISP's (the RIPE allocation around the APNIC networks still applies): told
# in the RIPE run, and with no newer observation not told again
assert not any(24 <= x < 32 for s in got.values() for x in s), got
PY
ok "APNIC dumps: mnt-irt's abuse-mailbox when there is no abuse-c; abuse-c first"

# RPSL details: an end-of-line '# comment', a value empty on its first line and continued on
# a '+' line, and a network skipped with its reason (file and line)
cat > "$WORK/edge.db" <<'RPSL'
inetnum:        198.18.0.0 - 198.18.0.255
netname:        COMMENTED
abuse-c:        AC1-TEST # the NOC's role

inetnum:        198.18.1.0 - 198.18.1.255
netname:        CONTINUED
abuse-c:        AC2-TEST

inetnum:        198.18.2.0 - 198.18.2.255
netname:        NOBODY

role:           Commented NOC
nic-hdl:        AC1-TEST
abuse-mailbox:  noc@commented.example   # reachable 24/7

role:           Continued NOC
nic-hdl:        AC2-TEST
abuse-mailbox:
+               abuse@continued.example
RPSL
"$EXRAY" contacts import --db "$J" --source edge "$WORK/edge.db" 2>"$WORK/edge.err" || fail "edge RPSL: $(cat "$WORK/edge.err")"
grep -q "2 with an abuse mailbox, 1 without" "$WORK/edge.err" || fail "edge RPSL counts: $(cat "$WORK/edge.err")"
grep -q "edge.db:9: no abuse-c, org or mnt-irt (network skipped)" "$WORK/edge.err" || fail "no reason for the skipped network: $(cat "$WORK/edge.err")"
python3 - "$J" <<'PY' || fail "edge RPSL mailboxes"
import dbconn, sys
db = dbconn.connect(sys.argv[1])
got = {r[0]: r[1] for r in db.execute("SELECT lo, email FROM contacts_db WHERE source = 'edge'")}
assert got == {"198.18.0.0": "noc@commented.example", "198.18.1.0": "abuse@continued.example"}, got
PY
ok "RPSL: end-of-line comments and a value continued on a '+' line keep the abuse mailbox; a skipped network says why"
