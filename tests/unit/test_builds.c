/* test_builds.c: verdicts against facts from Microsoft's build list (written here by
 * hand, not derived from the table), and loader errors. */
#include "testutil.h"
#include "exchange/builds.h"
#include <string.h>

static exr_buildtab tab;

static int setup(void **st)
{
    (void)st;
    exr_err e;
    return exr_buildtab_load_default(&tab, &e);
}

static int teardown(void **st)
{
    (void)st;
    exr_buildtab_free(&tab);
    return 0;
}

static void check(const char *build, const char *product, const char *cu, const char *su, int pl, int ps, int pns)
{
    exr_version v;
    assert_true(exr_version_parse(build, strlen(build), &v));
    exr_build_info bi;
    exr_build_classify(&tab, &v, &bi);
    if (product)
        assert_string_equal(bi.product, product);
    if (cu)
        assert_string_equal(bi.cu, cu);
    else
        assert_null(bi.cu);
    if (su)
        assert_string_equal(bi.su, su);
    else
        assert_null(bi.su);
    assert_int_equal(bi.verdict[EXR_PROXYLOGON], pl);
    assert_int_equal(bi.verdict[EXR_PROXYSHELL], ps);
    assert_int_equal(bi.verdict[EXR_PROXYNOTSHELL], pns);
}

enum { V = EXR_V_VULNERABLE, P = EXR_V_PATCHED, U = EXR_V_UNDETERMINED, NA = EXR_V_NOT_AFFECTED };

static void test_exact_builds(void **st)
{
    (void)st;
    check("15.2.792.10", "2019", "CU8", "Mar21SU", P, V, V);
    check("15.2.792.5", "2019", "CU8", "KB4602269", V, V, V);
    check("15.2.792.15", "2019", "CU8", "May21SU", P, P, V);
    check("15.2.792.13", "2019", "CU8", "Apr21SU", P, V, V); /* Apr21SU alone leaves CVE-2021-31207 */
    check("15.1.2176.9", "2016", "CU19", "Mar21SU", P, V, V);
    check("15.1.2242.4", "2016", "CU20", NULL, P, V, V);   /* CU20 ships the ProxyLogon fix */
    check("15.1.2308.8", "2016", "CU21", NULL, P, P, V);   /* CU21 ships ProxyShell's */
    check("15.1.2375.32", "2016", "CU22", "Oct22SU", P, P, V);
    check("15.1.2375.37", "2016", "CU22", "Nov22SU", P, P, P);
    check("15.1.2507.16", "2016", "CU23", "Nov22SU", P, P, P);
    check("15.0.1497.12", "2013", "CU23", "Mar21SU", P, V, V);
    check("15.0.1497.18", "2013", "CU23", "May21SU", P, P, V);
    check("15.0.1497.44", "2013", "CU23", "Nov22SU", P, P, P);
    check("15.0.847.64", "2013", "SP1", "Mar21SU", P, V, V);
    check("15.0.1395.10", "2013", "CU21", "KB4471389", V, V, V);
    check("15.2.1258.12", "2019", "CU13", NULL, P, P, P);
    check("15.2.2562.17", "SE", "RTM", NULL, P, P, P);
}

static void test_three_part(void **st)
{
    (void)st;
    check("15.1.2176", "2016", "CU19", NULL, U, U, V);
    check("15.1.1261", "2016", "CU7", NULL, V, V, V);   /* no SU for CU7 */
    check("15.0.1497", "2013", "CU23", NULL, U, U, U);
    check("15.2.858", "2019", "CU9", NULL, P, U, V);
    check("15.2.1118", "2019", "CU12", NULL, P, P, U);
    check("15.2.1544", "2019", "CU14", NULL, P, P, P);
    check("15.0.1104", "2013", "CU9", NULL, V, V, V);
}

