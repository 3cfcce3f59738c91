/* opts_notify.c: the options of `exray notify`. */
#include "opts.h"

#define R "Recipients"
#define D "Delivery"
#define M "Messages and planning"
#define U "Uncertain tickets"

static const exr_opt opts[] = {
    [NOTIFY_DB] = {.lng = "db",
                   .arg = "STORE",
                   .help = "the store written by scan and import: an existing SQLite file or a PostgreSQL URI",
                   .group = R},
    [NOTIFY_CONTACTS] = {.lng = "contacts",
                         .arg = "FILE",
                         .help = "CSV network,email,org; network a CIDR or AS<number>",
                         .man = "The most specific network wins, then the host's ASN, then its country's national CERT.",
                         .group = R,
                         .flags = EXR_OPT_REPEAT},
    [NOTIFY_NATIONAL] =
        {.lng = "national", .arg = "FILE", .def = "the built-in table", .help = "CSV country,email,org of national CERTs", .group = R},
    [NOTIFY_IPDB] = {.lng = "ipdb",
                     .arg = "FILE",
                     .help = "fill ASN, AS name and country from a file of enrich compile or a .mmdb",
                     .group = R},
    [NOTIFY_MAILDIR] = {.lng = "maildir", .arg = "DIR", .help = "deliver into this Maildir (new/TICKET.eml): a dry run", .group = D},
    [NOTIFY_SMTP] = {.lng = "smtp", .arg = "URL", .help = "submit over SMTP: smtp://host:port or smtps://host:port", .group = D},
    [NOTIFY_SMTP_USER] = {.lng = "smtp-user", .arg = "USER", .help = "SMTP user name", .group = D},
    [NOTIFY_SMTP_PASS_ENV] = {.lng = "smtp-pass-env",
                              .arg = "VAR",
                              .help = "read the SMTP password from the environment variable VAR",
                              .man = "The password is never taken from the command line, where other users can read it.",
                              .group = D},
    [NOTIFY_STARTTLS] = {.lng = "starttls", .help = "require STARTTLS (without it: used when offered)", .group = D},
    [NOTIFY_SMTP_INSECURE] = {.lng = "smtp-insecure", .help = "do not verify the SMTP server's certificate", .group = D},
    [NOTIFY_SMTP_INSECURE_AUTH] = {.lng = "smtp-insecure-auth",
                                   .help = "allow --smtp-user over a connection without TLS",
                                   .man = "Without it, credentials go only over smtps:// or after STARTTLS: a server that offers no "
                                          "STARTTLS stops the run before they are sent.",
                                   .group = D},
    [NOTIFY_SMTP_TIMEOUT] = {.lng = "smtp-timeout",
                             .arg = "S",
                             .def = "60",
                             .help = "the whole SMTP transaction of one message, at most S seconds",
                             .man = "A timeout after the end of the message makes the ticket uncertain.",
                             .group = D},
    [NOTIFY_DOMAIN_RATE] =
        {.lng = "domain-rate", .arg = "N", .def = "60", .help = "at most N messages a minute to one recipient domain", .group = D},
    [NOTIFY_RETRIES] =
        {.lng = "retries", .arg = "N", .def = "3", .help = "retries with backoff (1, 2, 4 s...) for temporary failures", .group = D},
    [NOTIFY_FROM] = {.lng = "from", .arg = "ADDR", .def = "exray@localhost.localdomain", .help = "sender address", .group = M},
    [NOTIFY_SENDER_NAME] = {.lng = "sender-name",
                            .arg = "NAME",
                            .def = "exray notification service",
                            .help = "sender name in From: and the signature",
                            .group = M},
    [NOTIFY_TEMPLATES] = {.lng = "templates",
                          .arg = "DIR",
                          .def = "the built-in ones",
                          .help = "templates STATE.txt (first line Subject: ..., then the body)",
                          .man = "Also reminder.txt and resolved.txt. Variables: ${ticket} ${org} ${recipient} ${host_count} ${hosts} "
                                 "${sets} ${state} ${date} ${sender_name} ${cves} ${support} ${first_ticket} ${first_sent} "
                                 "${last_seen} ${changes}; an unknown one stops the run before anything is sent.",
                          .group = M},
    [NOTIFY_INTERVAL] = {.lng = "interval", .arg = "DAYS", .def = "7", .help = "the older name of --remind-after", .group = M},
    [NOTIFY_REMIND_AFTER] = {.lng = "remind-after",
                             .arg = "DAYS",
                             .def = "7",
                             .help = "a reminder at the earliest DAYS after the last notice to that recipient",
                             .man = "And only when an observation newer than that notice still shows the host in the same state: "
                                    "no new evidence, no message. A new or worse state gets its own first notice at once.",
                             .group = M},
    [NOTIFY_REMINDERS] = {.lng = "reminders",
                          .arg = "N",
                          .def = "2",
                          .help = "at most N reminders per host and state, then one escalation",
                          .man = "The escalation follows the same evidence rule and goes once per host and state to the next contact "
                                 "up the chain that chose the recipient: the network's AS contact (an AS<n> row of --contacts), "
                                 "else the national CERT of the host's country; never to the same address, never to one that "
                                 "opted out. It lists that contact's hosts and names the organisation each belongs to.",
                          .group = M},
    [NOTIFY_RESOLVED_NOTICES] = {.lng = "resolved-notices",
                                 .help = "thank a recipient once every host of its case is seen no longer affected (one resolved notice)",
                                 .man = "Without it a resolved host is recorded silently; either way a host affected again later opens "
                                        "a new case with a first notice.",
                                 .group = M},
    [NOTIFY_NOW] = {.lng = "now",
                    .arg = "TIME",
                    .def = "the clock",
                    .help = "plan and record as if the clock showed TIME (RFC 3339)",
                    .man = "For replaying a campaign from imported reports and for tests; observation times never change.",
                    .group = M},
    [NOTIFY_INCLUDE_PATCHED] = {.lng = "include-patched", .help = "also notify hosts in state patched", .group = M},
    [NOTIFY_PLAN_ONLY] = {.lng = "plan-only", .help = "plan the tickets, deliver nothing", .group = M},
    [NOTIFY_LEASE] = {.lng = "lease",
                      .arg = "SECONDS",
                      .def = "900",
                      .help = "how long a ticket claimed by this run stays its own",
                      .man = "After that, another run treats it as left by a stopped run: with Maildir the file decides, with SMTP "
                             "the ticket becomes uncertain.",
                      .group = D},
    [NOTIFY_UNCERTAIN] = {.lng = "uncertain",
                          .help = "list the uncertain tickets (ticket, recipient, state, why; tab-separated) and exit",
                          .group = U},
    [NOTIFY_RESOLVE] = {.lng = "resolve",
                        .arg = "TICKET",
                        .help = "settle an uncertain or failed ticket: followed by sent or resend",
                        .man = "After checking the mail server's log: sent records it delivered, resend puts it back to pending for "
                               "the next run.",
                        .group = U},
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
