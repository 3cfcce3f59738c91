/* cases.h: the notification cases a CERT works from, read back from the directives. A host's
 * case with a recipient opens with a first notice and closes when its present state (the
 * store's host_latest, the state every command reports) is patched or not-affected, whether
 * or not a notify run has seen it yet: the rule stats counts remediated by; a recipient's case is its host cases that overlap in time (one that
 * opens after every earlier one closed starts a new case). An escalation belongs to the case
 * of the recipient it followed up (its origin). */
#ifndef EXR_CASES_H
#define EXR_CASES_H
#include "../core/err.h"
#include "../store/store.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct exr_case_host {
    char ip[64];
    int port;
    char state[32];                                          /* the newest directive's state */
    char first_notice[40], last_notice[40], resolved_at[40]; /* "" when none */
    int reminders;
    char escalated_to[256];
    /* how it closed: "patched-after-exposure" (open when told, patched since), "patched",
     * "not-affected" (not Exchange any more); "" while open */
    char resolution[32];
    char current[32]; /* the host's present state (the store's host_latest) */
} exr_case_host;

typedef struct exr_case {
    char recipient[256], org[256], first_ticket[32];
    bool resolved;
    char first_notice[40], last_notice[40], resolved_at[40];
    int reminders; /* the most any host got */
    bool escalated;
    exr_case_host *hosts;
    size_t nhosts;
} exr_case;

typedef struct exr_cases {
    exr_case *v;
    size_t n, cap;
} exr_cases;

/* Every case in the store, the open ones first, each group by its first notice (oldest first). */
int exr_cases_load(exr_store *s, exr_cases *out, exr_err *e);
void exr_cases_free(exr_cases *c);

#endif
