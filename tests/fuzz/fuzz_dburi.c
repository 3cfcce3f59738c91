/* fuzz_dburi.c: a --db value (what the user types) through back-end detection and password
 * redaction: no crash, no overflow, and the password, as libpq itself parses it from the
 * text, never survives into what is shown (unless another field holds the same bytes). */
#include "store/sql.h"
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Whether the password libpq parses from t shows in out. Tested through a byte of the
 * password that no other field's value holds and that the output's own syntax (scheme,
 * keyword names, separators, "***") never writes: such a byte in out can only have come from
 * the password. Passwords without one are not tested (other fields may spell them). */
static bool leaks(const char *t, const char *out)
{
    PQconninfoOption *o = PQconninfoParse(t, NULL), *x;
    if (!o)
        return false;
    const char *pw = NULL;
    for (x = o; x->keyword; x++)
        if (x->val && !strcmp(x->keyword, "password"))
            pw = x->val;
    int witness = -1;
    for (const unsigned char *c = (const unsigned char *)(pw ? pw : ""); *c && witness < 0; c++) {
        bool elsewhere = strchr("abcdefghijklmnopqrstuvwxyz_:/=*@?&%[]'\\ ", *c) != NULL;
        for (x = o; !elsewhere && x->keyword; x++)
            elsewhere = x->val && strcmp(x->keyword, "password") && strchr(x->val, *c);
        if (!elsewhere && *c >= 0x21 && *c != 0x7f && !(*c >= '0' && *c <= '9') && !(*c >= 'A' && *c <= 'F'))
            witness = *c;
    }
    PQconninfoFree(o);
    return witness >= 0 && strchr(out, witness) != NULL;
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
    if (exr_db_kind_of(t) == EXR_DB_PG && strlen(t) == size && leaks(t, big))
        abort();
    free(t);
    return 0;
}
