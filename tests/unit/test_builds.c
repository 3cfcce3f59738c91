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
    check("15.2.792.5", "2019", "CU8", "Feb21SU", V, V, V); /* KB4602269: named as HealthChecker names it */
    check("15.2.792.15", "2019", "CU8", "May21SU", P, P, V);
    check("15.2.792.13", "2019", "CU8", "Apr21SU", P, V, V); /* Apr21SU alone leaves CVE-2021-31207 */
    check("15.1.2176.9", "2016", "CU19", "Mar21SU", P, V, V);
    check("15.1.2242.4", "2016", "CU20", NULL, P, V, V); /* CU20 ships the ProxyLogon fix */
    check("15.1.2308.8", "2016", "CU21", NULL, P, P, V); /* CU21 ships ProxyShell's */
    check("15.1.2375.32", "2016", "CU22", "Oct22SU", P, P, V);
    check("15.1.2375.37", "2016", "CU22", "Nov22SU", P, P, P);
    check("15.1.2507.16", "2016", "CU23", "Nov22SU", P, P, P);
    check("15.0.1497.12", "2013", "CU23", "Mar21SU", P, V, V);
    check("15.0.1497.18", "2013", "CU23", "May21SU", P, P, V);
    check("15.0.1497.44", "2013", "CU23", "Nov22SU", P, P, P);
    check("15.0.847.64", "2013", "SP1", "Mar21SU", P, V, V);
    check("15.0.1395.10", "2013", "CU21", "Jan19SU", V, V, V);
    check("15.2.1258.12", "2019", "CU13", NULL, P, P, P);
    check("15.2.2562.17", "SE", "RTM", NULL, P, P, P);
}

static void test_three_part(void **st)
{
    (void)st;
    check("15.1.2176", "2016", "CU19", NULL, U, U, V);
    check("15.1.1261", "2016", "CU7", NULL, V, V, V); /* no SU for CU7 */
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
    /* an unknown CU between known ones: patched where an earlier CU ships the fix, and
     * never vulnerable, since no row describes it */
    check("15.2.1000", "2019", NULL, NULL, P, P, U);
    check("14.3.513.0", "2010", "SP3 RU32", NULL, NA, NA, NA);
    exr_version v;
    exr_build_info bi;
    assert_true(exr_version_parse("15.01.2375.007", 14, &v));
    exr_build_classify(&tab, &v, &bi);
    assert_string_equal(bi.cu, "CU22");
}

static bool reason_has(const char *build, int set, const char *want)
{
    exr_version v;
    exr_build_info bi;
    exr_version_parse(build, strlen(build), &v);
    exr_build_classify(&tab, &v, &bi);
    return bi.why[set] && strstr(bi.why[set], want);
}

/* Builds the table does not describe are never 'vulnerable': other product lines, builds
 * newer than the table, Exchange Online. */
static void test_outside_the_table(void **st)
{
    (void)st;
    check("15.20.5000.1", "Online", NULL, NULL, NA, NA, NA); /* Exchange Online front end */
    check("15.20.7452", "Online", NULL, NULL, NA, NA, NA);
    check("16.0.1.1", NULL, NULL, NULL, U, U, U);
    check("15.3.100.1", NULL, NULL, NULL, U, U, U);
    check("15.1.2600.1", "2016", NULL, NULL, U, U, U); /* past 2016's last CU */
    check("15.0.1600.3", "2013", NULL, NULL, U, U, U);
    check("15.1.300.1", NULL, NULL, NULL, U, U, U); /* older than any 2016 CU listed */
    assert_true(reason_has("15.20.5000.1", EXR_PROXYLOGON, "Exchange Online"));
    assert_true(reason_has("16.0.1.1", EXR_PROXYSHELL, "unknown product line"));
    assert_true(reason_has("15.1.2600.1", EXR_PROXYNOTSHELL, "newer than the build table"));
    assert_true(reason_has("15.1.2100.1", EXR_PROXYLOGON, "not in the build table"));
}

/* ---- HealthChecker's rule, written again here from data/exchange-builds.csv alone ----
 * For a set of product P and a 4-part build b of a CU that the table lists: patched when b
 * is at or above the first CU shipping the fix, or at or above an SU of b's own CU that is
 * the set's fixing SU; otherwise vulnerable. Read with its own CSV reader, not exray's. */
typedef struct mrow {
    char product[8];
    unsigned v[4];
    char kind[8];
    char fixes[64];
} mrow;

