/* minidump.c: see minidump.h. Layout (Microsoft's minidumpapiset.h): a 32-byte header
 * ("MDMP", version, stream count, directory offset), a directory of 12-byte entries (type,
 * size, offset), stream type 4 the module list: a count, then 108-byte modules whose
 * name offset is at byte 20, pointing at a length-prefixed UTF-16LE string. */
#include "minidump.h"
#include "../core/utf8.h"
#include <string.h>
#include <strings.h>

#define MODULE_LIST_STREAM 4
#define MAX_STREAMS 4096 /* real dumps have a few dozen; a bound on the directory read */
#define NAME_MAX_BYTES 2048

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t utf16le_to_utf8(const unsigned char *in, size_t units, char *out, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < units; i++) {
        unsigned u = (unsigned)in[2 * i] | (unsigned)in[2 * i + 1] << 8;
        unsigned char tmp[4];
        if (u == 0)
            break;
        size_t k = exr_utf8_put(tmp, u); /* surrogates kept as they are: a name, not text to render */
        if (w + k >= n)
            break;
        memcpy(out + w, tmp, k);
        w += k;
    }
    out[w] = 0;
    return w;
}

int exr_minidump_process(exr_md_read rd, void *ctx, char *out, size_t n)
{
    unsigned char h[32], e[12 * 64], m[4 + 24];
    if (n)
        out[0] = 0;
    int r = rd(ctx, h, sizeof h, 0);
    if (r != 0)
        return r < 0 ? -1 : 0;
    if (memcmp(h, "MDMP", 4) != 0)
        return 0;
    uint32_t nstreams = le32(h + 8), dir = le32(h + 12);
    if (nstreams > MAX_STREAMS)
        return 1;
    uint32_t list = 0;
    bool found = false;
    for (uint32_t i = 0; i < nstreams && !found;) {
        uint32_t k = nstreams - i < 64 ? nstreams - i : 64;
        r = rd(ctx, e, 12 * (size_t)k, (uint64_t)dir + 12 * (uint64_t)i);
        if (r != 0)
            return r < 0 ? -1 : 1;
        for (uint32_t j = 0; j < k; j++)
            if (le32(e + 12 * j) == MODULE_LIST_STREAM && le32(e + 12 * j + 4) >= 4 + 108) {
                list = le32(e + 12 * j + 8);
                found = true;
                break;
            }
        i += k;
    }
    if (!found)
        return 1;
    /* the count, then the first module up to and including its name offset */
    r = rd(ctx, m, sizeof m, (uint64_t)list);
    if (r != 0)
        return r < 0 ? -1 : 1;
    if (le32(m) == 0)
        return 1;
    uint32_t name = le32(m + 4 + 20);
    unsigned char len[4];
    r = rd(ctx, len, 4, name);
    if (r != 0)
        return r < 0 ? -1 : 1;
    uint32_t bytes = le32(len);
    if (bytes == 0 || bytes % 2 || bytes > NAME_MAX_BYTES)
        return 1;
    unsigned char s[NAME_MAX_BYTES];
    r = rd(ctx, s, bytes, (uint64_t)name + 4);
    if (r != 0)
        return r < 0 ? -1 : 1;
    if (n)
        utf16le_to_utf8(s, bytes / 2, out, n);
    return 1;
}

bool exr_minidump_is_lsass(const char *path)
{
    const char *b = path;
    for (const char *p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            b = p + 1;
    return strcasecmp(b, "lsass.exe") == 0;
}
