/* test_hunt.c: the pieces that must match Test-ProxyLogon exactly: PowerShell -like
 * (case-insensitive '*' and '?'), the three AnchorMailbox conditions, time parsing,
 * case-insensitive and %XX-decoded path names. */
#include "testutil.h"
#include "hunt/findings.h"
#include "hunt/fsro.h"
#include "hunt/lines.h"

static bool like(const char *s, const char *p)
{
    return exr_like(s, strlen(s), p);
}

static void test_like(void **st)
{
    (void)st;
    assert_true(like("ServerInfo~a]@ex.contoso.local:444/ecp/proxyLogon.ecp?#", "ServerInfo~*/*"));
    assert_true(like("SERVERINFO~x/", "ServerInfo~*/*")); /* -like ignores case */
    assert_false(like("ServerInfo~x", "ServerInfo~*/*"));
    assert_false(like("SMTP:a@b/c", "ServerInfo~*/*"));
    assert_true(like("ServerInfo~a]@ex:444/autodiscover/autodiscover.xml?#", "ServerInfo~*/autodiscover*"));
    assert_true(like("ServerInfo~localhost/ecp/default.flt?", "ServerInfo~localhost*/*"));
    assert_false(like("ServerInfo~a]@localhost.evil/ecp/x", "ServerInfo~localhost*/*"));
    assert_true(like("ServerInfo~a]@e:444/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory#",
                     "ServerInfo~*/*Reset*VirtualDirectory#"));
    assert_false(like("ServerInfo~a]@e:444/ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory",
                      "ServerInfo~*/*Reset*VirtualDirectory#"));
    assert_true(like("Server~localhost/ecp/default.flt?~3", "Server~*/*~*"));
    assert_false(like("Server~EX01.contoso.local~1941962752~2021-03-02T10:00:00", "Server~*/*~*"));
    assert_true(like("abc", "a?c"));
    assert_false(like("ac", "a?c"));
    assert_true(like("", "*"));
    /* a long hostile value is matched in bounded time */
    char *big = malloc(200001);
    memset(big, 'a', 200000);
    big[200000] = 0;
    assert_false(exr_like(big, 200000, "*a*a*a*b"));
    free(big);
}

static void test_time(void **st)
{
    (void)st;
    assert_int_equal(exr_parse_time("2021-03-03T06:49:42.162Z", 24), 1614754182162LL);
    assert_int_equal(exr_parse_time("2021-03-03 06:49:42", 19), 1614754182000LL);
    assert_int_equal(exr_parse_time("1970-01-01T00:00:00Z", 20), EXR_NO_TIME); /* before 1990: not a log time */
    assert_int_equal(exr_parse_time("2021-13-03T06:49:42Z", 20), EXR_NO_TIME);
    assert_int_equal(exr_parse_time("2021-03-03", 10), EXR_NO_TIME);
    assert_int_equal(exr_parse_time("2021-03-03X06:49:42", 19), EXR_NO_TIME);
    char buf[32];
    exr_fmt_ms(1614754182162LL, buf, sizeof buf);
    assert_string_equal(buf, "2021-03-03T06:49:42Z");
}

static void test_names(void **st)
{
    (void)st;
    assert_true(exr_name_eq("C%3A", "C:"));
    assert_true(exr_name_eq("program files", "Program Files"));
    assert_true(exr_name_eq("Program%20Files", "Program Files"));
    assert_false(exr_name_eq("Program Files (x86)", "Program Files"));
    assert_false(exr_name_eq("C%3", "C:"));
}

static void test_memcasestr(void **st)
{
    (void)st;
    const char *s = "xx Download Failed AND temporary file 'C:\\x'";
    assert_ptr_equal(exr_memcasestr(s, strlen(s), "download failed and temporary file"), s + 3);
    assert_null(exr_memcasestr(s, 10, "download failed"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_like), cmocka_unit_test(test_time), cmocka_unit_test(test_names),
                                       cmocka_unit_test(test_memcasestr)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