static int load_model(mrow *rows, int max)
{
    FILE *f = fopen("data/exchange-builds.csv", "r");
    assert_non_null(f);
    char line[512];
    int n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        if (line[0] == '#' || strncmp(line, "product,", 8) == 0)
            continue;
        char *fld[8] = {0};
        int k = 0;
        for (char *p = line; k < 8; k++) {
            fld[k] = p;
            char *c = strpbrk(p, ",\r\n");
            if (!c)
                break;
            char was = *c;
            *c = 0;
            p = c + 1;
            if (was != ',') {
                k++;
                break;
            }
        }
        mrow *r = &rows[n];
        memset(r, 0, sizeof *r);
        if (k < 5 || sscanf(fld[2], "%u.%u.%u.%u", &r->v[0], &r->v[1], &r->v[2], &r->v[3]) != 4)
            continue;
        snprintf(r->product, sizeof r->product, "%s", fld[0]);
        snprintf(r->kind, sizeof r->kind, "%s", fld[4]);
        snprintf(r->fixes, sizeof r->fixes, "%s", k > 7 && fld[7] ? fld[7] : "");
        n++;
    }
    fclose(f);
    return n;
}

static int cmp4(const unsigned *a, const unsigned *b)
{
    for (int i = 0; i < 4; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static int model_verdict(const mrow *rows, int n, const char *product, const unsigned *b0, const char *set)
{
    /* a build OWA reports for a CU release (cu-owa) is that release */
    unsigned b[4] = {b0[0], b0[1], b0[2], b0[3]};
    for (int i = 0; i < n; i++)
        if (!strcmp(rows[i].kind, "cu-owa") && !cmp4(rows[i].v, b0))
            for (int j = 0; j < n; j++)
                if (!strcmp(rows[j].kind, "cu") && !memcmp(rows[j].v, b0, 3 * sizeof *b0))
                    memcpy(b, rows[j].v, sizeof b);
    bool cu_known = false;
    for (int i = 0; i < n; i++) {
        const mrow *r = &rows[i];
        if (strcmp(r->product, product) != 0)
            continue;
        bool same_cu = r->v[0] == b[0] && r->v[1] == b[1] && r->v[2] == b[2];
        cu_known |= same_cu && (!strcmp(r->kind, "cu") || !strcmp(r->kind, "cu-owa"));
        if (!strstr(r->fixes, set) || cmp4(r->v, b) > 0)
            continue;
        if (!strcmp(r->kind, "cu") || (same_cu && !strcmp(r->kind, "su")))
            return EXR_V_PATCHED;
    }
    return cu_known ? EXR_V_VULNERABLE : -1;
}

/* Every build of 2013, 2016 and 2019 in the table, one revision above each and below each SU,
 * classified by exray and by the model above: the same verdict for every set. */
static void test_against_the_rule(void **st)
{
    (void)st;
    static mrow rows[1024];
    int n = load_model(rows, 1024), compared = 0;
    assert_true(n > 300);
    static const char *const products[] = {"2013", "2016", "2019"}, *const sets[] = {"proxylogon", "proxyshell", "proxynotshell"};
    for (int i = 0; i < n; i++) {
        bool ours = false;
        for (int k = 0; k < 3; k++)
            ours |= strcmp(rows[i].product, products[k]) == 0;
        if (!ours || !strcmp(rows[i].kind, "hu"))
            continue;
        bool variant = !strcmp(rows[i].kind, "cu-owa");
        for (int d = -1; d <= 1; d++) {
            unsigned b[4] = {rows[i].v[0], rows[i].v[1], rows[i].v[2], rows[i].v[3] + (unsigned)d};
            /* below a CU's release revision is no build Microsoft shipped */
            if ((d < 0 && (rows[i].v[3] == 0 || strcmp(rows[i].kind, "su") != 0)) || (variant && d != 0))
                continue;
            exr_version v = {4, {b[0], b[1], b[2], b[3]}};
            exr_build_info bi;
            exr_build_classify(&tab, &v, &bi);
            for (int s = 0; s < EXR_NSETS; s++) {
                int want = model_verdict(rows, n, rows[i].product, b, sets[s]);
                if (want < 0)
                    continue;
                compared++;
                if (bi.verdict[s] != want)
                    fail_msg("%u.%u.%u.%u %s: exray says %s, HealthChecker's rule %s", b[0], b[1], b[2], b[3], sets[s],
                             exr_verdict_name(bi.verdict[s]), exr_verdict_name(want));
            }
        }
    }
    assert_true(compared > 1500);
}

/* A table loads into memory that held anything (a stack variable): nothing of it is freed
 * (make demo's report crashed freeing such a pointer). */
static void test_load_into_garbage(void **st)
{
    (void)st;
    exr_buildtab t;
    exr_err e;
    memset(&t, 0xab, sizeof t);
    assert_int_equal(exr_buildtab_load_default(&t, &e), 0);
    assert_non_null(t.vulns);
    exr_buildtab_free(&t);
    memset(&t, 0xab, sizeof t);
    assert_int_not_equal(exr_buildtab_load_file(&t, "/nonexistent/builds.csv", &e), 0);
    exr_buildtab_free(&t);
}

/* ---- per-CVE verdicts (data/exchange-vulns.csv), facts from Microsoft's update history ---- */
static bool has(const char *const *list, int n, const char *cve)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], cve) == 0)
            return true;
    return false;
}

