/* contacts.h: who is told about a host. Contacts CSV rows (network = CIDR or AS<number>,
 * email, org) and the shipped national CERT table; the most specific network wins, then
 * the host's ASN, then its country's national CERT. Addresses are validated so a contact
 * file cannot inject mail headers. */
#ifndef EXR_CONTACTS_H
#define EXR_CONTACTS_H
#include "../core/err.h"
#include "../core/ipaddr.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct exr_contact {
    int kind; /* 0 network, 1 asn, 2 country */
    int family;
    exr_u128 lo, hi;
    int prefix;
    uint32_t asn;
    char cc[3];
    char email[256];
    char org[256];
} exr_contact;

typedef struct exr_cseg {
    exr_u128 lo, hi;
    uint32_t idx; /* into c[] */
} exr_cseg;

typedef struct exr_contacts {
    exr_contact *c;
    size_t n, cap;
    long bad_lines;
    /* built by exr_contacts_finish: disjoint segments per family, each mapped to the most
     * specific network covering it, and the ASN contacts sorted by number */
    exr_cseg *seg[2];
    size_t nseg[2];
    uint32_t *by_asn;
    size_t nasn;
    int finished;
} exr_contacts;

void exr_contacts_init(exr_contacts *cs);
void exr_contacts_free(exr_contacts *cs);
/* network,email,org CSV. Malformed lines are counted, reported through report(), and
 * skipped; only an unreadable file is an error. */
typedef void (*exr_contacts_report)(void *ctx, const char *msg);
int exr_contacts_load_csv(exr_contacts *cs, const char *text, size_t len, const char *name, exr_contacts_report rep, void *ctx, exr_err *e);
/* country,email,org CSV (the national CERT fallback). */
int exr_contacts_load_national(exr_contacts *cs, const char *text, size_t len, const char *name, exr_contacts_report rep, void *ctx,
                               exr_err *e);
int exr_contacts_load_default_national(exr_contacts *cs, exr_err *e);
/* Adds one contact (networks as inclusive ranges; RPSL inetnums need not be CIDRs). */
void exr_contacts_add(exr_contacts *cs, const exr_contact *c);
/* Builds the lookup index; call after the last load, before resolving. */
void exr_contacts_finish(exr_contacts *cs);
/* Resolves a host (most specific network, then ASN, then country); NULL when nobody is
 * responsible. *why names the rule that matched. */
const exr_contact *exr_contacts_resolve(const exr_contacts *cs, const exr_addr *a, uint32_t asn, const char *cc, const char **why);
/* The next contact up the chain that chose `from` (a network's AS contact, then the
 * host's national CERT) with another address; NULL at the top. */
const exr_contact *exr_contacts_escalate(const exr_contacts *cs, const exr_contact *from, uint32_t asn, const char *cc);
/* A conservative addr-spec check: local@domain, printable ASCII, no spaces or quotes. */
bool exr_email_valid(const char *s);

#endif
