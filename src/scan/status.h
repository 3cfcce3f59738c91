/* status.h: how a scan of one host:port ended, one closed set with one name table. */
#ifndef EXR_STATUS_H
#define EXR_STATUS_H

typedef enum exr_status {
    EXR_STATUS_OK,          /* the server answered (Exchange or not) */
    EXR_STATUS_REFUSED,     /* connection refused */
    EXR_STATUS_TIMEOUT,     /* the host's deadline passed */
    EXR_STATUS_TLS_ERROR,   /* the TLS handshake failed */
    EXR_STATUS_HTTP_ERROR,  /* not HTTP, or HTTP beyond the parser's limits */
    EXR_STATUS_RESET,       /* the connection was reset */
    EXR_STATUS_UNREACHABLE, /* no route to the host or network */
    EXR_STATUS_DNS_ERROR,   /* a name that did not resolve */
    EXR_STATUS_ERROR,       /* anything else */
    EXR_NSTATUS
} exr_status;

/* "ok", "refused", "timeout", "tls-error", "http-error", "reset", "unreachable",
 * "dns-error", "error": the words of the records, the store and the summary. */
extern const char *const exr_status_name[EXR_NSTATUS];
/* The status a word names, or -1. */
int exr_status_parse(const char *s);

#endif