static exr_build_info cls(const char *build)
{
    exr_version v;
    assert_true(exr_version_parse(build, strlen(build), &v));
    exr_build_info bi;
    exr_build_classify(&tab, &v, &bi);
    assert_true(bi.cves.classified);
    return bi;
}

static void test_cves(void **st)
{
    (void)st;
    exr_build_info b = cls("15.1.2507.16"); /* 2016 CU23 Nov22SU */
    assert_false(has(b.cves.open, b.cves.nopen, "CVE-2022-41082"));
    assert_true(has(b.cves.open, b.cves.nopen, "CVE-2023-21762")); /* Jan23SU */
    assert_true(has(b.cves.open, b.cves.nopen, "CVE-2023-21529")); /* Feb23SU */
    assert_true(has(b.cves.open, b.cves.nopen, "CVE-2025-53786")); /* below Apr25HU: open */
    b = cls("15.1.2507.21");                                       /* Feb23SU: CVE-2023-21707 needs Mar23SU too */
    assert_false(has(b.cves.open, b.cves.nopen, "CVE-2023-21529"));
    assert_false(has(b.cves.open, b.cves.nopen, "CVE-2023-21762"));
    assert_true(has(b.cves.open, b.cves.nopen, "CVE-2023-21707"));
    b = cls("15.1.2507.23"); /* Mar23SU */
    assert_false(has(b.cves.open, b.cves.nopen, "CVE-2023-21707"));
    b = cls("15.0.1497.47"); /* 2013 CU23 Feb23SU: CVE-2023-21710 is 2016/2019 only */
    assert_false(has(b.cves.open, b.cves.nopen, "CVE-2023-21710"));
    assert_false(has(b.cves.undetermined, b.cves.nundet, "CVE-2023-21710"));
    assert_string_equal(b.cves.support, "end-of-life");
    b = cls("15.1.2176.2"); /* 2016 CU19 before Mar21SU: all three campaigns open, and KEV says exploited */
    assert_true(has(b.cves.kev_open, b.cves.nkev, "CVE-2021-26855"));
    assert_true(has(b.cves.kev_open, b.cves.nkev, "CVE-2021-34473"));
    assert_true(has(b.cves.kev_open, b.cves.nkev, "CVE-2022-41082"));
    assert_false(has(b.cves.kev_open, b.cves.nkev, "CVE-2021-26412")); /* open, not in KEV */
    assert_true(has(b.cves.open, b.cves.nopen, "CVE-2021-26412"));
    b = cls("15.2.1748.39"); /* 2019 CU15 Oct25SU: the hybrid CVE is fixed only with the hybrid app */
    assert_false(has(b.cves.open, b.cves.nopen, "CVE-2025-53786"));
    assert_true(has(b.cves.undetermined, b.cves.nundet, "CVE-2025-53786"));
    assert_false(has(b.cves.open, b.cves.nopen, "CVE-2025-59249"));
    assert_true(has(b.cves.open, b.cves.nopen, "CVE-2025-64666")); /* Dec25SU */
    b = cls("15.2.858");                                           /* 2019 CU9, CU-level: May21SU exists for CU9, Nov22SU does not */
    assert_true(has(b.cves.undetermined, b.cves.nundet, "CVE-2021-31207"));
    assert_true(has(b.cves.open, b.cves.nopen, "CVE-2022-41040"));
    b = cls("15.2.2562.17"); /* SE RTM: only the SE updates apply */
    assert_string_equal(b.cves.support, "supported");
    assert_false(has(b.cves.open, b.cves.nopen, "CVE-2023-21529"));
    assert_true(has(b.cves.open, b.cves.nopen, "CVE-2025-59249"));
    exr_version v;
    exr_build_info bi;
    assert_true(exr_version_parse("15.20.5000.1", 12, &v));
    exr_build_classify(&tab, &v, &bi);
    assert_false(bi.cves.classified); /* Exchange Online: nothing per CVE */
}

