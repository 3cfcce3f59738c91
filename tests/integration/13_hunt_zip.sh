#!/bin/sh
# exray hunt on a collection archive as the collector wrote it: a Velociraptor offline
# collector ZIP (uploads/auto/C%3A/...) and a KAPE ZIP (C/...) are read with libarchive,
# never extracted to disk, and give the same findings (JSON Lines, apart from the root
# field) as the extracted tree. Damaged and hostile archives are reported, not trusted.
. "$(dirname "$0")/lib.sh"
GEN="$ROOT/tests/fixtures/triage/gen.py"
zipdir() { # DIR ZIP: members named relative to DIR, with their modification times
    python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1:3]
# a ZIP without the extended-timestamp field keeps DOS times (2 s steps): give the tree
# even seconds so that the tree and the archive carry the same times
for r, ds, fs in os.walk(src):
    for f in fs:
        p = os.path.join(r, f); t = int(os.stat(p).st_mtime) // 2 * 2
        os.utime(p, (t, t))
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for r, ds, fs in os.walk(src):
        for d in ds:
            z.write(os.path.join(r, d), os.path.relpath(os.path.join(r, d), src) + "/")
        for f in fs:
            z.write(os.path.join(r, f), os.path.relpath(os.path.join(r, f), src))
PY
}
same() { # A.jsonl B.jsonl: equal apart from "root"
    python3 - "$1" "$2" <<'PY'
import json, sys
def load(p):
    out = []
    for l in open(p):
        f = json.loads(l); f.pop("root"); out.append(json.dumps(f, sort_keys=True))
    return sorted(out)
a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    for x in sorted(set(a) ^ set(b))[:10]:
        print("  differs:", x)
    sys.exit(1)
print("  %d findings, identical" % len(a))
PY
}
export TZ=UTC
for style in velociraptor kape; do
    python3 "$GEN" "$WORK/$style" --style "$style" >/dev/null
    zipdir "$WORK/$style" "$WORK/$style.zip"
    set +e
    "$EXRAY" hunt -q -o "$WORK/$style.dir.jsonl" "$WORK/$style" 2>/dev/null; rc1=$?
    "$EXRAY" hunt -q -o "$WORK/$style.zip.jsonl" "$WORK/$style.zip" 2>"$WORK/$style.err"; rc2=$?
    set -e
    [ $rc1 -eq 1 ] && [ $rc2 -eq 1 ] || fail "$style: exit $rc1 (tree) / $rc2 (zip): $(head -3 "$WORK/$style.err")"
    same "$WORK/$style.dir.jsonl" "$WORK/$style.zip.jsonl" || fail "$style: the ZIP's findings differ from the tree's"
    grep -q "\"root\":\"$WORK/$style.zip\"" "$WORK/$style.zip.jsonl" || fail "$style: root field is not the ZIP"
    ok "$style ZIP read in place: same findings as the extracted tree, exit 1"
done
# a tar.gz of the same tree (libarchive reads tar as well)
tar -C "$WORK/kape" -czf "$WORK/kape.tar.gz" .
set +e; "$EXRAY" hunt -q -o "$WORK/kape.tar.jsonl" "$WORK/kape.tar.gz" 2>/dev/null; rc=$?; set -e
[ $rc -eq 1 ] || fail "tar.gz: exit $rc"
same "$WORK/kape.dir.jsonl" "$WORK/kape.tar.jsonl" || fail "the tar.gz's findings differ from the tree's"
ok "kape tar.gz read in place: same findings"
# nothing was extracted next to the archive or in the temporary folder
[ -z "$(find "$WORK" -mindepth 1 -newer "$WORK/kape.zip" -type d)" ] || fail "folders appeared while the ZIP was read"
ok "nothing extracted to disk"

# damaged archives: a truncated ZIP and a member that does not decompress are reported
python3 "$GEN" "$WORK/dmg" --style kape >/dev/null
zipdir "$WORK/dmg" "$WORK/dmg.zip"
head -c $(( $(stat -c %s "$WORK/dmg.zip") * 2 / 3 )) "$WORK/dmg.zip" > "$WORK/trunc.zip"
set +e; "$EXRAY" hunt -q -o "$WORK/trunc.jsonl" "$WORK/trunc.zip" 2>"$WORK/trunc.err"; rc=$?; set -e
[ $rc -eq 1 ] || [ $rc -eq 2 ] || fail "truncated ZIP: exit $rc"
if [ $rc -eq 1 ]; then
    grep -q '"check":"hunt.not-examined"' "$WORK/trunc.jsonl" || fail "truncated ZIP: damage not reported"
fi
ok "a truncated ZIP is reported (exit $rc), never 'clean'"
python3 - "$WORK/evil.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("C/inetpub/wwwroot/aspnet_client/ok.aspx", '<%@ Page Language="Jscript"%><%eval(Request.Item["k"],"unsafe");%>')
    z.writestr("C/Windows/placeholder.txt", "x")
    z.writestr("../../escape.aspx", "x")
