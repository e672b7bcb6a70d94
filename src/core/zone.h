/*
 * zone.h — a place's UTC offset and its history.
 *
 * Kazakhstan moved to one time zone, UTC+5, on 1 March 2024; before that the east
 * (Astana, Almaty and most regions) kept UTC+6. A zone is a list of periods, each
 * with the offset in force until an instant; the data (catalog/calendar/zones.json,
 * loaded by schedule_load.h) follows tzdata's names. Instants are stored in UTC and
 * shown with the offset in force at that instant.
 */
#ifndef QZ_ZONE_H
#define QZ_ZONE_H

#include "core/date.h"

#include <stddef.h>

enum { QZ_ZONE_MAX_PERIODS = 8 };

typedef struct qz_zone {
    const char *code; /* "Asia/Almaty" */
    size_t n;         /* periods in order; the last one has until = QZ_INSTANT_MAX */
    struct {
        qz_instant until; /* exclusive */
        int offset_s;     /* seconds east of UTC */
    } periods[QZ_ZONE_MAX_PERIODS];
} qz_zone;

#define QZ_INSTANT_MAX INT64_MAX

/* Returns the offset in force at instant t. */
int qz_zone_offset(const qz_zone *z, qz_instant t);

/* Returns the instant of local time `sec` after midnight of `d`; where clocks went
 * back and the local time happened twice, the earlier instant. */
qz_instant qz_zone_instant(const qz_zone *z, qz_date d, int sec);

#endif
