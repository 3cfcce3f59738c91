/* fuzz_dburi.c: a --db value (what the user types) through back-end detection and password
 * redaction: no crash, no overflow, and the password, as libpq itself parses it from the
 * text, never survives into what is shown (unless another field holds the same bytes). */
#include "store/sql.h"
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* libpq's password of t when it is long enough to test and in no other field's value */
static char *lone_password(const char *t)
{
    PQconninfoOption *o = PQconninfoParse(t, NULL), *x;
    if (!o)
        return NULL;
    const char *pw = NULL;
    /* the output's own words (the scheme, keyword names, "***") are lower-case letters, '_',
     * ':', '/', '=' and '*': a password of those alone may be found in them, not leaked */
    for (x = o; x->keyword; x++)
        if (x->val && !strcmp(x->keyword, "password") && strlen(x->val) >= 6 && strspn(x->val, "abcdefghijklmnopqrstuvwxyz_:/=*") < strlen(x->val))
            pw = x->val;
    for (x = o; pw && x->keyword; x++)
        if (x->val && strcmp(x->keyword, "password") && strstr(x->val, pw))
            pw = NULL;
    char *r = pw ? strdup(pw) : NULL;
    PQconninfoFree(o);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *t = malloc(size + 1);
    memcpy(t, data, size);
    t[size] = 0;
    char out[64], big[4096];
    (void)exr_db_kind_of(t);
    exr_db_redact(t, out, sizeof out);
    exr_db_redact(t, big, sizeof big);
    if (exr_db_kind_of(t) == EXR_DB_PG && strlen(t) == size) {
        char *pw = lone_password(t);
        if (pw && strstr(big, pw))
            abort();
        free(pw);
    }
    free(t);
    return 0;
}
