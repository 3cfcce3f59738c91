/* contacts.c: `exray contacts import` (RPSL databases) and `exray contacts optout`. */
#include "../notify/notify.h"
#include "../notify/rpsl.h"
#include "../store/store.h"
#include "args.h"
#include "cli.h"
#include <stdio.h>
#include <string.h>

static const char USAGE[] = "usage: exray contacts optout ADDRESS --db FILE\n"
                            "       exray contacts import --db FILE [--source NAME] ripe.db.inetnum[.gz] ripe.db.inet6num ripe.db.aut-num\n"
                            "                              ripe.db.organisation ripe.db.role   (APNIC/AFRINIC: also *.db.irt)\n";

static void rpsl_report(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "exray contacts: %s (skipped)\n", msg);
}

int exr_cmd_contacts(int argc, char **argv)
{
    const char *db = NULL, *source = "ripe";
    const char *args[64];
    int na;
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(USAGE, stdout);
        return 0;
    }
    bool optout = argc >= 2 && strcmp(argv[1], "optout") == 0, import = argc >= 2 && strcmp(argv[1], "import") == 0;
    if (!optout && !import) {
        fprintf(stderr, "exray contacts: import or optout\n%s", USAGE);
        return 2;
    }
    exr_flag flags[] = {{"--db", &db}, {"--source", &source}};
    int a = exr_args_scan("contacts", argc, argv, 2, flags, import ? 2 : 1, args, optout ? 1 : 64, &na, USAGE);
    if (a != EXR_ARGS_OK)
        return a == EXR_ARGS_HELP ? 0 : 2;
    if (!db || !na) {
        fprintf(stderr, "exray contacts: %s\n%s", !db ? "--db FILE is required" : optout ? "no ADDRESS given" : "no database file given",
                USAGE);
        return 2;
    }
    exr_err e = {0, ""};
    exr_store *s;
    if (exr_store_open(&s, db, &e) != 0) {
        fprintf(stderr, "exray contacts: %s\n", e.msg);
        return 2;
    }
    int rc = 0;
    if (optout) {
        if (exr_optout_add(s, args[0], &e) != 0) {
            fprintf(stderr, "exray contacts: %s\n", e.msg);
            rc = 2;
        } else {
            printf("%s opted out: no notification will be sent to it\n", args[0]);
        }
    } else {
        exr_rpsl_stats st;
        memset(&st, 0, sizeof st);
        if (exr_rpsl_import(s, args, na, source, rpsl_report, NULL, &st, &e) != 0) {
            fprintf(stderr, "exray contacts: %s\n", e.msg);
            rc = 2;
        } else {
            fprintf(stderr, "exray contacts: %ld objects; %ld networks and AS numbers, %ld with an abuse mailbox, %ld without;"
                            " %ld bad lines\n",
                    st.objects, st.networks, st.with_contact, st.without_contact, st.bad_lines);
        }
    }
    exr_store_close(s);
    return rc;
}
