/* ipdb.c: see ipdb.h. File layout (little-endian, all offsets from the start):
 *   header: magic "EXRIPDB1", counts and offsets of the four tables, the string pool and
 *   the two indexes; entries: v4 {u32 lo, u32 hi, u32 val}, v6 {u64 lo_hi, u64 lo_lo,
 *   u64 hi_hi, u64 hi_lo, u32 val, u32 pad}; val is an ASN record index (asn tables: into
 *   an array of {u32 asn, u32 name_off, u32 name_len}) or a packed country code. */
#include "ipdb.h"
#include "../core/outfile.h"
#include "../core/buf.h"
#include "../core/csv.h"
#include <errno.h>
#include <fcntl.h>
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define IDX4_BITS 16
#define IDX6_BITS 20

typedef struct e4 {
    uint32_t lo, hi, val;
} e4;
typedef struct e6 {
    uint64_t lo_h, lo_l, hi_h, hi_l;
    uint32_t val, pad;
} e6;
typedef struct asrec {
    uint32_t asn, name_off, name_len;
} asrec;

typedef struct hdr {
    char magic[8];
    uint64_t n4a, n4c, n6a, n6c, nas, pool_len;
    uint64_t off4a, off4c, off6a, off6c, offas, offpool, offidx4a, offidx4c, offidx6a, offidx6c;
} hdr;

struct exr_ipdb {
    int kind; /* 0 compiled, 1 mmdb */
    void *map;
    size_t len;
    const hdr *h;
    const e4 *t4a, *t4c;
    const e6 *t6a, *t6c;
    const asrec *as;
    const char *pool;
    const uint32_t *i4a, *i4c, *i6a, *i6c;
    MMDB_s mmdb;
};

/* ---- compile ---- */

typedef struct vec {
    void *p;
    size_t n, cap, sz;
} vec;

static void *vpush(vec *v)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 4096;
        v->p = exr_xrealloc(v->p, v->cap * v->sz);
    }
    return (char *)v->p + v->sz * v->n++;
}

