/* record.h: one scan observation (host:port) and its output formats: the JSON Lines
 * record of DESIGN.md and Shadowserver's scan_exchange CSV row. */
#ifndef EXR_RECORD_H
#define EXR_RECORD_H
#include "status.h"
#include "../core/buf.h"
#include "../core/ipaddr.h"
#include "../exchange/builds.h"
#include "../exchange/exposure.h"
#include "fingerprint.h"
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define EXR_MAX_WEBSHELLS 32

typedef struct exr_tlsinfo {
    bool present;
    char version[16];
    char subject[256];
    char issuer[256];
    char sans[1024]; /* comma-separated */
    char not_after[24];
} exr_tlsinfo;

typedef struct exr_result {
    exr_addr addr;
    uint16_t port;
    char hostname[256]; /* empty if none */
    int64_t time_us;    /* microseconds since 1970 UTC */
    exr_status status;  /* how it ended (status.h) */
    exr_fp fp;
    exr_build_info bi; /* valid when fp.have_build */
    exr_tlsinfo tls;
    bool webshell_probe;       /* the opt-in probe ran */
    bool webshell_control_hit; /* server answers 200 to a random name: probe results void */
    int nwebshells;
    const char *webshells[EXR_MAX_WEBSHELLS]; /* static path strings */
    int forced[EXR_NSETS];                    /* a verdict an imported source asserted (0 = none) */
    char asserted[EXR_MAX_ASSERTED][24];      /* CVEs an imported source named open */
    int nasserted;
    exr_exposure x; /* the state and its counts (exposure.h), set by exr_result_finish */
} exr_result;

/* Fills bi, the verdicts and the exposure (r->x) from fp, the web shells found and the
 * CVEs asserted; call once the host is finished (and its time set). */
void exr_result_finish(exr_result *r, const exr_buildtab *tab);
/* The same with a memo of classified builds (exr_build_classify_memo; NULL for none). */
void exr_result_finish_memo(exr_result *r, const exr_buildtab *tab, exr_build_memo *memo);
int exr_result_verdict(const exr_result *r, int set);    /* EXR_V_NULL when not Exchange */
void exr_result_json(const exr_result *r, exr_buf *out); /* one line, with '\n' */
void exr_result_csv_header(exr_buf *out);
void exr_result_csv(const exr_result *r, exr_buf *out);
/* Shadowserver's tag and severity for a host in a state (exposure.h; -1: not Exchange):
 * "exchange;webshell" when compromised, else "exchange" and every open CVE (cves, KEV first,
 * then the feed's asserted ones), lower case. The severity follows the state: critical for
 * compromised or a known exploited CVE open, high for another open CVE, medium for
 * end-of-life, low for undetermined, info otherwise. scan -F csv and notify's attachment
 * both write these. */
const char *exr_shadow_tag(int state, const char *const *cves, int ncves, const char (*asserted)[24], int nasserted, int nkev, char *buf,
                           size_t n, const char **sev);

#endif
