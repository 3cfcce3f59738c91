/* http.c: see http.h. The header block is collected whole (it is small and bounded) and
 * parsed once; the body is decoded as it streams so chunked bodies cost O(n). */
#include "http.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { S_HEAD, S_BODY_LEN, S_CHUNK_SIZE, S_CHUNK_DATA, S_CHUNK_CRLF, S_TRAILER, S_CLOSE, S_DONE };

void exr_http_init(exr_http_resp *r, bool head_request)
{
    memset(r, 0, sizeof *r);
    exr_buf_init(&r->head);
    exr_buf_init(&r->body);
    exr_buf_init(&r->line);
    r->head_request = head_request;
}

void exr_http_free(exr_http_resp *r)
{
    exr_buf_free(&r->head);
    exr_buf_free(&r->body);
    exr_buf_free(&r->line);
}

void exr_http_reset(exr_http_resp *r, bool head_request)
{
    exr_buf head = r->head, body = r->body, line = r->line;
    exr_buf_reset(&head);
    exr_buf_reset(&body);
    exr_buf_reset(&line);
    memset(r, 0, sizeof *r);
    r->head = head;
    r->body = body;
    r->line = line;
    r->head_request = head_request;
}

const char *exr_http_header(const exr_http_resp *r, const char *name)
{
    for (int i = 0; i < r->nhdrs; i++)
        if (strcasecmp(r->hdrs[i].name, name) == 0)
            return r->hdrs[i].value;
    return NULL;
}

static int fail(exr_http_resp *r, const char *why)
{
    r->error = why;
    return EXR_HTTP_ERR;
}

static bool has_token(const char *v, const char *tok)
{
    size_t tl = strlen(tok);
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *s = p;
        while (*p && *p != ',')
            p++;
        const char *e = p;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if ((size_t)(e - s) == tl && strncasecmp(s, tok, tl) == 0)
            return true;
    }
    return false;
}

static void keep_body(exr_http_resp *r, const char *d, size_t n)
{
    size_t room = EXR_HTTP_MAX_BODY - r->body.len;
    if (n > room) {
        n = room;
        r->truncated = true;
    }
    exr_buf_add(&r->body, d, n);
}

/* Parses the complete header block in r->head (len bytes incl. terminator). */
/* "HTTP/1.x NNN reason": the version and status; *p moves past the line. 0 or EXR_HTTP_ERR. */
static int parse_status_line(exr_http_resp *r, char **pp, char *end)
{
    char *p = *pp;
    char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        return fail(r, "no status line");
    *eol = 0;
    if (eol > p && eol[-1] == '\r')
        eol[-1] = 0;
    if (strncmp(p, "HTTP/1.", 7) != 0 || (p[7] != '0' && p[7] != '1') || p[8] != ' ')
        return fail(r, "not an HTTP/1.x status line");
    r->minor = p[7] - '0';
    if (!isdigit((unsigned char)p[9]) || !isdigit((unsigned char)p[10]) || !isdigit((unsigned char)p[11]) || (p[12] != ' ' && p[12] != 0))
        return fail(r, "bad status code");
    r->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
    if (r->status < 100)
        return fail(r, "bad status code");
    *pp = eol + 1;
    return 0;
}

/* One header line p..le (NUL-terminated at le): a field, or an obs-fold continuing the last. */
static int parse_header_line(exr_http_resp *r, char *p, char *le)
{
    for (char *c = p; c < le; c++) {
        /* RFC 9110: field values may carry obs-text (bytes >= 0x80); only controls are refused */
        unsigned char u = (unsigned char)*c;
        if ((u < ' ' && u != '\t') || u == 127)
            return fail(r, "control character in header line");
    }
    if (*p == ' ' || *p == '\t') {
        /* obs-fold: RFC 9112 asks a recipient to replace it with spaces, joining the line
         * to the previous field's value (which lies just before it in the buffer) */
        if (!r->nhdrs)
            return fail(r, "folded line before any header");
        char *v = (char *)r->hdrs[r->nhdrs - 1].value;
        for (char *c = v; c < p; c++)
            if (*c == 0 || *c == '\r' || *c == '\n')
                *c = ' ';
        char *ve = le;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
            *--ve = 0;
        return 0;
    }
    char *colon = strchr(p, ':');
    if (!colon || colon == p)
        return fail(r, "malformed header line");
    char *ne = colon; /* "Name : value": whitespace before the colon is tolerated */
    while (ne > p && (ne[-1] == ' ' || ne[-1] == '\t'))
        ne--;
    if (ne == p)
        return fail(r, "malformed header line");
    for (char *c = p; c < ne; c++)
        if ((unsigned char)*c <= ' ' || (unsigned char)*c >= 127)
            return fail(r, "bad character in header name");
    *ne = 0;
    *colon = 0;
    char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    char *ve = le;
    while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
        *--ve = 0;
    if (r->nhdrs == EXR_HTTP_MAX_HDRS)
        return fail(r, "too many headers");
    r->hdrs[r->nhdrs].name = p;
    r->hdrs[r->nhdrs].value = v;
    r->nhdrs++;
    return 0;
}

