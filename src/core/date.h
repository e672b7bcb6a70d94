/*
 * date.h — civil dates and instants, without time zones or the C library's locale.
 *
 * A date is `qz_date`: days since 1970-01-01 in the proleptic Gregorian calendar.
 * An instant is `qz_instant`: seconds since 1970-01-01T00:00:00Z. Conversions are
 * pure arithmetic (Howard Hinnant's civil algorithms), valid for years 1..9999.
 * Parsing is strict: a string that is not exactly the format, or names a day that
 * does not exist (2023-02-29), is refused with a message key.
 */
#ifndef QZ_DATE_H
#define QZ_DATE_H

#include "core/err.h"

#include <stdbool.h>
#include <stdint.h>

typedef int32_t qz_date;
typedef int64_t qz_instant;

typedef struct qz_ymd {
    int year, month, day; /* month 1..12, day 1..31 */
} qz_ymd;

enum { QZ_DATE_STR = 11 };    /* "YYYY-MM-DD" and NUL */
enum { QZ_INSTANT_STR = 26 }; /* "YYYY-MM-DDTHH:MM:SS+HH:MM" and NUL */

/* Returns true when year/month/day name a real day of years 1..9999. */
bool qz_ymd_valid(int year, int month, int day);

/* Returns the date of a valid y/m/d (the caller checks with qz_ymd_valid). */
qz_date qz_date_from_ymd(int year, int month, int day);

/* Returns the y/m/d of a date. */
qz_ymd qz_date_to_ymd(qz_date d);

/* Returns the ISO weekday: 1 = Monday … 7 = Sunday. */
int qz_date_weekday(qz_date d);

/* Returns true for days in a leap year's calendar sense. */
bool qz_is_leap(int year);

/* Parses exactly "YYYY-MM-DD"; 0 on success, else -1 with key date.malformed or date.invalid. */
int qz_date_parse(const char *s, qz_date *out, qz_err *err);

/* Writes "YYYY-MM-DD" into buf (at least QZ_DATE_STR bytes). Returns buf. */
char *qz_date_format(qz_date d, char *buf);

/* Returns the date on which `t` falls at the given UTC offset (seconds east). */
qz_date qz_instant_date(qz_instant t, int offset_s);

/* Returns seconds since local midnight of `t` at the given offset. */
int qz_instant_second_of_day(qz_instant t, int offset_s);

/* Returns the instant of local `sec` seconds after midnight of `d` at `offset_s`. */
qz_instant qz_instant_at(qz_date d, int sec, int offset_s);

/* Writes "YYYY-MM-DDTHH:MM:SS+HH:MM" for `t` shown at `offset_s` (QZ_INSTANT_STR bytes). */
char *qz_instant_format(qz_instant t, int offset_s, char *buf);

/*
 * A parsed local time: the date, the seconds after midnight, and the offset when
 * the text carried one ("Z", "+05:00", "+0500"). Forms accepted:
 * YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS, each optionally followed by
 * an offset; a space may stand for the T. A bare date has has_time = false.
 */
typedef struct qz_local_time {
    qz_date date;
    int second_of_day;
    bool has_time;
    bool has_offset;
    int offset_s;
} qz_local_time;

/* Parses a local time as above; -1 with key instant.malformed or date.invalid. */
int qz_local_time_parse(const char *s, qz_local_time *out, qz_err *err);

/* Parses "HH:MM" into seconds after midnight (24:00 allowed); -1 with key time.malformed. */
int qz_clock_parse(const char *s, int *out_sec, qz_err *err);

#endif
