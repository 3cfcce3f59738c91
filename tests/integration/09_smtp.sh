#!/bin/sh
# Notifications over SMTP to a real Postfix on loopback: what arrives (recipients, headers,
# attachment, ticket numbers), pacing per destination domain, and the crash test: kill -9
# the sender midway, rerun, and count the messages per ticket at the server.
. "$(dirname "$0")/lib.sh"
if ! command -v postfix >/dev/null; then fail "postfix missing (scripts/deps.sh installs it)"; fi
MTA="$WORK/postfix"
SMTP_PORT=$(free_port)
AUTH_MTA="$WORK/postfix-auth"
AUTH_PORT=$(free_port)
cleanup_smtp() { "$ROOT/tests/fixtures/smtp/postfix.sh" stop "$MTA"; "$ROOT/tests/fixtures/smtp/postfix.sh" stop "$AUTH_MTA"; cleanup; }
trap cleanup_smtp EXIT INT TERM
"$ROOT/tests/fixtures/smtp/postfix.sh" start "$MTA" $SMTP_PORT
PORT=$(free_port)
start_fleet 127.77.0.0 256 $PORT
DB=$(store exray)
"$EXRAY" scan -q -p $PORT --rate 0 --probe-webshells 127.77.0.0/24 --db "$DB" -o /dev/null 2>/dev/null
# a new observation of every host: a reminder needs evidence newer than the last notice
fresh() { "$EXRAY" scan -q -p $PORT --rate 0 --probe-webshells 127.77.0.0/24 --db "$DB" -o /dev/null 2>/dev/null; }
cat > "$WORK/contacts.csv" <<'CSV'
network,email,org
127.77.0.0/26,noc@one.example,Org One
127.77.0.64/26,it@two.example,Org Two
127.77.0.128/26,a@same.example,Same A
127.77.0.192/27,b@same.example,Same B
127.77.0.224/27,c@same.example,Same C
CSV
wait_inbox() { # N [MTA-DIR]: wait until N messages are in that server's inbox
    i=0
    while [ "$(ls "${2:-$MTA}/mail/inbox/new" 2>/dev/null | wc -l)" -lt "$1" ]; do
        i=$((i + 1)); [ $i -gt 100 ] && break
        sleep 0.1
    done
}
tickets_where() { # SQL condition: how many tickets in the store match it
    python3 -c "import dbconn,sys; print(dbconn.connect(sys.argv[1]).execute('select count(*) from tickets where ' + sys.argv[2]).fetchone()[0])" "$DB" "$1"
}
"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --smtp smtp://127.0.0.1:$SMTP_PORT --smtp-insecure --domain-rate 0 \
    --from notify@cert.example 2>"$WORK/n1.err" || fail "notify over SMTP: $(cat "$WORK/n1.err")"
n=$(tickets_where "delivery = 'smtp'")
wait_inbox "$n"
python3 - "$MTA/mail/inbox" "$DB" <<'PY' || fail "what arrived"
import collections, csv, email, glob, dbconn, sys
from email import policy
db = dbconn.connect(sys.argv[2])
tickets = {r[0]: r[1] for r in db.execute("select id, recipient from tickets where delivery = 'smtp'")}
seen = collections.Counter()
for f in glob.glob(sys.argv[1] + "/new/*"):
    m = email.message_from_binary_file(open(f, "rb"), policy=policy.default)
    t = m["X-exray-Ticket"]
    seen[t] += 1
    assert m["X-Original-To"] == tickets[t] == m["To"].addresses[0].addr_spec, (t, m["X-Original-To"], m["To"])
    assert t in str(m["Subject"]) and m["Message-ID"].startswith("<" + t)
    assert m["Auto-Submitted"] == "auto-generated"
    att = [p for p in m.iter_parts() if p.get_content_disposition() == "attachment"]
    rows = list(csv.DictReader(att[0].get_content().splitlines()))
    assert rows and all(r["ip"].startswith("127.77.0.") for r in rows)
assert set(seen) == set(tickets), (sorted(seen), sorted(tickets))
assert all(v == 1 for v in seen.values()), seen
print("  %d messages at the server, one per ticket" % len(seen))
PY
ok "Postfix received one message per ticket, addressed to its recipient, with the CSV attachment"

# crash test: three tickets to same.example, paced at 60 a minute; kill -9 in the middle
fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
pending=$(tickets_where "sent_at is null")
[ "$pending" -ge 5 ] || fail "only $pending pending tickets for the crash test"
"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --smtp smtp://127.0.0.1:$SMTP_PORT --smtp-insecure --domain-rate 60 \
    --from notify@cert.example 2>/dev/null &