static void test_variants_and_unknowns(void **st)
{
    (void)st;
    /* OWA reports 2019 CU9 as 15.2.858.2; the product build is 15.2.858.5 */
    check("15.2.858.2", "2019", "CU9", NULL, P, V, V);
    /* CSS-Exchange's revision for 2016 CU8 Mar21SU is .8, Microsoft's page says .10 */
    check("15.1.1415.8", "2016", "CU8", "Mar21SU", P, V, V);
    /* a revision missing from the table is compared numerically */
    check("15.1.2176.20", "2016", "CU19", NULL, P, P, V);
    check("15.1.2176.5", "2016", "CU19", NULL, V, V, V);
    /* an unknown CU between known ones: no SU can be known for it */
    check("15.2.1000", "2019", NULL, NULL, P, P, V);
    check("14.3.513.0", "2010", "SP3 RU32", NULL, NA, NA, NA);
    exr_version v;
    exr_build_info bi;
    assert_true(exr_version_parse("15.01.2375.007", 14, &v));
    exr_build_classify(&tab, &v, &bi);
    assert_string_equal(bi.cu, "CU22");
}

static void test_wants_revision(void **st)
{
    (void)st;
    exr_version v;
    exr_build_info bi;
    exr_version_parse("15.1.2176", 9, &v);
    exr_build_classify(&tab, &v, &bi);
    assert_true(exr_build_wants_revision(&bi));
    exr_version_parse("15.1.1261", 9, &v);
    exr_build_classify(&tab, &v, &bi);
    assert_false(exr_build_wants_revision(&bi));
    exr_version_parse("15.1.2176.9", 11, &v);
    exr_build_classify(&tab, &v, &bi);
    assert_false(exr_build_wants_revision(&bi));
}

static void test_version_parse(void **st)
{
    (void)st;
    exr_version v;
    assert_true(exr_version_parse("15.2.858.5", 10, &v));
    assert_int_equal(v.n, 4);
    assert_true(exr_version_parse("15.2.858", 8, &v));
    assert_int_equal(v.n, 3);
    assert_false(exr_version_parse("15.2", 4, &v));
    assert_false(exr_version_parse("15.2.858.5.1", 12, &v));
    assert_false(exr_version_parse("15.2.x.5", 8, &v));
    assert_false(exr_version_parse("15.2.8581234567.5", 17, &v));
    assert_false(exr_version_parse("", 0, &v));
    assert_int_equal(exr_version_scan("15.1.2176/themes", 16, &v), 9);
}

static void loader_error(const char *text, const char *want)
{
    exr_buildtab t;
    exr_err e = {0, ""};
    assert_int_equal(exr_buildtab_load_text(&t, text, strlen(text), "x.csv", &e), -1);
    if (!strstr(e.msg, want))
        fail_msg("error '%s' lacks '%s'", e.msg, want);
}

static void test_loader_errors(void **st)
{
    (void)st;
    const char *h = "product,cu,build,released,kind,update,kb,fixes\n";
    char buf[512];
    loader_error("nope\n", "x.csv:1");
    snprintf(buf, sizeof buf, "%s2019,CU9,15.2.858,2021-03-16,cu,,,\n", h);
    loader_error(buf, "x.csv:2");
    snprintf(buf, sizeof buf, "%s# c\n2019,CU9,15.2.858.5,2021-3-16,cu,,,\n", h);
    loader_error(buf, "x.csv:3");
    snprintf(buf, sizeof buf, "%s2019,CU9,15.2.858.5,2021-03-16,cu,,,proxyfoo\n", h);
    loader_error(buf, "fixes");
    snprintf(buf, sizeof buf, "%s2019,CU9,15.2.858.5,2021-03-16,zz,,,\n", h);
    loader_error(buf, "kind");
    snprintf(buf, sizeof buf, "%s2019,CU9,15.2.858.5,2021-03-16,su,,,\n", h);
    loader_error(buf, "update");
    loader_error(h, "no build rows");
    snprintf(buf, sizeof buf, "%s\"2019,CU9,15.2.858.5\n", h);
    loader_error(buf, "malformed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_builds),    cmocka_unit_test(test_three_part),
        cmocka_unit_test(test_variants_and_unknowns), cmocka_unit_test(test_wants_revision),
        cmocka_unit_test(test_version_parse),   cmocka_unit_test(test_loader_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
