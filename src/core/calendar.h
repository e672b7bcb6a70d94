/*
 * calendar.h — Kazakhstan's working days, built from data.
 *
 * The calendar is built once from a qz_calendar_spec (holiday rules, lunar dates
 * and the government's yearly moves; calendar_load.h reads them from catalog/calendar)
 * and is immutable afterwards: every query is O(1), answered from a per-day table
 * and prefix counts of working days, and safe from any number of threads.
 *
 * A working day is a Monday–Friday that is not a holiday, not the day off a holiday
 * on a weekend moved to, and not made a day off by decree; or a Saturday/Sunday
 * made a working day by decree. The rule that a holiday on a weekend moves its day
 * off to the next working day holds for holidays marked moves_on_weekend.
 *
 * A year is confirmed when its file has the act moving days off (or says there is none)
 * and the announced lunar dates; it is provisional when the act is still pending, a lunar
 * date is an estimate, or the year has no file at all and is computed from the law (the
 * holidays in force, the weekend rule) and the table of estimates. Provisional days answer
 * like any other; qz_calendar_year_state says what is missing, so that callers can say the
 * due date may move. Dates outside the years served are refused with key
 * calendar.year_not_covered: the calendar never guesses past the years it serves.
 */
#ifndef QZ_CALENDAR_H
#define QZ_CALENDAR_H

#include "core/date.h"
#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>

enum { QZ_HOLIDAY_MAX_DATES = 4 };

/* A public holiday as the law defines it; strings are borrowed during qz_calendar_build. */
typedef struct qz_holiday {
    const char *code;    /* "new-year" */
    const char *name[3]; /* by qz_lang: kk, ru, en */
    bool lunar;          /* its date comes from each year's data */
    int n_dates;
    struct {
        int month, day;
    } dates[QZ_HOLIDAY_MAX_DATES];
    bool moves_on_weekend; /* on Saturday/Sunday, the day off moves to the next working day */
    qz_date from, until;   /* in force on these dates, inclusive; QZ_DATE_MIN/MAX when open */
    const char *source;
} qz_holiday;

/* A date a lunar holiday falls on in one year. */
typedef struct qz_lunar_date {
    const char *code; /* the qz_holiday code */
    qz_date date;
    const char *source;
    bool estimated; /* computed in advance, not yet announced */
} qz_lunar_date;

/* A decree's move of one day: a weekday becomes a day off, or a weekend day (or a weekday
 * that received a holiday's day off by the weekend rule) a working day. */
typedef struct qz_day_move {
    qz_date date;
    bool working; /* true: becomes a working day; false: becomes a day off */
    const char *source;
} qz_day_move;

typedef struct qz_calendar_year {
    int year;
    const char *file;    /* where it came from, for messages; may be NULL */
    bool computed;       /* no file of its own: the law and the estimates only */
    const char *pending; /* what is awaited about the act moving days off; NULL when none */
    const qz_lunar_date *lunar;
    size_t n_lunar;
    const qz_day_move *moves;
    size_t n_moves;
} qz_calendar_year;

typedef struct qz_calendar_spec {
    const char *file;   /* the holiday rules' file, for messages; may be NULL */
    const char *source; /* the law behind the weekend rule */
    const qz_holiday *holidays;
    size_t n_holidays;
    const qz_calendar_year *years; /* one per year, consecutive, any order */
    size_t n_years;
} qz_calendar_spec;

#define QZ_DATE_MIN INT32_MIN
#define QZ_DATE_MAX INT32_MAX

typedef enum qz_day_kind {
    QZ_DAY_WORKING,       /* an ordinary Monday–Friday */
    QZ_DAY_WORKING_MOVED, /* a weekend day, or a holiday's moved day off, made working by decree */
    QZ_DAY_WEEKEND,       /* Saturday or Sunday */
    QZ_DAY_HOLIDAY,       /* a public holiday */
    QZ_DAY_TRANSFERRED,   /* the day off of a holiday that fell on a weekend */
    QZ_DAY_MOVED_OFF,     /* a weekday made a day off by decree */
} qz_day_kind;

/* Why a day is what it is; strings are borrowed from the calendar. */
typedef struct qz_day_info {
    qz_day_kind kind;
    const qz_holiday *holiday; /* HOLIDAY and TRANSFERRED: the holiday; else NULL */
    qz_date holiday_date;      /* TRANSFERRED: the weekend date of the holiday */
    const char *source;        /* the law, decree or announcement behind it; NULL for plain days */
    bool estimated;            /* HOLIDAY: a lunar date not yet announced */
    bool provisional;          /* its year is provisional (qz_calendar_year_state) */
} qz_day_info;

/* What the data holds about one year. */
typedef struct qz_year_state {
    int year;
    const char *file;     /* its kz-YYYY.json; NULL when computed */
    bool computed;        /* no file: computed from the holidays in force and the estimates */
    bool moves_pending;   /* the act moving days off is not in the data */
    const char *pending;  /* the file's note on the awaited act, or NULL */
    bool lunar_estimated; /* a lunar holiday's date is an estimate */
    qz_date estimated_on; /* the first such date, when lunar_estimated */
} qz_year_state;

typedef struct qz_calendar qz_calendar;

/* Builds a calendar; NULL with err (file and field named) when the spec is inconsistent.
 * Copies what it keeps; free with qz_calendar_free. */
qz_calendar *qz_calendar_build(const qz_calendar_spec *spec, qz_err *err);

void qz_calendar_free(qz_calendar *cal);

/* The first and last year the calendar covers. */
int qz_calendar_first_year(const qz_calendar *cal);
int qz_calendar_last_year(const qz_calendar *cal);

/* What the data holds about `year`; calendar.year_not_covered outside the years served. */
int qz_calendar_year_state(const qz_calendar *cal, int year, qz_year_state *out, qz_err *err);

/* True when the year's days may still change: computed, act pending or a lunar estimate. */
bool qz_year_state_provisional(const qz_year_state *s);

/* True when d lies in a provisional year (false outside the years served). */
bool qz_calendar_provisional(const qz_calendar *cal, qz_date d);

/* True when the day is a working day; -1 with calendar.year_not_covered outside the data. */
int qz_calendar_is_working(const qz_calendar *cal, qz_date d, bool *out, qz_err *err);

/* Fills what the day is and why. */
int qz_calendar_day(const qz_calendar *cal, qz_date d, qz_day_info *out, qz_err *err);

/* The date n working days after d (d not counted); n = 0 gives d; n < 0 counts back
 * (-1: the last working day before d). */
int qz_calendar_add(const qz_calendar *cal, qz_date d, int n, qz_date *out, qz_err *err);

/* The number of working days after a up to and including b (negative when b < a). */
int qz_calendar_between(const qz_calendar *cal, qz_date a, qz_date b, int *out, qz_err *err);

/* The first working day on or after d. */
int qz_calendar_next_working(const qz_calendar *cal, qz_date d, qz_date *out, qz_err *err);

/* Returns the holiday with this code, or NULL. */
const qz_holiday *qz_calendar_holiday(const qz_calendar *cal, const char *code);

/* The source of the weekend rule (the Labour Code article). */
const char *qz_calendar_weekend_rule_source(const qz_calendar *cal);

#endif
