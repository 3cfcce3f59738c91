/* template.c: see template.h. */
#include "template.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const exr_template_vars[] = {"ticket",      "org",  "recipient", "host_count",   "hosts",      "sets",      "state",   "date",
                                         "sender_name", "cves", "support",   "first_ticket", "first_sent", "last_seen", "changes", NULL};

static int known(const char *n, size_t l)
{
    for (int i = 0; exr_template_vars[i]; i++)
        if (strlen(exr_template_vars[i]) == l && strncmp(exr_template_vars[i], n, l) == 0)
            return 1;
    return 0;
}

static int check(const char *name, const char *s, int lineno0, exr_err *e)
{
    int line = lineno0;
    for (const char *p = s; *p; p++) {
        if (*p == '\n')
            line++;
        if (*p != '$')
            continue;
        if (p[1] == '$') {
            p++;
            continue;
        }
        if (p[1] != '{')
            return exr_seterr(e, EXR_EINVAL, "%s:%d: '$' must start ${name} or be doubled", name, line);
        const char *end = strchr(p + 2, '}');
        if (!end)
            return exr_seterr(e, EXR_EINVAL, "%s:%d: unterminated ${", name, line);
        if (!known(p + 2, (size_t)(end - p - 2)))
            return exr_seterr(e, EXR_EINVAL, "%s:%d: unknown variable ${%.*s}", name, line, (int)(end - p - 2 > 40 ? 40 : end - p - 2),
                              p + 2);
        p = end;
    }
    return 0;
}

int exr_template_parse(exr_template *t, const char *name, const char *text, size_t len, exr_err *e)
{
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", name);
    if (memchr(text, 0, len))
        return exr_seterr(e, EXR_EINVAL, "%s: NUL byte", name);
    const char *nl = memchr(text, '\n', len);
    size_t l1 = nl ? (size_t)(nl - text) : len;
    if (l1 < 9 || strncmp(text, "Subject: ", 9) != 0)
        return exr_seterr(e, EXR_EINVAL, "%s:1: the first line must be 'Subject: ...'", name);
    size_t sl = l1 - 9;
    if (sl && text[9 + sl - 1] == '\r')
        sl--;
    t->subject = exr_xstrndup(text + 9, sl);
    t->body = nl ? exr_xstrndup(nl + 1, len - l1 - 1) : exr_xstrdup("");
    if (check(name, t->subject, 1, e) != 0 || check(name, t->body, 2, e) != 0) {
        exr_template_free(t);
        return -1;
    }
    return 0;
}

void exr_template_free(exr_template *t)
{
    free(t->subject);
    free(t->body);
    t->subject = t->body = NULL;
}

void exr_template_render(const char *s, const exr_tvar *vars, int nvars, exr_buf *out)
{
    for (const char *p = s; *p; p++) {
        if (*p != '$') {
            exr_buf_addc(out, *p);
            continue;
        }
        if (p[1] == '$') {
            exr_buf_addc(out, '$');
            p++;
            continue;
        }
        const char *end = p[1] == '{' ? strchr(p + 2, '}') : NULL;
        if (!end) {
            exr_buf_addc(out, '$');
            continue;
        }
        size_t l = (size_t)(end - p - 2);
        for (int i = 0; i < nvars; i++)
            if (strlen(vars[i].name) == l && strncmp(vars[i].name, p + 2, l) == 0 && vars[i].value)
                exr_buf_adds(out, vars[i].value);
        p = end;
    }
}
