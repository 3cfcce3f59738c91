/* timefmt.c: see timefmt.h. */
#include "timefmt.h"
#include <stdio.h>
#include <string.h>

/* The civil date of a day count since 1970-01-01 (H. Hinnant's days_from_civil inverse):
 * every stored row formats its time, and gmtime_r + strftime cost a tenth of an import. */
static void civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    unsigned doe = (unsigned)(days - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* "YYYY-MM-DD?HH:MM:SS" and the suffix, for years 1000-9999; strftime's form otherwise */
static void format(time_t t, char sep, const char *suffix, char *out, size_t n)
{
    int64_t s = (int64_t)t, days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400), sec = s - days * 86400, y;
    unsigned m, d;
    civil(days, &y, &m, &d);
    char b[24];
    if (y < 1000 || y > 9999) {
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(b, sizeof b, sep == 'T' ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm);
        snprintf(out, n, "%s%s", b, suffix);
        return;
    }
    put2(b, (unsigned)(y / 100));
    put2(b + 2, (unsigned)(y % 100));
    b[4] = '-';
    put2(b + 5, m);
    b[7] = '-';
    put2(b + 8, d);
    b[10] = sep;
    put2(b + 11, (unsigned)(sec / 3600));
    b[13] = ':';
    put2(b + 14, (unsigned)(sec / 60 % 60));
    b[16] = ':';
    put2(b + 17, (unsigned)(sec % 60));
    size_t k = 19;
    while (*suffix && k < sizeof b - 1)
        b[k++] = *suffix++;
    b[k] = 0;
    if (n) {
        size_t c = k < n - 1 ? k : n - 1;
        memcpy(out, b, c);
        out[c] = 0;
    }
}

void exr_time_rfc3339(time_t t, char *out, size_t n)
{
    format(t, 'T', "Z", out, n);
}

void exr_time_shadow(time_t t, char *out, size_t n)
{
    format(t, ' ', "", out, n);
}

int64_t exr_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
