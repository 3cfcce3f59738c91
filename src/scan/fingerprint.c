/* fingerprint.c: see fingerprint.h.
 * Exchange evidence, strongest first: X-OWA-Version (4-part build); Exchange-only headers
 * (X-FEServer, X-BEServer, X-CalculatedBETarget, X-OWA-Error); /owa/ redirecting to
 * /owa/auth/logon.aspx; a logon page carrying /owa/auth/<build>/themes/ (2013+, CU only)
 * or /owa/<build>/themes/ (2010, full build) whose form posts to /owa/auth.owa. Cloned OWA
 * pages on phishing hosts carry the build path too but post elsewhere, so a body alone
 * counts only when the form is OWA's own. */
#include "fingerprint.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

const char *const exr_req_path[3] = {
    "/owa/",
    "/owa/auth/logon.aspx",
    "/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application",
};

int exr_bsrc_parse(const char *name)
{
    for (int i = EXR_SRC_XOWA; name && i <= EXR_SRC_FEED; i++)
        if (strcmp(name, exr_bsrc_name(i)) == 0)
            return i;
    return EXR_SRC_NONE;
}

const char *exr_bsrc_name(int src)
{
    switch (src) {
    case EXR_SRC_XOWA: return "x-owa-version";
    case EXR_SRC_OWAPATH: return "owa-path";
    case EXR_SRC_ECP: return "ecp-manifest";
    case EXR_SRC_FEED: return "feed";
    default: return NULL;
    }
}

void exr_fp_init(exr_fp *fp)
{
    memset(fp, 0, sizeof *fp);
}

static const char *memcasemem(const char *h, size_t hn, const char *needle)
{
    size_t nn = strlen(needle);
    if (nn == 0 || hn < nn)
        return NULL;
    for (size_t i = 0; i + nn <= hn; i++) {
        if (tolower((unsigned char)h[i]) == tolower((unsigned char)needle[0]) && strncasecmp(h + i, needle, nn) == 0)
            return h + i;
    }
    return NULL;
}

/* Keeps the better build: 4-part beats 3-part; same precision keeps the first. */
static void offer_build(exr_fp *fp, const exr_version *v, int src)
{
    if (v->p[0] < 6 || v->p[0] > 99)
        return;
    if (fp->have_build) {
        if (fp->build.n >= v->n)
            return;
        /* a revision must belong to the CU already seen */
        if (fp->build.p[0] != v->p[0] || fp->build.p[1] != v->p[1])
            return;
    }
    fp->build = *v;
    fp->have_build = true;
    fp->build_source = src;
}

static bool body_build(const char *body, size_t n, exr_version *out, bool *genuine_logon, bool *clone)
{
    bool found = false;
    exr_version best = {0, {0}};
    static const char *const pre[] = {"/owa/auth/", "/owa/"};
    for (int k = 0; k < 2; k++) {
        size_t pl = strlen(pre[k]);
        const char *p = body;
        size_t left = n;
        const char *hit;
        while ((hit = memcasemem(p, left, pre[k])) != NULL) {
            const char *v = hit + pl;
            size_t vl = n - (size_t)(v - body);
            exr_version ver;
            size_t used = exr_version_scan(v, vl, &ver);
            if (used && used < vl && v[used] == '/') {
                const char *after = v + used + 1;
                size_t al = n - (size_t)(after - body);
                if ((al >= 7 && strncasecmp(after, "themes/", 7) == 0) || (al >= 8 && strncasecmp(after, "scripts/", 8) == 0)) {
                    if (!found || ver.n > best.n) {
                        best = ver;
                        found = true;
                    }
                }
            }
            left = n - (size_t)(hit + 1 - body);
            p = hit + 1;
        }
    }
    if (genuine_logon) {
        /* 2013+ posts to /owa/auth.owa, 2010 to /owa/auth/owaauth.dll */
        bool owa_form =
            memcasemem(body, n, "action=\"/owa/auth.owa\"") != NULL || memcasemem(body, n, "action=\"/owa/auth/owaauth.dll\"") != NULL;
        bool owa_comment = memcasemem(body, n, "OwaPage = ASP.auth_logon_aspx") != NULL;
        /* a logon form posting anywhere but OWA marks a clone */
        bool foreign_form = false;
        const char *p = body;
        size_t left = n;
        const char *hit;
        while ((hit = memcasemem(p, left, "<form")) != NULL) {
            /* the tag ends at its '>', at the next '<' or after 4 KiB: a body of "<forma"
             * repeated must cost one pass, not one pass per tag */
            size_t rest = n - (size_t)(hit - body), tl = 1;
            while (tl < rest && tl < 4096 && hit[tl] != '>' && hit[tl] != '<')
                tl++;
            const char *act = memcasemem(hit, tl, "action=");
            if (act) {
                const char *q = act + 7;
                if (q < hit + tl && (*q == '"' || *q == '\''))
                    q++;
                size_t ql = (size_t)(hit + tl - q);
                bool owa_target = ql >= 5 && (strncasecmp(q, "/owa/", 5) == 0 || strncasecmp(q, "/ecp/", 5) == 0);
                if (q < hit + tl && !owa_target)
                    foreign_form = true;
            }
            left = n - (size_t)(hit + 1 - body);
            p = hit + 1;
        }
        *genuine_logon = found && (owa_form || owa_comment) && !foreign_form;
        if (clone)
            *clone = found && foreign_form;
    }
    if (found)
        *out = best;
    return found;
}

