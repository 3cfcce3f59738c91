#!/bin/sh
# exray hunt --rules: community rule sets load as they are. Loki's and THOR's external
# variables (filename, filepath, extension, filetype, owner, md5) are defined per scanned
# file; a rule file that does not compile is reported with file:line and left out (the
# others still load), --rules-strict makes it fatal; findings carry the rule's name, file
# and metadata, and its score sets the severity.
. "$(dirname "$0")/lib.sh"
T="$WORK/t/C"
mkdir -p "$T/inetpub/wwwroot/site" "$T/Windows" "$WORK/rules/sub"
printf 'GIF89a<html>probe page</html>\n' > "$T/inetpub/wwwroot/site/probe.aspx"
MD5=$(md5sum "$T/inetpub/wwwroot/site/probe.aspx" | cut -d' ' -f1)
OWNER=$(stat -c %U "$T/inetpub/wwwroot/site/probe.aspx")
cat > "$WORK/rules/vars.yar" <<YAR
rule T_filename { meta: description = "filename" author = "exray tests" reference = "https://example.invalid/r" score = 85
  condition: filename == "probe.aspx" }
rule T_filepath { meta: score = 60 condition: filepath contains "\\\\inetpub\\\\wwwroot\\\\site\\\\probe.aspx" and filepath matches /^C:\\\\/ }
rule T_extension { meta: score = 40 condition: extension == ".aspx" }
rule T_filetype { meta: score = 100 condition: filetype == "GIF" }
rule T_owner { condition: owner == "$OWNER" }
rule T_md5 { meta: score = 20 condition: md5 == "$MD5" }
YAR
printf 'rule broken {\n  condition:\n    undefined_thing and\n}\n' > "$WORK/rules/sub/broken.yar"
printf 'rule T_same_name_other_file { condition: filename == "probe.aspx" }\nrule T_filename { condition: false }\n' > "$WORK/rules/sub/dup.yar"

set +e; "$EXRAY" hunt -q --rules "$WORK/rules" -o "$WORK/r.jsonl" "$WORK/t" 2>"$WORK/r.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "exit $rc: $(cat "$WORK/r.err")"
grep -q "broken.yar:[0-9]*:" "$WORK/r.err" || fail "the broken rule file is not named with file:line: $(cat "$WORK/r.err")"
python3 - "$WORK/r.jsonl" <<'PY' || fail "external rule findings: $(cat "$WORK/r.jsonl")"
import json, sys
got = {}
for f in map(json.loads, open(sys.argv[1])):
    if f["check"] == "webshell.yara-external":
        got[f["rule"]["name"]] = f
want = {"T_filename": "high", "T_filepath": "medium", "T_extension": "low", "T_filetype": "critical", "T_owner": "medium",
        "T_md5": "info", "T_same_name_other_file": "medium"}
assert set(got) == set(want), sorted(got)
for name, sev in want.items():
    assert got[name]["severity"] == sev, (name, got[name]["severity"], sev)
r = got["T_filename"]["rule"]
assert r["file"] == "vars.yar" and r["description"] == "filename" and r["author"] == "exray tests", r
assert r["reference"] == "https://example.invalid/r" and r["score"] == 85, r
assert got["T_owner"]["rule"]["score"] is None
assert got["T_filename"]["path"] == "C/inetpub/wwwroot/site/probe.aspx"
PY
ok "each external variable works; the broken file is named with file:line and left out; rule metadata and score-based severity"

# the compiled rules cache: kept 0600 in a 0700 folder, used when the files are unchanged,
# never when a file changed, never from a folder or file others could have written
C="$WORK/rc"
mkdir -p "$WORK/good"
printf 'rule C_one { strings: $a = "probe page" condition: $a }\n' > "$WORK/good/c.yar"
cached() { # the rule names found with --rules-cache $C
    set +e; "$EXRAY" hunt -q --rules "$WORK/good" --rules-cache "$C" -o "$WORK/c.jsonl" "$WORK/t" 2>"$WORK/c.err"; set -e
    python3 -c "import json,sys; print(' '.join(sorted(json.loads(l)['rule']['name'] for l in open(sys.argv[1]) if json.loads(l)['check'] == 'webshell.yara-external')))" "$WORK/c.jsonl"
}
[ "$(cached)" = C_one ] || fail "cache, first run: $(cat "$WORK/c.err")"
[ "$(stat -c %a "$C")" = 700 ] || fail "cache folder mode $(stat -c %a "$C")"
[ "$(ls "$C" | wc -l)" -eq 1 ] && [ "$(stat -c %a "$C"/rules-*.yarc)" = 600 ] || fail "cache file: $(ls -l "$C")"
KEY1=$(ls "$C")
[ "$(cached)" = C_one ] || fail "cache, second run"
printf 'rule C_two { strings: $a = "probe page" condition: $a }\n' > "$WORK/good/c.yar"
[ "$(cached)" = C_two ] || fail "an edited rule file was served from the cache: $(cached)"
[ "$(ls "$C" | wc -l)" -eq 2 ] || fail "the edited set was not cached under a key of its own: $(ls "$C")"
# a cache file others could have written is not loaded: C_two's compiled rules, planted
# under C_one's key with mode 0644, must not answer for C_one
KEY2=$(ls "$C" | grep -v "$KEY1")
cp "$C/$KEY2" "$C/$KEY1"; chmod 644 "$C/$KEY1"
printf 'rule C_one { strings: $a = "probe page" condition: $a }\n' > "$WORK/good/c.yar"
[ "$(cached)" = C_one ] || fail "a 0644 cache file was loaded: $(cached)"
[ "$(stat -c %a "$C/$KEY1")" = 600 ] || fail "the rejected cache file was not replaced"
cp "$C/$KEY2" "$C/$KEY1"; chmod 600 "$C/$KEY1"; chmod 755 "$C"
[ "$(cached)" = C_one ] || fail "a cache folder mode 0755 was used: $(cached)"
chmod 700 "$C"
rm -rf "$C"; ln -s "$WORK/good" "$C"
[ "$(cached)" = C_one ] && [ -z "$(ls "$WORK/good" | grep yarc)" ] || fail "the cache followed a symbolic link"
rm "$C"
set +e; "$EXRAY" hunt -q --rules "$WORK/good" --rules-cache off -o "$WORK/c.jsonl" "$WORK/t" 2>/dev/null; set -e
[ ! -e "$C" ] && [ -z "$(ls "$XDG_CACHE_HOME" 2>/dev/null)" ] || fail "--rules-cache off wrote a cache"
ok "compiled rules cache: 0600 in a 0700 folder; an edited file compiles afresh; a 0644 file, a 0755 folder or a link is never used"

