#!/usr/bin/env python3
"""Checks exray hunt findings against a generator's expected.jsonl: every planted trace is
found (check, path, line) with the severity, CVE and time (to the second) the generator wrote
from the trace's facts, when it wrote them, and nothing else is reported at medium or above; each PATH
given after the two files was deliberately damaged and must be reported hunt.not-examined.
usage: compare_hunt.py EXPECTED FINDINGS [DAMAGED-PATH...]"""
import json, sys

exp = [json.loads(l) for l in open(sys.argv[1])]
got = [json.loads(l) for l in open(sys.argv[2])]
errors = []
keys = {}
for f in got:
    for k in ("root", "check", "cve", "severity", "path", "line", "time", "client_ip", "evidence"):
        if k not in f:
            errors.append("finding lacks field %s: %s" % (k, f))
    keys.setdefault((f["check"], f["path"], f["line"]), []).append(f)
second = lambda t: t[:19] if t else t
for e in exp:
    fs = keys.get((e["check"], e["path"], e["line"]))
    if not fs:
        errors.append("missed: %s %s:%s" % (e["check"], e["path"], e["line"]))
        continue
    for k, norm in (("severity", str), ("cve", str), ("time", second)):
        if k in e and not any(norm(f[k]) == norm(e[k]) if f[k] is not None and e[k] is not None else f[k] == e[k] for f in fs):
            errors.append("%s %s:%s: %s is %s, the trace's facts say %s" % (e["check"], e["path"], e["line"], k, [f[k] for f in fs], e[k]))
want = set((e["check"], e["path"], e["line"]) for e in exp)
for p in sys.argv[3:]:
    if ("hunt.not-examined", p, None) not in keys:
        errors.append("damaged file not reported as not examined: %s" % p)
    want.add(("hunt.not-examined", p, None))
for f in got:
    if f["severity"] in ("medium", "high", "critical") and (f["check"], f["path"], f["line"]) not in want:
        errors.append("unexpected %s finding: %s %s:%s %s" % (f["severity"], f["check"], f["path"], f["line"], f["evidence"][:120]))
for e in errors[:40]:
    print("FAIL", e)
print("compare: %d planted traces, %d findings, %d problems" % (len(exp), len(got), len(errors)))
sys.exit(1 if errors else 0)
