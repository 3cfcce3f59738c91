#!/usr/bin/env python3
"""Compares exray scan JSON Lines with the fleet's expected.jsonl: every expected host
must appear exactly once with the expected Exchange flag, build, source, product, CU, SU,
servername, verdicts and (when probed) web shells. usage: compare_fleet.py EXPECTED OUT [--probed]"""
import json, sys

exp = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    exp[(r["ip"], r["port"])] = r
probed = "--probed" in sys.argv
seen = {}
errors = []
for n, line in enumerate(open(sys.argv[2]), 1):
    try:
        r = json.loads(line)
    except ValueError as e:
        errors.append("line %d: not JSON: %s" % (n, e))
        continue
    k = (r["ip"], r["port"])
    if k in seen:
        errors.append("%s:%d reported twice" % k)
    seen[k] = r
for k, e in exp.items():
    r = seen.get(k)
    if r is None:
        errors.append("%s:%d missing" % k)
        continue
    if r["status"] != "ok":
        errors.append("%s:%d status %s" % (k[0], k[1], r["status"]))
    checks = [("exchange", e["exchange"]), ("build", e["build"]), ("proxylogon", e["proxylogon"]),
              ("proxyshell", e["proxyshell"]), ("proxynotshell", e["proxynotshell"])]
    if e["exchange"]:
        checks += [("build_source", e["build_source"]), ("product", e["product"]), ("cu", e["cu"]), ("su", e["su"])]
        if e.get("servername"):
            checks.append(("servername", e["servername"]))
    for f, want in checks:
        if r.get(f) != want:
            errors.append("%s:%d (%s) %s = %r, expected %r" % (k[0], k[1], e["profile"], f, r.get(f), want))
    if probed and e.get("shells") is not None:
        ws = r.get("webshells") or {}
        found = [] if ws.get("catch_all") else ws.get("found", [])
        if sorted(found) != sorted(e["shells"]):
            errors.append("%s:%d (%s) webshells %r, expected %r" % (k[0], k[1], e["profile"], ws, e["shells"]))
    if not probed and "webshells" in r:
        errors.append("%s:%d webshells reported without --probe-webshells" % k)
extra = set(seen) - set(exp)
if extra:
    errors.append("%d unexpected hosts, e.g. %s" % (len(extra), sorted(extra)[0]))
for e in errors[:30]:
    print("FAIL", e)
print("compare: %d expected hosts, %d reported, %d problems" % (len(exp), len(seen), len(errors)))
sys.exit(1 if errors else 0)
