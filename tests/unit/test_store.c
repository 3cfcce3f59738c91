/* test_store.c: which back end a --db value names, and that a password never survives
 * redaction. */
#include "testutil.h"
#include "store/sql.h"

static void names_the_back_end(void **state)
{
    (void)state;
    assert_int_equal(exr_db_kind_of("exray.db"), EXR_DB_SQLITE);
    assert_int_equal(exr_db_kind_of("/srv/scans/host=1.db"), EXR_DB_SQLITE);
    assert_int_equal(exr_db_kind_of("postgresql://exray@db/exray"), EXR_DB_PG);
    assert_int_equal(exr_db_kind_of("postgres://db/exray"), EXR_DB_PG);
    assert_int_equal(exr_db_kind_of("host=db dbname=exray user=exray"), EXR_DB_PG);
    assert_int_equal(exr_db_kind_of("dbname=exray"), EXR_DB_PG);
}

static void redacts_every_password(void **state)
{
    (void)state;
    char out[256];
    exr_db_redact("postgresql://exray:s3cret@db.example:5432/exray", out, sizeof out);
    assert_string_equal(out, "postgresql://exray:***@db.example:5432/exray");
    exr_db_redact("host=db password=s3cret dbname=exray", out, sizeof out);
    assert_string_equal(out, "host=db password=*** dbname=exray");
    exr_db_redact("postgres://u:a%40b@db/x?sslmode=require&password=zz", out, sizeof out);
    assert_null(strstr(out, "a%40b"));
    assert_null(strstr(out, "zz"));
    exr_db_redact("host=db password='two words' dbname=x", out, sizeof out);
    assert_string_equal(out, "host=db password=*** dbname=x");
    /* found by fuzz_dburi: "password=" inside the user field of a URI that has a password */
    exr_db_redact("postgresql://uphost=h password=QQSECRETQQname=xw@:@4", out, sizeof out);
    assert_null(strstr(out, "QQSECRETQQ"));
    exr_db_redact("postgresql://exray@db/exray", out, sizeof out);
    assert_string_equal(out, "postgresql://exray@db/exray");
    exr_db_redact("exray.db", out, sizeof out);
    assert_string_equal(out, "exray.db");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_the_back_end),
        cmocka_unit_test(redacts_every_password),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
