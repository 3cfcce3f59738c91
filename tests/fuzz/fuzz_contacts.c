/* fuzz_contacts.c: the contacts CSV and national CERT readers, and resolution. */
#include "notify/contacts.h"
#include <stdint.h>
#include <string.h>

static void ignore(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exr_contacts cs;
    exr_contacts_init(&cs);
    exr_err e;
    exr_contacts_load_csv(&cs, (const char *)data, size, "fuzz", ignore, NULL, &e);
    exr_contacts_load_national(&cs, (const char *)data, size, "fuzz", ignore, NULL, &e);
    exr_addr a;
    const char *why;
    if (exr_addr_parse("127.77.0.5", &a))
        exr_contacts_resolve(&cs, &a, 64496, "NL", &why);
    if (exr_addr_parse("2001:db8::1", &a))
        exr_contacts_resolve(&cs, &a, 0, "", &why);
    exr_contacts_free(&cs);
    return 0;
}
