/* ipaddr.h: IPv4/IPv6 addresses as 128-bit integers so ranges, blocklists and the
 * address permutation share one arithmetic for both families. */
#ifndef EXR_IPADDR_H
#define EXR_IPADDR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef unsigned __int128 exr_u128;

typedef struct exr_addr {
    int family; /* 4 or 6 */
    exr_u128 v; /* IPv4 in the low 32 bits */
} exr_addr;

typedef struct exr_cidr {
    exr_addr lo, hi; /* inclusive */
    int prefix;
} exr_cidr;

#define EXR_ADDRSTRLEN 46

bool exr_addr_parse(const char *s, exr_addr *out);
/* "a.b.c.d/n", "x::/n" or a bare address (as /32 or /128). */
bool exr_cidr_parse(const char *s, exr_cidr *out);
void exr_addr_format(const exr_addr *a, char *out, size_t n);
int exr_addr_cmp(const exr_addr *a, const exr_addr *b);
/* Fills a sockaddr_storage for connect(); returns its length. */
struct sockaddr_storage;
unsigned exr_addr_sockaddr(const exr_addr *a, uint16_t port, struct sockaddr_storage *ss);
bool exr_addr_from_sockaddr(const void *sa, exr_addr *out);

#endif
