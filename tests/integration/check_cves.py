#!/usr/bin/env python3
"""HealthChecker's rule read again, here, from the two tables alone (not from exray), and
compared with `exray builds --format json` for every 2013/2016/2019/SE build of the build
table and every CVE of the vulnerability table: the same vulnerable / not-vulnerable answer
for each pair, config-dependent CVEs never patched.
usage: check_cves.py BUILDS.csv VULNS.csv EXRAY-JSON"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hc_rule import Rule

rule = Rule(sys.argv[1], sys.argv[2])
builds, vulns = rule.builds, rule.vulns
got = {j["build"]: j for j in map(json.loads, open(sys.argv[3]))}

fails, pairs = [], 0
for b in builds:
    if b["product"] not in ("2013", "2016", "2019", "SE") or b["kind"] == "cu-owa":
        continue
    j = got.get(b["build"])
    if j is None:
        fails.append("%s: no JSON line" % b["build"])
        continue
    for cve in sorted({v["cve"] for v in vulns if b["product"] in v["products"].split()}):
        states = rule.states(b, cve)
        want_vuln = "vulnerable" in states
        config = any(v["config"] for v in vulns if v["cve"] == cve)
        e = (j["cves"] or {}).get(cve)
        pairs += 1
        if e is None:
            fails.append("%s %s: missing from the JSON" % (b["build"], cve))
        elif (e["verdict"] == "vulnerable") != want_vuln:
            fails.append("%s %s: exray says %s, the rule %s" % (b["build"], cve, e["verdict"], states))
        elif config and e["verdict"] == "patched":
            fails.append("%s %s: a configuration-dependent CVE called patched" % (b["build"], cve))
for f in fails[:20]:
    print("FAIL", f)
print("check_cves: %d (build, CVE) pairs, %d differ" % (pairs, len(fails)))
sys.exit(1 if fails else 0)
