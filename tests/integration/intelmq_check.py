#!/usr/bin/env python3
"""Validates IntelMQ events (JSON Lines) against the field types of IntelMQ's
harmonization (intelmq/etc/harmonization.conf and intelmq/lib/harmonization.py), as
documented: key syntax, the fields exray may emit and each one's type, the RSIT
classification taxonomy and type names. Written here from the documentation; IntelMQ
itself is not installed. usage: intelmq_check.py FILE [MIN_EVENTS]"""
import ipaddress, json, re, sys

KEY = re.compile(r"^[a-z_][a-z_0-9]+(\.[a-z_0-9]+)*$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00$")
FQDN = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9_-]{1,63}$")
TAXONOMY = {"abusive-content", "availability", "fraud", "information-content-security", "information-gathering",
            "intrusion-attempts", "intrusions", "malicious-code", "other", "test", "vulnerable"}
TYPES = {"vulnerable-system", "vulnerable-service", "system-compromise", "application-compromise", "exploit",
         "brute-force", "ids-alert", "privileged-account-compromise", "unprivileged-account-compromise",
         "undetermined", "other", "scanner", "infected-system", "data-leak", "information-disclosure", "weak-crypto"}

def check_field(k, v):
    if k.startswith("extra."):
        json.dumps(v)  # any JSON value
        return
    if k in ("time.source", "time.observation"):
        assert isinstance(v, str) and DATETIME.match(v), (k, v)
    elif k == "source.ip":
        ipaddress.ip_address(v)
    elif k == "source.port":
        assert isinstance(v, int) and 0 <= v <= 65535, (k, v)
    elif k == "source.asn":
        assert isinstance(v, int) and 0 < v <= 4294967295, (k, v)
    elif k == "source.geolocation.cc":
        assert isinstance(v, str) and re.match(r"^[A-Z]{2}$", v), (k, v)
    elif k in ("source.reverse_dns", "source.fqdn"):
        assert isinstance(v, str) and FQDN.match(v) and v == v.lower(), (k, v)
    elif k in ("protocol.transport", "protocol.application"):
        assert isinstance(v, str) and v == v.lower() and v, (k, v)
    elif k == "classification.taxonomy":
        assert v in TAXONOMY, (k, v)
    elif k == "classification.type":
        assert v in TYPES, (k, v)
    elif k == "classification.identifier":
        assert isinstance(v, str) and v and v == v.lower(), (k, v)
    elif k in ("feed.name", "feed.provider", "event_description.text", "source.as_name"):
        assert isinstance(v, str), (k, v)
    else:
        raise AssertionError("field %s is not one exray may emit" % k)

n = 0
for line in open(sys.argv[1]):
    ev = json.loads(line)
    assert isinstance(ev, dict) and all(KEY.match(k) for k in ev), ev
    assert all(v is not None or k.startswith("extra.") for k, v in ev.items()), ev
    for k in ("classification.taxonomy", "classification.type", "classification.identifier", "feed.name"):
        assert k in ev, (k, ev)
    for k, v in ev.items():
        check_field(k, v)
    n += 1
need = int(sys.argv[2]) if len(sys.argv) > 2 else 1
assert n >= need, "%d events, expected at least %d" % (n, need)
print("  %d IntelMQ events valid" % n)
