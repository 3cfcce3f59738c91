/* lifecycle.c: the lifecycle table's loader and the support rule; see lifecycle.h. Dates are
 * compared as text: every one is YYYY-MM-DD (a month-only release date YYYY-MM sorts before
 * every day of its month, which is what "released after" needs to be conservative). */
#include "lifecycle.h"
#include "../core/csv.h"
#include "../core/textlines.h"
#include <stdio.h>
#include <string.h>

extern const unsigned char exr_data_exchange_lifecycle_csv[];
extern const size_t exr_data_exchange_lifecycle_csv_len;

static bool is_day(const char *s)
{
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && strspn(s, "0123456789-") == 10;
}

static int fill(exr_lifecycle_row *w, const exr_csv_row *r, const char *name, int lineno, exr_err *e)
{
    memset(w, 0, sizeof *w);
    if (r->n < 5 || !r->f[0][0] || strlen(r->f[0]) >= sizeof w->product || strlen(r->f[4]) >= sizeof w->esu_cus)
        return exr_seterr(e, EXR_EINVAL, "%s:%d: want product,mainstream_end,extended_end,esu_end,esu_cus", name, lineno);
    for (int k = 1; k <= 3; k++)
        if (r->f[k][0] && !is_day(r->f[k]))
            return exr_seterr(e, EXR_EINVAL, "%s:%d: '%.20s' is not YYYY-MM-DD", name, lineno, r->f[k]);
    snprintf(w->product, sizeof w->product, "%s", r->f[0]);
    snprintf(w->mainstream_end, sizeof w->mainstream_end, "%s", r->f[1]);
    snprintf(w->extended_end, sizeof w->extended_end, "%s", r->f[2]);
    snprintf(w->esu_end, sizeof w->esu_end, "%s", r->f[3]);
    snprintf(w->esu_cus, sizeof w->esu_cus, "%s", r->f[4]);
    return 0;
}

int exr_lifecycle_load_text(exr_lifecycle *l, const char *text, size_t len, const char *name, exr_err *e)
{
    memset(l, 0, sizeof *l);
    exr_csv_row r;
    exr_csv_row_init(&r);
    size_t pos = 0;
    int lineno = 0, rc = 0;
    bool header = false;
    const char *line;
    size_t ll;
    while (rc == 0 && exr_text_line(text, len, &pos, &line, &ll)) {
        lineno++;
        if (ll == 0 || line[0] == '#')
            continue;
        if (exr_csv_split(&r, line, ll) != 0) {
            rc = exr_seterr(e, EXR_EINVAL, "%s:%d: bad CSV", name, lineno);
        } else if (!header) {
            header = true;
            if (r.n < 5 || strcmp(r.f[0], "product") != 0)
                rc = exr_seterr(e, EXR_EINVAL, "%s:%d: header product,mainstream_end,extended_end,esu_end,esu_cus expected", name, lineno);
        } else if (l->n == sizeof l->rows / sizeof l->rows[0]) {
            rc = exr_seterr(e, EXR_EINVAL, "%s:%d: more than %zu product lines", name, lineno, sizeof l->rows / sizeof l->rows[0]);
        } else {
            rc = fill(&l->rows[l->n], &r, name, lineno, e);
            l->n += rc == 0;
        }
    }
    exr_csv_row_free(&r);
    return rc;
}

int exr_lifecycle_load_default(exr_lifecycle *l, exr_err *e)
{
    return exr_lifecycle_load_text(l, (const char *)exr_data_exchange_lifecycle_csv, exr_data_exchange_lifecycle_csv_len,
                                   "data/exchange-lifecycle.csv (built in)", e);
}

const exr_lifecycle_row *exr_lifecycle_find(const exr_lifecycle *l, const char *product)
{
    for (size_t i = 0; product && i < l->n; i++)
        if (strcmp(l->rows[i].product, product) == 0)
            return &l->rows[i];
    return NULL;
}

/* cu is one of the space-separated words of list */
static bool cu_listed(const char *list, const char *cu)
{
    size_t n = cu ? strlen(cu) : 0;
    for (const char *p = list; n && *p;) {
        size_t l = strcspn(p, " ");
        if (l == n && strncmp(p, cu, n) == 0)
            return true;
        p += l + (p[l] == ' ');
    }
    return false;
}

exr_support exr_support_on(const exr_lifecycle *l, const char *product, const char *cu, const char *day, const char *update_released)
{
    exr_support s = {NULL, NULL, false};
    const exr_lifecycle_row *w = exr_lifecycle_find(l, product);
    if (!w)
        return s;
    if (!w->extended_end[0] || strcmp(day, w->extended_end) <= 0) {
        s.state = "supported";
        return s;
    }
    bool eligible = w->esu_end[0] && cu_listed(w->esu_cus, cu);
    /* an update released after extended support ended reaches ESU customers only */
    s.esu_evidence = eligible && update_released && strcmp(update_released, w->extended_end) > 0;
    if (eligible && strcmp(day, w->esu_end) <= 0) {
        s.state = "extended-security-updates";
        s.since = w->extended_end;
    } else {
        s.state = "end-of-life";
        s.since = eligible ? w->esu_end : w->extended_end;
    }
    return s;
}
