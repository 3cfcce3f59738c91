#!/usr/bin/env python3
"""Reads a Maildir written by exray notify and checks every message with Python's email
parser: RFC 5322 headers (no injected ones), one recipient, ticket in Subject and
Message-ID, Auto-Submitted, a text part and a Shadowserver CSV attachment, and isolation:
every host in a message resolves, by the contacts file's most specific network, to that
message's recipient. With the fleet's EXPECTED.jsonl (written from Microsoft's build list by
the fleet generator, not by exray), every column of every attachment row is checked
against the host's facts: the tag lists exactly the CVEs open by version by HealthChecker's
rule (hc_rule.py, from the data tables), severity by KEV and campaign, version, server
name, port, the web shell's path. Prints a JSON summary.
usage: check_mail.py MAILDIR CONTACTS.csv [EXPECTED.jsonl]"""
import csv, datetime, email, glob, ipaddress, json, os, re, sys
from email import policy
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hc_rule import Rule
from email.utils import parsedate_to_datetime

maildir, contacts = sys.argv[1], sys.argv[2]
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data")
# the open CVEs of a build by HealthChecker's rule, read here from the tables (not from exray)
rule = Rule(os.path.join(DATA, "exchange-builds.csv"), os.path.join(DATA, "exchange-vulns.csv"))
expected = {}
if len(sys.argv) > 3:
    for l in open(sys.argv[3]):
        x = json.loads(l)
        expected[x["ip"]] = x
COLUMNS = ["timestamp", "severity", "ip", "protocol", "port", "hostname", "tag", "asn", "geo", "region", "city", "naics",
           "hostname_source", "sector", "version", "servername", "url"]
# each campaign's CVEs (Microsoft's advisories), for the tag's list
SET_CVES = {"proxylogon": {"cve-2021-26855", "cve-2021-26857", "cve-2021-26858", "cve-2021-27065"},
            "proxyshell": {"cve-2021-34473", "cve-2021-34523", "cve-2021-31207"},
            "proxynotshell": {"cve-2022-41040", "cve-2022-41082"}}


