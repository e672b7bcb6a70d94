/* Working-day arithmetic on the hand-made fixture calendar (fixture.h), and the
 * building rules: the weekend rule, its religious exceptions, decree moves, and
 * every way a spec can be inconsistent. */
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static int setup(void **state)
{
    *state = fixture_calendar();
    return 0;
}

static int teardown(void **state)
{
    qz_calendar_free(*state);
    return 0;
}

static qz_date add(const qz_calendar *cal, qz_date d, int n)
{
    qz_date out = 0;
    qz_err err;
    assert_int_equal(qz_calendar_add(cal, d, n, &out, &err), 0);
    return out;
}

static qz_day_kind kind(const qz_calendar *cal, qz_date d)
{
    qz_day_info info;
    qz_err err;
    assert_int_equal(qz_calendar_day(cal, d, &info, &err), 0);
    return info.kind;
}

static void test_decree_moves_make_a_friday_off_and_a_sunday_working(void **state)
{
    const qz_calendar *cal = *state;
    assert_int_equal(kind(cal, D(2025, 1, 3)), QZ_DAY_MOVED_OFF);
    assert_int_equal(kind(cal, D(2025, 1, 5)), QZ_DAY_WORKING_MOVED);
    /* After Wed 1 Jan: Thu 2 holiday, Fri 3 decree off, Sat 4 weekend, Sun 5 working. */
    assert_int_equal(add(cal, D(2025, 1, 1), 1), D(2025, 1, 5));
    /* After Sun 5: Mon 6 (1), Tue 7 Christmas, Wed 8 (2). */
    assert_int_equal(add(cal, D(2025, 1, 5), 2), D(2025, 1, 8));
}

static void test_weekend_holidays_move_to_the_next_free_working_days(void **state)
{
    const qz_calendar *cal = *state;
    qz_day_info info;
    qz_err err;
    /* Nauryz 2025: Fri 21, Sat 22, Sun 23 -> Sat's day off to Mon 24, Sun's to Tue 25. */
    assert_int_equal(qz_calendar_day(cal, D(2025, 3, 24), &info, &err), 0);
    assert_int_equal(info.kind, QZ_DAY_TRANSFERRED);
    assert_int_equal(info.holiday_date, D(2025, 3, 22));
    assert_string_equal(info.holiday->code, "nauryz");
    assert_int_equal(qz_calendar_day(cal, D(2025, 3, 25), &info, &err), 0);
    assert_int_equal(info.holiday_date, D(2025, 3, 23));
    assert_int_equal(kind(cal, D(2025, 3, 26)), QZ_DAY_WORKING);
    /* Nauryz 2026: Sat 21, Sun 22, Mon 23 -> Tue 24 and Wed 25 (Mon is itself a holiday). */
    assert_int_equal(kind(cal, D(2026, 3, 23)), QZ_DAY_HOLIDAY);
    assert_int_equal(kind(cal, D(2026, 3, 24)), QZ_DAY_TRANSFERRED);
    assert_int_equal(kind(cal, D(2026, 3, 25)), QZ_DAY_TRANSFERRED);
    /* 1 Jan 2023 is a Sunday and 2 Jan a holiday: the day off lands on Tue 3 Jan. */
    assert_int_equal(kind(cal, D(2023, 1, 2)), QZ_DAY_HOLIDAY);
    assert_int_equal(kind(cal, D(2023, 1, 3)), QZ_DAY_TRANSFERRED);
    /* Independence Day 2023 is a Saturday: Monday 18 December. */
    assert_int_equal(kind(cal, D(2023, 12, 18)), QZ_DAY_TRANSFERRED);
}

static void test_religious_holidays_on_a_weekend_do_not_move(void **state)
{
    const qz_calendar *cal = *state;
    /* 7 Jan 2023 is a Saturday; Monday 9 stays a working day. */
    assert_int_equal(kind(cal, D(2023, 1, 7)), QZ_DAY_HOLIDAY);
    assert_int_equal(kind(cal, D(2023, 1, 9)), QZ_DAY_WORKING);
    /* Kurban Ait 2024 is Sunday 16 June; Monday 17 stays working. */
    assert_int_equal(kind(cal, D(2024, 6, 16)), QZ_DAY_HOLIDAY);
    assert_int_equal(kind(cal, D(2024, 6, 17)), QZ_DAY_WORKING);
}

static void test_holidays_apply_only_in_the_years_they_are_in_force(void **state)
{
    const qz_calendar *cal = *state;
    /* 1 December was abolished after 2021: Friday 1 Dec 2023 is a working day. */
    assert_int_equal(kind(cal, D(2023, 12, 1)), QZ_DAY_WORKING);
    /* 25 October exists from 2022: Wednesday 25 Oct 2023 is a holiday. */
    assert_int_equal(kind(cal, D(2023, 10, 25)), QZ_DAY_HOLIDAY);
}

static void test_working_days_add_across_the_year_end(void **state)
{
    const qz_calendar *cal = *state;
    int n = 0;
    qz_err err;
    /* After Tue 30 Dec 2025: Wed 31 (1), Thu 1 and Fri 2 Jan holidays, weekend,
     * Mon 5 (2), Tue 6 (3). */
    assert_int_equal(add(cal, D(2025, 12, 30), 3), D(2026, 1, 6));
    assert_int_equal(qz_calendar_between(cal, D(2025, 12, 30), D(2026, 1, 6), &n, &err), 0);
    assert_int_equal(n, 3);
    /* Counting back: the last working day before Mon 5 Jan 2026 is Wed 31 Dec. */
    assert_int_equal(add(cal, D(2026, 1, 5), -1), D(2025, 12, 31));
    /* Zero days after a day off is that day itself. */
    assert_int_equal(add(cal, D(2026, 1, 3), 0), D(2026, 1, 3));
}