/* How the body is delimited: none, chunked, Content-Length, or until the connection closes. */
static int body_framing(exr_http_resp *r)
{
    const char *conn = exr_http_header(r, "Connection");
    r->keep_alive = r->minor == 1 ? !(conn && has_token(conn, "close")) : (conn && has_token(conn, "keep-alive"));
    const char *te = exr_http_header(r, "Transfer-Encoding");
    const char *cl = NULL;
    for (int i = 0; i < r->nhdrs; i++) {
        if (strcasecmp(r->hdrs[i].name, "Content-Length") == 0) {
            if (cl && strcmp(cl, r->hdrs[i].value) != 0)
                return fail(r, "conflicting Content-Length");
            cl = r->hdrs[i].value;
        }
    }
    if (r->head_request || r->status == 204 || r->status == 304) {
        r->state = S_DONE;
        return EXR_HTTP_DONE;
    }
    if (te) {
        if (!has_token(te, "chunked"))
            return fail(r, "unsupported Transfer-Encoding");
        r->chunked = true;
        r->state = S_CHUNK_SIZE;
        return EXR_HTTP_MORE;
    }
    if (cl) {
        if (!*cl || strlen(cl) > 18)
            return fail(r, "bad Content-Length");
        unsigned long long v = 0;
        for (const char *c = cl; *c; c++) {
            if (!isdigit((unsigned char)*c))
                return fail(r, "bad Content-Length");
            v = v * 10 + (unsigned)(*c - '0');
        }
        r->remaining = v;
        r->state = v ? S_BODY_LEN : S_DONE;
        return v ? EXR_HTTP_MORE : EXR_HTTP_DONE;
    }
    r->until_close = true;
    r->keep_alive = false;
    r->state = S_CLOSE;
    return EXR_HTTP_MORE;
}

static int parse_head(exr_http_resp *r)
{
    char *p = r->head.p;
    char *end = p + r->head.len;
    if (parse_status_line(r, &p, end) != 0)
        return EXR_HTTP_ERR;
    r->nhdrs = 0;
    while (p < end) {
        char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        char *le = eol;
        if (le > p && le[-1] == '\r')
            le--;
        if (le == p)
            break; /* blank line: end of headers */
        *le = 0;
        if (parse_header_line(r, p, le) != 0)
            return EXR_HTTP_ERR;
        p = eol + 1;
    }
    return body_framing(r);
}

