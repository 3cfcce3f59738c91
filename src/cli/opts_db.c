/* opts_db.c: the options of `exray db copy`. */
#include "opts.h"

static const exr_opt opts[] = {
    [DBCOPY_FROM] = {.lng = "from",
                     .arg = "STORE",
                     .help = "the store to copy: an existing SQLite file or a PostgreSQL URI",
                     .group = "Options"},
    [DBCOPY_TO] = {.lng = "to", .arg = "STORE", .help = "where to: a new SQLite file or an empty PostgreSQL database", .group = "Options"},
};

const exr_cmdspec exr_spec_db_copy = {
    "db copy",
    "--from STORE --to STORE",
    "copy a whole store between SQLite and PostgreSQL (either way)",
    "Copies every scan, observation, host, opt-out, ticket, directive and imported contact, with their ids, in one "
    "transaction: a CERT that started with one SQLite file moves to PostgreSQL when it outgrows one machine, or takes a "
    "PostgreSQL store home as a file. The target must be empty.",
    opts,
    DBCOPY_NOPTS,
    0,
    0,
    "$ exray db copy --from exray.db --to postgresql://exray@db.cert.example/exray\n"
    "Move a SQLite store to PostgreSQL (the password from PGPASSWORD or ~/.pgpass).\n",
    "0\tcopied\n"
    "2\ta bad option, a source that does not exist, a target that is not empty, or a store error (nothing is written)\n",
};
