/*
 * fixture.h — a small, hand-made calendar (2023–2026) and schedules for unit tests,
 * so that every expected date can be worked out by hand from this file alone.
 *
 * Holidays: 1–2 Jan (moves), 7 Jan (religious, never moves), 21–23 Mar (moves),
 * 25 Oct from 2022 (moves), 1 Dec until 2021 (moves), 16 Dec (moves), Kurban Ait
 * (lunar, never moves: 2023-06-28, 2024-06-16 Sunday, 2025-06-06, 2026-05-27).
 * Decree moves, 2025 only: Fri 3 Jan becomes a day off, Sun 5 Jan a working day.
 */
#ifndef QZ_TEST_FIXTURE_H
#define QZ_TEST_FIXTURE_H

#include "core/calendar.h"
#include "core/schedule.h"

#include <stdbool.h>

qz_calendar *fixture_calendar(void);

/* Builds the fixture's spec with `mutate` applied to a copy, for error tests. */
typedef struct fixture_spec {
    qz_holiday holidays[8];
    qz_lunar_date lunar[4];
    qz_day_move moves[2];
    qz_calendar_year years[4];
    qz_calendar_spec spec;
} fixture_spec;

void fixture_spec_init(fixture_spec *f);

qz_date D(int y, int m, int d);

/* An instant from local time at a fixed offset in hours. */
qz_instant T(int y, int mo, int d, int h, int mi, int offset_h);

extern const qz_schedule fixture_psc, fixture_duty, fixture_prosecutor;
extern const qz_zone fixture_kz5, fixture_east;

#endif
