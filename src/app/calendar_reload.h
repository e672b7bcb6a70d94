/*
 * calendar_reload.h — a use case of the application floor: after the calendar data changed
 * (an act moving days off published, Kurban Ait announced), the open cases whose dues
 * cross a changed day are counted again. Run by `qyzmet calendar reload --db PATH` and at
 * the start of `qyzmet serve`.
 *
 * The store remembers the calendar the dues were counted with (store/calendar_days.h).
 * The loaded calendar is compared with it day by day; when days changed, every case not
 * ended is counted again (core/engine.h, qz_engine_recount_dues: a due is never brought
 * earlier), and each case whose binding or step due moved is written with one event
 * "due_moved" naming the reason: the source of the changed days it crosses (the act's
 * number and date, or the announcement). Nothing else of the case changes. The applicant
 * is told of a moved binding date in the same write (app/write.h, app/notify.h). Then the
 * loaded calendar is remembered. A store that remembers no calendar yet only remembers
 * this one.
 *
 * Not reentrant: run it once at a time per store (start-up, or the command).
 */
#ifndef QZ_APP_CALENDAR_RELOAD_H
#define QZ_APP_CALENDAR_RELOAD_H

#include "app/app.h"
#include "core/engine.h"
#include "store/store.h"

/* What a reload found and did. */
typedef struct qz_reload_report {
    bool first;          /* the store remembered no calendar: remembered now, nothing counted */
    size_t days_changed; /* days whose kind changed, over the years both calendars serve */
    size_t cases_checked, cases_moved;
    size_t cases_failed;  /* cases the calendar cannot count (a due past the years served):
                             left as they were */
    int64_t first_failed; /* the first of them, and why */
    qz_err failed_err;
} qz_reload_report;

/* Reloads at `now` with the calendar of app->rules; 0 with *out filled (a case the calendar
 * can no longer count is left as it was and counted in cases_failed), or -1 with err (a
 * store error). */
int qz_calendar_reload(const qz_app *app, qz_instant now, qz_reload_report *out, qz_err *err);

#endif
