/* opts_notify.c: the options of `exray notify`. */
#include "opts.h"

#define R "Recipients"
#define D "Delivery"
#define M "Messages and planning"
#define U "Uncertain tickets"

static const exr_opt opts[] = {
    [NOTIFY_DB] = {"db", 0, "STORE", NULL, "the store written by scan and import: an existing SQLite file or a PostgreSQL URI", NULL, R,
                   NULL, 0},
    [NOTIFY_CONTACTS] = {"contacts", 0, "FILE", NULL, "CSV network,email,org; network a CIDR or AS<number>",
                         "The most specific network wins, then the host's ASN, then its country's national CERT.", R, NULL, EXR_OPT_REPEAT},
    [NOTIFY_NATIONAL] = {"national", 0, "FILE", "the built-in table", "CSV country,email,org of national CERTs", NULL, R, NULL, 0},
    [NOTIFY_IPDB] = {"ipdb", 0, "FILE", NULL, "fill ASN, AS name and country from a file of enrich compile or a .mmdb", NULL, R, NULL, 0},
    [NOTIFY_MAILDIR] = {"maildir", 0, "DIR", NULL, "deliver into this Maildir (new/TICKET.eml): a dry run", NULL, D, NULL, 0},
    [NOTIFY_SMTP] = {"smtp", 0, "URL", NULL, "submit over SMTP: smtp://host:port or smtps://host:port", NULL, D, NULL, 0},
    [NOTIFY_SMTP_USER] = {"smtp-user", 0, "USER", NULL, "SMTP user name", NULL, D, NULL, 0},
    [NOTIFY_SMTP_PASS_ENV] = {"smtp-pass-env", 0, "VAR", NULL, "read the SMTP password from the environment variable VAR",
                              "The password is never taken from the command line, where other users can read it.", D, NULL, 0},
    [NOTIFY_STARTTLS] = {"starttls", 0, NULL, NULL, "require STARTTLS (without it: used when offered)", NULL, D, NULL, 0},
    [NOTIFY_SMTP_INSECURE] = {"smtp-insecure", 0, NULL, NULL, "do not verify the SMTP server's certificate", NULL, D, NULL, 0},
    [NOTIFY_SMTP_INSECURE_AUTH] = {"smtp-insecure-auth", 0, NULL, NULL, "allow --smtp-user over a connection without TLS",
                                   "Without it, credentials go only over smtps:// or after STARTTLS: a server that offers no "
                                   "STARTTLS stops the run before they are sent.",
                                   D, NULL, 0},
    [NOTIFY_SMTP_TIMEOUT] = {"smtp-timeout", 0, "S", "60", "the whole SMTP transaction of one message, at most S seconds",
                             "A timeout after the end of the message makes the ticket uncertain.", D, NULL, 0},
    [NOTIFY_DOMAIN_RATE] = {"domain-rate", 0, "N", "60", "at most N messages a minute to one recipient domain", NULL, D, NULL, 0},
    [NOTIFY_RETRIES] = {"retries", 0, "N", "3", "retries with backoff (1, 2, 4 s...) for temporary failures", NULL, D, NULL, 0},
    [NOTIFY_FROM] = {"from", 0, "ADDR", "exray@localhost.localdomain", "sender address", NULL, M, NULL, 0},
    [NOTIFY_SENDER_NAME] = {"sender-name", 0, "NAME", "exray notification service", "sender name in From: and the signature", NULL, M, NULL,
                            0},
    [NOTIFY_TEMPLATES] = {"templates", 0, "DIR", "the built-in ones", "templates STATE.txt (first line Subject: ..., then the body)",
                          "Also reminder.txt and resolved.txt. Variables: ${ticket} ${org} ${recipient} ${host_count} ${hosts} "
                          "${sets} ${state} ${date} ${sender_name} ${cves} ${support} ${first_ticket} ${first_sent} "
                          "${last_seen} ${changes}; an unknown one stops the run before anything is sent.",
                          M, NULL, 0},
    [NOTIFY_INTERVAL] = {"interval", 0, "DAYS", "7", "the older name of --remind-after", NULL, M, NULL, 0},
    [NOTIFY_REMIND_AFTER] = {"remind-after", 0, "DAYS", "7", "a reminder at the earliest DAYS after the last notice to that recipient",
                             "And only when an observation newer than that notice still shows the host in the same state: "
                             "no new evidence, no message. A new or worse state gets its own first notice at once.",
                             M, NULL, 0},
    [NOTIFY_REMINDERS] = {"reminders", 0, "N", "2", "at most N reminders per host and state, then one escalation",
                          "The escalation follows the same evidence rule and goes once per host and state to the next contact "
                          "up the chain that chose the recipient: the network's AS contact (an AS<n> row of --contacts), "
                          "else the national CERT of the host's country; never to the same address, never to one that "
                          "opted out. It lists that contact's hosts and names the organisation each belongs to.",
                          M, NULL, 0},
    [NOTIFY_RESOLVED_NOTICES] = {"resolved-notices", 0, NULL, NULL,
                                 "thank a recipient once every host of its case is seen no longer affected (one resolved notice)",
                                 "Without it a resolved host is recorded silently; either way a host affected again later opens "
                                 "a new case with a first notice.",
                                 M, NULL, 0},
    [NOTIFY_NOW] = {"now", 0, "TIME", "the clock", "plan and record as if the clock showed TIME (RFC 3339)",
                    "For replaying a campaign from imported reports and for tests; observation times never change.", M, NULL, 0},
    [NOTIFY_INCLUDE_PATCHED] = {"include-patched", 0, NULL, NULL, "also notify hosts in state patched", NULL, M, NULL, 0},
    [NOTIFY_PLAN_ONLY] = {"plan-only", 0, NULL, NULL, "plan the tickets, deliver nothing", NULL, M, NULL, 0},
    [NOTIFY_LEASE] = {"lease", 0, "SECONDS", "900", "how long a ticket claimed by this run stays its own",
                      "After that, another run treats it as left by a stopped run: with Maildir the file decides, with SMTP "
                      "the ticket becomes uncertain.",
                      D, NULL, 0},
    [NOTIFY_UNCERTAIN] = {"uncertain", 0, NULL, NULL, "list the uncertain tickets (ticket, recipient, state, why; tab-separated) and exit",
                          NULL, U, NULL, 0},
    [NOTIFY_RESOLVE] = {"resolve", 0, "TICKET", NULL, "settle an uncertain or failed ticket: followed by sent or resend",
                        "After checking the mail server's log: sent records it delivered, resend puts it back to pending for "
                        "the next run.",
                        U, NULL, 0},
    [NOTIFY_VULNS] = EXR_OPT_VULNS_FILE,
    [NOTIFY_CVES] = EXR_OPT_CVES,
    [NOTIFY_KEV_ONLY] = EXR_OPT_KEV_ONLY,
};

