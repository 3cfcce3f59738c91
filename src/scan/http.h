/* http.h: incremental HTTP/1.x response parser with hard limits. Servers may be hostile:
 * header block, header count, chunk lines and kept body size are all bounded, and any
 * deviation from the grammar is an error with a short reason, never a crash or a wait. */
#ifndef EXR_HTTP_H
#define EXR_HTTP_H
#include "../core/buf.h"
#include <stdbool.h>
#include <stddef.h>

#define EXR_HTTP_MAX_HEAD (16 * 1024)
#define EXR_HTTP_MAX_HDRS 100
#define EXR_HTTP_MAX_BODY (128 * 1024)
#define EXR_HTTP_MAX_INTERIM 8   /* 1xx responses before the final one */
#define EXR_HTTP_MAX_TRAILERS 32 /* trailer lines after a chunked body */

enum { EXR_HTTP_MORE = 0, EXR_HTTP_DONE = 1, EXR_HTTP_ERR = -1 };

typedef struct exr_http_hdr {
    const char *name;  /* NUL-terminated, inside head */
    const char *value; /* trimmed, NUL-terminated, inside head */
} exr_http_hdr;

typedef struct exr_http_resp {
    int status;
    int minor;
    exr_http_hdr hdrs[EXR_HTTP_MAX_HDRS];
    int nhdrs;
    exr_buf head;    /* header block, rewritten in place into NUL-terminated strings */
    exr_buf body;    /* decoded body, at most EXR_HTTP_MAX_BODY bytes */
    bool keep_alive; /* connection may carry the next request */
    bool truncated;  /* body longer than the limit; connection must not be reused */
    const char *error;
    /* parser state */
    int state;
    bool head_request;
    bool chunked;
    bool until_close;
    unsigned long long remaining; /* content-length left, or current chunk left */
    size_t scan_from;             /* where to resume looking for the header end */
    exr_buf line;                 /* partial chunk-size / trailer line */
    int interim, trailers;        /* 1xx responses and trailer lines seen */
} exr_http_resp;

void exr_http_init(exr_http_resp *r, bool head_request);
void exr_http_free(exr_http_resp *r);
/* Resets for the next response on the same connection. */
void exr_http_reset(exr_http_resp *r, bool head_request);
/* Feeds bytes; *used is how many were consumed (bytes after the end of the response
 * are left for the caller). Returns MORE, DONE or ERR (r->error says why). */
int exr_http_feed(exr_http_resp *r, const char *data, size_t n, size_t *used);
/* The peer closed: completes a close-delimited body, else ERR. */
int exr_http_eof(exr_http_resp *r);
/* Case-insensitive header lookup; first match or NULL. */
const char *exr_http_header(const exr_http_resp *r, const char *name);

#endif
