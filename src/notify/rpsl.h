/* rpsl.h: RIR database split dumps (RIPE's ripe.db.inetnum, inet6num, aut-num, organisation,
 * role; APNIC's and AFRINIC's also irt; plain or gzip) imported as contacts: an object's
 * abuse-c, or its org's abuse-c, names a role whose abuse-mailbox is the recipient; failing
 * both, its mnt-irt names an irt object with that abuse-mailbox. Stored in the store (contacts_db),
 * replacing an earlier import from the same source. */
#ifndef EXR_RPSL_H
#define EXR_RPSL_H
#include "../core/err.h"
#include "../store/store.h"
#include "contacts.h"

typedef void (*exr_rpsl_report)(void *ctx, const char *msg);

typedef struct exr_rpsl_stats {
    long objects, networks, with_contact, without_contact, bad_lines;
} exr_rpsl_stats;

int exr_rpsl_import(exr_store *s, const char *const *files, int nfiles, const char *source, exr_rpsl_report rep, void *ctx,
                    exr_rpsl_stats *st, exr_err *e);
/* Adds the stored imported contacts to cs. */
int exr_contacts_load_store(exr_contacts *cs, exr_store *s, exr_err *e);

#endif
