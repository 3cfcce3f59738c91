/* test_permute.c: the cyclic-group order visits every index exactly once, shards split it
 * without overlap or gaps, and consecutive probes are spread out. */
#include "testutil.h"
#include "scan/permute.h"

static void visit_all(uint64_t n, uint64_t seed, uint32_t shards)
{
    unsigned char *seen = calloc(n ? n : 1, 1);
    uint64_t count = 0;
    for (uint32_t s = 0; s < shards; s++) {
        exr_perm pm;
        exr_perm_init(&pm, n, seed, s, shards);
        uint64_t x;
        while (exr_perm_next(&pm, &x)) {
            assert_true(x < n);
            assert_int_equal(seen[x], 0);
            seen[x] = 1;
            count++;
        }
    }
    assert_int_equal(count, n);
    free(seen);
}

static void test_coverage(void **st)
{
    (void)st;
    uint64_t sizes[] = {0, 1, 2, 3, 7, 256, 1000, 4096, 65537, 300000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        visit_all(sizes[i], 1, 1);
        visit_all(sizes[i], 12345, 3);
        visit_all(sizes[i], 99, 16);
    }
}

static void test_seed_determines_order(void **st)
{
    (void)st;
    exr_perm a, b, c;
    exr_perm_init(&a, 10000, 7, 0, 1);
    exr_perm_init(&b, 10000, 7, 0, 1);
    exr_perm_init(&c, 10000, 8, 0, 1);
    int same = 0, diff = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x, y, z;
        exr_perm_next(&a, &x);
        exr_perm_next(&b, &y);
        exr_perm_next(&c, &z);
        same += x == y;
        diff += x != z;
    }
    assert_int_equal(same, 100);
    assert_true(diff > 90);
}

static void test_spread(void **st)
{
    (void)st;
    /* 65536 addresses = 256 /24s: the first 256 probes must not pile into a few /24s */
    exr_perm pm;
    exr_perm_init(&pm, 65536, 3, 0, 1);
    int hits[256] = {0};
    int sequential = 0;
    uint64_t prev = 0;
    for (int i = 0; i < 256; i++) {
        uint64_t x;
        assert_true(exr_perm_next(&pm, &x));
        hits[x >> 8]++;
        sequential += i && x == prev + 1;
        prev = x;
    }
    int maxhits = 0;
    for (int i = 0; i < 256; i++)
        maxhits = hits[i] > maxhits ? hits[i] : maxhits;
    assert_true(maxhits <= 6);
    assert_true(sequential < 3);
}

static void test_primes(void **st)
{
    (void)st;
    assert_true(exr_is_prime_u64(2));
    assert_true(exr_is_prime_u64(4294967311ull));
    assert_false(exr_is_prime_u64(4294967297ull)); /* 641 * 6700417 */
    assert_true(exr_is_prime_u64(1099511628401ull));
    assert_false(exr_is_prime_u64(1));
    assert_false(exr_is_prime_u64(3215031751ull)); /* strong pseudoprime to 2,3,5,7 */
}

/* --shard and the shard column of scans: "I/N" exactly, 0 <= I < N <= EXR_MAX_SHARDS */
static void test_shard_parse(void **st)
{
    (void)st;
    uint32_t i = 99, n = 99;
    assert_true(exr_shard_parse("0/1", &i, &n));
    assert_int_equal(i, 0);
    assert_int_equal(n, 1);
    assert_true(exr_shard_parse("4999/5000", &i, &n));
    assert_int_equal(i, 4999);
    assert_int_equal(n, 5000);
    assert_true(exr_shard_parse("65535/65536", &i, &n));
    const char *bad[] = {NULL,
                         "",
                         "1",
                         "1/",
                         "/2",
                         "2/2",
                         "3/2",
                         "0/0",
                         "0/65537",
                         "-1/4",
                         "1/4 ",
                         " 1/4",
                         "1/4x",
                         "1 /4",
                         "+1/4",
                         "1/+4",
                         "0/99999999999999999999",
                         "1//4"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        i = n = 7;
        assert_false(exr_shard_parse(bad[k], &i, &n));
        assert_int_equal(i, 7);
        assert_int_equal(n, 7);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_coverage), cmocka_unit_test(test_seed_determines_order),
                                       cmocka_unit_test(test_spread), cmocka_unit_test(test_primes), cmocka_unit_test(test_shard_parse)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