static int cmp4(const void *a, const void *b)
{
    const e4 *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int cmp6(const void *a, const void *b)
{
    const e6 *x = a, *y = b;
    if (x->lo_h != y->lo_h)
        return x->lo_h < y->lo_h ? -1 : 1;
    return x->lo_l < y->lo_l ? -1 : x->lo_l > y->lo_l;
}

typedef struct names {
    vec recs; /* asrec */
    exr_buf pool;
    /* open addressing on (asn, name) */
    uint32_t *slots;
    size_t cap;
} names;

static uint32_t name_id(names *nm, uint32_t asn, const char *name)
{
    size_t nl = strlen(name);
    uint64_t h = 1469598103934665603ull ^ asn;
    for (size_t i = 0; i < nl; i++)
        h = (h ^ (unsigned char)name[i]) * 1099511628211ull;
    if ((nm->recs.n + 1) * 2 > nm->cap) {
        size_t nc = nm->cap ? nm->cap * 2 : 1 << 16;
        uint32_t *ns = exr_xcalloc(nc, sizeof *ns);
        for (size_t i = 0; i < nm->cap; i++) {
            if (!nm->slots[i])
                continue;
            const asrec *r = (asrec *)nm->recs.p + (nm->slots[i] - 1);
            uint64_t hh = 1469598103934665603ull ^ r->asn;
            for (uint32_t k = 0; k < r->name_len; k++)
                hh = (hh ^ (unsigned char)nm->pool.p[r->name_off + k]) * 1099511628211ull;
            size_t j = hh & (nc - 1);
            while (ns[j])
                j = (j + 1) & (nc - 1);
            ns[j] = nm->slots[i];
        }
        free(nm->slots);
        nm->slots = ns;
        nm->cap = nc;
    }
    size_t j = h & (nm->cap - 1);
    while (nm->slots[j]) {
        const asrec *r = (asrec *)nm->recs.p + (nm->slots[j] - 1);
        if (r->asn == asn && r->name_len == nl && memcmp(nm->pool.p + r->name_off, name, nl) == 0)
            return nm->slots[j] - 1;
        j = (j + 1) & (nm->cap - 1);
    }
    asrec *r = vpush(&nm->recs);
    r->asn = asn;
    r->name_off = (uint32_t)nm->pool.len;
    r->name_len = (uint32_t)nl;
    exr_buf_add(&nm->pool, name, nl);
    nm->slots[j] = (uint32_t)nm->recs.n;
    return (uint32_t)(nm->recs.n - 1);
}

static int load_csv(const char *path, int is_asn, vec *t4, vec *t6, names *nm, long *bad, exr_err *e)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return exr_seterr(e, EXR_EIO, "%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    exr_csv_row r;
    exr_csv_row_init(&r);
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (!n)
            continue;
        exr_addr lo, hi;
        if (exr_csv_split(&r, line, (size_t)n) != 0 || r.n < 3 || !exr_addr_parse(r.f[0], &lo) || !exr_addr_parse(r.f[1], &hi) ||
            lo.family != hi.family || hi.v < lo.v) {
            (*bad)++;
            continue;
        }
        uint32_t val;
        if (is_asn) {
            char *end;
            unsigned long asn = strtoul(r.f[2], &end, 10);
            if (*end || asn > 4294967295UL) {
                (*bad)++;
                continue;
            }
            val = name_id(nm, (uint32_t)asn, r.n > 3 ? r.f[3] : "");
        } else {
            if (strlen(r.f[2]) != 2) {
                (*bad)++;
                continue;
            }
            val = (uint32_t)(unsigned char)r.f[2][0] << 8 | (unsigned char)r.f[2][1];
        }
        if (lo.family == 4) {
            e4 *x = vpush(t4);
            *x = (e4){(uint32_t)lo.v, (uint32_t)hi.v, val};
        } else {
            e6 *x = vpush(t6);
            *x = (e6){(uint64_t)(lo.v >> 64), (uint64_t)lo.v, (uint64_t)(hi.v >> 64), (uint64_t)hi.v, val, 0};
        }
    }
    free(line);
    exr_csv_row_free(&r);
    fclose(f);
    return 0;
}

/* index[k] = first entry whose lo >= bucket k start ... as "first entry that may cover
 * an address of bucket k": the last entry starting at or before the bucket's start. */
static uint32_t *index4(const e4 *t, size_t n)
{
    size_t nb = (size_t)1 << IDX4_BITS;
    uint32_t *ix = exr_xmalloc((nb + 1) * sizeof *ix);
    size_t j = 0;
    for (size_t b = 0; b < nb; b++) {
        uint32_t start = (uint32_t)(b << (32 - IDX4_BITS));
        while (j < n && t[j].lo < start)
            j++;
        ix[b] = (uint32_t)(j ? j - 1 : 0);
    }
    ix[nb] = (uint32_t)n;
    return ix;
}

static uint32_t *index6(const e6 *t, size_t n)
{
    size_t nb = (size_t)1 << IDX6_BITS;
    uint32_t *ix = exr_xmalloc((nb + 1) * sizeof *ix);
    size_t j = 0;
    for (size_t b = 0; b < nb; b++) {
        uint64_t start = (uint64_t)b << (64 - IDX6_BITS);
        while (j < n && t[j].lo_h < start)
            j++;
        ix[b] = (uint32_t)(j ? j - 1 : 0);
    }
    ix[nb] = (uint32_t)n;
    return ix;
}

/* Every section starts 8-byte aligned so the mapped tables can be read in place. */
static int put(FILE *f, const void *p, size_t n, uint64_t *off)
{
    static const char zeros[8] = {0};
    long pos = ftell(f);
    if (pos % 8 && fwrite(zeros, 1, (size_t)(8 - pos % 8), f) != (size_t)(8 - pos % 8))
        return -1;
    *off = (uint64_t)ftell(f);
    return n && fwrite(p, 1, n, f) != n ? -1 : 0;
}

