/* test_exposure.c: the one state (exchange/exposure.c) against facts written here by hand
 * from Microsoft's build list, release posts and lifecycle pages, not from the tables. */
#include "testutil.h"
#include "exchange/exposure.h"
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

/* The exposure of an Exchange server on build (NULL: none read) on day. */
static void expose(const char *build, const char *day, bool shell, const char *const *asserted, int nasserted, exr_exposure *x)
{
    static exr_build_info bi;
    exr_version v;
    bool have = build && exr_version_parse(build, strlen(build), &v);
    if (have)
        exr_build_classify(&tab, &v, &bi);
    exr_observed o = {.answered = true,
                      .exchange = true,
                      .bi = have ? &bi : NULL,
                      .shell = shell,
                      .asserted = asserted,
                      .nasserted = nasserted,
                      .day = day};
    exr_exposure_of(&tab, &o, x);
}

static void test_newest_and_older_updates(void **st)
{
    (void)st;
    exr_exposure x;
    /* Exchange SE RTM Feb26SU: CVE-2026-42897 (KEV since 2026-05-15) and every later CVE open */
    expose("15.2.2562.37", "2026-12-01", false, NULL, 0, &x);
    assert_int_equal(x.state, EXR_S_VULNERABLE);
    assert_int_equal(x.nkev, 1);
    assert_true(x.nopen >= 19);
    /* Oct26SU, the newest: nothing open; the setting-override CVEs of Aug25SU/Oct25SU to check */
    expose("15.2.2562.56", "2026-12-01", false, NULL, 0, &x);
    assert_int_equal(x.state, EXR_S_PATCHED);
    assert_int_equal(x.nopen, 0);
    assert_int_equal(x.nconfig, 6);
    assert_string_equal(x.support, "supported");
    /* 2016 CU23 Nov22SU: patched for the 2021-22 campaigns, still open to every CVE since */
    expose("15.1.2507.16", "2026-12-01", false, NULL, 0, &x);
    assert_int_equal(x.state, EXR_S_VULNERABLE);
    assert_string_equal(x.support, "end-of-life");
}

static void test_end_of_life_and_esu(void **st)
{
    (void)st;
    exr_exposure x;
    /* 2010 SP3 RU32: no listed CVE open, the line ended 2020-10-13 */
    expose("14.3.513.0", "2026-12-01", false, NULL, 0, &x);
    assert_int_equal(x.state, EXR_S_EOL);
    /* 2016 CU23 Oct26SU: nothing open; inside the ESU window on 2026-10-13, past it a day later */
    expose("15.1.2507.77", "2026-10-13", false, NULL, 0, &x);
    assert_int_equal(x.state, EXR_S_PATCHED);
    assert_string_equal(x.support, "extended-security-updates");
    expose("15.1.2507.77", "2026-10-14", false, NULL, 0, &x);
    assert_int_equal(x.state, EXR_S_EOL);
    assert_string_equal(x.support_day, "2026-10-14");
}

static void test_compromised_first(void **st)
{
    (void)st;
    exr_exposure x;
    expose("15.2.2562.56", "2026-12-01", true, NULL, 0, &x);
    assert_int_equal(x.state, EXR_S_COMPROMISED);
    expose(NULL, "2026-12-01", true, NULL, 0, &x);
    assert_int_equal(x.state, EXR_S_COMPROMISED);
}

static void test_undetermined_and_not_affected(void **st)
{
    (void)st;
    exr_exposure x;
    /* SE RTM, its revision unknown: every SU of RTM decides, none can be read */
    expose("15.2.2562", "2026-12-01", false, NULL, 0, &x);
    assert_int_equal(x.state, EXR_S_UNDETERMINED);
    assert_true(x.nundet > 0);
    /* no build read at all */
    expose(NULL, "2026-12-01", false, NULL, 0, &x);
    assert_int_equal(x.state, EXR_S_UNDETERMINED);
    /* Exchange Online's front end */
    expose("15.20.4755.21", "2026-12-01", false, NULL, 0, &x);
    assert_int_equal(x.state, EXR_S_NOT_AFFECTED);
    /* not Exchange; no answer */
    exr_observed o = {.answered = true, .exchange = false};
    exr_exposure_of(&tab, &o, &x);
    assert_int_equal(x.state, EXR_S_NOT_AFFECTED);
    o.answered = false;
    exr_exposure_of(&tab, &o, &x);
    assert_int_equal(x.state, -1);
}

static void test_feed_assertions(void **st)
{
    (void)st;
    exr_exposure x;
    /* the feed says ProxyLogon's CVE is open on a CU-level build: open, known exploited */
    const char *a[] = {"cve-2021-26855"};
    expose("15.2.2562", "2026-12-01", false, a, 1, &x);
    assert_int_equal(x.state, EXR_S_VULNERABLE);
    assert_int_equal(x.nasserted, 1);
    assert_string_equal(x.asserted[0], "CVE-2021-26855");
    assert_int_equal(x.nkev, 1);
    /* without a build at all, the feed's word is the state */
    expose(NULL, "2021-03-11", false, a, 1, &x);
    assert_int_equal(x.state, EXR_S_VULNERABLE);
    /* a CVE the build already shows open counts once */
    const char *b[] = {"CVE-2026-42897"};
    expose("15.2.2562.37", "2026-12-01", false, b, 1, &x);
    assert_int_equal(x.nasserted, 0);
    assert_int_equal(x.nkev, 1);
}

