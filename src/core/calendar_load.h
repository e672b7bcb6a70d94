/*
 * calendar_load.h — reads the calendar from catalog/calendar/.
 *
 *   holidays.json   the holidays of the law, with the years they are in force
 *   kz-YYYY.json    one per year: lunar holiday dates and the decree's moves
 *
 * Every year from the first file to the last must be there; a gap, a broken file
 * or an inconsistent entry is refused with the file, the field and the reason.
 */
#ifndef QZ_CALENDAR_LOAD_H
#define QZ_CALENDAR_LOAD_H

#include "core/calendar.h"

/* Loads and builds the calendar of `dir`; NULL with err on failure. Free with
 * qz_calendar_free. */
qz_calendar *qz_calendar_load(const char *dir, qz_err *err);

#endif