int exr_ipdb_compile(const char *asn4, const char *asn6, const char *cc4, const char *cc6, const char *out, long *bad, exr_err *e)
{
    vec t4a = {0, 0, 0, sizeof(e4)}, t4c = {0, 0, 0, sizeof(e4)}, t6a = {0, 0, 0, sizeof(e6)}, t6c = {0, 0, 0, sizeof(e6)};
    names nm;
    memset(&nm, 0, sizeof nm);
    nm.recs.sz = sizeof(asrec);
    exr_buf_init(&nm.pool);
    *bad = 0;
    int rc = 0;
    if ((asn4 && load_csv(asn4, 1, &t4a, &t6a, &nm, bad, e)) || (asn6 && load_csv(asn6, 1, &t4a, &t6a, &nm, bad, e)) ||
        (cc4 && load_csv(cc4, 0, &t4c, &t6c, &nm, bad, e)) || (cc6 && load_csv(cc6, 0, &t4c, &t6c, &nm, bad, e)))
        rc = -1;
    if (rc == 0) {
        if (t4a.n > 1)
            qsort(t4a.p, t4a.n, sizeof(e4), cmp4);
        if (t4c.n > 1)
            qsort(t4c.p, t4c.n, sizeof(e4), cmp4);
        if (t6a.n > 1)
            qsort(t6a.p, t6a.n, sizeof(e6), cmp6);
        if (t6c.n > 1)
            qsort(t6c.p, t6c.n, sizeof(e6), cmp6);
        uint32_t *i4a = index4(t4a.p, t4a.n), *i4c = index4(t4c.p, t4c.n), *i6a = index6(t6a.p, t6a.n), *i6c = index6(t6c.p, t6c.n);
        char tmp[4200];
        snprintf(tmp, sizeof tmp, "%s.tmp%d", out, (int)getpid());
        FILE *f = exr_open_output(tmp, false);
        if (!f) {
            rc = exr_seterr(e, EXR_EIO, "%s: %s", tmp, strerror(errno));
        } else {
            hdr h;
            memset(&h, 0, sizeof h);
            memcpy(h.magic, "EXRIPDB1", 8);
            fwrite(&h, sizeof h, 1, f);
            size_t i4n = ((size_t)1 << IDX4_BITS) + 1, i6n = ((size_t)1 << IDX6_BITS) + 1;
            int w = put(f, t4a.p, t4a.n * sizeof(e4), &h.off4a) | put(f, t4c.p, t4c.n * sizeof(e4), &h.off4c) |
                    put(f, t6a.p, t6a.n * sizeof(e6), &h.off6a) | put(f, t6c.p, t6c.n * sizeof(e6), &h.off6c) |
                    put(f, nm.recs.p, nm.recs.n * sizeof(asrec), &h.offas) | put(f, nm.pool.p, nm.pool.len, &h.offpool) |
                    put(f, i4a, i4n * 4, &h.offidx4a) | put(f, i4c, i4n * 4, &h.offidx4c) | put(f, i6a, i6n * 4, &h.offidx6a) |
                    put(f, i6c, i6n * 4, &h.offidx6c);
            h.n4a = t4a.n, h.n4c = t4c.n, h.n6a = t6a.n, h.n6c = t6c.n, h.nas = nm.recs.n, h.pool_len = nm.pool.len;
            fseek(f, 0, SEEK_SET);
            w |= fwrite(&h, sizeof h, 1, f) != 1;
            if (fclose(f) != 0 || w || rename(tmp, out) != 0) {
                unlink(tmp);
                rc = exr_seterr(e, EXR_EIO, "%s: cannot write", out);
            }
        }
        free(i4a);
        free(i4c);
        free(i6a);
        free(i6c);
    }
    free(t4a.p);
    free(t4c.p);
    free(t6a.p);
    free(t6c.p);
    free(nm.recs.p);
    free(nm.slots);
    exr_buf_free(&nm.pool);
    return rc;
}