PY
set +e; "$EXRAY" hunt -q -o "$WORK/evil.jsonl" "$WORK/evil.zip" 2>/dev/null; rc=$?; set -e
[ $rc -eq 1 ] || fail "hostile ZIP: exit $rc"
grep -q '"check":"webshell.yara".*"path":"C/inetpub/wwwroot/aspnet_client/ok.aspx"' "$WORK/evil.jsonl" || fail "hostile ZIP: the shell next to the bad member was missed"
grep -q '"check":"hunt.not-examined".*"path":"../../escape.aspx"' "$WORK/evil.jsonl" || fail "hostile ZIP: '..' member not reported"
[ ! -e "$WORK/../escape.aspx" ] && [ ! -e "$WORK/../../escape.aspx" ] || fail "a '..' member was written"
ok "a '..' member is reported as not examined and written nowhere; the shell beside it is found"

# archive bombs: a member expanding 1000:1 (300 MiB of zeros in 0.3 MB) is not read past
# 16 MiB and is not examined, the shell beside it is found; a large but ordinary member (a
# 50 MiB IIS log) goes to an unnamed file on disk and is examined whole; a listing past
# 100,000 members stops there and says so
python3 - "$WORK/bomb.zip" "$WORK/biglog.zip" "$WORK/many.zip" <<'PY'
import random, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("C/inetpub/wwwroot/aspnet_client/big.aspx", b"\0" * (300 << 20))
    z.writestr("C/inetpub/wwwroot/aspnet_client/s.aspx", '<%@ Page Language="Jscript"%><%eval(Request.Item["x"],"unsafe");%>')
    z.writestr("C/Windows/x.txt", "x")
r = random.Random(1)
head = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken\n"
rows = "".join("2021-03-03 %02d:%02d:%02d 10.0.0.%d GET /owa/ - 443 - 192.0.2.%d Mozilla/5.0 200 0 0 %d\n" % (
    r.randrange(24), r.randrange(60), r.randrange(60), r.randrange(255), r.randrange(255), r.randrange(999)) for _ in range(600000))
last = "2021-03-03 23:59:59 10.0.0.1 POST /ecp/y.js - 443 - 192.0.2.66 ExchangeServicesClient/0.0.0.0 200 0 0 1\n"
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log", head + rows + last)
    z.writestr("C/Windows/x.txt", "x")
with zipfile.ZipFile(sys.argv[3], "w") as z:
    z.writestr("C/Windows/x.txt", "x")
    for i in range(100005):
        z.writestr("C/d/%d" % i, "")
PY
set +e; "$EXRAY" hunt -q -o "$WORK/bomb.jsonl" "$WORK/bomb.zip" 2>/dev/null; rc=$?; set -e
[ $rc -eq 1 ] || fail "archive bomb: exit $rc"
grep -q '"check":"hunt.not-examined".*"path":"C/inetpub/wwwroot/aspnet_client/big.aspx".*archive bomb' "$WORK/bomb.jsonl" || fail "the bomb member is not reported: $(cat "$WORK/bomb.jsonl")"
grep -q '"check":"webshell.yara".*"path":"C/inetpub/wwwroot/aspnet_client/s.aspx"' "$WORK/bomb.jsonl" || fail "the shell beside the bomb was missed"
set +e; TMPDIR="$WORK" "$EXRAY" hunt -q -o "$WORK/biglog.jsonl" "$WORK/biglog.zip" 2>"$WORK/biglog.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "a 50 MiB log member: exit $rc: $(cat "$WORK/biglog.err")"
! grep -q "hunt.not-examined" "$WORK/biglog.jsonl" || fail "a large ordinary member was not examined: $(grep not-examined "$WORK/biglog.jsonl")"
grep -q '"check":"iis.ecp-js".*"line":600002' "$WORK/biglog.jsonl" || fail "the last line of the 50 MiB member was not read: $(head -c 600 "$WORK/biglog.jsonl")"
set +e; "$EXRAY" hunt -q -o "$WORK/many.jsonl" "$WORK/many.zip" 2>/dev/null; rc=$?; set -e
[ $rc -eq 1 ] || fail "100,006 members: exit $rc"
grep -q '"check":"hunt.not-examined".*more than 100000 members' "$WORK/many.jsonl" || fail "the member limit is not reported"
ok "archive bomb not read past 16 MiB (not examined, the shell beside it found); a 50 MiB member examined whole from disk; over 100,000 members: said so"

# an encrypted member (the ZIP's encryption bit, as zip -e writes it) is never examined
# blindly nor decrypted: it is reported
python3 - "$WORK/enc.zip" <<'PY'
import struct, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("C/Windows/x.txt", "x")
    z.writestr("C/inetpub/wwwroot/aspnet_client/locked.aspx", "secret")
b = bytearray(open(sys.argv[1], "rb").read())
name = b"C/inetpub/wwwroot/aspnet_client/locked.aspx"
for sig, flag_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
    i = 0
    while (i := b.find(sig, i)) >= 0:
        if b[i + name_at:i + name_at + len(name)] == name:
            b[i + flag_at] |= 1  # general purpose bit 0: encrypted
        i += 4
open(sys.argv[1], "wb").write(bytes(b))
PY
set +e; "$EXRAY" hunt -q -o "$WORK/enc.jsonl" "$WORK/enc.zip" 2>/dev/null; rc=$?; set -e
[ $rc -eq 1 ] || fail "encrypted member: exit $rc"
grep -q '"check":"hunt.not-examined".*"path":"C/inetpub/wwwroot/aspnet_client/locked.aspx".*encrypted' "$WORK/enc.jsonl" || fail "the encrypted member is not reported: $(cat "$WORK/enc.jsonl")"
ok "an encrypted member is reported as not examined (exit 1), never 'clean'"
