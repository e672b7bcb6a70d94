/*
 * calendar_load.h — reads the calendar from catalog/calendar/.
 *
 *   holidays.json   the holidays of the law, with the years they are in force
 *   kz-YYYY.json    one per year: lunar holiday dates (announced or "estimated"), the
 *                   moves of the act moving days off, and "pending" while that act is awaited
 *   served.json     how many years after the current one are served (optional: without it
 *                   only the years with files are)
 *   lunar-estimates.json  lunar holidays' dates computed in advance, each with its source
 *
 * Every year from the first file to the last must be there; a gap, a broken file
 * or an inconsistent entry is refused with the file, the field and the reason. The years
 * after the last file, up to the current year + years_ahead, are computed from the law
 * and the estimates, and are provisional (calendar.h).
 */
#ifndef QZ_CALENDAR_LOAD_H
#define QZ_CALENDAR_LOAD_H

#include "core/calendar.h"

/* Loads and builds the calendar of `dir` for the years served in `current_year`; NULL with
 * err on failure. Free with qz_calendar_free. */
qz_calendar *qz_calendar_load_at(const char *dir, int current_year, qz_err *err);

/* qz_calendar_load_at with the current year of the system clock (UTC). */
qz_calendar *qz_calendar_load(const char *dir, qz_err *err);

#endif
