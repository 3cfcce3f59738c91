/* tlsinfo.h: records the server certificate (subject, SANs, issuer, not_after) and the
 * protocol version of a finished handshake. Nothing is validated: a scanner must see
 * self-signed and expired certificates, which is what most small Exchange servers have. */
#ifndef EXR_TLSINFO_H
#define EXR_TLSINFO_H
#include "record.h"
#include <openssl/ssl.h>

void exr_tlsinfo_fill(SSL *ssl, exr_tlsinfo *out);

#endif
