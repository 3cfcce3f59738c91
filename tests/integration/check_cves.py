#!/usr/bin/env python3
"""HealthChecker's rule read again, here, from the two tables alone (not from exray), and
compared with `exray builds --format json` for every 2013/2016/2019/SE build of the build
table and every CVE of the vulnerability table: the same vulnerable / not-vulnerable answer
for each pair, config-dependent CVEs never patched.
usage: check_cves.py BUILDS.csv VULNS.csv EXRAY-JSON"""
import csv, json, re, sys

def rows(path):
    return list(csv.DictReader(l for l in open(path, encoding="utf-8") if not l.startswith("#")))

def ver(s):
    return tuple(int(x) for x in s.split("."))

builds = rows(sys.argv[1])
vulns = rows(sys.argv[2])
got = {j["build"]: j for j in map(json.loads, open(sys.argv[3]))}

def carries(r, su):
    if r["kind"] in ("su", "hu"):
        return r["update"] == su or re.fullmatch(re.escape(su) + r"v\d+", r["update"]) is not None
    return r["kind"] == "cu" and r["cu"] == su

def one(b, su):
    """HealthChecker's Test-ExchangeBuildGreaterOrEqualThanSecurityPatch for build row b"""
    mine = [r for r in builds if r["product"] == b["product"]]
    cu_rel = [r for r in mine if r["kind"] == "cu" and r["cu"] == b["cu"]]
    m = re.match(r"[A-Z][a-z]{2}(\d\d)(SU|HU)", su)
    if m and cu_rel and int(cu_rel[0]["released"][:4]) > 2000 + int(m.group(1)):
        return "patched"  # SUs of years before the CU's release are skipped
    carriers = [r for r in mine if carries(r, su)]
    if not carriers:
        return "not-affected" if any(carries(r, su) for r in builds) else "undetermined"
    if ver(b["build"]) >= max(ver(r["build"]) for r in carriers):
        return "patched"
    own = [r for r in carriers if r["cu"] == b["cu"]]
    if own and ver(b["build"]) >= min(ver(r["build"]) for r in own):
        return "patched"
    return "vulnerable"

fails, pairs = [], 0
for b in builds:
    if b["product"] not in ("2013", "2016", "2019", "SE") or b["kind"] == "cu-owa":
        continue
    j = got.get(b["build"])
    if j is None:
        fails.append("%s: no JSON line" % b["build"])
        continue
    for cve in sorted({v["cve"] for v in vulns if b["product"] in v["products"].split()}):
        states = [one(b, v["update"]) for v in vulns if v["cve"] == cve and b["product"] in v["products"].split()]
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
