/* tlsinfo.c: see tlsinfo.h. Certificate text is attacker-controlled; it is copied with
 * control characters replaced and lengths bounded by the fixed fields. */
#include "tlsinfo.h"
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void clean_copy(char *dst, size_t n, const char *src, size_t sl)
{
    size_t k = 0;
    for (size_t i = 0; i < sl && k + 1 < n; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    dst[k] = 0;
}

static void name_text(X509_NAME *nm, char *dst, size_t n)
{
    dst[0] = 0;
    if (!nm)
        return;
    BIO *b = BIO_new(BIO_s_mem());
    if (!b)
        return;
    X509_NAME_print_ex(b, nm, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char *p;
    long l = BIO_get_mem_data(b, &p);
    if (l > 0)
        clean_copy(dst, n, p, (size_t)l);
    BIO_free(b);
}

void exr_tlsinfo_fill(SSL *ssl, exr_tlsinfo *out)
{
    memset(out, 0, sizeof *out);
    out->present = true;
    snprintf(out->version, sizeof out->version, "%s", SSL_get_version(ssl));
    X509 *cert = SSL_get1_peer_certificate(ssl);
    if (!cert)
        return;
    name_text(X509_get_subject_name(cert), out->subject, sizeof out->subject);
    name_text(X509_get_issuer_name(cert), out->issuer, sizeof out->issuer);
    const ASN1_TIME *na = X509_get0_notAfter(cert);
    struct tm tm;
    if (na && ASN1_TIME_to_tm(na, &tm) == 1)
        strftime(out->not_after, sizeof out->not_after, "%Y-%m-%dT%H:%M:%SZ", &tm);
    GENERAL_NAMES *gens = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    if (gens) {
        size_t used = 0;
        for (int i = 0; i < sk_GENERAL_NAME_num(gens) && i < 64; i++) {
            const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
            char item[300] = "";
            if (g->type == GEN_DNS) {
                const ASN1_IA5STRING *s = g->d.dNSName;
                clean_copy(item, sizeof item, (const char *)ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
            } else if (g->type == GEN_IPADD) {
                const ASN1_OCTET_STRING *s = g->d.iPAddress;
                const unsigned char *d = ASN1_STRING_get0_data(s);
                int l = ASN1_STRING_length(s);
                if (l == 4)
                    snprintf(item, sizeof item, "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
                else if (l == 16) {
                    size_t k = 0;
                    for (int j = 0; j < 16; j += 2)
                        k += (size_t)snprintf(item + k, sizeof item - k, "%s%x", j ? ":" : "", (d[j] << 8) | d[j + 1]);
                }
            }
            for (char *c = item; *c; c++)
                if (*c == ',')
                    *c = '?';
            size_t il = strlen(item);
            if (!il || used + il + 2 >= sizeof out->sans)
                continue;
            if (used)
                out->sans[used++] = ',';
            memcpy(out->sans + used, item, il + 1);
            used += il;
        }
        GENERAL_NAMES_free(gens);
    }
    X509_free(cert);
}