static void test_working_days_add_across_a_moved_sunday(void **state)
{
    const qz_calendar *cal = *state;
    int n = 0;
    qz_err err;
    /* From Tue 31 Dec 2024 to Wed 8 Jan 2025: Sun 5, Mon 6, Wed 8 = 3. */
    assert_int_equal(qz_calendar_between(cal, D(2024, 12, 31), D(2025, 1, 8), &n, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(qz_calendar_between(cal, D(2025, 1, 8), D(2024, 12, 31), &n, &err), 0);
    assert_int_equal(n, -3);
}

static void test_between_and_add_agree_over_the_whole_range(void **state)
{
    const qz_calendar *cal = *state;
    qz_err err;
    int n = 0;
    for (qz_date d = D(2023, 1, 1); d <= D(2026, 12, 1); d += 7) {
        qz_date to = add(cal, d, 20);
        assert_int_equal(qz_calendar_between(cal, d, to, &n, &err), 0);
        assert_int_equal(n, 20);
    }
}

static void test_dates_outside_the_data_are_refused_not_guessed(void **state)
{
    const qz_calendar *cal = *state;
    qz_err err;
    qz_date out;
    bool working;
    assert_int_equal(qz_calendar_is_working(cal, D(2022, 12, 31), &working, &err), -1);
    assert_string_equal(err.key, "calendar.year_not_covered");
    assert_string_equal(err.value, "2022");
    /* The answer would fall in 2027, which the data does not cover. */
    assert_int_equal(qz_calendar_add(cal, D(2026, 12, 30), 2, &out, &err), -1);
    assert_string_equal(err.value, "2027");
    assert_int_equal(qz_calendar_add(cal, D(2023, 1, 3), -1, &out, &err), -1);
    assert_string_equal(err.value, "2022");
}

static void expect_build_error(fixture_spec *f, const char *key, const char *field,
                               const char *value)
{
    qz_err err;
    qz_err_clear(&err);
    assert_null(qz_calendar_build(&f->spec, &err));
    assert_string_equal(err.key, key);
    if (field)
        assert_string_equal(err.field, field);
    if (value)
        assert_string_equal(err.value, value);
}

static void test_a_missing_year_is_an_error(void **state)
{
    (void)state;
    fixture_spec f;
    fixture_spec_init(&f);
    f.years[3] = f.years[2]; /* 2023, 2024, 2025, 2025 */
    expect_build_error(&f, "calendar.year_duplicate", "year", "2025");
    fixture_spec_init(&f);
    f.years[1] = f.years[3];
    f.spec.n_years = 3; /* 2023, 2026, 2025: 2024 is missing */
    expect_build_error(&f, "calendar.year_missing", "years", "2024");
}

static void test_a_missing_lunar_date_is_an_error(void **state)
{
    (void)state;
    fixture_spec f;
    fixture_spec_init(&f);
    f.years[1].n_lunar = 0;
    expect_build_error(&f, "calendar.lunar_missing", "lunar.kurban", "kurban");
    fixture_spec_init(&f);
    f.lunar[1].date = D(2025, 6, 6); /* given in the 2024 file */
    expect_build_error(&f, "calendar.date_outside_year", "lunar.kurban", "2025-06-06");
    fixture_spec_init(&f);
    f.lunar[1].code = "no-such-holiday";
    expect_build_error(&f, "calendar.unknown_holiday", NULL, "no-such-holiday");
}

static void test_a_move_must_change_what_the_day_is(void **state)
{
    (void)state;
    fixture_spec f;
    fixture_spec_init(&f);
    f.moves[1].date = D(2025, 1, 6); /* a Monday cannot become a working day */
    expect_build_error(&f, "calendar.move_working_not_weekend", "moves[1].date", "2025-01-06");
    fixture_spec_init(&f);
    f.moves[0].date = D(2025, 1, 2); /* a holiday cannot become a day off */
    expect_build_error(&f, "calendar.move_off_not_working", "moves[0].date", "2025-01-02");
    fixture_spec_init(&f);
    f.moves[0].date = D(2024, 1, 3); /* listed in the 2025 file */
    expect_build_error(&f, "calendar.date_outside_year", "moves[0].date", "2024-01-03");
}

static void test_holiday_rules_are_checked(void **state)
{
    (void)state;
    fixture_spec f;
    fixture_spec_init(&f);
    f.holidays[1].code = "new-year";
    expect_build_error(&f, "calendar.holiday_duplicate", "holidays[1]", "new-year");
    fixture_spec_init(&f);
    f.holidays[2].n_dates = 0;
    expect_build_error(&f, "calendar.holiday_no_dates", "holidays[2]", "nauryz");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_decree_moves_make_a_friday_off_and_a_sunday_working,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_weekend_holidays_move_to_the_next_free_working_days,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_religious_holidays_on_a_weekend_do_not_move, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_holidays_apply_only_in_the_years_they_are_in_force,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_working_days_add_across_the_year_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_working_days_add_across_a_moved_sunday, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_between_and_add_agree_over_the_whole_range, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_dates_outside_the_data_are_refused_not_guessed, setup,
                                        teardown),
        cmocka_unit_test(test_a_missing_year_is_an_error),
        cmocka_unit_test(test_a_missing_lunar_date_is_an_error),
        cmocka_unit_test(test_a_move_must_change_what_the_day_is),
        cmocka_unit_test(test_holiday_rules_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
