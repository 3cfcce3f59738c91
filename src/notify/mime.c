/* mime.c: see mime.h. */
#include "mime.h"
#include "../core/utf8.h"
#include <stdio.h>
#include <stdbool.h>
#include <string.h>

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void exr_base64(const unsigned char *p, size_t n, exr_buf *out, int wrap)
{
    int col = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        char q[4] = {b64[v >> 18 & 63], b64[v >> 12 & 63], i + 1 < n ? b64[v >> 6 & 63] : '=', i + 2 < n ? b64[v & 63] : '='};
        exr_buf_add(out, q, 4);
        col += 4;
        if (wrap && col >= 76) {
            exr_buf_adds(out, "\r\n");
            col = 0;
        }
    }
    if (wrap && col)
        exr_buf_adds(out, "\r\n");
}

void exr_text_clean(const char *s, size_t n, exr_buf *out)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            exr_buf_addc(out, (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ? '?' : (char)c);
            i++;
            continue;
        }
        size_t l = exr_utf8_valid_prefix(s + i, n - i);
        if (!l) {
            exr_buf_addc(out, '?');
            i++;
        } else {
            exr_buf_add(out, s + i, l);
            i += l;
        }
    }
}

/* RFC 2047 B-encoded words of at most 75 characters, never splitting a UTF-8 sequence. */
static void encoded_words(const char *s, exr_buf *out)
{
    exr_buf clean;
    exr_buf_init(&clean);
    exr_text_clean(s, strlen(s), &clean);
    for (size_t k = 0; k < clean.len; k++)
        if (clean.p[k] == '\n' || clean.p[k] == '\t')
            clean.p[k] = ' ';
    const char *p = clean.p ? clean.p : "";
    size_t n = clean.len, i = 0;
    int first = 1;
    if (n == 0)
        exr_buf_adds(out, "=?UTF-8?B?"
                          "?=");
    while (i < n) {
        size_t take = 0;
        while (i + take < n) {
            size_t l = exr_utf8_valid_prefix(p + i + take, n - i - take);
            if (!l)
                l = 1;
            if (take + l > 45) /* 45 bytes -> 60 base64 chars + 12 of framing */
                break;
            take += l;
        }
        if (!first)
            exr_buf_adds(out, "\r\n ");
        exr_buf_adds(out, "=?UTF-8?B?");
        exr_base64((const unsigned char *)p + i, take, out, 0);
        exr_buf_adds(out, "?=");
        i += take;
        first = 0;
    }
    exr_buf_free(&clean);
}

/* In-Reply-To (the first notice) and References (every first notice followed up), from
 * ticket ids; anything that is no ticket id (a tampered store) is left out. */
static void thread_headers(const char *refs, const char *dom, exr_buf *out)
{
    char ids[8][24];
    int n = 0;
    for (const char *p = refs ? refs : ""; *p && n < 8;) {
        size_t l = strcspn(p, " ");
        if (l == 17 && strspn(p, "0123456789") == 8 && p[8] == '-' && strspn(p + 9, "0123456789") == 8)
            snprintf(ids[n++], sizeof ids[0], "%.17s", p);
        p += l + (p[l] == ' ');
    }
    if (!n)
        return;
    exr_buf_printf(out, "In-Reply-To: <%s.exray@%s>\r\nReferences:", ids[0], dom);
    for (int i = 0; i < n; i++)
        exr_buf_printf(out, " <%s.exray@%s>", ids[i], dom);
    exr_buf_adds(out, "\r\n");
}

void exr_mime_build(const exr_mail *m, exr_buf *out)
{
    char date[64];
    struct tm tm;
    gmtime_r(&m->date, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    const char *dom = strchr(m->from, '@');
    dom = dom ? dom + 1 : "exray.invalid";
    exr_buf_adds(out, "From: ");
    if (m->from_name && *m->from_name) {
        encoded_words(m->from_name, out);
        exr_buf_adds(out, " ");
    }
    exr_buf_printf(out, "<%s>\r\n", m->from);
    exr_buf_printf(out, "To: <%s>\r\n", m->to);
    exr_buf_adds(out, "Subject: ");
    encoded_words(m->subject, out);
    exr_buf_adds(out, "\r\n");
    exr_buf_printf(out, "Date: %s\r\n", date);
    exr_buf_printf(out, "Message-ID: <%s.exray@%s>\r\n", m->ticket, dom);
    thread_headers(m->refs, dom, out);
    exr_buf_adds(out, "Auto-Submitted: auto-generated\r\n");
    exr_buf_printf(out, "X-exray-Ticket: %s\r\n", m->ticket);
    /* a kind from a tampered store is never a header of its own making: one short word */
    bool word = m->kind && m->kind[0] && strlen(m->kind) <= 16 && strspn(m->kind, "abcdefghijklmnopqrstuvwxyz") == strlen(m->kind);
    exr_buf_printf(out, "X-exray-Notice: %s\r\n", word ? m->kind : "first");
    exr_buf_adds(out, "MIME-Version: 1.0\r\n");
    exr_buf_printf(out, "Content-Type: multipart/mixed; boundary=\"=_exray_%s\"\r\n\r\n", m->ticket);
    exr_buf_adds(out, "This is a MIME message.\r\n");
    exr_buf_printf(out, "--=_exray_%s\r\n", m->ticket);
    exr_buf_adds(out, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    exr_buf body;
    exr_buf_init(&body);
    exr_text_clean(m->body, strlen(m->body), &body);
    exr_base64((const unsigned char *)(body.p ? body.p : ""), body.len, out, 1);
    exr_buf_free(&body);
    if (m->attach) {
        exr_buf_printf(out, "--=_exray_%s\r\n", m->ticket);
        exr_buf_printf(out, "Content-Type: text/csv; charset=utf-8; name=\"%s\"\r\n", m->attach_name);
        exr_buf_printf(out, "Content-Disposition: attachment; filename=\"%s\"\r\n", m->attach_name);
        exr_buf_adds(out, "Content-Transfer-Encoding: base64\r\n\r\n");
        exr_base64((const unsigned char *)m->attach, m->attach_len, out, 1);
    }
    exr_buf_printf(out, "--=_exray_%s--\r\n", m->ticket);
}
