/* permute.c: see permute.h. Safe primes p = 2q+1 make the generator test cheap:
 * g generates Z_p^* iff g^2 != 1 and g^q != 1 (mod p). */
#include "permute.h"

typedef unsigned __int128 u128;

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)((u128)a * b % m);
}

static uint64_t powmod(uint64_t a, uint64_t e, uint64_t m)
{
    uint64_t r = 1 % m;
    a %= m;
    while (e) {
        if (e & 1)
            r = mulmod(r, a, m);
        a = mulmod(a, a, m);
        e >>= 1;
    }
    return r;
}

bool exr_is_prime_u64(uint64_t n)
{
    if (n < 2)
        return false;
    static const uint64_t small[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    for (int i = 0; i < 12; i++) {
        if (n % small[i] == 0)
            return n == small[i];
    }
    uint64_t d = n - 1;
    int s = 0;
    while ((d & 1) == 0) {
        d >>= 1;
        s++;
    }
    for (int i = 0; i < 12; i++) {
        uint64_t x = powmod(small[i], d, n);
        if (x == 1 || x == n - 1)
            continue;
        bool comp = true;
        for (int r = 1; r < s; r++) {
            x = mulmod(x, x, n);
            if (x == n - 1) {
                comp = false;
                break;
            }
        }
        if (comp)
            return false;
    }
    return true;
}

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void exr_perm_init(exr_perm *pm, uint64_t n, uint64_t seed, uint32_t shard, uint32_t shards)
{
    pm->n = n;
    if (shards == 0)
        shards = 1;
    /* smallest safe prime > n+1 (at least 5 so a generator exists besides trivial ones) */
    uint64_t q = (n + 1) / 2 + 1;
    if (q < 2)
        q = 2;
    for (;; q++) {
        if (exr_is_prime_u64(q) && exr_is_prime_u64(2 * q + 1))
            break;
    }
    pm->p = 2 * q + 1;
    uint64_t rng = seed;
    uint64_t g;
    for (;;) {
        g = 2 + splitmix(&rng) % (pm->p - 3);
        if (powmod(g, 2, pm->p) != 1 && powmod(g, q, pm->p) != 1)
            break;
    }
    pm->g = g;
    uint64_t x0 = 1 + splitmix(&rng) % (pm->p - 1);
    pm->cur = mulmod(x0, powmod(g, shard, pm->p), pm->p);
    pm->step = powmod(g, shards, pm->p);
    uint64_t order = pm->p - 1;
    pm->left = shard < order ? (order - shard + shards - 1) / shards : 0;
}

bool exr_perm_next(exr_perm *pm, uint64_t *out)
{
    while (pm->left) {
        uint64_t x = pm->cur;
        pm->cur = mulmod(pm->cur, pm->step, pm->p);
        pm->left--;
        if (x - 1 < pm->n) {
            *out = x - 1;
            return true;
        }
    }
    return false;
}

static bool shard_number(const char **p, uint32_t *out)
{
    uint32_t v = 0;
    const char *s = *p;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (uint32_t)(*s - '0');
        if (v > EXR_MAX_SHARDS)
            return false;
    }
    if (s == *p)
        return false;
    *p = s;
    *out = v;
    return true;
}

bool exr_shard_parse(const char *text, uint32_t *i, uint32_t *n)
{
    const char *p = text;
    uint32_t a, b;
    if (!text || !shard_number(&p, &a) || *p++ != '/' || !shard_number(&p, &b) || *p || b == 0 || a >= b)
        return false;
    *i = a;
    *n = b;
    return true;
}
