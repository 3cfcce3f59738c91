/* version.c: see version.h. */
#include "version.h"
#include "../core/buf.h"
#include <stdio.h>
#include <string.h>

size_t exr_version_scan(const char *s, size_t len, exr_version *v)
{
    size_t i = 0;
    int parts = 0;
    exr_version t = {0, {0, 0, 0, 0}};
    size_t end_ok = 0;
    int parts_ok = 0;
    while (parts < 4) {
        size_t start = i;
        uint32_t val = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 6)
            val = val * 10 + (uint32_t)(s[i++] - '0');
        if (i == start)
            break;
        if (i < len && s[i] >= '0' && s[i] <= '9')
            return 0; /* a part longer than 6 digits is not a build number */
        t.p[parts++] = val;
        if (parts >= 3) {
            end_ok = i;
            parts_ok = parts;
        }
        if (parts < 4 && i + 1 < len && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')
            i++;
        else
            break;
    }
    if (parts_ok < 3)
        return 0;
    t.n = parts_ok;
    if (parts_ok == 3)
        t.p[3] = 0;
    *v = t;
    return end_ok;
}

bool exr_version_parse(const char *s, size_t len, exr_version *v)
{
    exr_version t;
    size_t used = exr_version_scan(s, len, &t);
    if (used == 0 || used != len)
        return false;
    *v = t;
    return true;
}

bool exr_version_parse_any(const char *s, exr_version *v)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
        len--;
    if (exr_version_parse(s, len, v))
        return true;
    /* "Version 15.1 (Build 2507.6)" */
    unsigned a, b, c, d;
    int used = 0;
    char text[64];
    if (len >= sizeof text)
        return false;
    memcpy(text, s, len);
    text[len] = 0;
    if (sscanf(text, "Version %u.%u (Build %u.%u)%n", &a, &b, &c, &d, &used) != 4 || (size_t)used != len)
        return false;
    char dotted[64];
    snprintf(dotted, sizeof dotted, "%u.%u.%u.%u", a, b, c, d);
    return exr_version_parse(dotted, strlen(dotted), v);
}

void exr_version_format(const exr_version *v, char *out, size_t n)
{
    unsigned q[4] = {v->p[0], v->p[1], v->p[2], v->p[3]};
    exr_fmt_dotted(out, n, q, v->n == 4 ? 4 : 3);
}

int exr_version_cmp(const exr_version *a, const exr_version *b)
{
    for (int i = 0; i < 4; i++)
        if (a->p[i] != b->p[i])
            return a->p[i] < b->p[i] ? -1 : 1;
    return 0;
}

int exr_version_cmp3(const exr_version *a, const exr_version *b)
{
    for (int i = 0; i < 3; i++)
        if (a->p[i] != b->p[i])
            return a->p[i] < b->p[i] ? -1 : 1;
    return 0;
}
