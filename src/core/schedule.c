#include "core/schedule.h"

int qz_schedule_hours(const qz_unit_time *u, qz_date d, qz_day_hours *out, qz_err *err)
{
    qz_day_info info;
    if (qz_calendar_day(u->cal, d, &info, err))
        return -1;
    switch (info.kind) {
    case QZ_DAY_WORKING:
    case QZ_DAY_WEEKEND:
        *out = u->sched->week[qz_date_weekday(d) - 1];
        break;
    case QZ_DAY_WORKING_MOVED:
        *out = qz_date_weekday(d) <= 5 ? u->sched->week[qz_date_weekday(d) - 1]
                                       : u->sched->working_weekend;
        break;
    default:
        out->n = 0;
        break;
    }
    return 0;
}

/* The local date of t in the unit's zone. */
static qz_date local_date(const qz_unit_time *u, qz_instant t)
{
    return qz_instant_date(t, qz_zone_offset(u->zone, t));
}

/*
 * Finds the open span that contains t or comes first after it: fills its start
 * (not before t) and end. Walks day by day; the calendar's range bounds the walk.
 */
static int span_from(const qz_unit_time *u, qz_instant t, qz_instant *start, qz_instant *end,
                     qz_err *err)
{
    for (qz_date d = local_date(u, t);; d++) {
        qz_day_hours h;
        if (qz_schedule_hours(u, d, &h, err))
            return -1;
        for (int i = 0; i < h.n; i++) {
            qz_instant o = qz_zone_instant(u->zone, d, h.spans[i].open);
            qz_instant c = qz_zone_instant(u->zone, d, h.spans[i].close);
            if (c > t) {
                *start = o > t ? o : t;
                *end = c;
                return 0;
            }
        }
    }
}

int qz_schedule_next_open(const qz_unit_time *u, qz_instant t, qz_instant *out, qz_err *err)
{
    qz_instant end;
    return span_from(u, t, out, &end, err);
}

int qz_schedule_add(const qz_unit_time *u, qz_instant t, int64_t seconds, qz_instant *out,
                    qz_err *err)
{
    qz_instant start, end;
    for (;;) {
        if (span_from(u, t, &start, &end, err))
            return -1;
        if (end - start >= seconds) {
            *out = start + seconds;
            return 0;
        }
        seconds -= end - start;
        t = end;
    }
}

int qz_schedule_close(const qz_unit_time *u, qz_date d, qz_instant *out, qz_err *err)
{
    qz_day_hours h;
    if (qz_schedule_hours(u, d, &h, err))
        return -1;
    *out = qz_zone_instant(u->zone, d, h.n ? h.spans[h.n - 1].close : 86400);
    return 0;
}
