/* test_notify.c: contacts resolution (most specific network, then ASN, then country),
 * address validation, templates (unknown variables, rendering), MIME encoding, and the
 * compiled IP database (ranges, IPv6, gaps, a truncated file). */
#include "testutil.h"
#include "notify/contacts.h"
#include "notify/ipdb.h"
#include "notify/mime.h"
#include "notify/template.h"
#include <unistd.h>

static void test_resolve(void **st)
{
    (void)st;
    exr_contacts cs;
    exr_contacts_init(&cs);
    exr_err e;
    const char *csv = "network,email,org\n10.0.0.0/8,big@isp.example,ISP\n10.1.0.0/16,mid@org.example,Org\n"
                      "10.1.2.0/24,small@dept.example,Dept\nAS64496,asn@as.example,AS Org\n2001:db8::/32,v6@net.example,V6\n"
                      "bogus,x@y.example,z\n10.0.0.0/8,not an address,z\n";
    assert_int_equal(exr_contacts_load_csv(&cs, csv, strlen(csv), "c.csv", NULL, NULL, &e), 0);
    assert_int_equal(cs.bad_lines, 2);
    const char *nat = "country,email,org\nNL,cert@ncsc.nl,NCSC-NL\n";
    exr_contacts_load_national(&cs, nat, strlen(nat), "n.csv", NULL, NULL, &e);
    exr_addr a;
    const char *why;
    exr_addr_parse("10.1.2.3", &a);
    assert_string_equal(exr_contacts_resolve(&cs, &a, 64496, "NL", &why)->email, "small@dept.example");
    assert_string_equal(why, "network");
    exr_addr_parse("10.1.9.9", &a);
    assert_string_equal(exr_contacts_resolve(&cs, &a, 0, NULL, &why)->email, "mid@org.example");
    exr_addr_parse("10.200.0.1", &a);
    assert_string_equal(exr_contacts_resolve(&cs, &a, 0, NULL, &why)->email, "big@isp.example");
    exr_addr_parse("192.0.2.1", &a);
    assert_string_equal(exr_contacts_resolve(&cs, &a, 64496, "NL", &why)->email, "asn@as.example");
    assert_string_equal(why, "asn");
    assert_string_equal(exr_contacts_resolve(&cs, &a, 1, "nl", &why)->email, "cert@ncsc.nl");
    assert_string_equal(why, "country");
    assert_null(exr_contacts_resolve(&cs, &a, 1, "ZZ", &why));
    exr_addr_parse("2001:db8::5", &a);
    assert_string_equal(exr_contacts_resolve(&cs, &a, 0, NULL, &why)->email, "v6@net.example");
    exr_contacts_free(&cs);
}

/* The chain up from the contact that chose a recipient: network -> AS contact -> national
 * CERT; never the same address; nothing above the national CERT. */
static void test_escalate(void **st)
{
    (void)st;
    exr_contacts cs;
    exr_contacts_init(&cs);
    exr_err e;
    const char *csv = "network,email,org\n10.1.0.0/16,org@org.example,Org\nAS64496,noc@isp.example,ISP\n"
                      "10.2.0.0/16,noc@isp.example,ISP itself\n";
    assert_int_equal(exr_contacts_load_csv(&cs, csv, strlen(csv), "c.csv", NULL, NULL, &e), 0);
    const char *nat = "country,email,org\nNL,cert@ncsc.nl,NCSC-NL\n";
    exr_contacts_load_national(&cs, nat, strlen(nat), "n.csv", NULL, NULL, &e);
    exr_addr a;
    const char *why;
    exr_addr_parse("10.1.2.3", &a);
    const exr_contact *c = exr_contacts_resolve(&cs, &a, 64496, "NL", &why);
    assert_string_equal(exr_contacts_escalate(&cs, c, 64496, "NL")->email, "noc@isp.example");
    assert_string_equal(exr_contacts_escalate(&cs, c, 64999, "NL")->email, "cert@ncsc.nl"); /* no AS contact */
    assert_null(exr_contacts_escalate(&cs, c, 64999, "ZZ"));
    /* the AS contact is the network's own address: skip it, go to the CERT */
    exr_addr_parse("10.2.0.1", &a);
    c = exr_contacts_resolve(&cs, &a, 64496, "NL", &why);
    assert_string_equal(exr_contacts_escalate(&cs, c, 64496, "NL")->email, "cert@ncsc.nl");
    /* chosen by ASN: the CERT; chosen by country: nobody above */
    exr_addr_parse("192.0.2.1", &a);
    c = exr_contacts_resolve(&cs, &a, 64496, "NL", &why);
    assert_string_equal(why, "asn");
    assert_string_equal(exr_contacts_escalate(&cs, c, 64496, "NL")->email, "cert@ncsc.nl");
    c = exr_contacts_resolve(&cs, &a, 1, "NL", &why);
    assert_string_equal(why, "country");
    assert_null(exr_contacts_escalate(&cs, c, 1, "NL"));
    exr_contacts_free(&cs);
}

