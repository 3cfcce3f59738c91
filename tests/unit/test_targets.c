/* test_targets.c: target syntax, port lists, and the blocklist rules (reserved ranges cut
 * out of containing targets, kept when a target lies wholly inside one). */
#include "testutil.h"
#include "scan/targets.h"

static exr_targets t;

static int setup(void **st)
{
    (void)st;
    exr_targets_init(&t);
    exr_err e;
    return exr_blocklist_load_default(&t, &e);
}

static int teardown(void **st)
{
    (void)st;
    exr_targets_free(&t);
    return 0;
}

static void add_ok(const char *s)
{
    exr_err e = {0, ""};
    if (exr_targets_add_line(&t, s, "test", &e) != 0)
        fail_msg("'%s' rejected: %s", s, e.msg);
}

static void add_bad(const char *s)
{
    exr_err e = {0, ""};
    if (exr_targets_add_line(&t, s, "test", &e) == 0)
        fail_msg("'%s' accepted", s);
    assert_non_null(strstr(e.msg, "test"));
}

static bool scanned(const char *ip)
{
    exr_addr a;
    assert_true(exr_addr_parse(ip, &a));
    return exr_rangeset_contains(&t.ranges, a.family, a.v);
}

static void test_syntax(void **st)
{
    (void)st;
    add_ok("192.0.2.10");
    add_ok("198.51.100.0/30   # comment");
    add_ok("2001:db8::1");
    add_ok("[2001:db8::2]:8443");
    add_ok("mail.example.org");
    add_ok("mail.example.org:8443");
    add_ok("https://owa.example.org/owa/");
    add_ok("https://[2001:db8::3]:444/x");
    add_ok("open tcp 443 203.0.113.7 1617891234");
    add_ok("saddr");
    add_ok("   ");
    add_ok("# only a comment");
    assert_int_equal(t.nnames, 3);
    assert_string_equal(t.names[0].name, "mail.example.org");
    assert_int_equal(t.names[1].port, 8443);
    assert_int_equal(t.npairs, 3);
    add_bad("10.0.0.0/33");
    add_bad("300.1.1.1");
    add_bad("http://example.org/");
    add_bad("a b");
    add_bad("host:0");
    add_bad("host:65536");
    add_bad("[::1");
    add_bad("10.0.0.0/8:443");
    add_bad("bad\x01name");
    add_bad("https://user@host/");
    add_bad("-");
    add_bad("open tcp x 1.2.3.4 1");
}

static void test_ports(void **st)
{
    (void)st;
    uint16_t p[EXR_MAX_PORTS];
    int n;
    exr_err e;
    assert_int_equal(exr_ports_parse("443,8443", p, &n, &e), 0);
    assert_int_equal(n, 2);
    assert_int_equal(p[1], 8443);
    assert_int_equal(exr_ports_parse("443,443,440-442", p, &n, &e), 0);
    assert_int_equal(n, 4);
    assert_int_equal(exr_ports_parse("0", p, &n, &e), -1);
    assert_int_equal(exr_ports_parse("443,", p, &n, &e), -1);
    assert_int_equal(exr_ports_parse("5-1", p, &n, &e), -1);
    assert_int_equal(exr_ports_parse("1-100", p, &n, &e), -1); /* more than 64 */
}

static void test_whole_internet_skips_reserved(void **st)
{
    (void)st;
    add_ok("0.0.0.0/0");
    exr_err e;
    assert_int_equal(exr_targets_finish(&t, &e), 0);
    assert_false(scanned("10.1.2.3"));
    assert_false(scanned("224.0.0.1"));
    assert_false(scanned("239.255.255.255"));
    assert_false(scanned("127.0.0.1"));
    assert_false(scanned("192.168.1.1"));
    assert_false(scanned("100.64.0.1"));
    assert_true(scanned("8.8.8.8"));
    assert_true(scanned("11.0.0.0"));
    assert_true(scanned("9.255.255.255"));
    /* 2^32 minus reserved space */
    assert_true(t.ranges.total > 3500000000ull && t.ranges.total < 3800000000ull);
}

static void test_explicit_private_range_kept(void **st)
{
    (void)st;
    add_ok("10.0.0.0/8");
    add_ok("127.77.0.0/20");
    add_ok("172.16.0.0/11"); /* contains 172.16/12 but is not inside it */
    exr_err e;
    assert_int_equal(exr_targets_finish(&t, &e), 0);
    assert_true(scanned("10.200.0.1"));
    assert_true(scanned("127.77.15.255"));
    assert_false(scanned("172.16.0.1"));
    assert_true(scanned("172.0.0.1"));
}

