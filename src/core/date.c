#include "core/date.h"

#include <stdio.h>
#include <string.h>

bool qz_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && qz_is_leap(year) ? 29 : dim[month - 1];
}

bool qz_ymd_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

/* Days from civil, after Howard Hinnant's public-domain algorithm. */
qz_date qz_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

qz_ymd qz_date_to_ymd(qz_date z)
{
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int d = doy - (153 * mp + 2) / 5 + 1;
    const int m = mp < 10 ? mp + 3 : mp - 9;
    return (qz_ymd){yoe + era * 400 + (m <= 2), m, d};
}

int qz_date_weekday(qz_date d)
{
    /* 1970-01-01 was a Thursday (4). */
    int w = (int)((d % 7 + 7 + 3) % 7);
    return w + 1;
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Parses "YYYY-MM-DD" at the start of s; returns the number of bytes used or 0. */
static int parse_ymd_prefix(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return 0;
    if (!digits(s, 4, y) || !digits(s + 5, 2, m) || !digits(s + 8, 2, d))
        return 0;
    return 10;
}

int qz_date_parse(const char *s, qz_date *out, qz_err *err)
{
    int y, m, d;
    if (!s || parse_ymd_prefix(s, &y, &m, &d) != 10 || s[10] != '\0')
        return qz_err_set(err, QZ_EINPUT, "date.malformed", NULL, s);
    if (!qz_ymd_valid(y, m, d))
        return qz_err_set(err, QZ_EINPUT, "date.invalid", NULL, s);
    *out = qz_date_from_ymd(y, m, d);
    return 0;
}

char *qz_date_format(qz_date d, char *buf)
{
    qz_ymd v = qz_date_to_ymd(d);
    snprintf(buf, QZ_DATE_STR, "%04u-%02u-%02u", (unsigned)v.year % 10000u,
             (unsigned)v.month % 100u, (unsigned)v.day % 100u);
    return buf;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

qz_date qz_instant_date(qz_instant t, int offset_s)
{
    return (qz_date)floor_div(t + offset_s, 86400);
}

int qz_instant_second_of_day(qz_instant t, int offset_s)
{
    int64_t local = t + offset_s;
    return (int)(local - floor_div(local, 86400) * 86400);
}

qz_instant qz_instant_at(qz_date d, int sec, int offset_s)
{
    return (qz_instant)d * 86400 + sec - offset_s;
}

char *qz_instant_format(qz_instant t, int offset_s, char *buf)
{
    char date[QZ_DATE_STR];
    unsigned sod = (unsigned)qz_instant_second_of_day(t, offset_s) % 86400u;
    unsigned off = (unsigned)(offset_s < 0 ? -offset_s : offset_s) % 86400u;
    snprintf(buf, QZ_INSTANT_STR, "%.10sT%02u:%02u:%02u%c%02u:%02u",
             qz_date_format(qz_instant_date(t, offset_s), date), sod / 3600, sod / 60 % 60,
             sod % 60, offset_s < 0 ? '-' : '+', off / 3600 % 24, off / 60 % 60);
    return buf;
}

/* Parses an offset "Z", "+HH:MM", "+HHMM" or "+HH" filling the whole rest of s. */
static bool parse_offset(const char *s, int *out)
{
    int h, m = 0;
    size_t n = strlen(s);
    if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        *out = 0;
        return true;
    }
    if (s[0] != '+' && s[0] != '-')
        return false;
    if (n == 3 && digits(s + 1, 2, &h))
        ;
    else if (n == 6 && s[3] == ':' && digits(s + 1, 2, &h) && digits(s + 4, 2, &m))
        ;
    else if (n == 5 && digits(s + 1, 2, &h) && digits(s + 3, 2, &m))
        ;
    else
        return false;
    if (h > 14 || m > 59)
        return false;
    *out = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
    return true;
}

int qz_local_time_parse(const char *s, qz_local_time *out, qz_err *err)
{
    int y, mo, d, h, mi, se = 0;
    qz_local_time lt = {0};
    if (!s || !parse_ymd_prefix(s, &y, &mo, &d))
        return qz_err_set(err, QZ_EINPUT, "instant.malformed", NULL, s);
    const char *p = s + 10;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi))
            return qz_err_set(err, QZ_EINPUT, "instant.malformed", NULL, s);
        p += 5;
        if (*p == ':') {
            if (!digits(p + 1, 2, &se))
                return qz_err_set(err, QZ_EINPUT, "instant.malformed", NULL, s);
            p += 3;
        }
        if (h > 23 || mi > 59 || se > 59)
            return qz_err_set(err, QZ_EINPUT, "instant.malformed", NULL, s);
        lt.has_time = true;
        lt.second_of_day = h * 3600 + mi * 60 + se;
    }
    if (*p) {
        if (!lt.has_time || !parse_offset(p, &lt.offset_s))
            return qz_err_set(err, QZ_EINPUT, "instant.malformed", NULL, s);
        lt.has_offset = true;
    }
    if (!qz_ymd_valid(y, mo, d))
        return qz_err_set(err, QZ_EINPUT, "date.invalid", NULL, s);
    lt.date = qz_date_from_ymd(y, mo, d);
    *out = lt;
    return 0;
}

int qz_clock_parse(const char *s, int *out_sec, qz_err *err)
{
    int h, m;
    if (!s || strlen(s) != 5 || s[2] != ':' || !digits(s, 2, &h) || !digits(s + 3, 2, &m) ||
        m > 59 || h > 24 || (h == 24 && m != 0))
        return qz_err_set(err, QZ_EINPUT, "time.malformed", NULL, s);
    *out_sec = h * 3600 + m * 60;
    return 0;
}
