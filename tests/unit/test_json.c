/* test_json.c: records stay one valid JSON line whatever bytes a server sends. */
#include "testutil.h"
#include "core/term.h"
#include "core/csv.h"
#include "core/json.h"
#include "core/utf8.h"
#include "core/buf.h"
#include "core/arena.h"
#include "core/timefmt.h"
#include <stdint.h>
#include <errno.h>
#include <unistd.h>

static void test_escaping(void **st)
{
    (void)st;
    exr_buf b;
    exr_buf_init(&b);
    exr_json j;
    exr_json_begin(&j, &b);
    exr_json_strn(&j, "s", "a\"b\\c\r\n\x01\x7f", 9);
    exr_json_str(&j, "n", NULL);
    exr_json_int(&j, "i", -5);
    exr_json_arr_open(&j, "a");
    exr_json_str(&j, NULL, "x");
    exr_json_str(&j, NULL, "y");
    exr_json_arr_close(&j);
    exr_json_end(&j);
    assert_string_equal(b.p, "{\"s\":\"a\\\"b\\\\c\\r\\n\\u0001\\u007f\",\"n\":null,\"i\":-5,\"a\":[\"x\",\"y\"]}");
    exr_buf_free(&b);
}

static void test_invalid_utf8(void **st)
{
    (void)st;
    exr_buf b;
    exr_buf_init(&b);
    /* valid é, lone continuation, overlong '/', surrogate, truncated 3-byte sequence */
    const char s[] = "\xc3\xa9\x80\xc0\xaf\xed\xa0\x80\xe2\x82";
    exr_json_quote(&b, s, sizeof s - 1);
    assert_string_equal(b.p, "\"\xc3\xa9\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
    exr_buf_free(&b);
}

/* what the store keeps of hostile text: valid UTF-8 untouched, each bad byte and NUL U+FFFD */
/* the decimal writer behind JSON numbers and the store's integer columns */
/* the quoter (eight bytes at a time) against a byte-at-a-time model of the same rules, over
 * random strings of the bytes that matter: controls, quote, backslash, 0x7f, UTF-8 */
static void model_quote(exr_buf *b, const char *s, size_t n)
{
    exr_buf_addc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        char u[8];
        if (c == '"' || c == '\\') {
            exr_buf_addc(b, '\\');
            exr_buf_addc(b, (char)c);
        } else if (c == '\n' || c == '\r' || c == '\t') {
            exr_buf_addc(b, '\\');
            exr_buf_addc(b, c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(u, sizeof u, "\\u%04x", c);
            exr_buf_adds(b, u);
        } else if (c < 0x80) {
            exr_buf_addc(b, (char)c);
        } else {
            size_t l = exr_utf8_valid_prefix(s + i, n - i);
            if (l)
                exr_buf_add(b, s + i, l);
            else
                exr_buf_adds(b, "\\ufffd");
            i += l ? l : 1;
            continue;
        }
        i++;
    }
    exr_buf_addc(b, '"');
}

static void test_quote_model(void **st)
{
    (void)st;
    static const char alphabet[] = "aZ09 ~\"\\\n\r\t\x01\x1f\x7f\x80\xc3\xa9\xe2\x82\xac\xff";
    exr_buf a, b;
    exr_buf_init(&a);
    exr_buf_init(&b);
    unsigned seed = 7;
    char s[80];
    for (int round = 0; round < 200000; round++) {
        size_t n = (size_t)(round % 80);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            /* mostly plain letters, so that long plain runs meet the odd byte at every offset */
            s[i] = (seed >> 16) % 4 ? (char)('a' + (seed >> 20) % 26) : alphabet[(seed >> 20) % (sizeof alphabet - 1)];
        }
        exr_buf_reset(&a);
        exr_buf_reset(&b);
        exr_buf_adds(&a, "x");
        exr_buf_adds(&b, "x");
        exr_json_quote(&a, s, n);
        model_quote(&b, s, n);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.p, b.p, a.len + 1);
    }
    exr_buf_free(&a);
    exr_buf_free(&b);
}

