/* opts_contacts.c: the options of `exray contacts import` and `exray contacts optout`. */
#include "opts.h"

static const exr_opt import_opts[] = {
    [CIMPORT_DB] = {.lng = "db",
                    .arg = "STORE",
                    .help = "the store: a SQLite file (created when absent) or a PostgreSQL URI",
                    .group = "Options"},
    [CIMPORT_SOURCE] = {.lng = "source",
                        .arg = "NAME",
                        .def = "ripe",
                        .help = "the registry the dumps come from (ripe, apnic, afrinic...)",
                        .man = "An import replaces the contacts of the earlier import from the same source.",
                        .group = "Options"},
};

const exr_cmdspec exr_spec_contacts_import = {
    "contacts import",
    "--db STORE [--source NAME] DUMP...",
    "load abuse contacts from a regional internet registry's split database dumps (RPSL)",
    "DUMP: a split dump such as ripe.db.inetnum.gz, ripe.db.inet6num, ripe.db.aut-num, ripe.db.organisation and "
    "ripe.db.role (APNIC and AFRINIC: also *.db.irt), plain or gzip. A network's contact is its abuse-c's "
    "abuse-mailbox, else its organisation's abuse-c, else its mnt-irt's abuse-mailbox. A malformed object is reported "
    "and skipped.",
    import_opts,
    CIMPORT_NOPTS,
    1,
    -1,
    "$ exray contacts import --db exray.db ripe.db.inetnum.gz ripe.db.inet6num.gz ripe.db.aut-num.gz "
    "ripe.db.organisation.gz ripe.db.role.gz\n"
    "Load RIPE's abuse contacts.\n",
    "0\tthe dumps were imported\n"
    "2\ta bad option, a dump that cannot be read, or a store error\n",
};

static const exr_opt optout_opts[] = {
    [OPTOUT_DB] = {.lng = "db",
                   .arg = "STORE",
                   .help = "the store: a SQLite file (created when absent) or a PostgreSQL URI",
                   .group = "Options"},
};

const exr_cmdspec exr_spec_contacts_optout = {
    "contacts optout",
    "--db STORE ADDRESS",
    "never send to an e-mail address again",
    "Records ADDRESS as opted out: notify never sends to it, whatever contact source names it.",
    optout_opts,
    OPTOUT_NOPTS,
    1,
    1,
    "$ exray contacts optout abuse@example.org --db exray.db\n"
    "abuse@example.org gets no more notifications.\n",
    "0\trecorded\n"
    "2\ta bad option or address, or a store error\n",
};
