/*
 * calendar_days.h — what the store remembers of the calendar its cases' dues were counted
 * with: one row per year served, the kind of each day ('w' a working day, 'o' a day off),
 * so that a change of the calendar data (an act moving days off published, Kurban Ait
 * announced) is found by comparing the loaded calendar with it (app/calendar_reload.h);
 * and the open cases such a change may move. Thread safe as the store is.
 */
#ifndef QZ_STORE_CALENDAR_DAYS_H
#define QZ_STORE_CALENDAR_DAYS_H

#include "store/store.h"

/* One year: `days` holds one letter per day from 1 January, 'w' or 'o'. */
typedef struct qz_calendar_days_row {
    int year;
    const char *days;
} qz_calendar_days_row;

/* The years remembered, by year, as *n rows in `a` (none before the first reload). */
int qz_store_calendar_days(qz_store *st, qz_arena *a, qz_calendar_days_row **out, size_t *n,
                           qz_err *err);

/* Remembers the n years of rows (replacing those of the same years), in one write. */
int qz_store_calendar_days_put(qz_store *st, const qz_calendar_days_row *rows, size_t n,
                               qz_instant now, qz_err *err);

/* The ids of the cases not ended (open or ready), by id, as *n ids in `a`. */
int qz_store_unended_case_ids(qz_store *st, qz_arena *a, int64_t **out, size_t *n, qz_err *err);

#endif
