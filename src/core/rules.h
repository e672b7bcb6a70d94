/*
 * rules.h — everything qyzmet reads from catalog/ at start: the calendar, the units'
 * schedules and time zones, the service catalogue, the complaint terms and the MCI. Loaded once,
 * immutable, shared by every thread; the engine, the commands and the server borrow from it.
 */
#ifndef QZ_RULES_H
#define QZ_RULES_H

#include "core/calendar.h"
#include "core/catalog.h"
#include "core/complaint.h"
#include "core/fee.h"
#include "core/schedule_load.h"

typedef struct qz_rules {
    qz_calendar *cal;
    qz_timetable *tt;
    qz_catalog *cat;
    qz_complaint_terms complaints; /* catalog/complaints.json */
    qz_mci mci;                    /* catalog/mci.json: the tenge an MCI is worth by date */
} qz_rules;

/* Loads the catalogue folder `dir`; on failure err names the file, field and reason,
 * and *out holds nothing to free. With `report`, every broken service file is
 * reported (see qz_catalog_load). A service version whose days the calendar does not
 * serve (in force before its first year, or until after its last) is refused:
 * catalog.version_not_covered. Free with qz_rules_free. */
int qz_rules_load(const char *dir, qz_catalog_report report, void *report_ctx, qz_rules *out,
                  qz_err *err);

/* qz_rules_load serving the calendar's years from `current_year` (0: the system clock's),
 * as `serve` does with its own clock (calendar_load.h). */
int qz_rules_load_at(const char *dir, int current_year, qz_catalog_report report, void *report_ctx,
                     qz_rules *out, qz_err *err);

void qz_rules_free(qz_rules *r);

#endif
