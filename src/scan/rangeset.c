/* rangeset.c: see rangeset.h. */
#include "rangeset.h"
#include "../core/buf.h"
#include <stdlib.h>
#include <string.h>

void exr_rangeset_init(exr_rangeset *s)
{
    memset(s, 0, sizeof *s);
}

void exr_rangeset_free(exr_rangeset *s)
{
    free(s->r4);
    free(s->r6);
    free(s->cum);
    memset(s, 0, sizeof *s);
}

void exr_rangeset_add(exr_rangeset *s, int family, exr_u128 lo, exr_u128 hi)
{
    if (family == 4) {
        if (s->n4 == s->cap4) {
            s->cap4 = s->cap4 ? s->cap4 + s->cap4 / 2 : 64;
            s->r4 = exr_xrealloc(s->r4, s->cap4 * sizeof *s->r4);
        }
        s->r4[s->n4++] = (exr_range4){(uint32_t)lo, (uint32_t)hi};
    } else {
        if (s->n6 == s->cap6) {
            s->cap6 = s->cap6 ? s->cap6 * 2 : 16;
            s->r6 = exr_xrealloc(s->r6, s->cap6 * sizeof *s->r6);
        }
        s->r6[s->n6++] = (exr_range){family, lo, hi};
    }
    s->n = s->n4 + s->n6;
}

void exr_rangeset_reserve4(exr_rangeset *s, size_t n)
{
    if (n > s->cap4) {
        s->cap4 = n;
        s->r4 = exr_xrealloc(s->r4, s->cap4 * sizeof *s->r4);
    }
}

exr_range exr_rangeset_get(const exr_rangeset *s, size_t i)
{
    if (i < s->n4)
        return (exr_range){4, s->r4[i].lo, s->r4[i].hi};
    return s->r6[i - s->n4];
}

static int cmp4(const void *a, const void *b)
{
    const exr_range4 *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int cmp6(const void *a, const void *b)
{
    const exr_range *x = a, *y = b;
    if (x->family != y->family)
        return x->family < y->family ? -1 : 1;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

void exr_rangeset_normalize(exr_rangeset *s)
{
    if (s->n4) {
        qsort(s->r4, s->n4, sizeof *s->r4, cmp4);
        size_t w = 0;
        for (size_t i = 1; i < s->n4; i++) {
            exr_range4 *cur = &s->r4[w], *nx = &s->r4[i];
            if (nx->lo <= cur->hi || (cur->hi != UINT32_MAX && nx->lo == cur->hi + 1)) {
                if (nx->hi > cur->hi)
                    cur->hi = nx->hi;
            } else {
                s->r4[++w] = *nx;
            }
        }
        s->n4 = w + 1;
        s->cap4 = s->n4;
        s->r4 = exr_xrealloc(s->r4, s->cap4 * sizeof *s->r4);
    }
    if (s->n6) {
        qsort(s->r6, s->n6, sizeof *s->r6, cmp6);
        size_t w = 0;
        for (size_t i = 1; i < s->n6; i++) {
            exr_range *cur = &s->r6[w], *nx = &s->r6[i];
            if (nx->family == cur->family && (nx->lo <= cur->hi || (cur->hi != ~(exr_u128)0 && nx->lo == cur->hi + 1))) {
                if (nx->hi > cur->hi)
                    cur->hi = nx->hi;
            } else {
                s->r6[++w] = *nx;
            }
        }
        s->n6 = w + 1;
    }
    s->n = s->n4 + s->n6;
}

/* First IPv4 interval whose hi >= a. */
static size_t lower4(const exr_rangeset *s, uint32_t a)
{
    size_t lo = 0, hi = s->n4;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->r4[mid].hi < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* First IPv6 interval of the family whose hi >= a. */
static size_t lower6(const exr_rangeset *s, int family, exr_u128 a)
{
    size_t lo = 0, hi = s->n6;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const exr_range *r = &s->r6[mid];
        if (r->family < family || (r->family == family && r->hi < a))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void exr_rangeset_subtract_into(const exr_rangeset *b, int family, exr_u128 lo, exr_u128 hi, exr_rangeset *out)
{
    exr_u128 cur = lo;
    if (family == 4) {
        for (size_t i = lower4(b, (uint32_t)lo); i < b->n4 && b->r4[i].lo <= hi; i++) {
            const exr_range4 *r = &b->r4[i];
            if (r->lo > cur)
                exr_rangeset_add(out, family, cur, (exr_u128)r->lo - 1);
            if (r->hi >= hi)
                return;
            if ((exr_u128)r->hi + 1 > cur)
                cur = (exr_u128)r->hi + 1;
        }
    } else {
        for (size_t i = lower6(b, family, lo); i < b->n6 && b->r6[i].family == family && b->r6[i].lo <= hi; i++) {
            const exr_range *r = &b->r6[i];
            if (r->lo > cur)
                exr_rangeset_add(out, family, cur, r->lo - 1);
            if (r->hi >= hi)
                return;
            if (r->hi + 1 > cur)
                cur = r->hi + 1;
        }
    }
    if (cur <= hi)
        exr_rangeset_add(out, family, cur, hi);
}

bool exr_rangeset_contains(const exr_rangeset *s, int family, exr_u128 a)
{
    return exr_rangeset_covers(s, family, a, a);
}

bool exr_rangeset_covers(const exr_rangeset *s, int family, exr_u128 lo, exr_u128 hi)
{
    if (family == 4) {
        size_t i = lower4(s, (uint32_t)lo);
        return i < s->n4 && s->r4[i].lo <= lo && s->r4[i].hi >= hi;
    }
    size_t i = lower6(s, family, lo);
    return i < s->n6 && s->r6[i].family == family && s->r6[i].lo <= lo && s->r6[i].hi >= hi;
}

exr_u128 exr_rangeset_size(const exr_rangeset *s)
{
    exr_u128 t = 0;
    for (size_t i = 0; i < s->n4; i++)
        t += (exr_u128)s->r4[i].hi - s->r4[i].lo + 1;
    for (size_t i = 0; i < s->n6; i++) {
        exr_u128 k = s->r6[i].hi - s->r6[i].lo;
        t = (k == ~(exr_u128)0 || t + k + 1 < t) ? ~(exr_u128)0 : t + k + 1;
    }
    return t;
}

bool exr_rangeset_index(exr_rangeset *s, uint64_t limit)
{
    free(s->cum);
    s->cum = exr_xmalloc((s->n + 1) * sizeof *s->cum);
    exr_u128 total = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->cum[i] = (uint64_t)total;
        exr_u128 span = i < s->n4 ? (exr_u128)s->r4[i].hi - s->r4[i].lo : s->r6[i - s->n4].hi - s->r6[i - s->n4].lo;
        if (span >= (exr_u128)limit)
            return false;
        total += span + 1;
        if (total > limit)
            return false;
    }
    s->cum[s->n] = (uint64_t)total;
    s->total = (uint64_t)total;
    return true;
}

void exr_rangeset_at(const exr_rangeset *s, uint64_t i, exr_addr *out)
{
    size_t lo = 0, hi = s->n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->cum[mid] <= i)
            lo = mid;
        else
            hi = mid;
    }
    if (lo < s->n4) {
        out->family = 4;
        out->v = (exr_u128)s->r4[lo].lo + (i - s->cum[lo]);
    } else {
        out->family = s->r6[lo - s->n4].family;
        out->v = s->r6[lo - s->n4].lo + (i - s->cum[lo]);
    }
}
