/* json.c: see json.h. */
#include "json.h"
#include "swar.h"
#include "utf8.h"
#include <string.h>

static void sep(exr_json *j, const char *key)
{
    if (j->need_comma[j->depth])
        exr_buf_addc(j->out, ',');
    j->need_comma[j->depth] = true;
    if (key) {
        exr_json_quote(j->out, key, strlen(key));
        exr_buf_addc(j->out, ':');
    }
}

void exr_json_begin(exr_json *j, exr_buf *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
    exr_buf_addc(out, '{');
}

void exr_json_end(exr_json *j)
{
    exr_buf_addc(j->out, '}');
}

void exr_json_key(exr_json *j, const char *key)
{
    sep(j, key);
}

/* printable ASCII but the quote and the backslash: copied as it is */
#define PLAIN(c) ((c) >= 0x20 && (c) < 0x7f && (c) != '"' && (c) != '\\')
#define PLAIN4(c) PLAIN(c), PLAIN(c + 1), PLAIN(c + 2), PLAIN(c + 3)
#define PLAIN16(c) PLAIN4(c), PLAIN4(c + 4), PLAIN4(c + 8), PLAIN4(c + 12)
#define PLAIN64(c) PLAIN16(c), PLAIN16(c + 16), PLAIN16(c + 32), PLAIN16(c + 48)
static const bool plain[256] = {PLAIN64(0), PLAIN64(64), PLAIN64(128), PLAIN64(192)};

/* One byte or UTF-8 sequence at s that is not plain, escaped; returns the bytes taken. */
static size_t escape(exr_buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) {
        switch (c) {
        case '"': exr_buf_add(out, "\\\"", 2); break;
        case '\\': exr_buf_add(out, "\\\\", 2); break;
        case '\n': exr_buf_add(out, "\\n", 2); break;
        case '\r': exr_buf_add(out, "\\r", 2); break;
        case '\t': exr_buf_add(out, "\\t", 2); break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]}; /* below 0x20, or 0x7f */
            exr_buf_add(out, u, 6);
        }
        }
        return 1;
    }
    size_t l = exr_utf8_valid_prefix(s, n);
    if (l == 0) {
        exr_buf_add(out, "\\ufffd", 6);
        return 1;
    }
    exr_buf_add(out, s, l);
    return l;
}

/* true when none of the eight bytes at s needs an escape: each is printable ASCII and
 * neither a quote nor a backslash */
static bool plain8(const char *s)
{
    uint64_t w = exr_swar_load(s);
    return !(exr_swar_has_high(w) || exr_swar_has_less(w, 0x20) || exr_swar_has_byte(w, 0x7f) || exr_swar_has_byte(w, '"') ||
             exr_swar_has_byte(w, '\\'));
}

/* Runs of plain bytes (most of a record) are found eight at a time and copied at once,
 * straight into the reserved buffer; the rest goes through escape(). */
void exr_json_quote(exr_buf *out, const char *s, size_t n)
{
    exr_buf_reserve(out, n + 2);
    char *o = out->p + out->len;
    *o++ = '"';
    size_t i = 0;
    for (;;) {
        size_t k = i;
        while (k + 8 <= n && plain8(s + k))
            k += 8;
        while (k < n && plain[(unsigned char)s[k]])
            k++;
        memcpy(o, s + i, k - i);
        o += k - i;
        i = k;
        if (i == n)
            break;
        out->len = (size_t)(o - out->p);
        i += escape(out, s + i, n - i);
        exr_buf_reserve(out, n - i + 1); /* the rest, and the closing quote */
        o = out->p + out->len;
    }
    *o++ = '"';
    *o = 0;
    out->len = (size_t)(o - out->p);
}

void exr_json_str(exr_json *j, const char *key, const char *val)
{
    if (!val) {
        exr_json_null(j, key);
        return;
    }
    exr_json_strn(j, key, val, strlen(val));
}

void exr_json_strn(exr_json *j, const char *key, const char *val, size_t n)
{
    sep(j, key);
    exr_json_quote(j->out, val, n);
}

void exr_json_int(exr_json *j, const char *key, int64_t v)
{
    sep(j, key);
    char t[24];
    exr_buf_adds(j->out, exr_fmt_int(v, t));
}

void exr_json_double(exr_json *j, const char *key, double v)
{
    sep(j, key);
    if (v != v || v > 1e300 || v < -1e300) { /* JSON has no NaN or infinity */
        exr_buf_adds(j->out, "null");
        return;
    }
    exr_buf_printf(j->out, "%.6g", v);
}

void exr_json_bool(exr_json *j, const char *key, bool v)
{
    sep(j, key);
    exr_buf_adds(j->out, v ? "true" : "false");
}

void exr_json_null(exr_json *j, const char *key)
{
    sep(j, key);
    exr_buf_adds(j->out, "null");
}

static void open_(exr_json *j, const char *key, char c)
{
    sep(j, key);
    exr_buf_addc(j->out, c);
    if (j->depth < 15)
        j->depth++;
    j->need_comma[j->depth] = false;
}

static void close_(exr_json *j, char c)
{
    exr_buf_addc(j->out, c);
    if (j->depth > 0)
        j->depth--;
}

void exr_json_obj_open(exr_json *j, const char *key)
{
    open_(j, key, '{');
}
void exr_json_obj_close(exr_json *j)
{
    close_(j, '}');
}
void exr_json_arr_open(exr_json *j, const char *key)
{
    open_(j, key, '[');
}
void exr_json_arr_close(exr_json *j)
{
    close_(j, ']');
}
