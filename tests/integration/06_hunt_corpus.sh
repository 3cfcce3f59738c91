#!/bin/sh
# exray hunt on the real samples in ../shared/corpus: every web shell is detected, no
# benign ASP.NET file or OWA page is, the real incident logs give their findings and the
# benign Exchange logs and event logs give none at medium or above.
. "$(dirname "$0")/lib.sh"
CORPUS=${EXR_CORPUS:-$ROOT/../shared/corpus}
if [ ! -d "$CORPUS/webshells" ]; then
    echo "  skip: corpus not found at $CORPUS (set EXR_CORPUS)"
    exit 0
fi
T="$WORK/shells/C"
mkdir -p "$T/inetpub/wwwroot/aspnet_client" "$T/Windows"
cp "$CORPUS"/webshells/* "$T/inetpub/wwwroot/aspnet_client/"
set +e; "$EXRAY" hunt -q -o "$WORK/shells.jsonl" "$WORK/shells" 2>"$WORK/shells.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "web shells: exit $rc"
python3 - "$WORK/shells.jsonl" "$CORPUS/webshells" <<'PY' || fail "corpus web shells"
import json, os, sys
found = {os.path.basename(f["path"]) for f in map(json.loads, open(sys.argv[1])) if f["check"] in ("webshell.yara", "webshell.hash")}
want = set(os.listdir(sys.argv[2]))
missed = sorted(want - found)
assert not missed, "missed: %s" % missed
print("  %d/%d corpus web shells detected" % (len(want & found), len(want)))
PY
ok "every corpus web shell detected"

B="$WORK/benign/C"
mkdir -p "$B/inetpub/wwwroot/app" "$B/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth" "$B/Windows"
cp "$CORPUS"/benign/* "$B/inetpub/wwwroot/app/"
cp "$CORPUS"/owa/* "$B/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy/owa/auth/"
set +e; "$EXRAY" hunt -q -o "$WORK/benign.jsonl" "$WORK/benign" 2>"$WORK/benign.err"; rc=$?; set -e
[ $rc -eq 0 ] || fail "benign files: exit $rc: $(head -c 600 "$WORK/benign.jsonl")"
ok "no benign ASP.NET file or OWA page flagged"

L="$WORK/logs/C"
EX="$L/Program Files/Microsoft/Exchange Server/V15/Logging"
mkdir -p "$EX/HttpProxy/Ecp" "$EX/HttpProxy/Owa" "$EX/HttpProxy/Autodiscover" "$EX/HttpProxy/Eas" "$EX/HttpProxy/Mapi" \
    "$EX/HttpProxy/PowerShell" "$EX/HttpProxy/RpcHttp" "$EX/HttpProxy/Ews" "$EX/ECP/Server" "$EX/Ews" \
    "$L/inetpub/logs/LogFiles/W3SVC1" "$L/inetpub/logs/LogFiles/W3SVC2" "$L/Windows/System32/winevt/Logs"
C="$CORPUS/logs"
cp "$C/helsecert_incident_HttpProxy-Ecp_TestProxyLogon-export.csv" "$EX/HttpProxy/Ecp/HttpProxy_2021030306-1.LOG"
cp "$C/helsecert_incident_ECPServer20210303-1_excerpt.log" "$EX/ECP/Server/ECPServer20210303-1.LOG"
cp "$C/helsecert_incident_IIS-u_ex2103_webshell-access.log" "$L/inetpub/logs/LogFiles/W3SVC1/u_ex210305.log"
cp "$C/helsecert_incident_HttpProxy-Owa_hits-67.205.176.9.csv" "$EX/HttpProxy/Owa/HttpProxy_2021030617-1.LOG"
cp "$C/qazeer_HttpProxy-Autodiscover_2023010919-1.LOG" "$EX/HttpProxy/Autodiscover/HttpProxy_2023010919-1.LOG"
cp "$C/qazeer_HttpProxy-Eas_2023011116-1.LOG" "$EX/HttpProxy/Eas/HttpProxy_2023011116-1.LOG"
cp "$C/qazeer_HttpProxy-Ecp_2023010611-1.LOG" "$EX/HttpProxy/Ecp/HttpProxy_2023010611-1.LOG"
cp "$C/qazeer_HttpProxy-Mapi_2023010601-1.LOG" "$EX/HttpProxy/Mapi/HttpProxy_2023010601-1.LOG"
cp "$C/qazeer_HttpProxy-Owa_2023010602-1.LOG" "$EX/HttpProxy/Owa/HttpProxy_2023010602-1.LOG"
cp "$C/qazeer_HttpProxy-PowerShell_2023011116-1.LOG" "$EX/HttpProxy/PowerShell/HttpProxy_2023011116-1.LOG"
cp "$C/qazeer_HttpProxy-RpcHttp_2023010708-1.LOG" "$EX/HttpProxy/RpcHttp/HttpProxy_2023010708-1.LOG"
cp "$C/qazeer_HttpProxy-Ews_2023010601-1.LOG" "$EX/HttpProxy/Ews/HttpProxy_2023010601-1.LOG"
cp "$C/qazeer_ECPServer20230111-1.LOG" "$EX/ECP/Server/ECPServer20230111-1.LOG"
cp "$C/sbousseaden_Tunna_rdp_tunnel_IIS_first1000lines.log" "$L/inetpub/logs/LogFiles/W3SVC2/u_ex190903.log"
cp "$CORPUS/evtx/mdecrevoisier_ID6-Failed_to_install_an_Exchange_transport_agent.evtx" "$L/Windows/System32/winevt/Logs/MSExchange Management.evtx"
cp "$CORPUS/evtx/sbousseaden_LM_typical_IIS_webshell_sysmon_1_10_traces.evtx" "$L/Windows/System32/winevt/Logs/Application.evtx"
set +e; "$EXRAY" hunt -q -o "$WORK/logs.jsonl" "$WORK/logs" 2>"$WORK/logs.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "incident logs: exit $rc"
python3 - "$WORK/logs.jsonl" <<'PY' || fail "incident logs findings"
import collections, json, sys
fs = [json.loads(l) for l in open(sys.argv[1])]
c = collections.Counter((f["check"], f["path"].split("/")[-1]) for f in fs)
# HelseCERT's Test-ProxyLogon export: /mapi, proxyLogon.ecp, DDIService rows are hits; autodiscover-only rows are dropped
assert c[("cve-2021-26855.httpproxy", "HttpProxy_2021030306-1.LOG")] >= 3, c
assert c[("cve-2021-26855.httpproxy-excluded", "HttpProxy_2021030306-1.LOG")] >= 1, c
assert c[("cve-2021-27065.ecp-server", "ECPServer20210303-1.LOG")] == 2, c
assert c[("iis.webshell-access", "u_ex210305.log")] >= 2, c
serious = [f for f in fs if f["severity"] in ("medium", "high", "critical")]
bad = [f for f in serious if "_2023" in f["path"] or "2023" in f["path"].split("/")[-1] or f["path"].endswith(("u_ex190903.log", ".evtx"))]
assert not bad, bad[:3]
print("  findings:", dict((k[0], v) for k, v in c.items()))
PY
grep -q "u_ex210305.log:1: no #Fields line; IIS's default 15 fields assumed" "$WORK/logs.err" || fail "missing IIS #Fields not reported"
if grep -q "evtx" "$WORK/logs.err"; then fail "corpus EVTX reported as bad: $(grep evtx "$WORK/logs.err")"; fi
ok "incident logs found, benign Exchange/IIS logs and event logs quiet"

# EVTX positive path: a real MSExchange Management log with its cmdlet rewritten to a
# Set-*VirtualDirectory (same-length UTF-16 replacement, chunk CRCs recomputed) carrying
# script in a URL; the same cmdlet without script is quiet
E="$WORK/evtx"
mkdir -p "$E/pos/Windows/System32/winevt/Logs" "$E/neg/Windows/System32/winevt/Logs" "$E/pos/Windows/Temp" "$E/neg/Windows/Temp"
SRC="$CORPUS/evtx/mdecrevoisier_ID6-Failed_to_install_an_Exchange_transport_agent.evtx"
python3 "$ROOT/tests/fixtures/evtx/patch_evtx.py" "$SRC" "$E/pos/Windows/System32/winevt/Logs/MSExchange Management.evtx" \
    'Install-TransportAgent=Set-PsVirtualDirectory' '-AssemblyPath ".\NetshHelperBeacon.dll"=-ExternalUrl "http://f/<script runat=sv'
python3 "$ROOT/tests/fixtures/evtx/patch_evtx.py" "$SRC" "$E/neg/Windows/System32/winevt/Logs/MSExchange Management.evtx" \
    'Install-TransportAgent=Set-PsVirtualDirectory'
set +e; "$EXRAY" hunt -q -o "$E/pos.jsonl" "$E/pos" 2>"$E/pos.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "EVTX positive: exit $rc ($(cat "$E/pos.err"))"
grep -q '"check":"cve-2021-27065.cmdlet"' "$E/pos.jsonl" || fail "Set-*VirtualDirectory with script not found in the EVTX"
if grep -q "corrupt" "$E/pos.err"; then fail "the derived EVTX is reported corrupt"; fi
set +e; "$EXRAY" hunt -q -o "$E/neg.jsonl" "$E/neg" 2>/dev/null; rc=$?; set -e
[ $rc -eq 0 ] || fail "EVTX negative: exit $rc: $(cat "$E/neg.jsonl")"
ok "MSExchange Management EVTX: Set-*VirtualDirectory with script found, without script quiet"

# CVE-2021-26857: a real Security log's records re-labelled as MSExchange Unified Messaging
# (provider name NUL-padded to the same length) with one string now an InvalidCastException.
# Found only when the level is Error; the same records at level Information, or at Error
# without the exception, are quiet
SRC="$CORPUS/evtx/mdecrevoisier_ID4756-Exchange_admin_group_change.evtx"
UM='Microsoft-Windows-Security-Auditing=MSExchange Unified Messaging\0\0\0\0\0\0\0'
CAST='CN=admin-hacker,OU=Test-OU,OU=OFFSEC-COMPANY,DC=offsec,DC=lan=>System.InvalidCastException: Unable to cast object of typ (x)'
for v in pos info nocast; do mkdir -p "$E/um-$v/Windows/System32/winevt/Logs" "$E/um-$v/Windows/Temp"; done
python3 "$ROOT/tests/fixtures/evtx/patch_evtx.py" "$SRC" "$E/um-pos/Windows/System32/winevt/Logs/Application.evtx" --level 2 "$UM" "$CAST"
python3 "$ROOT/tests/fixtures/evtx/patch_evtx.py" "$SRC" "$E/um-info/Windows/System32/winevt/Logs/Application.evtx" "$UM" "$CAST"
python3 "$ROOT/tests/fixtures/evtx/patch_evtx.py" "$SRC" "$E/um-nocast/Windows/System32/winevt/Logs/Application.evtx" --level 2 "$UM"
set +e; "$EXRAY" hunt -q -o "$E/um-pos.jsonl" "$E/um-pos" 2>"$E/um-pos.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "UM EVTX positive: exit $rc ($(cat "$E/um-pos.err"))"
# all 15 records of the source name the same member, so each now carries the exception
[ "$(grep -c '"check":"cve-2021-26857.um"' "$E/um-pos.jsonl")" -eq 15 ] || fail "expected one CVE-2021-26857 finding per record: $(cat "$E/um-pos.jsonl")"
grep '"check":"cve-2021-26857.um"' "$E/um-pos.jsonl" | grep '"line":1,' | grep '"time":"2021-02-02T16:20:48Z"' | grep -q 'level Error: System.InvalidCastException' || fail "UM finding lacks its record number, time or evidence"
for v in info nocast; do
    set +e; "$EXRAY" hunt -q -o "$E/um-$v.jsonl" "$E/um-$v" 2>/dev/null; rc=$?; set -e
    [ $rc -eq 0 ] || fail "UM EVTX negative ($v): exit $rc: $(cat "$E/um-$v.jsonl")"
done
ok "Application EVTX: UM error with InvalidCastException found; Information level or no exception quiet"
