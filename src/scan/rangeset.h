/* rangeset.h: sorted, merged sets of address intervals with subtraction and index lookup.
 * Targets, blocklists and the permutation all work on these. IPv4 intervals are stored
 * apart as two 32-bit bounds (8 bytes, 16 with the index) because a zmap pass over the
 * Internet lists tens of millions of single addresses; IPv6 intervals keep 128-bit bounds.
 * Order: every IPv4 interval, then every IPv6 interval, each by address. */
#ifndef EXR_RANGESET_H
#define EXR_RANGESET_H
#include "../core/ipaddr.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct exr_range {
    int family;
    exr_u128 lo, hi; /* inclusive */
} exr_range;

typedef struct exr_range4 {
    uint32_t lo, hi; /* inclusive */
} exr_range4;

typedef struct exr_rangeset {
    exr_range4 *r4;
    size_t n4, cap4;
    exr_range *r6;
    size_t n6, cap6;
    size_t n;      /* n4 + n6 */
    uint64_t *cum; /* cum[i] = addresses in intervals 0..i-1; built by exr_rangeset_index */
    uint64_t total;
} exr_rangeset;

void exr_rangeset_init(exr_rangeset *s);
void exr_rangeset_free(exr_rangeset *s);
void exr_rangeset_add(exr_rangeset *s, int family, exr_u128 lo, exr_u128 hi);
/* Makes room for n IPv4 intervals in one allocation (no growth slack). */
void exr_rangeset_reserve4(exr_rangeset *s, size_t n);
/* The i-th interval (0 <= i < s->n), in the order above. */
exr_range exr_rangeset_get(const exr_rangeset *s, size_t i);
/* Sorts and merges overlapping or adjacent intervals; frees unused capacity. */
void exr_rangeset_normalize(exr_rangeset *s);
/* The part of [lo,hi] not covered by normalized set b is appended to out. */
void exr_rangeset_subtract_into(const exr_rangeset *b, int family, exr_u128 lo, exr_u128 hi, exr_rangeset *out);
bool exr_rangeset_contains(const exr_rangeset *s, int family, exr_u128 a);
/* True if [lo,hi] lies wholly inside one interval of normalized set s. */
bool exr_rangeset_covers(const exr_rangeset *s, int family, exr_u128 lo, exr_u128 hi);
/* Number of addresses in the set (saturating). */
exr_u128 exr_rangeset_size(const exr_rangeset *s);
/* Builds the cumulative index; returns false if the total exceeds limit. */
bool exr_rangeset_index(exr_rangeset *s, uint64_t limit);
/* The i-th address (0 <= i < total) of an indexed set. */
void exr_rangeset_at(const exr_rangeset *s, uint64_t i, exr_addr *out);

#endif