def check_row(r, tpl, where):
    """one attachment row against the host's expected facts"""
    x = expected.get(r["ip"])
    assert x is not None, "%s: %s is not a fleet host" % (where, r["ip"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", r["timestamp"]), (where, r["timestamp"])
    assert r["protocol"] == "tcp" and r["port"] == str(x["port"]), (where, r)
    assert not re.search(r"[\x00-\x1f\x7f]", r["hostname"] + r["servername"]), (where, r)
    assert r["hostname_source"] == ("target" if r["hostname"] else ""), (where, r)
    assert r["version"] == x["build"], (where, r["version"], x["build"])
    if x["servername"] and "\x01" not in x["servername"]:
        assert r["servername"] == x["servername"] or r["ip"] == "127.77.0.202", (where, r["servername"], x["servername"])
    open_sets = [k for k in SET_CVES if x[k] == "vulnerable"]
    if tpl == "compromised":
        assert r["severity"] == "critical" and r["tag"] == "exchange;webshell", (where, r)
        assert r["url"] == (x["shells"] or [""])[0], (where, r["url"], x["shells"])
        return
    assert r["url"] == "", (where, r)
    tag = r["tag"].split(";")
    assert tag[0] == "exchange", (where, r["tag"])
    cves = set(tag[1:])
    for k in open_sets:
        assert cves & SET_CVES[k], "%s: %s open, its CVEs missing from the tag %s" % (where, k, r["tag"])
    want = rule.open_cves(x["build"])
    if tpl == "end-of-life":  # nothing open, on a line past its end of support
        assert not open_sets and not want and x["product"] in ("2010", "2013", "2016", "2019"), (where, x, want)
    if tpl == "vulnerable":
        assert open_sets or want, (where, x)
    # the severity follows the host's state (the message's, or for a follow-up the rule's today):
    # critical with a known exploited CVE open, high with another, medium end-of-life, low
    # undetermined, info otherwise
    st = tpl if tpl in ("vulnerable", "end-of-life", "undetermined", "patched") else \
        rule.state(x["build"], datetime.date.today().isoformat(), os.path.join(DATA, "exchange-lifecycle.csv"))
    if want is None:  # a build the table does not list: the campaign sets alone
        allowed_cves = set().union(*(SET_CVES[k] for k in open_sets)) if open_sets else set()
        assert cves <= allowed_cves, (where, r["tag"], open_sets)
        assert r["severity"] == {"vulnerable": "critical", "end-of-life": "medium", "undetermined": "low"}.get(st, "info"), (where, r, st)
        return
    # every CVE open by version, each once, and nothing else
    assert len(tag[1:]) == len(cves) and cves == {c.lower() for c in want}, (where, sorted(cves ^ {c.lower() for c in want}))
    sev = {"vulnerable": "critical" if any(rule.kev(c) for c in want) else "high", "end-of-life": "medium",
           "undetermined": "low"}.get(st, "info")
    assert r["severity"] == sev, (where, r["severity"], sev, st)

nets = []
for row in csv.reader(open(contacts, encoding="utf-8", errors="replace", newline="")):
    if not row or row[0].startswith("#") or row[0] == "network":
        continue
    try:
        nets.append((ipaddress.ip_network(row[0], strict=False), row[1].lower()))
    except ValueError:
        pass

def owner(ip):
    best = None
    for n, e in nets:
        if ipaddress.ip_address(ip) in n and (best is None or n.prefixlen > best[0].prefixlen):
            best = (n, e)
    return best[1] if best else None

allowed = {"from", "to", "subject", "date", "message-id", "auto-submitted", "x-exray-ticket", "x-exray-notice",
           "in-reply-to", "references", "mime-version", "content-type"}
summary = {"messages": 0, "hosts": 0, "by_template": {}, "tickets": [], "host_tickets": {}}
for f in sorted(glob.glob(os.path.join(maildir, "new", "*")) + glob.glob(os.path.join(maildir, "cur", "*"))):
    raw = open(f, "rb").read()
    assert b"\r\n" in raw and not re.search(rb"[^\r]\n", raw), "%s: not CRLF" % f
    assert all(len(l) <= 998 for l in raw.split(b"\r\n")), "%s: line over 998 octets" % f
    m = email.message_from_bytes(raw, policy=policy.default)
    keys = [k.lower() for k in m.keys()]
    assert set(keys) <= allowed and len(keys) == len(set(keys)), "%s: headers %s" % (f, keys)
    ticket = m["X-exray-Ticket"]
    assert re.fullmatch(r"\d{8}-\d{8}", ticket), ticket
    assert ticket in str(m["Subject"]), m["Subject"]
    assert m["Message-ID"].startswith("<%s." % ticket), m["Message-ID"]
    assert m["Auto-Submitted"] == "auto-generated"
    kind = m["X-exray-Notice"]
    assert kind in ("first", "reminder", "escalation", "resolved"), kind
    # a follow-up threads to the first notice; a first notice threads to nothing
    refs = re.findall(r"<(\d{8}-\d{8})\.[^>]+>", str(m["References"] or ""))
    assert (kind == "first") == (m["In-Reply-To"] is None), (f, kind, m["In-Reply-To"])
    assert kind == "first" or (refs and m["In-Reply-To"].strip() == "<%s.%s" % (refs[0], m["Message-ID"].split(".", 1)[1])), (f, refs)
    summary.setdefault("by_kind", {})[kind] = summary.get("by_kind", {}).get(kind, 0) + 1
    parsedate_to_datetime(m["Date"])
    to = m["To"].addresses
    assert len(to) == 1, m["To"]
    rcpt = to[0].addr_spec.lower()
    parts = list(m.iter_parts())
    assert parts[0].get_content_type() == "text/plain"
    body = parts[0].get_content()
    att = [p for p in parts if p.get_content_disposition() == "attachment"]
    assert len(att) == 1 and att[0].get_filename() == "exray-%s.csv" % ticket
    rows = list(csv.DictReader(att[0].get_content().splitlines()))
    assert rows and list(rows[0].keys()) == COLUMNS, rows[:1]
    subj = str(m["Subject"])
    tpl = ("compromised" if "compromise" in subj else "vulnerable" if "missing" in subj else
           "end-of-life" if "no longer receives" in subj else "other")
    for r in rows:
        if expected:
            check_row(r, tpl, "%s (ticket %s)" % (r["ip"], ticket))
        o = owner(r["ip"])
        assert o == rcpt, "isolation: %s belongs to %s, sent to %s (ticket %s)" % (r["ip"], o, rcpt, ticket)
        assert r["ip"] in body
        summary["host_tickets"].setdefault(r["ip"], []).append(ticket)
        summary.setdefault("host_templates", {}).setdefault(r["ip"], []).append(tpl)
    summary["by_template"][tpl] = summary["by_template"].get(tpl, 0) + 1
    summary["messages"] += 1
    summary["hosts"] += len(rows)
    summary["tickets"].append(ticket)
assert len(summary["tickets"]) == len(set(summary["tickets"])), "a ticket delivered twice"
print(json.dumps(summary))
