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

/* a password in out is never shown, whatever its spelling; the rest of the connection is */
static void no_secret(const char *in, const char *secret, const char *must_have)
{
    char out[256];
    exr_db_redact(in, out, sizeof out);
    if (strstr(out, secret))
        fail_msg("%s: the password shows: %s", in, out);
    if (must_have && !strstr(out, must_have))
        fail_msg("%s: %s missing from %s", in, must_have, out);
}

static void redacts_every_password(void **state)
{
    (void)state;
    char out[256];
    exr_db_redact("postgresql://exray:s3cret@db.example:5432/exray", out, sizeof out);
    assert_string_equal(out, "postgresql://exray:***@db.example:5432/exray");
    exr_db_redact("postgresql://exray@db/exray", out, sizeof out);
    assert_string_equal(out, "postgresql://exray@db/exray");
    exr_db_redact("exray.db", out, sizeof out);
    assert_string_equal(out, "exray.db");
    no_secret("host=db password=s3cret dbname=exray", "s3cret", "password=***");
    no_secret("host=db password=s3cret dbname=exray", "s3cret", "host=db");
    no_secret("postgres://u:a%40b@db/x?sslmode=require&password=zz", "a@b", ":***@");
    no_secret("postgres://u:a%40b@db/x?sslmode=require&password=zz", "zz", "sslmode=require");
    no_secret("postgres://u:a%40b@db/x?sslmode=require&password=zz", "a%40b", NULL);
    no_secret("host=db password='two words' dbname=x", "two", "dbname=x");
    /* libpq's own spellings the old text matcher missed */
    no_secret("host=db password = s3cret dbname=x", "s3cret", "password=***");
    no_secret("postgresql://u@db/x?passw%6Frd=s3cret", "s3cret", ":***@");
    /* libpq reads this as a user name ("uphost=h password=..."), not a password */
    no_secret("postgresql://u:s3cret@host/db?password=other1", "other1", NULL);
    no_secret("postgresql://u:s3cret@host/db?password=other1", "s3cret", NULL);
    char big[1200];
    snprintf(big, sizeof big, "host=db application_name=%0900d password=s3cret", 7);
    no_secret(big, "s3cret", NULL);
    /* what libpq cannot parse is not shown */
    no_secret("host='db password=s3cret", "s3cret", "cannot parse");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_the_back_end),
        cmocka_unit_test(redacts_every_password),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
