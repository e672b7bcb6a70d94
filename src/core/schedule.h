/*
 * schedule.h — a unit's working hours, and business time inside them.
 *
 * A schedule gives the open spans of each weekday (a lunch break is the gap between
 * two spans) and of a weekend day the government made a working day. On the
 * calendar's days off (holidays, their moved days, decree days off) every unit is
 * closed; on an ordinary Saturday only a schedule with Saturday hours (a PSC duty
 * department) is open. Data: catalog/schedules.json (schedule_load.h).
 *
 * Business time counts seconds only while the unit is open. The functions walk
 * the open spans between two instants, so they cost O(days spanned); they are
 * meant for terms in minutes and hours. Working-day terms use the calendar's O(1)
 * arithmetic and only read the closing time of one day.
 */
#ifndef QZ_SCHEDULE_H
#define QZ_SCHEDULE_H

#include "core/calendar.h"
#include "core/zone.h"

#include <stdbool.h>

enum { QZ_SCHEDULE_MAX_SPANS = 4 };

typedef struct qz_day_hours {
    int n;
    struct {
        int open, close; /* seconds after local midnight, open < close <= 86400 */
    } spans[QZ_SCHEDULE_MAX_SPANS];
} qz_day_hours;

typedef struct qz_schedule {
    const char *code;             /* "psc", "psc-duty", "prosecutor-committee" */
    const char *name[3];          /* kk, ru, en */
    qz_day_hours week[7];         /* Monday … Sunday */
    qz_day_hours working_weekend; /* a Saturday or Sunday made working by decree */
    const char *source;
} qz_schedule;

/* Where business time runs: whose calendar, whose hours, which clock. Borrowed. */
typedef struct qz_unit_time {
    const qz_calendar *cal;
    const qz_schedule *sched;
    const qz_zone *zone;
} qz_unit_time;

/* The unit's open hours on date d (none on the calendar's days off). */
int qz_schedule_hours(const qz_unit_time *u, qz_date d, qz_day_hours *out, qz_err *err);

/* The first instant at or after t when the unit is open. */
int qz_schedule_next_open(const qz_unit_time *u, qz_instant t, qz_instant *out, qz_err *err);

/* The instant when `seconds` of open time have passed since t. */
int qz_schedule_add(const qz_unit_time *u, qz_instant t, int64_t seconds, qz_instant *out,
                    qz_err *err);

/* The instant the unit closes on date d; on a day it is closed, the end of the day. */
int qz_schedule_close(const qz_unit_time *u, qz_date d, qz_instant *out, qz_err *err);

#endif
