/* fingerprint.h: what the scanner learns from ordinary unauthenticated GETs, and which
 * GET comes next. Pure functions over parsed responses, so recorded exchanges can be
 * replayed in tests. Never sends the X-AnonResource / X-BEResource cookies or any probe
 * that makes the server fetch something on the scanner's behalf. */
#ifndef EXR_FINGERPRINT_H
#define EXR_FINGERPRINT_H
#include "../exchange/builds.h"
#include "http.h"
#include <stdbool.h>

enum exr_req { EXR_REQ_OWA = 0, EXR_REQ_LOGON, EXR_REQ_ECP, EXR_REQ_NONE };
/* FEED: a build an imported report gave (Shadowserver's version column, another feed's) */
enum exr_bsrc { EXR_SRC_NONE = 0, EXR_SRC_XOWA, EXR_SRC_OWAPATH, EXR_SRC_ECP, EXR_SRC_FEED };
/* The source named by its text (exr_bsrc_name's), or EXR_SRC_NONE. */
int exr_bsrc_parse(const char *name);

extern const char *const exr_req_path[3];
const char *exr_bsrc_name(int src); /* NULL for none */

typedef struct exr_fp {
    bool exchange; /* the verdict: strong || genuine || (redirect && !clone) */
    bool strong;   /* X-OWA-Version, Exchange-only headers or the ECP manifest */
    bool redirect; /* a redirect to /owa/auth/logon.aspx or errorfe.aspx */
    bool genuine;  /* a logon page with the build path whose form is OWA's own */
    bool clone;    /* a logon page with the build path whose form posts elsewhere */
    bool have_build;
    exr_version build;
    int build_source;
    char servername[64];
    int owa_status;     /* status of GET /owa/, 0 if none */
    bool owa_promising; /* /owa/ answered in a way that makes logon.aspx worth asking */
    bool done[3];
} exr_fp;

void exr_fp_init(exr_fp *fp);
/* Folds one response to request `req` into fp. */
void exr_fp_observe(exr_fp *fp, int req, const exr_http_resp *r);
/* The next request to send, or EXR_REQ_NONE when the build is settled. */
int exr_fp_next(const exr_fp *fp, const exr_buildtab *tab);
/* Helpers exposed for tests and fuzzing. */
bool exr_fp_body_build(const char *body, size_t n, exr_version *v, bool *genuine_logon);
bool exr_fp_manifest_build(const char *body, size_t n, exr_version *v);

#endif
