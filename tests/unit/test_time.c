/* test_time.c: the store's timestamp form and the import's RFC 3339 reader. */
#include "testutil.h"
#include "core/timefmt.h"
#include <string.h>

static int64_t parsed(const char *s)
{
    int64_t us = -1;
    assert_true(exr_time_parse(s, &us));
    return us;
}

static void test_offsets(void **state)
{
    (void)state;
    /* 2021-03-11T08:00:00Z, computed independently: 18697 days after 1970-01-01 */
    int64_t want = (18697LL * 86400 + 8 * 3600) * 1000000;
    assert_int_equal(parsed("2021-03-11T08:00:00Z"), want);
    assert_int_equal(parsed("2021-03-11T10:00:00+02:00"), want);
    assert_int_equal(parsed("2021-03-11T03:30:00-04:30"), want);
    assert_int_equal(parsed("2021-03-11 08:00:00"), want); /* Shadowserver: UTC without a zone */
    assert_int_equal(parsed("2021-03-11T08:00:00.25Z"), want + 250000);
    assert_int_equal(parsed("2021-03-11T08:00:00.1234567Z"), want + 123456);
}

static void test_impossible(void **state)
{
    (void)state;
    static const char *const bad[] = {"2021-13-45 99:99:99",
                                      "2021-02-29T00:00:00Z",
                                      "2021-04-31T00:00:00Z",
                                      "2021-03-11T24:00:00Z",
                                      "2021-03-11T10:60:00Z",
                                      "2021-03-11T10:00:61Z",
                                      "2021-03-11T10:00:00+25:00",
                                      "2021-03-11T10:00:00Zjunk",
                                      "2021-03-11T10:00:00.Z",
                                      "2021-00-10T10:00:00Z",
                                      "2021-03-00T10:00:00Z",
                                      "2021-03-11",
                                      "x"};
    int64_t us;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (exr_time_parse(bad[i], &us))
            fail_msg("accepted %s", bad[i]);
    assert_true(exr_time_parse("2024-02-29T00:00:00Z", &us)); /* a leap day */
}

static void test_stamp(void **state)
{
    (void)state;
    char t[EXR_TSTAMP_LEN];
    exr_time_stamp(parsed("2021-03-11T10:00:00.000007+02:00"), t, sizeof t);
    assert_string_equal(t, "2021-03-11T08:00:00.000007Z");
    /* same second, text order is time order */
    char a[EXR_TSTAMP_LEN], b[EXR_TSTAMP_LEN];
    exr_time_stamp(parsed("2026-12-01T10:00:00.999Z"), a, sizeof a);
    exr_time_stamp(parsed("2026-12-01T10:00:01Z"), b, sizeof b);
    assert_true(strcmp(a, b) < 0);
    exr_time_stamp(parsed("2026-12-01T10:00:00.1Z"), b, sizeof b);
    assert_true(strcmp(b, a) < 0);
    assert_int_equal(strlen(a), EXR_TSTAMP_LEN - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_offsets), cmocka_unit_test(test_impossible), cmocka_unit_test(test_stamp)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