static int chunk_line_done(exr_http_resp *r)
{
    char *s = r->line.p ? r->line.p : "";
    size_t n = r->line.len;
    if (n && s[n - 1] == '\r')
        s[--n] = 0;
    if (r->state == S_TRAILER) {
        if (n == 0) {
            r->state = S_DONE;
            return EXR_HTTP_DONE;
        }
        if (++r->trailers > EXR_HTTP_MAX_TRAILERS)
            return fail(r, "too many trailer lines");
        exr_buf_reset(&r->line);
        return EXR_HTTP_MORE;
    }
    unsigned long long v = 0;
    size_t i = 0;
    for (; i < n && isxdigit((unsigned char)s[i]); i++) {
        if (i >= 15)
            return fail(r, "chunk size too large");
        int c = tolower((unsigned char)s[i]);
        v = v * 16 + (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
    }
    if (i == 0 || (i < n && s[i] != ';' && s[i] != ' ' && s[i] != '\t'))
        return fail(r, "bad chunk size line");
    exr_buf_reset(&r->line);
    if (v == 0) {
        r->state = S_TRAILER;
        return EXR_HTTP_MORE;
    }
    r->remaining = v;
    r->state = S_CHUNK_DATA;
    return EXR_HTTP_MORE;
}

/* Each state of exr_http_feed: consumes from data[*i..n) and returns the feed's result. */
static int after_head(exr_http_resp *r, int rc)
{
    if (rc == EXR_HTTP_DONE && r->status >= 100 && r->status < 200 && r->status != 101) {
        /* interim response: start over for the final one; a server may send a few
         * (100, 102, 103), not a stream of them */
        int interim = r->interim + 1;
        exr_http_reset(r, r->head_request);
        r->interim = interim;
        return interim > EXR_HTTP_MAX_INTERIM ? fail(r, "too many interim (1xx) responses") : EXR_HTTP_MORE;
    }
    if (r->status == 101)
        return fail(r, "unexpected protocol switch");
    if (rc == EXR_HTTP_MORE && r->status >= 100 && r->status < 200) {
        int interim = r->interim + 1;
        exr_http_reset(r, r->head_request);
        r->interim = interim;
        if (interim > EXR_HTTP_MAX_INTERIM)
            return fail(r, "too many interim (1xx) responses");
    }
    return rc;
}

static int feed_head(exr_http_resp *r, const char *data, size_t n, size_t *i)
{
    size_t room = EXR_HTTP_MAX_HEAD - r->head.len;
    size_t take = n - *i < room ? n - *i : room;
    size_t old = r->head.len;
    exr_buf_add(&r->head, data + *i, take);
    /* look for the blank line: \n\n or \n\r\n */
    char *h = r->head.p;
    size_t endpos = 0;
    for (size_t k = r->scan_from; k < r->head.len; k++) {
        if (h[k] != '\n')
            continue;
        if (k + 1 < r->head.len && h[k + 1] == '\n') {
            endpos = k + 2;
            break;
        }
        if (k + 2 < r->head.len && h[k + 1] == '\r' && h[k + 2] == '\n') {
            endpos = k + 3;
            break;
        }
    }
    if (!endpos) {
        r->scan_from = r->head.len > 2 ? r->head.len - 2 : 0;
        *i += take;
        if (r->head.len >= EXR_HTTP_MAX_HEAD)
            return fail(r, "header block too large");
        if (r->head.len >= 5 && strncmp(r->head.p, "HTTP/", 5) != 0)
            return fail(r, "not an HTTP response");
        return EXR_HTTP_MORE;
    }
    *i += endpos - old;
    r->head.len = endpos;
    r->head.p[endpos] = 0;
    return after_head(r, parse_head(r));
}

/* Up to r->remaining bytes of body (a Content-Length body or a chunk) from data[*i..n). */
static void take_remaining(exr_http_resp *r, const char *data, size_t n, size_t *i)
{
    size_t take = n - *i;
    if (take > r->remaining)
        take = (size_t)r->remaining;
    keep_body(r, data + *i, take);
    *i += take;
    r->remaining -= take;
}

static int feed_body_len(exr_http_resp *r, const char *data, size_t n, size_t *i)
{
    take_remaining(r, data, n, i);
    if (r->remaining == 0 || r->truncated) {
        if (r->remaining)
            r->keep_alive = false;
        r->state = S_DONE;
        return EXR_HTTP_DONE;
    }
    return EXR_HTTP_MORE;
}

static int feed_chunk_line(exr_http_resp *r, const char *data, size_t n, size_t *i)
{
    const char *nl = memchr(data + *i, '\n', n - *i);
    size_t take = nl ? (size_t)(nl - (data + *i)) : n - *i;
    if (r->line.len + take > 1024)
        return fail(r, "chunk line too long");
    exr_buf_add(&r->line, data + *i, take);
    *i += take;
    if (!nl)
        return EXR_HTTP_MORE;
    ++*i;
    return chunk_line_done(r);
}

static int feed_chunk_data(exr_http_resp *r, const char *data, size_t n, size_t *i)
{
    take_remaining(r, data, n, i);
    if (r->truncated) {
        r->keep_alive = false;
        r->state = S_DONE;
        return EXR_HTTP_DONE;
    }
    if (r->remaining == 0)
        r->state = S_CHUNK_CRLF;
    return EXR_HTTP_MORE;
}

static int feed_chunk_crlf(exr_http_resp *r, const char *data, size_t *i)
{
    if (data[*i] == '\r' && r->line.len == 0) {
        exr_buf_addc(&r->line, '\r');
        ++*i;
    } else if (data[*i] == '\n') {
        exr_buf_reset(&r->line);
        ++*i;
        r->state = S_CHUNK_SIZE;
    } else {
        return fail(r, "missing CRLF after chunk");
    }
    return EXR_HTTP_MORE;
}

int exr_http_feed(exr_http_resp *r, const char *data, size_t n, size_t *used)
{
    size_t i = 0;
    int rc = EXR_HTTP_MORE;
    while (i < n && rc == EXR_HTTP_MORE) {
        switch (r->state) {
        case S_HEAD: rc = feed_head(r, data, n, &i); break;
        case S_BODY_LEN: rc = feed_body_len(r, data, n, &i); break;
        case S_CLOSE:
            keep_body(r, data + i, n - i);
            i = n;
            if (r->truncated) {
                r->state = S_DONE;
                rc = EXR_HTTP_DONE;
            }
            break;
        case S_CHUNK_SIZE:
        case S_TRAILER: rc = feed_chunk_line(r, data, n, &i); break;
        case S_CHUNK_DATA: rc = feed_chunk_data(r, data, n, &i); break;
        case S_CHUNK_CRLF: rc = feed_chunk_crlf(r, data, &i); break;
        default: rc = EXR_HTTP_DONE; break;
        }
    }
    if (rc == EXR_HTTP_MORE && r->state == S_DONE)
        rc = EXR_HTTP_DONE;
    *used = i;
    return rc;
}

int exr_http_eof(exr_http_resp *r)
{
    if (r->state == S_CLOSE || r->state == S_DONE) {
        r->state = S_DONE;
        r->keep_alive = false;
        return EXR_HTTP_DONE;
    }
    if (r->state == S_HEAD && r->head.len == 0)
        return fail(r, "connection closed before a response");
    return fail(r, "connection closed mid-response");
}
