/* test_http.c: the response parser under normal, fragmented and hostile input. */
#include "testutil.h"
#include "scan/http.h"

/* Feeds s in pieces of `step` bytes; returns the final parser state. */
static int feed(exr_http_resp *r, const char *s, size_t n, size_t step, size_t *total_used)
{
    size_t off = 0;
    int rc = EXR_HTTP_MORE;
    while (off < n && rc == EXR_HTTP_MORE) {
        size_t k = n - off < step ? n - off : step, used;
        rc = exr_http_feed(r, s + off, k, &used);
        off += used;
    }
    if (total_used)
        *total_used = off;
    return rc;
}

static void test_content_length_any_split(void **st)
{
    (void)st;
    const char *s = "HTTP/1.1 302 Found\r\nLocation: /owa/auth/logon.aspx?url=x&reason=0\r\nX-OWA-Version: 15.2.986.14\r\n"
                    "Content-Length: 5\r\n\r\nhelloEXTRA";
    size_t steps[] = {1, 2, 3, 7, 1000};
    for (size_t i = 0; i < 5; i++) {
        exr_http_resp r;
        exr_http_init(&r, false);
        size_t used;
        assert_int_equal(feed(&r, s, strlen(s), steps[i], &used), EXR_HTTP_DONE);
        assert_int_equal(r.status, 302);
        assert_string_equal(exr_http_header(&r, "x-owa-version"), "15.2.986.14");
        assert_string_equal(r.body.p, "hello");
        assert_int_equal(used, strlen(s) - 5); /* EXTRA left for the caller */
        assert_true(r.keep_alive);
        exr_http_free(&r);
    }
}

static void test_chunked(void **st)
{
    (void)st;
    const char *s = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n";
    for (size_t step = 1; step < 9; step++) {
        exr_http_resp r;
        exr_http_init(&r, false);
        assert_int_equal(feed(&r, s, strlen(s), step, NULL), EXR_HTTP_DONE);
        assert_string_equal(r.body.p, "hello world");
        exr_http_free(&r);
    }
    const char *bad[] = {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX",
                         "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
                         "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"};
    for (size_t i = 0; i < 4; i++) {
        exr_http_resp r;
        exr_http_init(&r, false);
        assert_int_equal(feed(&r, bad[i], strlen(bad[i]), 4, NULL), EXR_HTTP_ERR);
        assert_non_null(r.error);
        exr_http_free(&r);
    }
}

static void test_close_delimited_and_eof(void **st)
{
    (void)st;
    const char *s = "HTTP/1.0 200 OK\r\nServer: x\r\n\r\nbody until close";
    exr_http_resp r;
    exr_http_init(&r, false);
    assert_int_equal(feed(&r, s, strlen(s), 5, NULL), EXR_HTTP_MORE);
    assert_int_equal(exr_http_eof(&r), EXR_HTTP_DONE);
    assert_string_equal(r.body.p, "body until close");
    assert_false(r.keep_alive);
    exr_http_free(&r);
    exr_http_init(&r, false);
    assert_int_equal(feed(&r, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 42, 100, NULL), EXR_HTTP_MORE);
    assert_int_equal(exr_http_eof(&r), EXR_HTTP_ERR);
    exr_http_free(&r);
    exr_http_init(&r, false);
    assert_int_equal(exr_http_eof(&r), EXR_HTTP_ERR);
    exr_http_free(&r);
}

static void test_limits(void **st)
{
    (void)st;
    exr_buf b;
    exr_buf_init(&b);
    exr_buf_adds(&b, "HTTP/1.1 200 OK\r\n");
    while (b.len < EXR_HTTP_MAX_HEAD + 100)
        exr_buf_adds(&b, "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
    exr_http_resp r;
    exr_http_init(&r, false);
    assert_int_equal(feed(&r, b.p, b.len, 4096, NULL), EXR_HTTP_ERR);
    assert_string_equal(r.error, "header block too large");
    exr_http_free(&r);

    exr_buf_reset(&b);
    exr_buf_adds(&b, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < EXR_HTTP_MAX_HDRS + 1; i++)
        exr_buf_adds(&b, "A: b\r\n");
    exr_buf_adds(&b, "\r\n");
    exr_http_init(&r, false);
    assert_int_equal(feed(&r, b.p, b.len, 4096, NULL), EXR_HTTP_ERR);
    assert_string_equal(r.error, "too many headers");
    exr_http_free(&r);

    /* an endless body is cut at the limit and the connection marked unusable */
    exr_buf_reset(&b);
    exr_buf_adds(&b, "HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n");
    while (b.len < EXR_HTTP_MAX_BODY + 4096)
        exr_buf_adds(&b, "0123456789abcdef");
    exr_http_init(&r, false);
    assert_int_equal(feed(&r, b.p, b.len, 1500, NULL), EXR_HTTP_DONE);
    assert_true(r.truncated);
    assert_false(r.keep_alive);
    assert_int_equal(r.body.len, EXR_HTTP_MAX_BODY);
    exr_http_free(&r);
    exr_buf_free(&b);
}

static void test_malformed(void **st)
{
    (void)st;
    const char *bad[] = {
        "SSH-2.0-OpenSSH_8.4\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\x01b\r\n\r\n",
        "HTTP/1.1 101 Switching\r\n\r\n",
        "\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        exr_http_resp r;
        exr_http_init(&r, false);
        if (feed(&r, bad[i], strlen(bad[i]), 3, NULL) != EXR_HTTP_ERR)
            fail_msg("accepted: %s", bad[i]);
        exr_http_free(&r);
    }
}

static void test_interim_and_lf_only(void **st)
{
    (void)st;
    const char *s = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
    exr_http_resp r;
    exr_http_init(&r, false);
    assert_int_equal(feed(&r, s, strlen(s), 1, NULL), EXR_HTTP_DONE);
    assert_int_equal(r.status, 204);
    assert_false(r.keep_alive);
    exr_http_free(&r);
    const char *lf = "HTTP/1.1 200 OK\nContent-Length: 2\n\nok";
    exr_http_init(&r, false);
    assert_int_equal(feed(&r, lf, strlen(lf), 2, NULL), EXR_HTTP_DONE);
    assert_string_equal(r.body.p, "ok");
    /* reset keeps working for the next response on the connection */
    exr_http_reset(&r, false);
    assert_int_equal(feed(&r, lf, strlen(lf), 64, NULL), EXR_HTTP_DONE);
    assert_string_equal(r.body.p, "ok");
    exr_http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_content_length_any_split),
        cmocka_unit_test(test_chunked),
        cmocka_unit_test(test_close_delimited_and_eof),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_interim_and_lf_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