/* Property: for random nested networks and random hosts, the indexed resolution equals the
 * brute-force "smallest network containing the host" (the isolation property). */
static void test_resolve_random(void **st)
{
    (void)st;
    uint64_t x = 12345;
    for (int round = 0; round < 40; round++) {
        exr_contacts cs;
        exr_contacts_init(&cs);
        int n = 1 + round * 5;
        for (int i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            int prefix = 8 + (int)(x % 23);
            uint32_t base = 0x0a000000u | ((uint32_t)(x >> 20) & 0x00ffffffu);
            uint32_t mask = prefix == 32 ? 0xffffffffu : ~((1u << (32 - prefix)) - 1);
            exr_contact c;
            memset(&c, 0, sizeof c);
            c.family = 4;
            c.lo = base & mask;
            c.hi = (base & mask) | ~mask;
            c.prefix = prefix;
            snprintf(c.email, sizeof c.email, "n%d@x.example", i);
            exr_contacts_add(&cs, &c);
        }
        exr_contacts_finish(&cs);
        for (int q = 0; q < 2000; q++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            exr_addr a = {4, 0x0a000000u | ((uint32_t)x & 0x00ffffffu)};
            const exr_contact *best = NULL;
            for (size_t i = 0; i < cs.n; i++) {
                const exr_contact *c = &cs.c[i];
                if (a.v >= c->lo && a.v <= c->hi && (!best || c->hi - c->lo <= best->hi - best->lo))
                    best = c;
            }
            const char *why;
            const exr_contact *got = exr_contacts_resolve(&cs, &a, 0, NULL, &why);
            if (best != got && !(best && got && best->lo == got->lo && best->hi == got->hi))
                fail_msg("round %d: host %08x resolved to %s, expected %s", round, (unsigned)a.v, got ? got->email : "none",
                         best ? best->email : "none");
        }
        exr_contacts_free(&cs);
    }
}

static void test_email(void **st)
{
    (void)st;
    assert_true(exr_email_valid("abuse@example.org"));
    assert_true(exr_email_valid("a.b+c@sub.example.org"));
    assert_false(exr_email_valid("a@b"));
    assert_false(exr_email_valid("a@@b.org"));
    assert_false(exr_email_valid("a b@c.org"));
    assert_false(exr_email_valid("a@c.org\r\nBcc: x@y.org"));
    assert_false(exr_email_valid("<a@c.org>"));
    assert_false(exr_email_valid("a@c..org"));
}

static void test_template(void **st)
{
    (void)st;
    exr_template t;
    exr_err e = {0, ""};
    const char *good = "Subject: [${ticket}] hi\nDear ${org},\n$$5 ${hosts}\n";
    assert_int_equal(exr_template_parse(&t, "g", good, strlen(good), &e), 0);
    exr_tvar v[] = {{"ticket", "20210303-00000001"}, {"org", "Org"}, {"hosts", "h1"}};
    exr_buf b;
    exr_buf_init(&b);
    exr_template_render(t.subject, v, 3, &b);
    assert_string_equal(b.p, "[20210303-00000001] hi");
    exr_buf_reset(&b);
    exr_template_render(t.body, v, 3, &b);
    assert_string_equal(b.p, "Dear Org,\n$5 h1\n");
    exr_buf_free(&b);
    exr_template_free(&t);
    const char *bad = "Subject: x\nline\nHello ${orgname}\n";
    assert_int_equal(exr_template_parse(&t, "b.txt", bad, strlen(bad), &e), -1);
    assert_string_equal(e.msg, "b.txt:3: unknown variable ${orgname}");
    assert_int_equal(exr_template_parse(&t, "c.txt", "no subject\n", 11, &e), -1);
    assert_int_equal(exr_template_parse(&t, "d.txt", "Subject: ${ticket\n", 18, &e), -1);
}