/* ---- lookup ---- */

int exr_ipdb_open(exr_ipdb **out, const char *path, exr_err *e)
{
    exr_ipdb *db = exr_xcalloc(1, sizeof *db);
    size_t pl = strlen(path);
    if (pl > 5 && strcasecmp(path + pl - 5, ".mmdb") == 0) {
        int s = MMDB_open(path, MMDB_MODE_MMAP, &db->mmdb);
        if (s != MMDB_SUCCESS) {
            free(db);
            return exr_seterr(e, EXR_EIO, "%s: %s", path, MMDB_strerror(s));
        }
        db->kind = 1;
        *out = db;
        return 0;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        free(db);
        return exr_seterr(e, EXR_EIO, "%s: %s", path, strerror(err));
    }
    db->len = (size_t)st.st_size;
    db->map = db->len >= sizeof(hdr) ? mmap(NULL, db->len, PROT_READ, MAP_SHARED, fd, 0) : MAP_FAILED;
    close(fd);
    if (db->map == MAP_FAILED) {
        free(db);
        return exr_seterr(e, EXR_EIO, "%s: not an exray IP database", path);
    }
    const hdr *h = db->h = db->map;
    size_t i4n = ((size_t)1 << IDX4_BITS) + 1, i6n = ((size_t)1 << IDX6_BITS) + 1;
#define FITS(off, n, sz) ((off) <= db->len && (n) <= (db->len - (off)) / (sz))
    if (memcmp(h->magic, "EXRIPDB1", 8) != 0 ||
        (h->off4a | h->off4c | h->off6a | h->off6c | h->offas | h->offidx4a | h->offidx4c | h->offidx6a | h->offidx6c) % 8 ||
        !FITS(h->off4a, h->n4a, sizeof(e4)) || !FITS(h->off4c, h->n4c, sizeof(e4)) || !FITS(h->off6a, h->n6a, sizeof(e6)) ||
        !FITS(h->off6c, h->n6c, sizeof(e6)) || !FITS(h->offas, h->nas, sizeof(asrec)) || !FITS(h->offpool, h->pool_len, 1) ||
        !FITS(h->offidx4a, i4n, 4) || !FITS(h->offidx4c, i4n, 4) || !FITS(h->offidx6a, i6n, 4) || !FITS(h->offidx6c, i6n, 4)) {
        munmap(db->map, db->len);
        free(db);
        return exr_seterr(e, EXR_EINVAL, "%s: not an exray IP database, or truncated", path);
    }
#undef FITS
    const char *b = db->map;
    db->t4a = (const e4 *)(b + h->off4a);
    db->t4c = (const e4 *)(b + h->off4c);
    db->t6a = (const e6 *)(b + h->off6a);
    db->t6c = (const e6 *)(b + h->off6c);
    db->as = (const asrec *)(b + h->offas);
    db->pool = b + h->offpool;
    db->i4a = (const uint32_t *)(b + h->offidx4a);
    db->i4c = (const uint32_t *)(b + h->offidx4c);
    db->i6a = (const uint32_t *)(b + h->offidx6a);
    db->i6c = (const uint32_t *)(b + h->offidx6c);
    *out = db;
    return 0;
}

void exr_ipdb_close(exr_ipdb *db)
{
    if (!db)
        return;
    if (db->kind == 1)
        MMDB_close(&db->mmdb);
    else
        munmap(db->map, db->len);
    free(db);
}