pid=$!
sleep 2.5
kill -9 $pid 2>/dev/null || fail "the sender finished before it could be killed"
wait $pid 2>/dev/null || true
left=$(tickets_where "sent_at is null")
[ "$left" -gt 0 ] && [ "$left" -lt "$pending" ] || fail "killed run left $left of $pending pending"
# the rerun takes over the killed run's claim at once (--lease 0): a ticket it was waiting
# to submit goes back to pending, one it was submitting becomes uncertain, never resent
set +e
"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --smtp smtp://127.0.0.1:$SMTP_PORT --smtp-insecure --domain-rate 0 \
    --lease 0 --from notify@cert.example 2>"$WORK/n3.err"
rc=$?
set -e
[ $rc -le 1 ] || fail "rerun: $(cat "$WORK/n3.err")"
total=$(tickets_where "state = 'sent'")
wait_inbox "$total"
python3 - "$MTA/mail/inbox" "$DB" <<'PY' || fail "messages per ticket after the crash"
import collections, email, glob, dbconn, sys
from email import policy
db = dbconn.connect(sys.argv[2])
states = dict(db.execute("select id, state from tickets").fetchall())
assert set(states.values()) <= {"sent", "uncertain"}, collections.Counter(states.values())
seen = collections.Counter()
for f in glob.glob(sys.argv[1] + "/new/*"):
    seen[email.message_from_binary_file(open(f, "rb"), policy=policy.default)["X-exray-Ticket"]] += 1
dups = {t: c for t, c in seen.items() if c != 1}
assert not dups, dups
assert all(seen[t] == 1 for t, st in states.items() if st == "sent"), "a sent ticket is missing at the server"
print("  %d tickets: %d sent, each exactly once at the server; %d uncertain (none resent)"
      % (len(states), sum(1 for s in states.values() if s == "sent"), sum(1 for s in states.values() if s == "uncertain")))
PY
ok "kill -9 midway, rerun: no ticket twice at the server; every ticket sent (once) or uncertain"
# what an operator does next: a ticket the server has is settled as sent, one it lacks is
# sent again (whether the kill leaves one uncertain depends on when it lands)
python3 - "$MTA/mail/inbox" "$DB" <<'PY' > "$WORK/settle" || fail "uncertain tickets"
import email, glob, dbconn, sys
from email import policy
seen = {email.message_from_binary_file(open(f, "rb"), policy=policy.default)["X-exray-Ticket"] for f in glob.glob(sys.argv[1] + "/new/*")}
for (t,) in dbconn.connect(sys.argv[2]).execute("select id from tickets where state = 'uncertain'"):
    print(t, "sent" if t in seen else "resend")
PY
while read -r t how; do
    "$EXRAY" notify --db "$DB" --resolve "$t" "$how" >/dev/null 2>&1 || fail "notify --resolve $t $how"
done < "$WORK/settle"
[ "$(tickets_where "state = 'uncertain'")" -eq 0 ] || fail "uncertain tickets left after --resolve"

# STARTTLS required; a temporary failure (nothing listening) keeps the ticket pending with
# its reason, exit status 1; the next run delivers it
fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
set +e
"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --smtp smtp://127.0.0.1:1 --retries 1 --domain-rate 0 \
    --from notify@cert.example 2>"$WORK/n5.err"
rc=$?
set -e
[ $rc -eq 1 ] || fail "unreachable SMTP server: exit $rc ($(tail -2 "$WORK/n5.err"))"
python3 - "$DB" <<'PY' || fail "failed tickets"
import dbconn, sys
db = dbconn.connect(sys.argv[1])
rows = db.execute("select state, delivery from tickets where sent_at is null").fetchall()
assert rows and all(r[1] and r[1].startswith("failed: SMTP") for r in rows), rows[:3]
# a temporary failure keeps the ticket pending (for the next run), never failed or sent
assert all(r[0] == "pending" for r in rows), [r[0] for r in rows]
PY
before=$(ls "$MTA/mail/inbox/new" | wc -l)
"$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --smtp smtp://127.0.0.1:$SMTP_PORT --starttls --smtp-insecure \
    --domain-rate 0 --from notify@cert.example 2>"$WORK/n6.err" || fail "STARTTLS delivery: $(cat "$WORK/n6.err")"
sent=$(tickets_where "delivery = 'smtp'")
wait_inbox "$sent"
python3 - "$MTA/mail/inbox" "$before" <<'PY' || fail "STARTTLS messages"
import email, glob, os, sys
from email import policy
files = sorted(glob.glob(sys.argv[1] + "/new/*"), key=os.path.getmtime)[int(sys.argv[2]):]
assert files, "nothing new arrived"
for f in files:
    m = email.message_from_binary_file(open(f, "rb"), policy=policy.default)
    rcv = " ".join(str(h) for h in m.get_all("Received"))
    assert "TLS" in rcv, rcv
PY
ok "temporary failure: ticket pending with its reason, exit 1; then delivered over STARTTLS"