static void test_fmt_dotted(void **st)
{
    (void)st;
    char a[48], b[48];
    unsigned seed = 3;
    for (int round = 0; round < 100000; round++) {
        unsigned p[4];
        for (int i = 0; i < 4; i++) {
            seed = seed * 1103515245u + 12345u;
            p[i] = round % 3 == 0 ? seed : round % 3 == 1 ? seed >> 24 : seed % 10;
        }
        int count = round % 2 ? 4 : 3;
        size_t n = (size_t)(round % 47) + 1; /* every size from 1 byte, truncating as snprintf does */
        exr_fmt_dotted(a, n, p, count);
        if (count == 4)
            snprintf(b, n, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
        else
            snprintf(b, n, "%u.%u.%u", p[0], p[1], p[2]);
        assert_string_equal(a, b);
    }
    exr_fmt_dotted(a, sizeof a, (const unsigned[]){4294967295u, 0, 255, 10}, 4);
    assert_string_equal(a, "4294967295.0.255.10");
}

static void test_fmt_int(void **st)
{
    (void)st;
    char b[24];
    assert_string_equal(exr_fmt_int(0, b), "0");
    assert_string_equal(exr_fmt_int(-7, b), "-7");
    assert_string_equal(exr_fmt_int(65535, b), "65535");
    assert_string_equal(exr_fmt_int(INT64_MIN, b), "-9223372036854775808");
    assert_string_equal(exr_fmt_int(INT64_MAX, b), "9223372036854775807");
}

/* the hand-made formatter against gmtime_r + strftime: leap days, century years, times
 * before 1970, the years where it hands over to strftime, and a short buffer */
static void test_time_format(void **st)
{
    (void)st;
    char a[32], b[32];
    struct tm tm;
    static const time_t fixed[] = {0,
                                   -1,
                                   951782400 /* 2000-02-29 */,
                                   4107542400 /* 2100-03-01 */,
                                   -2203891200 /* 1900-03-01 */,
                                   253402300799 /* 9999-12-31T23:59:59 */,
                                   253402300800,
                                   -30610224000 /* 1000-01-01 */,
                                   -30610224001,
                                   1614556800};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] + 400000; i++) {
        time_t t = i < sizeof fixed / sizeof fixed[0] ? fixed[i] : (time_t)((int64_t)i * 1299709 % 70000000000 - 31000000000);
        gmtime_r(&t, &tm);
        strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
        exr_time_rfc3339(t, a, sizeof a);
        assert_string_equal(a, b);
        strftime(b, sizeof b, "%Y-%m-%d %H:%M:%S", &tm);
        exr_time_shadow(t, a, sizeof a);
        assert_string_equal(a, b);
    }
    exr_time_rfc3339(951782400, a, 11);
    assert_string_equal(a, "2000-02-29");
}

static void test_utf8_clean(void **st)
{
    (void)st;
    size_t n = 0;
    assert_null(exr_utf8_clean("plain ascii", 11, &n));
    assert_null(exr_utf8_clean("caf\xc3\xa9 \xe2\x82\xac", 9, &n));
    char *c = exr_utf8_clean("Evil\xff\xfeOrg", 9, &n);
    assert_non_null(c);
    assert_string_equal(c, "Evil\xef\xbf\xbd\xef\xbf\xbdOrg");
    assert_int_equal(n, strlen(c));
    free(c);
    c = exr_utf8_clean("EX\0X", 4, &n);
    assert_string_equal(c, "EX\xef\xbf\xbdX");
    free(c);
    c = exr_utf8_clean("\xc3", 1, &n); /* a sequence cut short */
    assert_string_equal(c, "\xef\xbf\xbd");
    free(c);
    c = exr_utf8_clean("\xc0\xaf", 2, &n); /* an overlong '/' */
    assert_string_equal(c, "\xef\xbf\xbd\xef\xbf\xbd");
    free(c);
    /* a bad byte or a NUL at every offset of a long run of ASCII (read eight bytes at a time) */
    for (size_t at = 0; at < 40; at++) {
        char in[41], want[44];
        memset(in, 'a', sizeof in);
        in[40] = 0;
        for (int k = 0; k < 2; k++) {
            in[at] = k ? '\0' : '\xfe';
            c = exr_utf8_clean(in, 40, &n);
            assert_non_null(c);
            snprintf(want, sizeof want, "%.*s\xef\xbf\xbd%.*s", (int)at, in, (int)(39 - at), in + at + 1);
            assert_string_equal(c, want);
            free(c);
        }
        in[at] = 'a';
        assert_null(exr_utf8_clean(in, 40, &n));
    }
}

