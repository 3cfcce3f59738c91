/* rangeset.h: sorted, merged sets of address intervals (one family each) with subtraction
 * and index lookup. Targets, blocklists and the permutation all work on these. */
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

typedef struct exr_rangeset {
    exr_range *r;
    size_t n, cap;
    uint64_t *cum; /* cum[i] = addresses in r[0..i-1]; built by exr_rangeset_index */
    uint64_t total;
} exr_rangeset;

void exr_rangeset_init(exr_rangeset *s);
void exr_rangeset_free(exr_rangeset *s);
void exr_rangeset_add(exr_rangeset *s, int family, exr_u128 lo, exr_u128 hi);
/* Sorts and merges overlapping or adjacent intervals. */
void exr_rangeset_normalize(exr_rangeset *s);
/* The part of [lo,hi] not covered by normalized set b is appended to out. */
void exr_rangeset_subtract_into(const exr_rangeset *b, int family, exr_u128 lo, exr_u128 hi, exr_rangeset *out);
bool exr_rangeset_contains(const exr_rangeset *s, int family, exr_u128 a);
/* True if [lo,hi] lies wholly inside one interval of normalized set s. */
bool exr_rangeset_covers(const exr_rangeset *s, int family, exr_u128 lo, exr_u128 hi);
/* Builds the cumulative index; returns false if the total exceeds limit. */
bool exr_rangeset_index(exr_rangeset *s, uint64_t limit);
/* The i-th address (0 <= i < total) of an indexed set. */
void exr_rangeset_at(const exr_rangeset *s, uint64_t i, exr_addr *out);

#endif