static void test_user_blocklist_always(void **st)
{
    (void)st;
    exr_err e;
    const char *bl = "# mine\n10.1.0.0/16\n  10.2.0.1  # one host\n";
    assert_int_equal(exr_blocklist_parse(&t.user_block, bl, strlen(bl), "bl", &e), 0);
    add_ok("10.0.0.0/8");
    add_ok("10.2.0.1:443");
    assert_int_equal(exr_targets_finish(&t, &e), 0);
    assert_false(scanned("10.1.5.5"));
    assert_false(scanned("10.2.0.1"));
    assert_true(scanned("10.2.0.2"));
    assert_int_equal(t.npairs, 0);
    const char *bad = "10.0.0.0/8\nfoo\n";
    exr_rangeset r;
    exr_rangeset_init(&r);
    assert_int_equal(exr_blocklist_parse(&r, bad, strlen(bad), "bl", &e), -1);
    assert_non_null(strstr(e.msg, "bl:2"));
    exr_rangeset_free(&r);
}

static void test_space_limit(void **st)
{
    (void)st;
    add_ok("2001:4860::/64");
    exr_err e;
    assert_int_equal(exr_targets_finish(&t, &e), -1);
    assert_non_null(strstr(e.msg, "too large"));
}

static void test_dedup_and_index(void **st)
{
    (void)st;
    add_ok("198.51.100.0/30");
    add_ok("198.51.100.2");
    add_ok("198.51.100.4/31");
    exr_err e;
    assert_int_equal(exr_targets_finish(&t, &e), 0);
    assert_int_equal(t.ranges.total, 6);
    exr_addr a;
    exr_rangeset_at(&t.ranges, 5, &a);
    char s[64];
    exr_addr_format(&a, s, sizeof s);
    assert_string_equal(s, "198.51.100.5");
}

/* Compact storage keeps the set semantics: random IPv4 singletons and ranges plus IPv6,
 * merged, subtracted, indexed; every index maps back to a member, in order, once. */
static void test_compact_rangeset_property(void **st)
{
    (void)st;
    exr_rangeset a, b, out;
    exr_rangeset_init(&a);
    exr_rangeset_init(&b);
    exr_rangeset_init(&out);
    unsigned seed = 7;
    static unsigned char member[1 << 16]; /* the 16-bit space 10.0.x.y */
    memset(member, 0, sizeof member);
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned lo = (seed >> 8) & 0xffff, len = (seed >> 28) & 3;
        unsigned hi = lo + len > 0xffff ? 0xffff : lo + len;
        exr_rangeset_add(&a, 4, 0x0a000000u + lo, 0x0a000000u + hi);
        for (unsigned x = lo; x <= hi; x++)
            member[x] |= 1;
    }
    exr_rangeset_add(&a, 6, 1, 5); /* an IPv6 interval after the IPv4 ones */
    for (unsigned x = 0; x < (1u << 16); x += 97) {
        exr_rangeset_add(&b, 4, 0x0a000000u + x, 0x0a000000u + x + 3 > 0x0a00ffffu ? 0x0a00ffffu : 0x0a000000u + x + 3);
        for (unsigned y = x; y <= x + 3 && y <= 0xffff; y++)
            member[y] |= 2;
    }
    exr_rangeset_normalize(&a);
    exr_rangeset_normalize(&b);
    for (size_t i = 0; i < a.n; i++) {
        exr_range r = exr_rangeset_get(&a, i);
        exr_rangeset_subtract_into(&b, r.family, r.lo, r.hi, &out);
    }
    exr_rangeset_normalize(&out);
    assert_true(exr_rangeset_index(&out, 1u << 20));
    uint64_t want = 5;
    for (unsigned x = 0; x < (1u << 16); x++)
        want += member[x] == 1;
    assert_int_equal(out.total, want);
    exr_u128 prev = 0;
    for (uint64_t i = 0; i < out.total; i++) {
        exr_addr ad;
        exr_rangeset_at(&out, i, &ad);
        if (ad.family == 4) {
            unsigned x = (unsigned)(ad.v - 0x0a000000u);
            assert_true(x < (1u << 16) && member[x] == 1);
            assert_true(i == 0 || ad.v > prev);
            assert_true(exr_rangeset_contains(&out, 4, ad.v));
        } else {
            assert_int_equal(ad.family, 6);
            assert_true(ad.v >= 1 && ad.v <= 5);
        }
        prev = ad.v;
    }
    assert_false(exr_rangeset_contains(&out, 4, 0x0a000000u)); /* x = 0 is blocked */
    exr_rangeset_free(&a);
    exr_rangeset_free(&b);
    exr_rangeset_free(&out);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_syntax),
        T(test_ports),
        T(test_whole_internet_skips_reserved),
        T(test_explicit_private_range_kept),
        T(test_user_blocklist_always),
        T(test_space_limit),
        T(test_dedup_and_index),
        T(test_compact_rangeset_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