static void test_tag_cves(void **st)
{
    (void)st;
    char ids[8][24];
    int n = exr_tag_cves("exchange;cve-2021-26855;CVE-2021-27065;webshell;cve-2021-26855;cve-21-1;cve-2021-123456789", ids, 8);
    assert_int_equal(n, 2);
    assert_string_equal(ids[0], "CVE-2021-26855");
    assert_string_equal(ids[1], "CVE-2021-27065");
    assert_int_equal(exr_tag_cves("exchange", ids, 8), 0);
}

static void test_state_names(void **st)
{
    (void)st;
    for (int i = 0; i < EXR_NSTATE; i++)
        assert_int_equal(exr_state_parse(exr_state_names[i]), i);
    assert_int_equal(exr_state_parse("patched-after-exposure"), -1);
    unsigned m;
    assert_int_equal(exr_state_mask("vulnerable,end-of-life", &m), 0);
    assert_int_equal(m, 1u << EXR_S_VULNERABLE | 1u << EXR_S_EOL);
    assert_int_equal(exr_state_mask("vulnerable,,patched", &m), -1);
    assert_int_equal(exr_state_mask("vulnerable,patchd", &m), -1);
    assert_int_equal(exr_state_mask("", &m), -1);
    assert_true(exr_state_is_open(EXR_S_EOL) && exr_state_is_open(EXR_S_VULNERABLE) && exr_state_is_open(EXR_S_COMPROMISED));
    assert_false(exr_state_is_open(EXR_S_UNDETERMINED) || exr_state_is_open(EXR_S_PATCHED) || exr_state_is_open(EXR_S_NOT_AFFECTED));
}

static void test_admin_display_version(void **st)
{
    (void)st;
    exr_version v;
    assert_true(exr_version_parse_any("Version 15.1 (Build 2507.6)", &v));
    assert_int_equal(v.n, 4);
    assert_int_equal(v.p[2], 2507);
    assert_int_equal(v.p[3], 6);
    assert_true(exr_version_parse_any(" 15.01.2507.006 ", &v));
    assert_int_equal(v.p[1], 1);
    assert_int_equal(v.p[3], 6);
    assert_false(exr_version_parse_any("Version 15.1 (Build 2507.6) and more", &v));
    assert_false(exr_version_parse_any("Version 15.1", &v));
}

static void test_digest_follows_tables(void **st)
{
    (void)st;
    char a[17], b[17];
    exr_tables_digest(&tab, a);
    exr_buildtab t2 = {0};
    exr_err e;
    assert_int_equal(exr_buildtab_load_default(&t2, &e), 0);
    exr_tables_digest(&t2, b);
    assert_string_equal(a, b);
    assert_int_equal(exr_vulntab_select(&t2.vt, "kev", &e), 0); /* --kev-only changes every state */
    exr_tables_digest(&t2, b);
    assert_string_not_equal(a, b);
    exr_buildtab_free(&t2);
}

/* More distinct CVEs than a build's verdict lists hold: the ones past them would be called
 * patched without a word (the audit's 193rd CVE); the table is refused, naming the count. */
static void test_too_many_cves_refused(void **st)
{
    (void)st;
    exr_buf b;
    exr_buf_init(&b);
    exr_buf_adds(&b, "update,cve,products,kev_added,campaign,config\n");
    for (int i = 0; i < EXR_MAX_CVES + 1; i++)
        exr_buf_printf(&b, "Feb26SU,CVE-2026-%05d,2016 2019 SE,,,\n", 10000 + i);
    exr_vulntab vt;
    memset(&vt, 0, sizeof vt);
    exr_err e = {0, ""};
    assert_int_not_equal(exr_vulntab_load_text(&vt, b.p, b.len, "many.csv", &e), 0);
    assert_non_null(strstr(e.msg, "many.csv"));
    assert_non_null(strstr(e.msg, "distinct CVEs"));
    /* exactly the most it counts still loads */
    exr_buf_reset(&b);
    exr_buf_adds(&b, "update,cve,products,kev_added,campaign,config\n");
    for (int i = 0; i < EXR_MAX_CVES; i++)
        exr_buf_printf(&b, "Feb26SU,CVE-2026-%05d,2016 2019 SE,,,\n", 10000 + i);
    assert_int_equal(exr_vulntab_load_text(&vt, b.p, b.len, "max.csv", &e), 0);
    assert_int_equal((int)vt.n, EXR_MAX_CVES);
    exr_vulntab_free(&vt);
    exr_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_newest_and_older_updates),
        cmocka_unit_test(test_end_of_life_and_esu),
        cmocka_unit_test(test_compromised_first),
        cmocka_unit_test(test_undetermined_and_not_affected),
        cmocka_unit_test(test_feed_assertions),
        cmocka_unit_test(test_tag_cves),
        cmocka_unit_test(test_state_names),
        cmocka_unit_test(test_admin_display_version),
        cmocka_unit_test(test_digest_follows_tables),
        cmocka_unit_test(test_too_many_cves_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
