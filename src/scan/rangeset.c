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
    free(s->r);
    free(s->cum);
    memset(s, 0, sizeof *s);
}

void exr_rangeset_add(exr_rangeset *s, int family, exr_u128 lo, exr_u128 hi)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->r = exr_xrealloc(s->r, s->cap * sizeof *s->r);
    }
    s->r[s->n++] = (exr_range){family, lo, hi};
}

static int cmp_range(const void *a, const void *b)
{
    const exr_range *x = a, *y = b;
    if (x->family != y->family)
        return x->family < y->family ? -1 : 1;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    return 0;
}

void exr_rangeset_normalize(exr_rangeset *s)
{
    if (s->n == 0)
        return;
    qsort(s->r, s->n, sizeof *s->r, cmp_range);
    size_t w = 0;
    for (size_t i = 1; i < s->n; i++) {
        exr_range *cur = &s->r[w];
        exr_range *nx = &s->r[i];
        if (nx->family == cur->family && (nx->lo <= cur->hi || (cur->hi != ~(exr_u128)0 && nx->lo == cur->hi + 1))) {
            if (nx->hi > cur->hi)
                cur->hi = nx->hi;
        } else {
            s->r[++w] = *nx;
        }
    }
    s->n = w + 1;
}

/* First interval index whose hi >= a within family (binary search). */
static size_t lower(const exr_rangeset *s, int family, exr_u128 a)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const exr_range *r = &s->r[mid];
        if (r->family < family || (r->family == family && r->hi < a))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void exr_rangeset_subtract_into(const exr_rangeset *b, int family, exr_u128 lo, exr_u128 hi, exr_rangeset *out)
{
    size_t i = lower(b, family, lo);
    exr_u128 cur = lo;
    for (; i < b->n && b->r[i].family == family && b->r[i].lo <= hi; i++) {
        const exr_range *r = &b->r[i];
        if (r->lo > cur)
            exr_rangeset_add(out, family, cur, r->lo - 1);
        if (r->hi >= hi)
            return;
        if (r->hi + 1 > cur)
            cur = r->hi + 1;
    }
    if (cur <= hi)
        exr_rangeset_add(out, family, cur, hi);
}

bool exr_rangeset_contains(const exr_rangeset *s, int family, exr_u128 a)
{
    size_t i = lower(s, family, a);
    return i < s->n && s->r[i].family == family && s->r[i].lo <= a;
}

bool exr_rangeset_covers(const exr_rangeset *s, int family, exr_u128 lo, exr_u128 hi)
{
    size_t i = lower(s, family, lo);
    return i < s->n && s->r[i].family == family && s->r[i].lo <= lo && s->r[i].hi >= hi;
}

bool exr_rangeset_index(exr_rangeset *s, uint64_t limit)
{
    free(s->cum);
    s->cum = exr_xmalloc((s->n + 1) * sizeof *s->cum);
    exr_u128 total = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->cum[i] = (uint64_t)total;
        total += s->r[i].hi - s->r[i].lo + 1;
        if (total > limit || s->r[i].hi - s->r[i].lo >= (exr_u128)limit)
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
    out->family = s->r[lo].family;
    out->v = s->r[lo].lo + (i - s->cum[lo]);
}