# SMTP AUTH after STARTTLS on a Postfix that relays only for authenticated clients: a wrong
# password stops the run after one attempt (exit 2, every ticket still pending, the reason
# on the first); the right one (read from the environment) delivers every ticket
"$ROOT/tests/fixtures/smtp/postfix.sh" start "$AUTH_MTA" $AUTH_PORT 'cert-team:Corr3ct horse'
fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
pending=$(tickets_where "sent_at is null")
[ "$pending" -ge 2 ] || fail "expected pending tickets, have $pending"
set +e
EXR_SMTP_PW='wrong' "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --smtp smtp://127.0.0.1:$AUTH_PORT --starttls \
    --smtp-insecure --smtp-user cert-team --smtp-pass-env EXR_SMTP_PW --retries 3 --domain-rate 0 --from notify@cert.example 2>"$WORK/a1.err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "refused credentials: exit $rc ($(cat "$WORK/a1.err"))"
grep -q "stopping" "$WORK/a1.err" || fail "refused credentials not explained: $(cat "$WORK/a1.err")"
attempts=$(grep -c "auth=0/1" "$AUTH_MTA/maillog" || true)
[ "$attempts" -eq 1 ] || fail "refused credentials were tried $attempts times"
python3 - "$DB" "$pending" <<'PY' || fail "tickets after refused credentials"
import dbconn, sys
db = dbconn.connect(sys.argv[1])
assert db.execute("select count(*) from tickets where sent_at is null").fetchone()[0] == int(sys.argv[2])
why = [r[0] for r in db.execute("select delivery from tickets where sent_at is null and delivery like 'failed:%'")]
assert any("Login denied" in w or "535" in w for w in why), why
PY
EXR_SMTP_PW='Corr3ct horse' "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --smtp smtp://127.0.0.1:$AUTH_PORT --starttls \
    --smtp-insecure --smtp-user cert-team --smtp-pass-env EXR_SMTP_PW --domain-rate 0 --from notify@cert.example 2>"$WORK/a2.err" \
    || fail "authenticated delivery: $(cat "$WORK/a2.err")"
wait_inbox "$pending" "$AUTH_MTA"
python3 - "$AUTH_MTA/mail/inbox" "$pending" "$DB" <<'PY' || fail "authenticated messages"
import email, glob, dbconn, sys
from email import policy
files = glob.glob(sys.argv[1] + "/new/*")
assert len(files) == int(sys.argv[2]), (len(files), sys.argv[2])
for f in files:
    m = email.message_from_binary_file(open(f, "rb"), policy=policy.default)
    rcv = " ".join(str(h) for h in m.get_all("Received"))
    assert "Authenticated sender: cert-team" in rcv and "TLS" in rcv, rcv
assert dbconn.connect(sys.argv[3]).execute("select count(*) from tickets where sent_at is null").fetchone()[0] == 0
PY
ok "SMTP AUTH after STARTTLS: refused credentials stop the run after one attempt (exit 2); accepted ones deliver"

# a server that offers no STARTTLS: --smtp-user never sends the credentials in clear text
# (exit 2 before AUTH); --smtp-insecure-auth allows it explicitly
PLAIN_PORT=$(free_port)
python3 "$ROOT/tests/fixtures/smtp/plainsmtp.py" $PLAIN_PORT "$WORK/plain.log" "$WORK/plain.ready" &
PIDS="$PIDS $!"
i=0; while [ ! -f "$WORK/plain.ready" ]; do i=$((i+1)); [ $i -gt 100 ] && fail "plain SMTP server did not start"; sleep 0.1; done
fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
set +e
EXR_SMTP_PW='Clear-text-pw' "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --smtp smtp://127.0.0.1:$PLAIN_PORT \
    --smtp-user cert-team --smtp-pass-env EXR_SMTP_PW --retries 0 --domain-rate 0 --from notify@cert.example 2>"$WORK/p1.err"
rc=$?
set -e
[ $rc -eq 2 ] || fail "--smtp-user without TLS: exit $rc ($(cat "$WORK/p1.err"))"
grep -qi "AUTH" "$WORK/plain.log" && fail "credentials sent without TLS: $(grep -i AUTH "$WORK/plain.log")"
grep -q "EHLO" "$WORK/plain.log" || fail "the test server was never reached"
set +e
EXR_SMTP_PW='Clear-text-pw' "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --smtp smtp://127.0.0.1:$PLAIN_PORT \
    --smtp-user cert-team --smtp-pass-env EXR_SMTP_PW --smtp-insecure-auth --retries 0 --domain-rate 0 --from notify@cert.example \
    2>"$WORK/p2.err"
set -e
grep -qi "^AUTH" "$WORK/plain.log" || fail "--smtp-insecure-auth did not authenticate: $(cat "$WORK/p2.err")"
ok "a server without STARTTLS never sees the credentials (exit 2) unless --smtp-insecure-auth allows it"
