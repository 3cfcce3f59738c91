/* vulnstat.h: what the vulnerability table says about the report's builds, decided once per
 * distinct build (a store of ten million observations holds a few hundred): the open CVEs,
 * which of the known exploited (KEV) ones are open, the support state. The store keeps the
 * build, not a row per CVE: a CVE added to the table applies to every stored build. */
#ifndef EXR_REPORT_VULNSTAT_H
#define EXR_REPORT_VULNSTAT_H
#include "../core/arena.h"
#include "../exchange/builds.h"
#include <stdbool.h>
#include <stdint.h>

#define RV_MAX_KEV 32
enum { RS_SUPPORTED, RS_ESU, RS_EOL, RS_UNKNOWN, RS_N };
extern const char *const exr_rs_name[RS_N];

/* the table's CVEs, each once, in table order; the KEV ones numbered for bit masks */
typedef struct rvulns {
    const exr_buildtab *tab;
    const char *cve[EXR_MAX_CVES];
    const exr_vuln *row[EXR_MAX_CVES]; /* the first row of each */
    int n;
    int kev_index[EXR_MAX_CVES]; /* bit of the CVE in kev masks, or -1 */
    int cve_of_kev[RV_MAX_KEV];
    int nkev;
} rvulns;

typedef struct rverdict {
    bool classified;
    unsigned char support; /* RS_* */
    uint32_t kevmask;      /* bit k: the KEV CVE cve_of_kev[k] is open */
    int nopen;
    uint16_t *open; /* indexes into rvulns.cve */
} rverdict;

void exr_rvulns_init(rvulns *v, const exr_buildtab *tab);
/* The verdict of a stored build string (NULL or unparsable: not classified); open is
 * allocated in a. */
void exr_rverdict_of(const rvulns *v, exr_arena *a, const char *build, rverdict *out);

#endif
