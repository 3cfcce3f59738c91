/* hostlist.h: every host ever seen as Exchange by its present state (the store's host_latest:
 * the state stats, report, notify and cases use), with what makes it so: the CVEs open now
 * by the tables in use, the feed's asserted ones, support, its network and its notification
 * case (exray hosts). */
#ifndef EXR_REPORT_HOSTLIST_H
#define EXR_REPORT_HOSTLIST_H
#include "../core/err.h"
#include "../exchange/exposure.h"
#include "../store/store.h"

typedef struct exr_host_row {
    const char *ip;
    int port;
    const char *time, *state, *build, *product, *cu, *su;
    const char *const *open; /* the build's open CVEs, known exploited first */
    int nopen;
    const char *const *asserted; /* the feed's, open too */
    int nasserted;
    const char *const *check; /* configuration-dependent: check the configuration */
    int ncheck;
    const char *const *undetermined; /* undetermined by version */
    int nundet;
    long kev_open;
    const char *support;
    long long asn; /* 0: unknown */
    const char *as_name, *country;
    const char *source; /* the imported report's own fields, a JSON object text, or NULL */
    /* its newest case, or NULL: the recipient, the first ticket, this host's part of it (open or
     * resolved, and how it closed), and the recipient's case as a whole (open while any host is) */
    const char *recipient, *org, *ticket, *case_state, *resolution, *recipient_case;
} exr_host_row;

typedef void (*exr_host_cb)(void *ctx, const exr_host_row *h);
/* states: a bit 1 << EXR_S_* per state to list (0: all). */
int exr_hosts_each(exr_store *s, const exr_buildtab *tab, unsigned states, exr_host_cb cb, void *ctx, exr_err *e);

#endif