static void test_csv(void **st)
{
    (void)st;
    exr_csv_row r;
    exr_csv_row_init(&r);
    const char *line = "a,\"b,c\",\"d\"\"e\",,f";
    assert_int_equal(exr_csv_split(&r, line, strlen(line)), 0);
    assert_int_equal(r.n, 5);
    assert_string_equal(r.f[1], "b,c");
    assert_string_equal(r.f[2], "d\"e");
    assert_string_equal(r.f[3], "");
    assert_int_equal(exr_csv_split(&r, "\"open", 5), -1);
    exr_csv_row_free(&r);
    exr_buf b;
    exr_buf_init(&b);
    exr_csv_put(&b, "plain", 1);
    exr_csv_put(&b, "has,comma", 0);
    exr_csv_put(&b, "q\"uote\nnl", 0);
    assert_string_equal(b.p, "plain,\"has,comma\",\"q\"\"uote\nnl\"");
    /* formula injection (OWASP): = + - @ TAB CR at the start are neutralised, elsewhere kept */
    exr_buf_reset(&b);
    exr_csv_put(&b, "=HYPERLINK(\"http://x\",\"y\")", 1);
    exr_csv_put(&b, "+1", 0);
    exr_csv_put(&b, "-2", 0);
    exr_csv_put(&b, "@SUM(A1)", 0);
    exr_csv_put(&b, "\tx", 0);
    exr_csv_put(&b, "a=b", 0);
    exr_csv_put(&b, "", 0);
    assert_string_equal(b.p, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'+1\",\"'-2\",\"'@SUM(A1)\",\"'\tx\",a=b,");
    exr_buf_free(&b);
}

/* terminal text: C0, DEL and C1 controls escaped, printable UTF-8 kept, cut with "..." */
static void test_term_safe(void **st)
{
    (void)st;
    char b[64];
    assert_string_equal(exr_term_safe("a\nb\x1b[2J\x07\x7f\xc2\x9b\x9b\xc3\xa9", b, sizeof b), "a\\nb\\x1b[2J\\x07\\x7f\\x9b\\x9b\xc3\xa9");
    char s[8];
    assert_string_equal(exr_term_safe("abcdefghij", s, sizeof s), "abcd...");
    assert_string_equal(exr_term_safe("\x1b\x1b\x1b", s, sizeof s), "\\x1b...");
    assert_string_equal(exr_term_safe(NULL, s, sizeof s), "");
}

/* blocks are aligned, never overlap, survive later allocations; a reset reuses the chunks
 * (the store's batches: no malloc once the first batch has run), a block larger than a
 * chunk gets its own */
static void test_arena(void **st)
{
    (void)st;
    exr_arena a = {.chunk = 256};
    char *blk[100];
    for (int i = 0; i < 100; i++) {
        blk[i] = exr_arena_alloc(&a, (size_t)(i % 37) + 1);
        assert_int_equal((uintptr_t)blk[i] % 8, 0);
        memset(blk[i], 'a' + i % 26, (size_t)(i % 37) + 1);
    }
    for (int i = 0; i < 100; i++)
        for (int k = 0; k < i % 37 + 1; k++)
            assert_int_equal(blk[i][k], 'a' + i % 26);
    size_t chunks = a.n;
    char *first = a.chunks[0];
    exr_arena_reset(&a);
    assert_ptr_equal(exr_arena_alloc(&a, 8), first);
    for (int i = 1; i < 100; i++)
        exr_arena_alloc(&a, (size_t)(i % 37) + 1);
    assert_int_equal(a.n, chunks);
    char *big = exr_arena_alloc(&a, 1000);
    memset(big, 'z', 1000);
    assert_string_equal(exr_arena_str(&a, "after"), "after");
    assert_int_equal(big[999], 'z');
    exr_arena_free(&a);
    assert_int_equal(a.n, 0);
}

/* whole files: exactly the bytes, NUL-terminated; one byte over the limit is EFBIG; a file
 * larger than one read and larger than its first reservation */
static void test_read_file(void **st)
{
    (void)st;
    char path[] = "/tmp/exray-test-read.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = 200000;
    char *data = malloc(n);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)('a' + i % 23);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    close(fd);
    exr_buf b;
    exr_buf_init(&b);
    assert_int_equal(exr_read_file(path, n, &b), 0);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.p, data, n);
    assert_int_equal(b.p[n], 0);
    exr_buf_free(&b);
    exr_buf_init(&b);
    errno = 0;
    assert_int_equal(exr_read_file(path, n - 1, &b), -1);
    assert_int_equal(errno, EFBIG);
    exr_buf_free(&b);
    assert_int_equal(truncate(path, 0), 0);
    exr_buf_init(&b);
    assert_int_equal(exr_read_file(path, 10, &b), 0);
    assert_non_null(b.p);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.p, "");
    exr_buf_free(&b);
    exr_buf_init(&b);
    assert_int_equal(exr_read_file("/nonexistent/exray", 10, &b), -1);
    exr_buf_free(&b);
    unlink(path);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),    cmocka_unit_test(test_invalid_utf8), cmocka_unit_test(test_utf8_clean),
        cmocka_unit_test(test_fmt_int),     cmocka_unit_test(test_fmt_dotted),   cmocka_unit_test(test_quote_model),
        cmocka_unit_test(test_time_format), cmocka_unit_test(test_csv),          cmocka_unit_test(test_term_safe),
        cmocka_unit_test(test_arena),       cmocka_unit_test(test_read_file)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