const exr_cmdspec exr_spec_notify = {
    "notify",
    "--db STORE --maildir DIR|--smtp URL|--plan-only [options]\n--db STORE --uncertain\n--db STORE --resolve TICKET sent|resend",
    "send one notification per affected organisation, exactly once",
    "Plans one ticket per recipient, state and day for the Exchange hosts in the store (compromised, vulnerable, "
    "undetermined, patched-after-exposure) and delivers every pending one exactly once: a ticket is claimed in a "
    "transaction, so runs at once never send it twice, and a run killed at any point is continued by the next. The one "
    "case that needs an operator is a message whose end went out without the server's final reply: that ticket is "
    "uncertain and never sent again blindly.",
    opts,
    NOTIFY_NOPTS,
    0,
    1,
    "$ exray notify --db exray.db --ipdb ipdb.bin --contacts contacts.csv --maildir out/\n"
    "A dry run: every message into out/new/.\n"
    "$ SMTP_PASS=... exray notify --db exray.db --smtp smtp://mail.cert.example:587 --starttls --smtp-user cert "
    "--smtp-pass-env SMTP_PASS --from notify@cert.example --sender-name \"Example CERT\"\n"
    "Send for real through the CERT's mail server.\n"
    "$ exray notify --db exray.db --resolve 20210312-00000007 sent\n"
    "Record an uncertain ticket as delivered after finding it in the mail log.\n",
    "0\tdone\n"
    "1\tsome tickets failed (they stay pending) or became uncertain\n"
    "2\ta bad option or contact file, a store error, or a failure that would hit every message (refused credentials, "
    "missing STARTTLS, an unverifiable certificate)\n",
};
