/* lifecycle.h: when each Exchange product line stops receiving security updates
 * (data/exchange-lifecycle.csv, compiled in), and a build's support state on a given day:
 * supported (inside extended support, or a line without an end date: SE),
 * extended-security-updates (an ESU-eligible CU inside the ESU window), end-of-life. */
#ifndef EXR_LIFECYCLE_H
#define EXR_LIFECYCLE_H
#include "../core/err.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct exr_lifecycle_row {
    char product[8];
    char mainstream_end[11], extended_end[11], esu_end[11]; /* YYYY-MM-DD or "" */
    char esu_cus[48];                                       /* "CU14 CU15", or "" */
} exr_lifecycle_row;

typedef struct exr_lifecycle {
    exr_lifecycle_row rows[16];
    size_t n;
} exr_lifecycle;

typedef struct exr_support {
    const char *state; /* supported, extended-security-updates, end-of-life; NULL: unknown line */
    const char *since; /* the end of support (or of the ESU window) it follows, or NULL */
    bool esu_evidence; /* the build carries an update released after extended support ended */
} exr_support;

int exr_lifecycle_load_text(exr_lifecycle *l, const char *text, size_t len, const char *name, exr_err *e);
int exr_lifecycle_load_default(exr_lifecycle *l, exr_err *e);
const exr_lifecycle_row *exr_lifecycle_find(const exr_lifecycle *l, const char *product);
/* The state of a build of product/cu on day (YYYY-MM-DD); update_released: the release date
 * (YYYY-MM-DD or YYYY-MM) of the update the build carries, or NULL. */
exr_support exr_support_on(const exr_lifecycle *l, const char *product, const char *cu, const char *day, const char *update_released);

#endif
