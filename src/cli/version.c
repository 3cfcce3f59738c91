/* version.c: `exray --version`: what was built, with which build table and libraries, so a
 * report can say exactly what produced it. */
#include "../exchange/builds.h"
#include "cli.h"
#include <curl/curl.h>
#include <libevtx.h>
#include <openssl/crypto.h>
#include "../store/sql.h"
#include <stdio.h>
#include <yara.h>

int exr_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
#ifdef EXRAY_TEST_HOOKS
    printf("exray %s (test build: test hooks compiled in)\n", EXRAY_VERSION);
#else
    printf("exray %s\n", EXRAY_VERSION);
#endif
    exr_buildtab tab;
    exr_err e = {0, ""};
    if (exr_buildtab_load_default(&tab, &e) == 0) {
        printf("build table: %zu builds, checked %s\n", tab.n, tab.table_date[0] ? tab.table_date : "(no date)");
        exr_buildtab_free(&tab);
    }
    printf("OpenSSL %s\n", OpenSSL_version(OPENSSL_VERSION_STRING));
    printf("SQLite %s\n", exr_db_sqlite_version());
    int pq = exr_db_pq_version();
    printf("libpq %d.%d\n", pq / 10000, pq % 10000);
    printf("libyara %d.%d.%d\n", YR_MAJOR_VERSION, YR_MINOR_VERSION, YR_MICRO_VERSION);
    printf("libevtx %s\n", libevtx_get_version());
    printf("libcurl %s\n", curl_version_info(CURLVERSION_NOW)->version);
    return 0;
}
