/* checks.h: the table of hunt checks. Each row: a stable id (scripts and the finding
 * records use it), the CVE or NULL, the severity, what a hit means and what to do next.
 * Like zmap's probe modules, adding a check is one new row plus the code that emits it. */
#ifndef EXR_CHECKS_H
#define EXR_CHECKS_H

enum exr_sev { EXR_SEV_INFO = 0, EXR_SEV_LOW, EXR_SEV_MEDIUM, EXR_SEV_HIGH, EXR_SEV_CRITICAL };

typedef struct exr_check {
    const char *id;
    const char *cve;
    int severity;
    const char *meaning;
    const char *next;
} exr_check;

extern const exr_check exr_checks[];
extern const int exr_ncheck;
const exr_check *exr_check_find(const char *id);
const char *exr_sev_name(int s);

#endif