static long find4(const e4 *t, uint64_t n, const uint32_t *ix, uint32_t a)
{
    size_t b = a >> (32 - IDX4_BITS);
    uint64_t lo = ix[b], hi = ix[b + 1] + 1;
    if (hi > n)
        hi = n;
    /* last entry with t.lo <= a */
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        if (t[mid].lo <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return -1;
    const e4 *x = &t[lo - 1];
    return x->lo <= a && a <= x->hi ? (long)(lo - 1) : -1;
}

static long find6(const e6 *t, uint64_t n, const uint32_t *ix, exr_u128 a)
{
    uint64_t ah = (uint64_t)(a >> 64), al = (uint64_t)a;
    size_t b = (size_t)(ah >> (64 - IDX6_BITS));
    uint64_t lo = ix[b], hi = ix[b + 1] + 1;
    if (hi > n)
        hi = n;
    while (lo < hi) {
        uint64_t mid = (lo + hi) / 2;
        if (t[mid].lo_h < ah || (t[mid].lo_h == ah && t[mid].lo_l <= al))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return -1;
    const e6 *x = &t[lo - 1];
    exr_u128 xl = (exr_u128)x->lo_h << 64 | x->lo_l, xh = (exr_u128)x->hi_h << 64 | x->hi_l;
    return xl <= a && a <= xh ? (long)(lo - 1) : -1;
}

static void from_mmdb(const exr_ipdb *db, const exr_addr *a, exr_geo *out)
{
    struct sockaddr_storage ss;
    exr_addr_sockaddr(a, 0, &ss);
    int err;
    MMDB_lookup_result_s r = MMDB_lookup_sockaddr((MMDB_s *)&db->mmdb, (struct sockaddr *)&ss, &err);
    if (err != MMDB_SUCCESS || !r.found_entry)
        return;
    MMDB_entry_data_s d;
    if (MMDB_get_value(&r.entry, &d, "autonomous_system_number", NULL) == MMDB_SUCCESS && d.has_data && d.type == MMDB_DATA_TYPE_UINT32)
        out->asn = d.uint32;
    if (MMDB_get_value(&r.entry, &d, "autonomous_system_organization", NULL) == MMDB_SUCCESS && d.has_data &&
        d.type == MMDB_DATA_TYPE_UTF8_STRING) {
        out->as_name = d.utf8_string;
        out->as_name_len = d.data_size;
    }
    if ((MMDB_get_value(&r.entry, &d, "country_code", NULL) == MMDB_SUCCESS ||
         MMDB_get_value(&r.entry, &d, "country", "iso_code", NULL) == MMDB_SUCCESS) &&
        d.has_data && d.type == MMDB_DATA_TYPE_UTF8_STRING && d.data_size == 2) {
        out->cc[0] = d.utf8_string[0];
        out->cc[1] = d.utf8_string[1];
        out->cc[2] = 0;
    }
}

void exr_ipdb_lookup(const exr_ipdb *db, const exr_addr *a, exr_geo *out)
{
    memset(out, 0, sizeof *out);
    if (db->kind == 1) {
        from_mmdb(db, a, out);
        return;
    }
    const hdr *h = db->h;
    long ia, ic;
    uint32_t va, vc;
    if (a->family == 4) {
        ia = find4(db->t4a, h->n4a, db->i4a, (uint32_t)a->v);
        ic = find4(db->t4c, h->n4c, db->i4c, (uint32_t)a->v);
        va = ia >= 0 ? db->t4a[ia].val : 0;
        vc = ic >= 0 ? db->t4c[ic].val : 0;
    } else {
        ia = find6(db->t6a, h->n6a, db->i6a, a->v);
        ic = find6(db->t6c, h->n6c, db->i6c, a->v);
        va = ia >= 0 ? db->t6a[ia].val : 0;
        vc = ic >= 0 ? db->t6c[ic].val : 0;
    }
    if (ic >= 0)
        out->cc[0] = (char)(vc >> 8), out->cc[1] = (char)vc;
    if (ia >= 0 && va < h->nas) {
        const asrec *r = &db->as[va];
        out->asn = r->asn;
        if (r->name_off <= h->pool_len && r->name_len <= h->pool_len - r->name_off) {
            out->as_name = db->pool + r->name_off;
            out->as_name_len = r->name_len;
        }
    }
}
