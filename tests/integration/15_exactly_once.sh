#!/bin/sh
# exray notify keeps "exactly once" when the network and the processes misbehave:
#  - a server that reads the whole message and drops the connection before its reply, and
#    one that replies after the timeout: the ticket is uncertain, not sent again (in this
#    run or the next); --uncertain lists it, --resolve settles it;
#  - two notify runs at once against one store: every ticket delivered once;
#  - (test build) kill -9 at each point of delivery, then a rerun: no ticket twice, none lost.
. "$(dirname "$0")/lib.sh"
PORT=$(free_port)
start_fleet 127.77.0.0 64 $PORT
DB=$(store exray)
"$EXRAY" scan -q -p $PORT --rate 0 127.77.0.0/26 --db "$DB" -o /dev/null 2>/dev/null
# a new observation of every host: a reminder needs evidence newer than the last notice
fresh() { "$EXRAY" scan -q -p $PORT --rate 0 127.77.0.0/26 --db "$DB" -o /dev/null 2>/dev/null; }
cat > "$WORK/contacts.csv" <<'CSV'
network,email,org
127.77.0.0/28,a@one.example,One
127.77.0.16/28,b@two.example,Two
127.77.0.32/28,c@three.example,Three
127.77.0.48/28,d@four.example,Four
CSV
S="$WORK/smtp"
P_OK=$(free_port); P_DROP=$(free_port); P_SLOW=$(free_port); P_REJ=$(free_port); P_TMP=$(free_port)
python3 "$ROOT/tests/fixtures/smtp/fakesmtp.py" "$S" "$WORK/smtp.ready" healthy:$P_OK drop:$P_DROP slow:$P_SLOW reject:$P_REJ \
    tempfail:$P_TMP 2>"$WORK/smtp.err" &