set +e; "$EXRAY" hunt -q --rules "$WORK/rules" --rules-strict -o "$WORK/s.jsonl" "$WORK/t" 2>"$WORK/s.err"; rc=$?; set -e
[ $rc -eq 2 ] || fail "--rules-strict: exit $rc"
grep -q "broken.yar:[0-9]*:" "$WORK/s.err" || fail "--rules-strict: error does not name file:line: $(cat "$WORK/s.err")"
ok "--rules-strict: a rule file that does not compile is fatal (exit 2), named with file:line"

set +e; "$EXRAY" hunt -q --rules "$WORK/nothing-here" "$WORK/t" 2>"$WORK/n.err"; rc=$?; set -e
[ $rc -eq 2 ] || fail "--rules on a missing path: exit $rc"
ok "--rules on a missing path: exit 2"

# signature-base, when the machine has a copy: every rule file that compiles loads
SB=${EXR_SIGBASE:-}
if [ -n "$SB" ] && [ -d "$SB" ]; then
    set +e; "$EXRAY" hunt -q --rules "$SB" -o "$WORK/sb.jsonl" "$WORK/t" 2>"$WORK/sb.err"; rc=$?; set -e
    [ $rc -le 1 ] || fail "signature-base: exit $rc: $(head -5 "$WORK/sb.err")"
    ok "signature-base at $SB loads ($(grep -c 'left out' "$WORK/sb.err" || true) files left out)"
else
    echo "  skip: set EXR_SIGBASE to a signature-base yara/ folder to load it as is"
fi

# a Velociraptor collection: filepath is the server's path (C:\Program Files\...), not the
# collection's escapes (C%3A/Program%20Files), and finding paths are decoded too
V="$WORK/velo/uploads/auto/C%3A/Program%20Files/Microsoft/Exchange%20Server/V15/FrontEnd/HttpProxy/owa/auth"
mkdir -p "$V" "$WORK/velo/uploads/auto/C%3A/Windows"
printf 'harmless page\n' > "$V/x.aspx"
cat > "$WORK/rules/velo.yar" <<'YAR'
rule T_exchange_path { meta: score = 70 condition: filepath contains "\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth\\x.aspx" }
YAR
set +e; "$EXRAY" hunt -q --rules "$WORK/rules/velo.yar" -o "$WORK/v.jsonl" "$WORK/velo" 2>"$WORK/v.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "velociraptor filepath rule: exit $rc: $(cat "$WORK/v.err")"
python3 - "$WORK/v.jsonl" <<'PY' || fail "velociraptor filepath and finding path: $(cat "$WORK/v.jsonl")"
import json, sys
f = [x for x in map(json.loads, open(sys.argv[1])) if x["check"] == "webshell.yara-external"]
assert len(f) == 1 and f[0]["rule"]["name"] == "T_exchange_path", f
assert f[0]["path"] == "uploads/auto/C:/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/x.aspx", f[0]["path"]
PY
ok "Velociraptor collection: --rules' filepath and the finding path are the server's names (%XX undone)"

# (test build) a rule that runs past the YARA timeout: the file is not examined, and says so
if "$EXRAY" --version 2>/dev/null | grep -q "test hooks"; then
    mkdir -p "$WORK/slow/C/inetpub/wwwroot" "$WORK/slow/C/Windows"
    head -c 65536 /dev/zero | tr '\0' 'C' > "$WORK/slow/C/inetpub/wwwroot/big.aspx"
    printf 'rule T_slow { condition: for any i in (0..filesize) : (for any j in (0..filesize) : (uint8(i) == 0x41 and uint8(j) == 0x42)) }\n' > "$WORK/slow.yar"
    set +e; EXRAY_TEST_YARA_TIMEOUT=1 "$EXRAY" hunt -q --rules "$WORK/slow.yar" -o "$WORK/slow.jsonl" "$WORK/slow" 2>"$WORK/slow.err"; rc=$?; set -e
    [ $rc -eq 1 ] || fail "YARA timeout: exit $rc: $(cat "$WORK/slow.err")"
    grep -q '"check":"hunt.not-examined".*"path":"C/inetpub/wwwroot/big.aspx".*YARA timed out' "$WORK/slow.jsonl" || fail "the YARA timeout is not reported: $(cat "$WORK/slow.jsonl")"
    ok "a YARA scan past its timeout (1 s here, 20 s by default) leaves the file not examined, exit 1"
else
    echo "  skip: the YARA timeout check needs the test build (the ASan pass with test hooks runs it)"
fi
