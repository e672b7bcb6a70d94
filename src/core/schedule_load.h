/*
 * schedule_load.h — reads the units' working hours (catalog/schedules.json) and
 * the time zones (catalog/calendar/zones.json).
 *
 * schedules.json: {"schedules": [{"code", "name": {kk, ru, en}, "hours": {DAY: ["HH:MM-HH:MM", …]},
 * "source"}]}, DAY one of mon … sun, "mon-fri", "working-weekend" (hours on a weekend day
 * made working by decree; Monday's hours when absent).
 * zones.json: {"default": CODE, "zones": [{"code", "offsets": [{"offset": "+06:00",
 * "until": "YYYY-MM-DDTHH:MM+06:00"}, …, {"offset": "+05:00"}], "source"}]}.
 */
#ifndef QZ_SCHEDULE_LOAD_H
#define QZ_SCHEDULE_LOAD_H

#include "core/schedule.h"

typedef struct qz_timetable qz_timetable;

/* Loads both files; NULL with err (file, field, reason). Free with qz_timetable_free. */
qz_timetable *qz_timetable_load(const char *schedules_path, const char *zones_path, qz_err *err);

void qz_timetable_free(qz_timetable *t);

/* The schedule or zone with this code, or NULL with err (schedule.unknown, zone.unknown). */
const qz_schedule *qz_timetable_schedule(const qz_timetable *t, const char *code, qz_err *err);
const qz_zone *qz_timetable_zone(const qz_timetable *t, const char *code, qz_err *err);

/* The zone used when none is named. */
const qz_zone *qz_timetable_default_zone(const qz_timetable *t);

#endif