bool exr_fp_body_build(const char *body, size_t n, exr_version *out, bool *genuine_logon)
{
    return body_build(body, n, out, genuine_logon, NULL);
}

bool exr_fp_manifest_build(const char *body, size_t n, exr_version *v)
{
    const char *p = memcasemem(body, n, "<assemblyIdentity");
    while (p) {
        const char *end = memchr(p, '>', n - (size_t)(p - body));
        if (!end)
            return false;
        size_t tl = (size_t)(end - p);
        const char *name = memcasemem(p, tl, "name=\"microsoft.exchange.ediscovery.exporttool");
        const char *ver = memcasemem(p, tl, " version=\"");
        if (name && ver) {
            const char *s = ver + 10;
            size_t used = exr_version_scan(s, (size_t)(end - s), v);
            if (used && v->n == 4 && s[used] == '"')
                return true;
        }
        size_t left = n - (size_t)(end - body);
        p = memcasemem(end, left, "<assemblyIdentity");
    }
    return false;
}

static void copy_servername(exr_fp *fp, const char *v)
{
    size_t k = 0;
    for (; *v && k + 1 < sizeof fp->servername; v++) {
        unsigned char c = (unsigned char)*v;
        if (isalnum(c) || c == '-' || c == '_' || c == '.')
            fp->servername[k++] = (char)c;
    }
    fp->servername[k] = 0;
}

/* A redirect to OWA's logon page is weak evidence: a phishing host redirects the same way,
 * so a cloned logon page (build path, form posting elsewhere) cancels it. Headers only
 * Exchange sends, and a genuine logon page, are strong. */
static void decide(exr_fp *fp)
{
    fp->exchange = fp->strong || fp->genuine || (fp->redirect && !fp->clone);
}

void exr_fp_observe(exr_fp *fp, int req, const exr_http_resp *r)
{
    if (req < 0 || req > 2)
        return;
    fp->done[req] = true;
    const char *xowa = exr_http_header(r, "X-OWA-Version");
    if (xowa) {
        exr_version v;
        if (exr_version_parse(xowa, strlen(xowa), &v)) {
            fp->strong = true;
            offer_build(fp, &v, EXR_SRC_XOWA);
        }
    }
    const char *fe = exr_http_header(r, "X-FEServer");
    if (fe && *fe) {
        fp->strong = true;
        if (!fp->servername[0])
            copy_servername(fp, fe);
    }
    if (exr_http_header(r, "X-BEServer") || exr_http_header(r, "X-CalculatedBETarget") || exr_http_header(r, "X-OWA-Error"))
        fp->strong = true;
    const char *loc = exr_http_header(r, "Location");
    if (loc && r->status >= 300 && r->status < 400) {
        size_t ll = strlen(loc);
        if (memcasemem(loc, ll, "/owa/auth/logon.aspx") || memcasemem(loc, ll, "/owa/auth/errorfe.aspx"))
            fp->redirect = true;
        const char *ov = memcasemem(loc, ll, "owaVer=");
        exr_version v;
        if (ov && exr_version_scan(ov + 7, ll - (size_t)(ov + 7 - loc), &v) && (fp->strong || fp->redirect))
            offer_build(fp, &v, EXR_SRC_OWAPATH);
    }
    if ((req == EXR_REQ_OWA || req == EXR_REQ_LOGON) && r->status == 200 && r->body.len) {
        exr_version v;
        bool genuine = false, clone = false;
        if (body_build(r->body.p, r->body.len, &v, &genuine, &clone)) {
            fp->genuine |= genuine;
            fp->clone |= clone;
            if (genuine || fp->strong || (fp->redirect && !clone))
                offer_build(fp, &v, EXR_SRC_OWAPATH);
        }
    }
    if (req == EXR_REQ_ECP && r->status == 200 && r->body.len) {
        exr_version v;
        if (exr_fp_manifest_build(r->body.p, r->body.len, &v)) {
            if (!fp->have_build || exr_version_cmp3(&fp->build, &v) == 0 || fp->build.n == 3) {
                if (fp->have_build && exr_version_cmp3(&fp->build, &v) != 0) {
                    decide(fp);
                    return; /* manifest of another CU than the one OWA shows: keep OWA's */
                }
                fp->strong = true;
                offer_build(fp, &v, EXR_SRC_ECP);
            }
        }
    }
    decide(fp);
    if (req == EXR_REQ_OWA) {
        fp->owa_status = r->status;
        int s = r->status;
        fp->owa_promising =
            fp->exchange || fp->redirect || s == 200 || s == 301 || s == 302 || s == 303 || s == 307 || s == 308 || s == 401 || s == 403;
    }
}

int exr_fp_next(const exr_fp *fp, const exr_buildtab *tab)
{
    if (!fp->done[EXR_REQ_OWA])
        return EXR_REQ_OWA;
    if (fp->have_build && fp->build.n == 4)
        return EXR_REQ_NONE;
    if (!fp->done[EXR_REQ_LOGON] && (fp->exchange || fp->owa_promising))
        return EXR_REQ_LOGON;
    if (!fp->done[EXR_REQ_ECP] && fp->exchange && fp->have_build) {
        exr_build_info bi;
        exr_build_classify(tab, &fp->build, &bi);
        if (exr_build_wants_revision(&bi))
            return EXR_REQ_ECP;
    }
    return EXR_REQ_NONE;
}