static void test_mime(void **st)
{
    (void)st;
    exr_buf out;
    exr_buf_init(&out);
    const char *subj = "Caf\xc3\xa9 \r\nBcc: evil@x.example \xff";
    exr_mail m = {"a@b.example", "CERT \xe2\x9c\x93", "c@d.example", subj, "body \xff\n", "20210303-00000001", "x.csv", "ip\n1.2.3.4\n", 11,
                  1614729600};
    exr_mime_build(&m, &out);
    assert_non_null(strstr(out.p, "Date: Wed, 03 Mar 2021 00:00:00 +0000\r\n"));
    assert_non_null(strstr(out.p, "Message-ID: <20210303-00000001.exray@b.example>\r\n"));
    assert_null(strstr(out.p, "\r\nBcc:"));
    /* every header line is ASCII */
    const char *end = strstr(out.p, "\r\n\r\n");
    for (const char *p = out.p; p < end; p++)
        assert_true((unsigned char)*p < 0x80);
    exr_buf_free(&out);
    exr_buf b;
    exr_buf_init(&b);
    exr_base64((const unsigned char *)"any carnal pleas", 16, &b, 0);
    assert_string_equal(b.p, "YW55IGNhcm5hbCBwbGVhcw==");
    exr_buf_free(&b);
}

static void test_ipdb(void **st)
{
    (void)st;
    char dir[] = "/tmp/exray-ipdb-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a4[300], a6[300], c4[300], out[300];
    snprintf(a4, sizeof a4, "%s/a4.csv", dir);
    snprintf(a6, sizeof a6, "%s/a6.csv", dir);
    snprintf(c4, sizeof c4, "%s/c4.csv", dir);
    snprintf(out, sizeof out, "%s/db.bin", dir);
    FILE *f = fopen(a4, "w");
    fputs("1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n8.8.8.0,8.8.8.255,15169,Google LLC\n9.9.9.9,9.9.9.9,19281,Quad9\n"
          "garbage line\n255.255.255.0,255.255.255.255,64500,Last\n",
          f);
    fclose(f);
    f = fopen(a6, "w");
    fputs("2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC\n", f);
    fclose(f);
    f = fopen(c4, "w");
    fputs("1.0.0.0,1.0.0.255,AU\n8.0.0.0,8.255.255.255,US\n", f);
    fclose(f);
    exr_err e;
    long bad;
    assert_int_equal(exr_ipdb_compile(a4, a6, c4, NULL, out, &bad, &e), 0);
    assert_int_equal(bad, 1);
    exr_ipdb *db;
    assert_int_equal(exr_ipdb_open(&db, out, &e), 0);
    exr_addr a;
    exr_geo g;
    exr_addr_parse("1.0.0.7", &a);
    exr_ipdb_lookup(db, &a, &g);
    assert_int_equal(g.asn, 13335);
    assert_memory_equal(g.as_name, "Cloudflare, Inc.", 16);
    assert_string_equal(g.cc, "AU");
    exr_addr_parse("8.8.4.4", &a);
    exr_ipdb_lookup(db, &a, &g);
    assert_int_equal(g.asn, 0); /* gap in the ASN table */
    assert_string_equal(g.cc, "US");
    exr_addr_parse("9.9.9.9", &a);
    exr_ipdb_lookup(db, &a, &g);
    assert_int_equal(g.asn, 19281);
    exr_addr_parse("255.255.255.255", &a);
    exr_ipdb_lookup(db, &a, &g);
    assert_int_equal(g.asn, 64500);
    exr_addr_parse("0.0.0.1", &a);
    exr_ipdb_lookup(db, &a, &g);
    assert_int_equal(g.asn, 0);
    exr_addr_parse("2001:4860:4860::8888", &a);
    exr_ipdb_lookup(db, &a, &g);
    assert_int_equal(g.asn, 15169);
    exr_addr_parse("2001:4861::1", &a);
    exr_ipdb_lookup(db, &a, &g);
    assert_int_equal(g.asn, 0);
    exr_ipdb_close(db);
    /* a truncated file is refused, not read past its end */
    assert_int_equal(truncate(out, 4096), 0);
    assert_int_equal(exr_ipdb_open(&db, out, &e), -1);
    unlink(a4), unlink(a6), unlink(c4), unlink(out), rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve), cmocka_unit_test(test_escalate), cmocka_unit_test(test_resolve_random),
        cmocka_unit_test(test_email),   cmocka_unit_test(test_template), cmocka_unit_test(test_mime),
        cmocka_unit_test(test_ipdb)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
