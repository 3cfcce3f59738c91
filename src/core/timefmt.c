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
    char b[32];
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

void exr_time_stamp(int64_t us, char *out, size_t n)
{
    int64_t s = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
    unsigned frac = (unsigned)(us - s * 1000000);
    char suffix[9] = ".000000Z";
    for (int i = 6; i >= 1; i--, frac /= 10)
        suffix[i] = (char)('0' + frac % 10);
    format((time_t)s, 'T', suffix, out, n);
}

void exr_time_shadow(time_t t, char *out, size_t n)
{
    format(t, ' ', "", out, n);
}

int64_t exr_clock_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t exr_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static unsigned month_days(int y, int m)
{
    static const unsigned char md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : md[m - 1];
}

/* the zone after the time: Z, +hh:mm, -hh:mm (or +hhmm), or nothing (UTC); seconds east */
static bool parse_zone(const char *p, int64_t *east)
{
    *east = 0;
    if (!*p)
        return true;
    if ((*p == 'Z' || *p == 'z') && !p[1])
        return true;
    if (*p != '+' && *p != '-')
        return false;
    int h = digits(p + 1, 2), m = p[3] == ':' ? digits(p + 4, 2) : digits(p + 3, 2);
    const char *end = p + (p[3] == ':' ? 6 : 5);
    if (h < 0 || m < 0 || h > 23 || m > 59 || *end)
        return false;
    *east = (int64_t)(*p == '-' ? -1 : 1) * (h * 3600 + m * 60);
    return true;
}

bool exr_time_parse(const char *s, int64_t *us)
{
    if (!s || strlen(s) < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
        s[16] != ':')
        return false;
    int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2), h = digits(s + 11, 2), mi = digits(s + 14, 2),
        sec = digits(s + 17, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60 ||
        (unsigned)d > month_days(y, mo))
        return false;
    const char *p = s + 19;
    int64_t frac = 0;
    if (*p == '.' || *p == ',') {
        int n = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, n++)
            if (n < 6)
                frac = frac * 10 + (*p - '0');
        if (!n)
            return false;
        for (; n < 6; n++)
            frac *= 10;
    }
    int64_t east;
    if (!parse_zone(p, &east))
        return false;
    int64_t t = exr_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec - east;
    *us = t * 1000000 + frac;
    return true;
}

int64_t exr_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
