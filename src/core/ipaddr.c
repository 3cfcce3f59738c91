/* ipaddr.c: see ipaddr.h. Parsing goes through inet_pton, which rejects everything but
 * canonical dotted quads and RFC 4291 text. */
#include "ipaddr.h"
#include "buf.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

bool exr_addr_parse(const char *s, exr_addr *out)
{
    unsigned char b[16];
    if (strlen(s) >= 64)
        return false;
    if (inet_pton(AF_INET, s, b) == 1) {
        out->family = 4;
        out->v = ((exr_u128)b[0] << 24) | ((exr_u128)b[1] << 16) | ((exr_u128)b[2] << 8) | b[3];
        return true;
    }
    if (inet_pton(AF_INET6, s, b) == 1) {
        out->family = 6;
        out->v = 0;
        for (int i = 0; i < 16; i++)
            out->v = (out->v << 8) | b[i];
        return true;
    }
    return false;
}

bool exr_cidr_parse(const char *s, exr_cidr *out)
{
    char tmp[64];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof tmp)
        return false;
    memcpy(tmp, s, n + 1);
    char *slash = strchr(tmp, '/');
    int prefix = -1;
    if (slash) {
        *slash = 0;
        const char *p = slash + 1;
        if (!*p || strlen(p) > 3)
            return false;
        prefix = 0;
        for (; *p; p++) {
            if (*p < '0' || *p > '9')
                return false;
            prefix = prefix * 10 + (*p - '0');
        }
    }
    exr_addr a;
    if (!exr_addr_parse(tmp, &a))
        return false;
    int bits = a.family == 4 ? 32 : 128;
    if (prefix < 0)
        prefix = bits;
    if (prefix > bits)
        return false;
    exr_u128 hostmask = prefix == bits ? 0 : ((((exr_u128)1) << (bits - prefix)) - 1);
    if (bits == 128 && prefix == 0)
        hostmask = ~(exr_u128)0;
    out->prefix = prefix;
    out->lo = a;
    out->hi = a;
    out->lo.v = a.v & ~hostmask;
    out->hi.v = out->lo.v | hostmask;
    if (a.family == 4) {
        out->lo.v &= 0xffffffffu;
        out->hi.v &= 0xffffffffu;
    }
    return true;
}

void exr_addr_format(const exr_addr *a, char *out, size_t n)
{
    unsigned char b[16];
    if (a->family == 4) {
        uint32_t v = (uint32_t)a->v;
        unsigned q[4] = {v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255};
        exr_fmt_dotted(out, n, q, 4);
        return;
    }
    exr_u128 v = a->v;
    for (int i = 15; i >= 0; i--) {
        b[i] = (unsigned char)(v & 255);
        v >>= 8;
    }
    if (!inet_ntop(AF_INET6, b, out, (socklen_t)n) && n)
        out[0] = 0;
}

int exr_addr_cmp(const exr_addr *a, const exr_addr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return a->v < b->v ? -1 : a->v > b->v ? 1 : 0;
}

unsigned exr_addr_sockaddr(const exr_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof *ss);
    if (a->family == 4) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(port);
        s4->sin_addr.s_addr = htonl((uint32_t)a->v);
        return sizeof *s4;
    }
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons(port);
    exr_u128 v = a->v;
    for (int i = 15; i >= 0; i--) {
        s6->sin6_addr.s6_addr[i] = (unsigned char)(v & 255);
        v >>= 8;
    }
    return sizeof *s6;
}

bool exr_addr_from_sockaddr(const void *sa, exr_addr *out)
{
    const struct sockaddr *s = sa;
    if (s->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = sa;
        out->family = 4;
        out->v = ntohl(s4->sin_addr.s_addr);
        return true;
    }
    if (s->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = sa;
        out->family = 6;
        out->v = 0;
        for (int i = 0; i < 16; i++)
            out->v = (out->v << 8) | s6->sin6_addr.s6_addr[i];
        return true;
    }
    return false;
}
