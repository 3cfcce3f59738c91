/* mime.h: RFC 5322 / MIME notification messages written by hand: CRLF line ends, RFC 2047
 * encoded subject and display name, a text part and a CSV attachment both in base64 (so no
 * byte from scan data can end a line or a header), Message-ID derived from the ticket. */
#ifndef EXR_MIME_H
#define EXR_MIME_H
#include "../core/buf.h"
#include <stddef.h>
#include <time.h>

typedef struct exr_mail {
    const char *from;      /* validated address */
    const char *from_name; /* UTF-8, any bytes */
    const char *to;        /* validated address */
    const char *subject;   /* UTF-8, any bytes */
    const char *body;      /* UTF-8 */
    const char *ticket;    /* YYYYMMDD-NNNNNNNN */
    const char *attach_name;
    const char *attach;
    size_t attach_len;
    time_t date;
    const char *kind; /* X-exray-Notice: first, reminder, escalation, resolved (else "first") */
    const char *refs; /* the tickets of the first notices it follows up, space-separated, or NULL */
} exr_mail;

void exr_mime_build(const exr_mail *m, exr_buf *out);
void exr_base64(const unsigned char *p, size_t n, exr_buf *out, int wrap);
/* Replaces control characters (but tab and newline) and invalid UTF-8 with '?'. */
void exr_text_clean(const char *s, size_t n, exr_buf *out);

#endif