/* Support states by the lifecycle table on a given day: inside extended support, the ESU
 * window for its eligible CUs only, end of life after; SE has no end. */
static void test_support_states(void **st)
{
    (void)st;
    struct {
        const char *day, *build, *state, *since;
        bool esu;
    } c[] = {
        {"2025-06-01", "15.1.2507.16", "supported", NULL, false},                         /* 2016 CU23 before 2025-10-14 */
        {"2026-01-15", "15.1.2507.16", "extended-security-updates", "2025-10-14", false}, /* ESU window, CU23 */
        {"2026-01-15", "15.1.2375.37", "end-of-life", "2025-10-14", false},               /* CU22: no ESU */
        {"2026-01-15", "15.2.1748.43", "extended-security-updates", "2025-10-14", true},  /* 2019 CU15 Feb26SU: ESU-only update */
        {"2026-12-01", "15.2.1748.53", "end-of-life", "2026-10-13", true},                /* after the ESU window */
        {"2026-12-01", "15.0.1497.47", "end-of-life", "2023-04-11", false},               /* 2013 */
        {"2026-12-01", "15.2.2562.17", "supported", NULL, false},                         /* SE */
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        assert_true(exr_buildtab_set_asof(&tab, c[i].day));
        exr_build_info b = cls(c[i].build);
        assert_string_equal(b.cves.support, c[i].state);
        if (c[i].since)
            assert_string_equal(b.cves.support_since, c[i].since);
        else
            assert_null(b.cves.support_since);
        assert_int_equal(b.cves.esu_evidence, c[i].esu);
    }
    assert_false(exr_buildtab_set_asof(&tab, "2026-13-01"));
    assert_false(exr_buildtab_set_asof(&tab, "yesterday"));
    assert_true(exr_buildtab_set_asof(&tab, "2026-12-01"));
}

/* --cves: CVE ids, campaigns, kev; an unknown item is an error; unselected CVEs leave the
 * verdicts. */
static void test_select(void **st)
{
    (void)st;
    exr_err e = {0, ""};
    assert_int_equal(exr_vulntab_select(&tab.vt, "CVE-2023-21529,proxylogon", &e), 0);
    exr_build_info b = cls("15.1.2176.2");
    assert_true(has(b.cves.open, b.cves.nopen, "CVE-2021-26855"));
    assert_true(has(b.cves.open, b.cves.nopen, "CVE-2023-21529"));
    assert_false(has(b.cves.open, b.cves.nopen, "CVE-2021-34473"));
    assert_int_equal(b.cves.nopen, 5);
    assert_int_equal(exr_vulntab_select(&tab.vt, "kev", &e), 0);
    b = cls("15.1.2176.2");
    for (int i = 0; i < b.cves.nopen; i++)
        assert_non_null(exr_vulntab_find(&tab.vt, b.cves.open[i])->kev[0] ? b.cves.open[i] : NULL);
    assert_int_equal(b.cves.nopen, b.cves.nkev);
    assert_int_equal(exr_vulntab_select(&tab.vt, "CVE-2099-0001", &e), -1);
    assert_non_null(strstr(e.msg, "CVE-2099-0001"));
    assert_int_equal(exr_vulntab_select(&tab.vt, "all", &e), 0);
    b = cls("15.1.2176.2");
    assert_true(has(b.cves.open, b.cves.nopen, "CVE-2021-34473"));
}

/* The campaign verdicts and the per-CVE lists agree on every 4-part 2013/2016/2019 build of
 * the table: a set is vulnerable exactly when one of its CVEs is open. */
static void test_sets_agree_with_cves(void **st)
{
    (void)st;
    int compared = 0;
    for (size_t i = 0; i < tab.n; i++) {
        const exr_build_row *r = &tab.rows[i];
        if (strcmp(r->product, "2013") && strcmp(r->product, "2016") && strcmp(r->product, "2019"))
            continue;
        exr_build_info bi;
        exr_build_classify(&tab, &r->build, &bi);
        for (int s = 0; s < EXR_NSETS; s++) {
            bool any_open = false;
            for (int k = 0; exr_vset_cves[s][k]; k++)
                any_open |= has(bi.cves.open, bi.cves.nopen, exr_vset_cves[s][k]);
            if ((bi.verdict[s] == EXR_V_VULNERABLE) != any_open)
                fail_msg("%s %s: %s is %s, its CVEs %s open", r->product, r->cu, exr_vset_name[s], exr_verdict_name(bi.verdict[s]),
                         any_open ? "are" : "are not");
            compared++;
        }
    }
    assert_true(compared > 600);
}

