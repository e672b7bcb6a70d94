#include "core/term.h"

static qz_date local_date(const qz_unit_time *u, qz_instant t)
{
    return qz_instant_date(t, qz_zone_offset(u->zone, t));
}

static int due_in_business_time(const qz_unit_time *u, const qz_term *t, qz_due *d, qz_err *err)
{
    int64_t seconds = (int64_t)t->amount * (t->unit == QZ_TERM_HOURS ? 3600 : 60);
    if (qz_schedule_add(u, d->accepted, seconds, &d->due, err))
        return -1;
    d->last_day = local_date(u, d->due);
    if (t->same_day && d->last_day != d->first_day) {
        qz_instant close;
        if (qz_schedule_close(u, d->first_day, &close, err))
            return -1;
        d->due = close;
        d->last_day = d->first_day;
    }
    return 0;
}

static int due_in_working_days(const qz_unit_time *u, const qz_term *t, qz_due *d, qz_err *err)
{
    bool working;
    int n = t->amount;
    if (t->first_day_counts && n > 0) {
        if (qz_calendar_is_working(u->cal, d->first_day, &working, err))
            return -1;
        n -= working;
    }
    if (qz_calendar_add(u->cal, d->first_day, n, &d->last_day, err))
        return -1;
    return qz_schedule_close(u, d->last_day, &d->due, err);
}

static int due_in_calendar_days(const qz_unit_time *u, const qz_term *t, qz_due *d, qz_err *err)
{
    int n = t->amount - (t->first_day_counts && t->amount > 0);
    d->last_day = d->first_day + n;
    if (t->last_day_off_rolls && qz_calendar_next_working(u->cal, d->last_day, &d->last_day, err))
        return -1;
    return qz_schedule_close(u, d->last_day, &d->due, err);
}

qz_instant qz_term_add_months(const qz_zone *z, qz_instant t, int months)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int off = qz_zone_offset(z, t);
    qz_ymd d = qz_date_to_ymd(qz_instant_date(t, off));
    int m = d.month - 1 + months;
    d.year += m / 12;
    d.month = m % 12 + 1;
    int last = days[d.month - 1] + (d.month == 2 && qz_is_leap(d.year));
    if (d.day > last)
        d.day = last;
    return qz_zone_instant(z, qz_date_from_ymd(d.year, d.month, d.day),
                           qz_instant_second_of_day(t, off));
}

/* Calendar months from the instant received: no opening hours, no working days. */
static void due_in_months(const qz_unit_time *u, const qz_term *t, qz_due *d)
{
    d->accepted = d->received;
    d->first_day = local_date(u, d->received);
    d->due = qz_term_add_months(u->zone, d->received, t->amount);
    d->last_day = local_date(u, d->due);
}

int qz_term_due(const qz_unit_time *u, const qz_term *t, qz_instant received, qz_due *out,
                qz_err *err)
{
    qz_due d = {.received = received};
    if (t->amount < 0)
        return qz_err_setf(err, QZ_EINPUT, "term.negative", NULL, "%d", t->amount);
    if (t->unit == QZ_TERM_MONTHS) {
        due_in_months(u, t, &d);
        *out = d;
        return 0;
    }
    if (qz_schedule_next_open(u, received, &d.accepted, err))
        return -1;
    d.first_day = local_date(u, d.accepted);
    int rc;
    switch (t->unit) {
    case QZ_TERM_MINUTES:
    case QZ_TERM_HOURS:
        rc = due_in_business_time(u, t, &d, err);
        break;
    case QZ_TERM_WD:
        rc = due_in_working_days(u, t, &d, err);
        break;
    case QZ_TERM_CD:
        rc = due_in_calendar_days(u, t, &d, err);
        break;
    default:
        return qz_err_set(err, QZ_EINTERNAL, "term.unit_unknown", NULL, NULL);
    }
    if (rc == 0)
        *out = d;
    return rc;
}

int qz_term_day_before(const qz_unit_time *u, qz_instant due, qz_instant *out, qz_err *err)
{
    qz_date prev;
    if (qz_calendar_add(u->cal, local_date(u, due), -1, &prev, err))
        return -1;
    return qz_schedule_close(u, prev, out, err);
}

const char *qz_term_unit_name(qz_term_unit unit)
{
    switch (unit) {
    case QZ_TERM_MINUTES:
        return "minutes";
    case QZ_TERM_HOURS:
        return "hours";
    case QZ_TERM_WD:
        return "wd";
    case QZ_TERM_CD:
        return "cd";
    case QZ_TERM_MONTHS:
        return "months";
    }
    return "?";
}
