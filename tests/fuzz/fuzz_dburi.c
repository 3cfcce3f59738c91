/* fuzz_dburi.c: a --db value (what the user types) through back-end detection and password
 * redaction: no crash, no overflow, and a password given as password=... never survives. */
#include "store/sql.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *t = malloc(size + 1);
    memcpy(t, data, size);
    t[size] = 0;
    char out[64], big[4096];
    (void)exr_db_kind_of(t);
    exr_db_redact(t, out, sizeof out);
    exr_db_redact(t, big, sizeof big);
    /* a keyword-form password of a letter-only value is always replaced */
    if (exr_db_kind_of(t) == EXR_DB_PG && size < 1000 && strlen(t) == size) {
        const char *p = strstr(t, "password=QQSECRETQQ");
        bool once = p && !strstr(strstr(t, "QQSECRETQQ") + 1, "QQSECRETQQ");
        if (once && (p == t || p[-1] == ' ') && strstr(big, "QQSECRETQQ"))
            abort();
    }
    free(t);
    return 0;
}
