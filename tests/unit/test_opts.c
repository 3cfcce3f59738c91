/* test_opts.c: the option tables are well formed, and the parser built from them takes
 * what users type and refuses the rest. */
#include "testutil.h"
#include "cli/opts.h"
#include <ctype.h>

static void tables_are_well_formed(void **state)
{
    (void)state;
    for (int i = 0; i < exr_nspecs; i++) {
        const exr_cmdspec *s = exr_specs[i];
        assert_true(s->nopts > 0 && s->nopts < EXR_MAXOPTS);
        assert_non_null(s->synopsis);
        assert_non_null(s->examples);
        assert_int_equal(s->examples[0], '$');
        assert_non_null(strchr(s->exit_status, '\t'));
        for (int k = 0; k < s->nopts; k++) {
            const exr_opt *o = &s->opts[k];
            /* a hole in the designated initialisers would leave a nameless option */
            assert_non_null(o->lng);
            assert_non_null(o->help);
            assert_non_null(o->group);
            assert_true(o->help[strlen(o->help) - 1] != '.');
            assert_true(o->shrt != 'h');
            for (const char *a = o->arg; a && *a; a++)
                assert_true(isupper((unsigned char)*a) || *a == '/' || *a == '.');
            for (int j = 0; j < k; j++) {
                assert_string_not_equal(o->lng, s->opts[j].lng);
                assert_true(!o->shrt || o->shrt != s->opts[j].shrt);
            }
            /* each group is listed once: its options are next to each other */
            for (int j = 0; j + 1 < k; j++)
                if (!strcmp(s->opts[j].group, o->group))
                    assert_string_equal(s->opts[k - 1].group, o->group);
            /* a numeric option's default is a number the parser can apply itself (it is the
             * one place the default is written), or words such as "the number of cores" */
            bool numeric =
                o->arg && (!strcmp(o->arg, "N") || !strcmp(o->arg, "S") || !strcmp(o->arg, "SECONDS") || !strcmp(o->arg, "DAYS"));
            if (numeric && o->def && isdigit((unsigned char)o->def[0])) {
                char *end;
                strtod(o->def, &end);
                assert_true(*end == 0);
            }
            if (o->choices && o->def) {
                size_t n = strlen(o->def);
                const char *c = strstr(o->choices, o->def);
                assert_non_null(c);
                assert_true(c[n] == ' ' || c[n] == 0);
            }
        }
    }
}

static void parses_values_repeats_and_positionals(void **state)
{
    (void)state;
    char *argv[] = {"scan", "-p", "443,8443", "--rate=5", "-T", "a.txt", "target1", "--targets", "b.txt", "-q", "--", "-odd", NULL};
    exr_parsed p;
    assert_int_equal(exr_opts_parse(&exr_spec_scan, 12, argv, &p), EXR_PARSE_OK);
    assert_string_equal(p.val[SCAN_PORTS], "443,8443");
    assert_string_equal(p.val[SCAN_RATE], "5");
    assert_string_equal(p.val[SCAN_QUIET], "");
    assert_null(p.val[SCAN_DB]);
    const char *files[4];
    assert_int_equal(exr_opts_values(&p, SCAN_TARGETS, files, 4), 2);
    assert_string_equal(files[0], "a.txt");
    assert_string_equal(files[1], "b.txt");
    assert_int_equal(p.npos, 2);
    assert_string_equal(p.pos[0], "target1");
    assert_string_equal(p.pos[1], "-odd");
}

static void refuses_what_is_not_in_the_table(void **state)
{
    (void)state;
    exr_parsed p;
    char *unknown[] = {"stats", "--dbb", "x.db", NULL};
    assert_int_equal(exr_opts_parse(&exr_spec_stats, 3, unknown, &p), EXR_PARSE_ERROR);
    char *missing[] = {"scan", "--ports", NULL};
    assert_int_equal(exr_opts_parse(&exr_spec_scan, 2, missing, &p), EXR_PARSE_ERROR);
    char *stray[] = {"stats", "--db", "x.db", "extra", NULL};
    assert_int_equal(exr_opts_parse(&exr_spec_stats, 4, stray, &p), EXR_PARSE_ERROR);
    char *none[] = {"hunt", "-q", NULL};
    assert_int_equal(exr_opts_parse(&exr_spec_hunt, 2, none, &p), EXR_PARSE_ERROR); /* hunt needs a ROOT */
    char *flagarg[] = {"scan", "--quiet=yes", "x", NULL};
    assert_int_equal(exr_opts_parse(&exr_spec_scan, 3, flagarg, &p), EXR_PARSE_ERROR);
    long v;
    assert_int_equal(exr_opt_long(&exr_spec_scan, SCAN_THREADS, "0", 1, 256, &v), -1);
    assert_int_equal(exr_opt_long(&exr_spec_scan, SCAN_THREADS, "8x", 1, 256, &v), -1);
    assert_int_equal(exr_opt_long(&exr_spec_scan, SCAN_THREADS, "8", 1, 256, &v), 0);
    assert_int_equal(v, 8);
    assert_int_equal(exr_opt_choice(&exr_spec_scan, SCAN_FORMAT, "intelmq"), 2);
    assert_int_equal(exr_opt_choice(&exr_spec_scan, SCAN_FORMAT, "xml"), -1);
    const char *names[] = {"db", "rescan", "resume"};
    assert_string_equal(exr_opts_closest("rescna", names, 3), "rescan");
    assert_null(exr_opts_closest("zzzzzzzz", names, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_are_well_formed),
        cmocka_unit_test(parses_values_repeats_and_positionals),
        cmocka_unit_test(refuses_what_is_not_in_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
