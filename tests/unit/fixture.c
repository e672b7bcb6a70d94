#include "fixture.h"

#include <stdlib.h>
#include <string.h>

qz_date D(int y, int m, int d)
{
    return qz_date_from_ymd(y, m, d);
}

qz_instant T(int y, int mo, int d, int h, int mi, int offset_h)
{
    return qz_instant_at(D(y, mo, d), h * 3600 + mi * 60, offset_h * 3600);
}

static qz_holiday fixed(const char *code, int m, int d, int n, bool moves)
{
    qz_holiday h = {.code = code,
                    .name = {code, code, code},
                    .n_dates = n,
                    .moves_on_weekend = moves,
                    .from = QZ_DATE_MIN,
                    .until = QZ_DATE_MAX,
                    .source = "fixture"};
    for (int i = 0; i < n; i++) {
        h.dates[i].month = m;
        h.dates[i].day = d + i;
    }
    return h;
}

void fixture_spec_init(fixture_spec *f)
{
    memset(f, 0, sizeof *f);
    f->holidays[0] = fixed("new-year", 1, 1, 2, true);
    f->holidays[1] = fixed("christmas", 1, 7, 1, false);
    f->holidays[2] = fixed("nauryz", 3, 21, 3, true);
    f->holidays[3] = fixed("republic", 10, 25, 1, true);
    f->holidays[3].from = D(2022, 1, 1);
    f->holidays[4] = fixed("first-president", 12, 1, 1, true);
    f->holidays[4].until = D(2021, 12, 31);
    f->holidays[5] = fixed("independence", 12, 16, 1, true);
    f->holidays[6] = (qz_holiday){.code = "kurban",
                                  .name = {"kurban", "kurban", "kurban"},
                                  .lunar = true,
                                  .from = QZ_DATE_MIN,
                                  .until = QZ_DATE_MAX,
                                  .source = "fixture"};
    static const int kurban[4][3] = {{2023, 6, 28}, {2024, 6, 16}, {2025, 6, 6}, {2026, 5, 27}};
    for (int i = 0; i < 4; i++) {
        f->lunar[i] = (qz_lunar_date){.code = "kurban",
                                      .date = D(kurban[i][0], kurban[i][1], kurban[i][2]),
                                      .source = "fixture announcement"};
        f->years[i] = (qz_calendar_year){
            .year = 2023 + i, .file = "fixture-year", .lunar = &f->lunar[i], .n_lunar = 1};
    }
    f->moves[0] = (qz_day_move){D(2025, 1, 3), false, "fixture decree"};
    f->moves[1] = (qz_day_move){D(2025, 1, 5), true, "fixture decree"};
    f->years[2].moves = f->moves;
    f->years[2].n_moves = 2;
    f->spec = (qz_calendar_spec){.file = "fixture",
                                 .source = "fixture weekend rule",
                                 .holidays = f->holidays,
                                 .n_holidays = 7,
                                 .years = f->years,
                                 .n_years = 4};
}

qz_calendar *fixture_calendar(void)
{
    fixture_spec f;
    qz_err err;
    fixture_spec_init(&f);
    qz_calendar *cal = qz_calendar_build(&f.spec, &err);
    if (!cal)
        abort(); /* the fixture itself is broken: no test can mean anything */
    return cal;
}

#define SPAN(h1, m1, h2, m2)                                                                       \
    {                                                                                              \
        (h1) * 3600 + (m1)*60, (h2)*3600 + (m2)*60                                                 \
    }
#define DAY1(a)                                                                                    \
    {                                                                                              \
        .n = 1, .spans = { a }                                                                     \
    }
#define DAY2(a, b)                                                                                 \
    {                                                                                              \
        .n = 2, .spans = { a, b }                                                                  \
    }

const qz_schedule fixture_psc = {.code = "psc",
                                 .name = {"psc", "psc", "psc"},
                                 .week = {DAY1(SPAN(9, 0, 18, 0)), DAY1(SPAN(9, 0, 18, 0)),
                                          DAY1(SPAN(9, 0, 18, 0)), DAY1(SPAN(9, 0, 18, 0)),
                                          DAY1(SPAN(9, 0, 18, 0))},
                                 .working_weekend = DAY1(SPAN(9, 0, 18, 0)),
                                 .source = "fixture"};

const qz_schedule fixture_duty = {.code = "psc-duty",
                                  .name = {"duty", "duty", "duty"},
                                  .week = {DAY1(SPAN(9, 0, 20, 0)), DAY1(SPAN(9, 0, 20, 0)),
                                           DAY1(SPAN(9, 0, 20, 0)), DAY1(SPAN(9, 0, 20, 0)),
                                           DAY1(SPAN(9, 0, 20, 0)), DAY1(SPAN(9, 0, 13, 0))},
                                  .working_weekend = DAY1(SPAN(9, 0, 20, 0)),
                                  .source = "fixture"};

const qz_schedule fixture_prosecutor = {.code = "prosecutor-committee",
                                        .name = {"pc", "pc", "pc"},
                                        .week = {DAY2(SPAN(9, 0, 13, 0), SPAN(14, 30, 18, 30)),
                                                 DAY2(SPAN(9, 0, 13, 0), SPAN(14, 30, 18, 30)),
                                                 DAY2(SPAN(9, 0, 13, 0), SPAN(14, 30, 18, 30)),
                                                 DAY2(SPAN(9, 0, 13, 0), SPAN(14, 30, 18, 30)),
                                                 DAY2(SPAN(9, 0, 13, 0), SPAN(14, 30, 18, 30))},
                                        .working_weekend =
                                            DAY2(SPAN(9, 0, 13, 0), SPAN(14, 30, 18, 30)),
                                        .source = "fixture"};

const qz_zone fixture_kz5 = {.code = "kz5", .n = 1, .periods = {{QZ_INSTANT_MAX, 5 * 3600}}};

/* UTC+6 until 2024-03-01T00:00+06:00 (= 2024-02-29T18:00Z), then UTC+5. */
const qz_zone fixture_east = {
    .code = "east",
    .n = 2,
    .periods = {{19782 * 86400LL + 18 * 3600, 6 * 3600}, {QZ_INSTANT_MAX, 5 * 3600}}};
