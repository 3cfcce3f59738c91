/* contacts.c: `exray contacts import` (RPSL databases) and `exray contacts optout`. */
#include "../notify/notify.h"
#include "../notify/rpsl.h"
#include "../store/store.h"
#include "opts.h"
#include "cli.h"
#include <stdio.h>
#include <string.h>

static void rpsl_report(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "exray contacts: %s (skipped)\n", msg);
}

static int optout(int argc, char **argv)
{
    exr_parsed p;
    int a = exr_opts_parse(&exr_spec_contacts_optout, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    if (!p.val[OPTOUT_DB])
        return exr_opts_fail(&exr_spec_contacts_optout, "--db FILE is required");
    exr_err e = {0, ""};
    exr_store *s;
    if (exr_store_open(&s, p.val[OPTOUT_DB], &e) != 0) {
        fprintf(stderr, "exray contacts: %s\n", e.msg);
        return 2;
    }
    int rc = 0;
    if (exr_optout_add(s, p.pos[0], &e) != 0) {
        fprintf(stderr, "exray contacts: %s\n", e.msg);
        rc = 2;
    } else {
        printf("%s opted out: no notification will be sent to it\n", p.pos[0]);
    }
    exr_store_close(s);
    return rc;
}

static int import(int argc, char **argv)
{
    exr_parsed p;
    int a = exr_opts_parse(&exr_spec_contacts_import, argc, argv, &p);
    if (a != EXR_PARSE_OK)
        return a == EXR_PARSE_HELP ? 0 : 2;
    if (!p.val[CIMPORT_DB])
        return exr_opts_fail(&exr_spec_contacts_import, "--db FILE is required");
    exr_err e = {0, ""};
    exr_store *s;
    if (exr_store_open(&s, p.val[CIMPORT_DB], &e) != 0) {
        fprintf(stderr, "exray contacts: %s\n", e.msg);
        return 2;
    }
    exr_rpsl_stats st;
    memset(&st, 0, sizeof st);
    const char *source = p.val[CIMPORT_SOURCE] ? p.val[CIMPORT_SOURCE] : "ripe";
    int rc = 0;
    if (exr_rpsl_import(s, (const char *const *)p.pos, p.npos, source, rpsl_report, NULL, &st, &e) != 0) {
        fprintf(stderr, "exray contacts: %s\n", e.msg);
        rc = 2;
    } else {
        fprintf(stderr,
                "exray contacts: %ld objects; %ld networks and AS numbers, %ld with an abuse mailbox, %ld without;"
                " %ld bad lines\n",
                st.objects, st.networks, st.with_contact, st.without_contact, st.bad_lines);
    }
    exr_store_close(s);
    return rc;
}

int exr_cmd_contacts(int argc, char **argv)
{
    static const exr_subcmd subs[] = {{"import", import, &exr_spec_contacts_import}, {"optout", optout, &exr_spec_contacts_optout}};
    return exr_opts_dispatch("contacts", subs, 2, argc, argv);
}
