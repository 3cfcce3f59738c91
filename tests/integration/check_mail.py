#!/usr/bin/env python3
"""Reads a Maildir written by exray notify and checks every message with Python's email
parser: RFC 5322 headers (no injected ones), one recipient, ticket in Subject and
Message-ID, Auto-Submitted, a text part and a Shadowserver CSV attachment, and isolation:
every host in a message resolves, by the contacts file's most specific network, to that
message's recipient. Prints a JSON summary. usage: check_mail.py MAILDIR CONTACTS.csv"""
import csv, email, glob, ipaddress, json, os, re, sys
from email import policy
from email.utils import parsedate_to_datetime

maildir, contacts = sys.argv[1], sys.argv[2]
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

allowed = {"from", "to", "subject", "date", "message-id", "auto-submitted", "x-exray-ticket", "mime-version", "content-type"}
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
    assert rows and list(rows[0].keys())[:7] == ["timestamp", "severity", "ip", "protocol", "port", "hostname", "tag"], rows[:1]
    for r in rows:
        o = owner(r["ip"])
        assert o == rcpt, "isolation: %s belongs to %s, sent to %s (ticket %s)" % (r["ip"], o, rcpt, ticket)
        assert r["ip"] in body
        summary["host_tickets"].setdefault(r["ip"], []).append(ticket)
    tpl = "compromised" if "compromise" in str(m["Subject"]) else "vulnerable" if "missing" in str(m["Subject"]) else "other"
    summary["by_template"][tpl] = summary["by_template"].get(tpl, 0) + 1
    summary["messages"] += 1
    summary["hosts"] += len(rows)
    summary["tickets"].append(ticket)
assert len(summary["tickets"]) == len(set(summary["tickets"])), "a ticket delivered twice"
print(json.dumps(summary))
