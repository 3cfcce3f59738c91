/* permute.h: zmap's cyclic-group address order. Index k of the scan is x_k - 1 where
 * x_k = x_0 * g^k mod p, p a safe prime above the target count and g a generator of Z_p^*.
 * Every index in [0, n) is visited exactly once in an order that spreads consecutive
 * probes across the whole space. Shard i of N walks positions i, i+N, i+2N... of the same
 * cycle, so shards with the same seed never overlap and together leave no gap. */
#ifndef EXR_PERMUTE_H
#define EXR_PERMUTE_H
#include <stdbool.h>
#include <stdint.h>

typedef struct exr_perm {
    uint64_t n;    /* elements to visit */
    uint64_t p, g; /* prime modulus, generator */
    uint64_t step; /* g^shards mod p */
    uint64_t cur;  /* current group element */
    uint64_t left; /* cycle positions left in this shard */
} exr_perm;

/* shard in [0, shards). n may be 0 (nothing to visit). */
void exr_perm_init(exr_perm *pm, uint64_t n, uint64_t seed, uint32_t shard, uint32_t shards);
/* Next index, or false when the shard is exhausted. */
bool exr_perm_next(exr_perm *pm, uint64_t *out);
bool exr_is_prime_u64(uint64_t n);

#define EXR_MAX_SHARDS 65536
/* "I/N" (decimal, nothing around it) with 0 <= I < N <= EXR_MAX_SHARDS: true and *i, *n. */
bool exr_shard_parse(const char *text, uint32_t *i, uint32_t *n);

#endif