PIDS="$PIDS $!"
i=0; while [ ! -f "$WORK/smtp.ready" ]; do i=$((i+1)); [ $i -gt 50 ] && fail "fake SMTP server did not start"; sleep 0.1; done
q() { python3 -c "import dbconn,sys; print(dbconn.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$DB" "$1"; }
count_at() { ls "$S/$1" 2>/dev/null | wc -l; }
notify() { "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --domain-rate 0 --retries 2 --from n@cert.example "$@"; }

notify --plan-only 2>/dev/null
n=$(q "select count(*) from tickets")
[ "$n" -ge 3 ] || fail "only $n tickets planned"

# (a) the connection drops after the whole message: uncertain, not retried in this run
set +e; notify --smtp smtp://127.0.0.1:$P_DROP --smtp-timeout 5 2>"$WORK/drop.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "drop: exit $rc: $(cat "$WORK/drop.err")"
[ "$(q "select count(*) from tickets where state = 'uncertain'")" -eq "$n" ] || fail "drop: not every ticket uncertain: $(cat "$WORK/drop.err")"
[ "$(count_at drop)" -eq "$n" ] || fail "drop: the server got $(count_at drop) messages for $n tickets (a retry after the final dot?)"
ok "connection lost after the final dot: every ticket uncertain, each message at the server once (no blind retry)"

# the next run, to a healthy server, sends none of them again
set +e; notify --smtp smtp://127.0.0.1:$P_OK 2>"$WORK/next.err"; rc=$?; set -e
[ "$(count_at healthy)" -eq 0 ] || fail "an uncertain ticket was sent again by the next run"
"$EXRAY" notify --db "$DB" --uncertain > "$WORK/uncertain.txt" 2>"$WORK/u.err" || fail "--uncertain: $(cat "$WORK/u.err")"
[ "$(wc -l < "$WORK/uncertain.txt")" -eq "$n" ] || fail "--uncertain lists $(wc -l < "$WORK/uncertain.txt") of $n"
first=$(head -1 "$WORK/uncertain.txt" | cut -f1)
second=$(sed -n 2p "$WORK/uncertain.txt" | cut -f1)
"$EXRAY" notify --db "$DB" --resolve "$first" sent >/dev/null || fail "--resolve sent"
"$EXRAY" notify --db "$DB" --resolve "$second" resend >/dev/null || fail "--resolve resend"
set +e; "$EXRAY" notify --db "$DB" --resolve "$first" resend >/dev/null 2>&1; rc=$?; set -e
[ $rc -eq 2 ] || fail "--resolve on a sent ticket must be refused"
notify --smtp smtp://127.0.0.1:$P_OK 2>"$WORK/res.err" || true
[ "$(count_at healthy)" -eq 1 ] || fail "after --resolve: $(count_at healthy) messages at the healthy server, expected 1"
[ "$(q "select state from tickets where id = '$first'")" = sent ] && [ "$(q "select state from tickets where id = '$second'")" = sent ] || fail "resolved states"
ok "the next run resends nothing; --uncertain lists them; --resolve sent|resend settles each (resend: delivered once)"

# (b) the reply comes after the timeout: uncertain as well
fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
m=$(q "select count(*) from tickets where state = 'pending'")
set +e; notify --smtp smtp://127.0.0.1:$P_SLOW --smtp-timeout 2 2>"$WORK/slow.err"; rc=$?; set -e
[ "$(q "select count(*) from tickets where state = 'uncertain' and delivery like '%after the end of the message%'")" -ge "$m" ] || fail "slow: $(cat "$WORK/slow.err")"
[ "$(count_at slow)" -eq "$m" ] || fail "slow: $(count_at slow) messages for $m tickets"
ok "no reply within the timeout after the final dot: uncertain, one copy at the server"

# two runs at once against one store and one healthy server: every ticket exactly once
fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
k=$(q "select count(*) from tickets where state = 'pending'")
before=$(count_at healthy)
notify --smtp smtp://127.0.0.1:$P_OK 2>"$WORK/c1.err" & p1=$!
notify --smtp smtp://127.0.0.1:$P_OK 2>"$WORK/c2.err" & p2=$!
wait $p1 || true; wait $p2 || true
after=$(count_at healthy)
[ $((after - before)) -eq "$k" ] || fail "two runs at once: $((after - before)) messages for $k tickets"
python3 - "$S/healthy" <<'PY' || fail "a ticket twice at the server"
import collections, email, glob, sys
c = collections.Counter(email.message_from_binary_file(open(f, "rb"))["X-exray-Ticket"] for f in glob.glob(sys.argv[1] + "/*"))
assert all(v == 1 for v in c.values()), {t: v for t, v in c.items() if v > 1}
PY
[ "$(q "select count(*) from tickets where state = 'pending' or state = 'sending'")" -eq 0 ] || fail "tickets left"
ok "two notify runs at once: $k tickets, each delivered exactly once"

# (test build) kill -9 at each point of delivery, then rerun
if "$EXRAY" --version 2>/dev/null | grep -q "test hooks"; then
    for point in claim write rename commit; do
        fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
        set +e; EXRAY_TEST_CRASH_AT=$point notify --maildir "$WORK/md" 2>/dev/null; rc=$?; set -e
        [ $rc -eq 137 ] || fail "$point: the hook did not fire (exit $rc)"
        notify --maildir "$WORK/md" 2>"$WORK/md.err" || fail "$point: rerun: $(cat "$WORK/md.err")"
        python3 - "$DB" "$WORK/md" <<'PY' || fail "maildir after a kill at $point"
import collections, email, glob, os, dbconn, sys
db = dbconn.connect(sys.argv[1])
# messages per ticket by what they say (X-exray-Ticket), in new/ and cur/, not by file name
msgs = collections.Counter()
for f in glob.glob(os.path.join(sys.argv[2], "new", "*")) + glob.glob(os.path.join(sys.argv[2], "cur", "*")):
    t = email.message_from_binary_file(open(f, "rb"))["X-exray-Ticket"]
    assert t and os.path.basename(f).startswith(t + "."), (f, t)
    msgs[t] += 1
assert all(v == 1 for v in msgs.values()), {t: v for t, v in msgs.items() if v > 1}
sent = {r[0] for r in db.execute("select id from tickets where delivery like 'maildir%' and state = 'sent'")}
assert sent <= set(msgs), sent - set(msgs)
assert db.execute("select count(*) from tickets where state in ('pending','sending')").fetchone()[0] == 0
PY
    done
    for point in before-data after-250; do
        fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
        b=$(count_at healthy)
        set +e; EXRAY_TEST_CRASH_AT=$point notify --smtp smtp://127.0.0.1:$P_OK 2>/dev/null; rc=$?; set -e
        [ $rc -eq 137 ] || fail "$point: the hook did not fire (exit $rc)"
        notify --smtp smtp://127.0.0.1:$P_OK 2>/dev/null || true
        python3 - "$S/healthy" "$DB" <<'PY' || fail "SMTP after a kill at $point"
import collections, email, glob, dbconn, sys
c = collections.Counter(email.message_from_binary_file(open(f, "rb"))["X-exray-Ticket"] for f in glob.glob(sys.argv[1] + "/*"))
assert all(v == 1 for v in c.values()), "a ticket twice"
db = dbconn.connect(sys.argv[2])
assert db.execute("select count(*) from tickets where state in ('pending','sending')").fetchone()[0] == 0
for t, st in db.execute("select id, state from tickets where delivery not like 'maildir%'"):
    assert st in ("sent", "uncertain", "failed"), (t, st)
PY
    done
    ok "kill -9 at claim, write, rename, commit (Maildir) and before DATA, after 250 (SMTP): no ticket twice, none lost"
else
    echo "  skip: kill -9 at each point of delivery needs the test build (make test-asan builds it with the hooks)"
fi

# a 5xx refusal makes a ticket failed (not retried, not pending); a 4xx is retried with
# backoff (1 s, then 2 s) and the ticket stays pending; --domain-rate paces one domain
fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
m=$(q "select count(*) from tickets where state = 'pending'")
set +e; notify --smtp smtp://127.0.0.1:$P_REJ 2>"$WORK/rej.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "5xx: exit $rc: $(cat "$WORK/rej.err")"
[ "$(q "select count(*) from tickets where state = 'failed'")" -ge "$m" ] || fail "5xx: tickets not failed: $(cat "$WORK/rej.err")"
[ "$(q "select count(*) from tickets where state = 'pending'")" -eq 0 ] || fail "5xx: a refused ticket left pending"
[ "$(grep -c mail "$S/reject.times")" -eq "$m" ] || fail "5xx: a refused message was tried again ($(grep -c mail "$S/reject.times") attempts, $m tickets)"
fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
t1=$(q "select id from tickets where state = 'pending' order by id limit 1")
python3 -c "import dbconn,sys; d = dbconn.connect(sys.argv[1]); d.execute(\"update tickets set state = 'failed' where state = 'pending' and id <> ?\", (sys.argv[2],)); d.commit()" "$DB" "$t1"
set +e; notify --smtp smtp://127.0.0.1:$P_TMP --retries 2 2>"$WORK/tmp.err"; rc=$?; set -e
[ $rc -eq 1 ] || fail "4xx: exit $rc: $(cat "$WORK/tmp.err")"
[ "$(q "select state from tickets where id = '$t1'")" = pending ] || fail "4xx: the ticket is not pending"
python3 - "$S/tempfail.times" <<'PY' || fail "4xx retries and backoff: $(cat "$S/tempfail.times")"
import sys
t = [float(l.split()[1]) for l in open(sys.argv[1]) if l.startswith("mail")]
assert len(t) == 3, t                      # the first try and --retries 2
assert t[1] - t[0] >= 0.9 and t[2] - t[1] >= 1.9, [round(b - a, 2) for a, b in zip(t, t[1:])]
PY
printf 'network,email,org\n127.77.0.0/27,one@same.example,One\n127.77.0.32/27,two@same.example,Two\n' > "$WORK/same.csv"
fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/same.csv" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
python3 -c "import dbconn,sys; d = dbconn.connect(sys.argv[1]); d.execute(\"update tickets set state = 'failed' where state = 'pending' and recipient not like '%@same.example'\"); d.commit()" "$DB"
k=$(q "select count(*) from tickets where state = 'pending'")
[ "$k" -ge 2 ] || fail "--domain-rate: $k tickets to one domain"
: > "$S/healthy.times"
"$EXRAY" notify --db "$DB" --contacts "$WORK/same.csv" --domain-rate 30 --from n@cert.example --smtp smtp://127.0.0.1:$P_OK 2>"$WORK/rate.err" ||
    fail "--domain-rate: $(cat "$WORK/rate.err")"
python3 - "$S/healthy.times" "$k" <<'PY' || fail "--domain-rate 30: $(cat "$S/healthy.times")"
import sys
t = [float(l.split()[1]) for l in open(sys.argv[1]) if l.startswith("data")]
assert len(t) == int(sys.argv[2]), t
assert all(b - a >= 1.9 for a, b in zip(t, t[1:])), [round(b - a, 2) for a, b in zip(t, t[1:])]  # 30 a minute: 2 s apart
PY
ok "a 5xx refusal: failed, never retried; a 4xx: retried after 1 s and 2 s, left pending; --domain-rate 30: one domain's messages 2 s apart"

# a claim is the run's own: a live claim by another machine (another boot id) that happens to
# have this host's name and a pid that does not exist here is left to its lease; a claim by a
# process of this boot that is gone is recovered at once
fresh; "$EXRAY" notify --db "$DB" --contacts "$WORK/contacts.csv" --interval 0 --reminders 99 --include-patched --plan-only 2>/dev/null
python3 - "$DB" "$(hostname)" "$WORK/claim.ids" <<'PY'
import dbconn, sys
db = dbconn.connect(sys.argv[1])
ids = [r[0] for r in db.execute("select id from tickets where state = 'pending' order by id")]
assert len(ids) >= 2, ids
boot = open("/proc/sys/kernel/random/boot_id").read().strip()
far = "2999-01-01T00:00:00.000000Z"
# the old identity (host name and pid), as another machine with this name would record it
db.execute("update tickets set state = 'sending', run_id = ?, lease_until = ?, delivery = 'sending: maildir:x' where id = ?",
           ("%s:4194000:1" % sys.argv[2], far, ids[0]))
db.execute("update tickets set state = 'sending', run_id = ?, lease_until = ?, delivery = 'sending: maildir:x' where id = ?",
           ("other-boot-id:4194000:00ff", far, ids[1]))
db.commit()
open(sys.argv[3], "w").write(ids[0] + " " + ids[1])
PY
notify --maildir "$WORK/md-claims" 2>"$WORK/claims.err" || fail "notify beside foreign claims: $(cat "$WORK/claims.err")"
set -- $(cat "$WORK/claim.ids")
[ "$(q "select state from tickets where id = '$1'")" = sending ] || fail "a live claim under this host's name was taken over"
[ "$(q "select state from tickets where id = '$2'")" = sending ] || fail "another machine's live claim was taken over"
python3 - "$DB" <<'PY'
import dbconn, sys
db = dbconn.connect(sys.argv[1])
boot = open("/proc/sys/kernel/random/boot_id").read().strip()
db.execute("update tickets set run_id = ? where state = 'sending'", ("%s:4194000:ab" % boot,))
db.commit()
PY
notify --maildir "$WORK/md-claims" 2>"$WORK/claims2.err" || fail "notify after a dead local claim: $(cat "$WORK/claims2.err")"
[ "$(q "select count(*) from tickets where state = 'sending'")" -eq 0 ] || fail "a claim of a dead process of this boot was not recovered"
ok "claims are per run: another machine's live claim (even under this host name) waits for its lease; a dead local one is recovered"
