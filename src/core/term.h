/*
 * term.h — legal terms and the instants they end.
 *
 * A term is an amount of minutes, hours, working days, calendar days or calendar
 * months, with the rules the regulations attach to it:
 *  - the clock starts when the unit is next open: a request made after hours, on a
 *    weekend or a holiday (the portal's rule, seed 004 standard row 7) is accepted
 *    at the opening of the next working day, and a day term counts from that day;
 *  - "the day of acceptance does not count" (seed 004 standard row 3): a day term
 *    of N ends at the close of the N-th working (or calendar) day after it;
 *  - "on the day received": a minute or hour term that never runs past that day's
 *    closing time, even when the work is not done (then the step is overdue);
 *  - a calendar-day term whose last day is a day off ends at the close of the next
 *    working day (the Civil Code's general rule; not in the seeds, so a flag);
 *  - "no later than one day before the term ends": qz_term_day_before.
 * The due instant of a day term is the unit's closing time on its last day.
 * A month term (how long an uncollected result is kept, seed 002 item 20) is calendar
 * time, not business time: it counts from the instant received, whatever the unit's
 * hours, and ends at the same local time N calendar months later (qz_term_add_months).
 */
#ifndef QZ_TERM_H
#define QZ_TERM_H

#include "core/schedule.h"

typedef enum qz_term_unit {
    QZ_TERM_MINUTES,
    QZ_TERM_HOURS,
    QZ_TERM_WD,     /* working days */
    QZ_TERM_CD,     /* calendar days */
    QZ_TERM_MONTHS, /* calendar months */
} qz_term_unit;

typedef struct qz_term {
    qz_term_unit unit;
    int amount;
    bool same_day;           /* "on the day received" (minutes and hours) */
    bool first_day_counts;   /* false: "the day of acceptance does not count" */
    bool last_day_off_rolls; /* calendar days: a last day off rolls to the next working day */
    const char *source;      /* where the regulation says so; borrowed */
} qz_term;

/* What counting a term found: when the clock started, and the term's last day and end. */
typedef struct qz_due {
    qz_instant received; /* as given */
    qz_instant accepted; /* when the clock started (the unit's next open instant) */
    qz_date first_day;   /* the local date of `accepted` */
    qz_date last_day;    /* the day the term ends */
    qz_instant due;      /* the instant the term ends */
} qz_due;

/* Computes when a term received at `received` ends in unit `u`. */
int qz_term_due(const qz_unit_time *u, const qz_term *t, qz_instant received, qz_due *out,
                qz_err *err);

/* The close of the last working day before the day `due` falls on ("no later than one
 * day before the term ends"). */
int qz_term_day_before(const qz_unit_time *u, qz_instant due, qz_instant *out, qz_err *err);

/* The instant `months` (>= 0) calendar months after t, at the same local time in zone z:
 * the same day of the month, or the month's last day when it has fewer (31 January and
 * a month: the last day of February). The offset is the one in force at the result. */
qz_instant qz_term_add_months(const qz_zone *z, qz_instant t, int months);

/* Returns "minutes", "hours", "wd", "cd" or "months". */
const char *qz_term_unit_name(qz_term_unit unit);

#endif
