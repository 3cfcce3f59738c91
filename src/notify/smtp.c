/* smtp.c: see smtp.h. One connection per message keeps failure handling simple; a
 * campaign's volume (thousands of messages) does not need connection reuse. */
#include "smtp.h"
#include <curl/curl.h>
#include <stdbool.h>
#include <string.h>

typedef struct upload {
    const exr_buf *msg;
    size_t off;
    bool eof; /* curl has the whole message: it sends the final dot next */
} upload;

static size_t read_cb(char *buf, size_t size, size_t n, void *userp)
{
    upload *u = userp;
    size_t room = size * n, left = u->msg->len - u->off;
    size_t k = left < room ? left : room;
    memcpy(buf, u->msg->p + u->off, k);
    u->off += k;
    if (k == 0)
        u->eof = true;
    return k;
}

int exr_smtp_send(const exr_smtp *c, const char *from, const char *to, const exr_buf *msg, exr_err *e)
{
    CURL *curl = curl_easy_init();
    if (!curl)
        return exr_seterr(e, EXR_ENOMEM, "libcurl: cannot initialise"), EXR_SMTP_TEMPFAIL;
    char fromb[300], tob[300];
    snprintf(fromb, sizeof fromb, "<%s>", from);
    snprintf(tob, sizeof tob, "<%s>", to);
    struct curl_slist *rcpt = curl_slist_append(NULL, tob);
    upload u = {msg, 0, false};
    curl_easy_setopt(curl, CURLOPT_URL, c->url);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, fromb);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(curl, CURLOPT_READDATA, &u);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    long timeout = c->timeout_s > 0 ? c->timeout_s : 60L;
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, timeout);
    /* also the wait for each reply, QUIT's included: closing a connection whose server went
     * silent would otherwise wait libcurl's default two minutes for that reply */
    curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (c->user)
        curl_easy_setopt(curl, CURLOPT_USERNAME, c->user);
    if (c->pass)
        curl_easy_setopt(curl, CURLOPT_PASSWORD, c->pass);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, c->starttls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    if (c->insecure) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    CURLcode rc = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    if (rc == CURLE_OK)
        return EXR_SMTP_OK;
    exr_seterr(e, EXR_EIO, "SMTP %s: %s (reply %ld)", c->url, curl_easy_strerror(rc), code);
    /* the whole message went out and no final reply came back (the last reply is DATA's 354):
     * the server may have accepted it. Sending again could deliver a second copy. */
    if (u.eof && (code == 354 || code < 400)) {
        exr_seterr(e, EXR_EIO, "SMTP %s: %s after the end of the message, before the server's reply: delivery unknown", c->url,
                   curl_easy_strerror(rc));
        return EXR_SMTP_UNCERTAIN;
    }
    if (rc == CURLE_LOGIN_DENIED || rc == CURLE_USE_SSL_FAILED || rc == CURLE_PEER_FAILED_VERIFICATION || code == 530 || code == 534 ||
        code == 535 || code == 538)
        return EXR_SMTP_SETUP;
    /* 5xx replies are permanent; connection problems and 4xx are worth a retry */
    return code >= 500 && code < 600 ? EXR_SMTP_PERMFAIL : EXR_SMTP_TEMPFAIL;
}