/* Which CVEs of a set remain, in the verdict's reason and as a list. */
static void test_open_cves(void **st)
{
    (void)st;
    exr_version v;
    exr_build_info bi;
    exr_version_parse("15.1.2176.12", 12, &v); /* 2016 CU19 Apr21SU */
    exr_build_classify(&tab, &v, &bi);
    assert_int_equal(bi.verdict[EXR_PROXYSHELL], V);
    assert_int_equal(bi.nopen[EXR_PROXYSHELL], 1);
    assert_string_equal(bi.open[EXR_PROXYSHELL][0], "CVE-2021-31207");
    assert_non_null(strstr(bi.why[EXR_PROXYSHELL], "CVE-2021-31207"));
    assert_non_null(strstr(bi.why[EXR_PROXYSHELL], "Apr21SU"));
    assert_int_equal(bi.nopen[EXR_PROXYLOGON], 0); /* patched: nothing open */
    exr_version_parse("15.1.2176.2", 11, &v);      /* CU19 before any 2021 SU */
    exr_build_classify(&tab, &v, &bi);
    assert_int_equal(bi.nopen[EXR_PROXYSHELL], 3);
    assert_int_equal(bi.nopen[EXR_PROXYLOGON], 4);
    assert_string_equal(bi.open[EXR_PROXYLOGON][0], "CVE-2021-26855");
    exr_version_parse("15.1.2176", 9, &v); /* undetermined: unknown */
    exr_build_classify(&tab, &v, &bi);
    assert_int_equal(bi.nopen[EXR_PROXYLOGON], -1);
}

/* Hotfix updates are their own kind. */
static void test_hotfix_updates(void **st)
{
    (void)st;
    check("15.1.2507.39", "2016", "CU23", "Apr24HU", P, P, P);
    int hu = 0, hu_su = 0;
    for (size_t i = 0; i < tab.n; i++) {
        size_t l = strlen(tab.rows[i].update);
        bool named_hu = l > 2 && strcmp(tab.rows[i].update + l - 2, "HU") == 0;
        hu += tab.rows[i].kind == EXR_ROW_HU;
        hu_su += named_hu && tab.rows[i].kind != EXR_ROW_HU;
    }
    assert_true(hu >= 10);
    assert_int_equal(hu_su, 0);
    assert_string_equal(exr_rowkind_name(EXR_ROW_HU), "hu");
}

static void test_wants_revision(void **st)
{
    (void)st;
    exr_version v;
    exr_build_info bi;
    exr_version_parse("15.1.2176", 9, &v);
    exr_build_classify(&tab, &v, &bi);
    assert_true(exr_build_wants_revision(&bi));
    /* every set vulnerable, but CU7 got Mar18SU: its CVEs need the revision */
    exr_version_parse("15.1.1261", 9, &v);
    exr_build_classify(&tab, &v, &bi);
    assert_true(exr_build_wants_revision(&bi));
    /* SE RTM: every set patched, its own updates undetermined from the path */
    exr_version_parse("15.2.2562", 9, &v);
    exr_build_classify(&tab, &v, &bi);
    assert_true(exr_build_wants_revision(&bi));
    /* 2016 CU1: no update of any CVE on the CU, the CU alone says everything */
    exr_version_parse("15.1.396", 8, &v);
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
        cmocka_unit_test(test_exact_builds),         cmocka_unit_test(test_three_part),       cmocka_unit_test(test_variants_and_unknowns),
        cmocka_unit_test(test_wants_revision),       cmocka_unit_test(test_version_parse),    cmocka_unit_test(test_loader_errors),
        cmocka_unit_test(test_outside_the_table),    cmocka_unit_test(test_against_the_rule), cmocka_unit_test(test_cves),
        cmocka_unit_test(test_support_states),       cmocka_unit_test(test_select),           cmocka_unit_test(test_load_into_garbage),
        cmocka_unit_test(test_sets_agree_with_cves), cmocka_unit_test(test_open_cves),        cmocka_unit_test(test_hotfix_updates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
