/* smtp.h: message submission over SMTP through libcurl (STARTTLS, authentication). */
#ifndef EXR_SMTP_H
#define EXR_SMTP_H
#include "../core/buf.h"
#include "../core/err.h"

typedef struct exr_smtp {
    const char *url; /* smtp://host:port or smtps://host:port */
    const char *user, *pass;
    int starttls; /* 1: require STARTTLS */
    int insecure; /* do not verify the server certificate (test servers) */
    long timeout_s;
} exr_smtp;

/* SETUP: refused credentials, a server without the required STARTTLS, an unverifiable
 * certificate, or a server demanding authentication: every message would fail the same way,
 * so the run stops rather than trying each ticket. */
/* UNCERTAIN: the whole message was sent but the connection failed or timed out before the
 * server's final reply: it may have been accepted; it must not be sent again blindly. */
enum { EXR_SMTP_OK = 0, EXR_SMTP_TEMPFAIL = 1, EXR_SMTP_PERMFAIL = 2, EXR_SMTP_SETUP = 3, EXR_SMTP_UNCERTAIN = 4 };

/* Sends msg from `from` to `to`; the server's last reply goes into e on failure. */
int exr_smtp_send(const exr_smtp *c, const char *from, const char *to, const exr_buf *msg, exr_err *e);

#endif
