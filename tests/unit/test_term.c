/* Business time and legal terms on the fixture calendar and schedules (fixture.h).
 * Every expected instant is worked out by hand in the comment beside it; T(…, 5)
 * is local time at UTC+5. */
#include "core/term.h"
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static qz_calendar *cal;

static int setup(void **state)
{
    (void)state;
    cal = fixture_calendar();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    qz_calendar_free(cal);
    return 0;
}

static qz_due due_of(const qz_schedule *s, const qz_zone *z, qz_term t, qz_instant received)
{
    qz_unit_time u = {cal, s, z};
    qz_due d = {0};
    qz_err err;
    assert_int_equal(qz_term_due(&u, &t, received, &d, &err), 0);
    return d;
}

static qz_term minutes(int n)
{
    return (qz_term){.unit = QZ_TERM_MINUTES, .amount = n, .source = "test"};
}

static qz_term wd(int n)
{
    return (qz_term){.unit = QZ_TERM_WD, .amount = n, .source = "test"};
}

static void test_minutes_skip_the_lunch_break(void **state)
{
    (void)state;
    /* Wed 4 Jun 2025 12:55 at the Committee: 5 min to 13:00, lunch to 14:30, 5 more: 14:35. */
    qz_due d = due_of(&fixture_prosecutor, &fixture_kz5, minutes(10), T(2025, 6, 4, 12, 55, 5));
    assert_int_equal(d.due, T(2025, 6, 4, 14, 35, 5));
}

static void test_minutes_carry_past_closing_over_a_holiday_and_weekend(void **state)
{
    (void)state;
    /* Thu 5 Jun 2025 17:55 at a PSC: 5 min to 18:00; Fri 6 Kurban Ait, Sat, Sun closed;
     * Mon 9 Jun 09:00 + 5 min = 09:05. */
    qz_due d = due_of(&fixture_psc, &fixture_kz5, minutes(10), T(2025, 6, 5, 17, 55, 5));
    assert_int_equal(d.due, T(2025, 6, 9, 9, 5, 5));
}

static void test_a_duty_department_works_saturday_morning(void **state)
{
    (void)state;
    /* Fri 13 Jun 2025 19:55 at a duty department: 5 min to 20:00, Sat 14 from 09:00,
     * 25 more: 09:25. An ordinary PSC waits for Monday 16 Jun: 09:00 + 25 = 09:25. */
    qz_due d = due_of(&fixture_duty, &fixture_kz5, minutes(30), T(2025, 6, 13, 19, 55, 5));
    assert_int_equal(d.due, T(2025, 6, 14, 9, 25, 5));
    d = due_of(&fixture_psc, &fixture_kz5, minutes(30), T(2025, 6, 13, 17, 55, 5));
    assert_int_equal(d.due, T(2025, 6, 16, 9, 25, 5));
    /* Sat 14 Jun 12:50: 10 min to 13:00, then Monday 09:00 + 20 = 09:20. */
    d = due_of(&fixture_duty, &fixture_kz5, minutes(30), T(2025, 6, 14, 12, 50, 5));
    assert_int_equal(d.due, T(2025, 6, 16, 9, 20, 5));
}

static void test_on_the_day_received_never_carries_over(void **state)
{
    (void)state;
    qz_term t = {.unit = QZ_TERM_HOURS, .amount = 1, .same_day = true, .source = "test"};
    /* Wed 4 Jun 2025 18:00 at the Committee: 30 min are left that day; the hour would end
     * Thu 09:30, but "on the day received" stops at 18:30 Wednesday. */
    qz_due d = due_of(&fixture_prosecutor, &fixture_kz5, t, T(2025, 6, 4, 18, 0, 5));
    assert_int_equal(d.due, T(2025, 6, 4, 18, 30, 5));
    /* Received at 10:00 it simply ends at 11:00. */
    d = due_of(&fixture_prosecutor, &fixture_kz5, t, T(2025, 6, 4, 10, 0, 5));
    assert_int_equal(d.due, T(2025, 6, 4, 11, 0, 5));
}

static void test_the_day_of_acceptance_does_not_count(void **state)
{
    (void)state;
    /* Mon 17 Mar 2025 10:00, 5 WD: Tue 18 (1), Wed 19 (2), Thu 20 (3), Fri 21 Nauryz,
     * weekend, Mon 24 and Tue 25 moved days off, Wed 26 (4), Thu 27 (5): closes 18:00. */
    qz_due d = due_of(&fixture_psc, &fixture_kz5, wd(5), T(2025, 3, 17, 10, 0, 5));
    assert_int_equal(d.first_day, D(2025, 3, 17));
    assert_int_equal(d.last_day, D(2025, 3, 27));
    assert_int_equal(d.due, T(2025, 3, 27, 18, 0, 5));
    /* When the first day counts, 5 WD end a working day earlier: Wed 26. */
    qz_term t = wd(5);
    t.first_day_counts = true;
    d = due_of(&fixture_psc, &fixture_kz5, t, T(2025, 3, 17, 10, 0, 5));
    assert_int_equal(d.last_day, D(2025, 3, 26));
    /* The Committee's day ends at 18:30. */
    d = due_of(&fixture_prosecutor, &fixture_kz5, wd(5), T(2025, 3, 17, 10, 0, 5));
    assert_int_equal(d.due, T(2025, 3, 27, 18, 30, 5));
}

static void test_portal_requests_after_hours_count_from_the_next_working_day(void **state)
{
    (void)state;
    /* Thu 20 Mar 2025 19:30 on the portal: Fri 21 Nauryz, weekend, Mon 24 and Tue 25
     * moved days off: accepted Wed 26 09:00; 5 WD after it: Thu 27, Fri 28, Mon 31,
     * Tue 1 Apr, Wed 2 Apr, closing 18:00. */
    qz_due d = due_of(&fixture_psc, &fixture_kz5, wd(5), T(2025, 3, 20, 19, 30, 5));
    assert_int_equal(d.accepted, T(2025, 3, 26, 9, 0, 5));
    assert_int_equal(d.due, T(2025, 4, 2, 18, 0, 5));
    /* Sat 4 Jan 2025 on the portal: Sun 5 Jan is a working day by decree, so the clock
     * starts then at 09:00, and 10 minutes end at 09:10 that Sunday. */
    d = due_of(&fixture_psc, &fixture_kz5, minutes(10), T(2025, 1, 4, 11, 0, 5));
    assert_int_equal(d.accepted, T(2025, 1, 5, 9, 0, 5));
    assert_int_equal(d.due, T(2025, 1, 5, 9, 10, 5));
}

static void test_calendar_days_roll_off_a_day_off_only_when_asked(void **state)
{
    (void)state;
    qz_term t = {.unit = QZ_TERM_CD, .amount = 5, .source = "test"};
    /* Mon 2 Jun 2025 + 5 calendar days = Sat 7 Jun: closed, so the term ends at its midnight. */
    qz_due d = due_of(&fixture_psc, &fixture_kz5, t, T(2025, 6, 2, 10, 0, 5));
    assert_int_equal(d.last_day, D(2025, 6, 7));
    assert_int_equal(d.due, T(2025, 6, 8, 0, 0, 5));
    /* Rolled: the next working day is Mon 9 Jun, closing 18:00. */
    t.last_day_off_rolls = true;
    d = due_of(&fixture_psc, &fixture_kz5, t, T(2025, 6, 2, 10, 0, 5));
    assert_int_equal(d.due, T(2025, 6, 9, 18, 0, 5));
}

static void test_one_day_before_the_term_ends(void **state)
{
    (void)state;
    qz_unit_time u = {cal, &fixture_psc, &fixture_kz5};
    qz_instant out;
    qz_err err;
    /* A term ending Wed 26 Mar 2025 18:00: Tue 25 and Mon 24 are moved days off, then a
     * weekend, Fri 21 is Nauryz: the last working day before it is Thu 20 Mar, 18:00. */
    assert_int_equal(qz_term_day_before(&u, T(2025, 3, 26, 18, 0, 5), &out, &err), 0);
    assert_int_equal(out, T(2025, 3, 20, 18, 0, 5));
}

static void test_the_time_zone_change_of_1_march_2024(void **state)
{
    (void)state;
    char buf[QZ_INSTANT_STR];
    /* Thu 29 Feb 2024 17:00 in the east (UTC+6), 1 WD: Fri 1 Mar closes 18:00, by then
     * at UTC+5, which is 13:00Z. */
    qz_due d = due_of(&fixture_psc, &fixture_east, wd(1), T(2024, 2, 29, 17, 0, 6));
    assert_int_equal(d.due, T(2024, 3, 1, 18, 0, 5));
    assert_int_equal(d.due, T(2024, 3, 1, 13, 0, 0));
    assert_string_equal(qz_instant_format(d.due, qz_zone_offset(&fixture_east, d.due), buf),
                        "2024-03-01T18:00:00+05:00");
    /* 17:55+06 with 10 minutes: 5 before closing (12:00Z), then Fri 09:00+05 + 5 = 04:05Z. */
    d = due_of(&fixture_psc, &fixture_east, minutes(10), T(2024, 2, 29, 17, 55, 6));
    assert_int_equal(d.due, T(2024, 3, 1, 4, 5, 0));
    assert_string_equal(qz_instant_format(T(2024, 2, 29, 17, 55, 6),
                                          qz_zone_offset(&fixture_east, T(2024, 2, 29, 17, 55, 6)),
                                          buf),
                        "2024-02-29T17:55:00+06:00");
}

static qz_term months(int n)
{
    return (qz_term){.unit = QZ_TERM_MONTHS, .amount = n, .source = "test"};
}

static void test_a_month_keeps_the_day_or_ends_on_the_months_last(void **state)
{
    (void)state;
    /* Fri 31 Jan 2025 16:20, a month: February 2025 has 28 days, so Fri 28 Feb 16:20;
     * in 2024 (leap year) Thu 29 Feb 16:20. The unit's hours play no part. */
    qz_due d = due_of(&fixture_psc, &fixture_kz5, months(1), T(2025, 1, 31, 16, 20, 5));
    assert_int_equal(d.due, T(2025, 2, 28, 16, 20, 5));
    assert_int_equal(d.accepted, T(2025, 1, 31, 16, 20, 5));
    assert_int_equal(d.last_day, qz_date_from_ymd(2025, 2, 28));
    d = due_of(&fixture_psc, &fixture_kz5, months(1), T(2024, 1, 31, 16, 20, 5));
    assert_int_equal(d.due, T(2024, 2, 29, 16, 20, 5));
    /* Sat 15 Mar 2025 at 20:00, after hours on a weekend: the clock starts at once, and a
     * month later is Tue 15 Apr 20:00. */
    d = due_of(&fixture_psc, &fixture_kz5, months(1), T(2025, 3, 15, 20, 0, 5));
    assert_int_equal(d.due, T(2025, 4, 15, 20, 0, 5));
    /* 30 Nov 2025 and three months: 30 Feb does not exist, 28 Feb 2026. */
    d = due_of(&fixture_psc, &fixture_kz5, months(3), T(2025, 11, 30, 10, 0, 5));
    assert_int_equal(d.due, T(2026, 2, 28, 10, 0, 5));
}

static void test_a_year_of_months_needs_no_calendar_beyond_its_data(void **state)
{
    (void)state;
    /* Mon 1 Jun 2026 11:00 and 12 months: Tue 1 Jun 2027 11:00, though the calendar's
     * data end with 2026 (calendar months count no working days). */
    qz_due d = due_of(&fixture_psc, &fixture_kz5, months(12), T(2026, 6, 1, 11, 0, 5));
    assert_int_equal(d.due, T(2027, 6, 1, 11, 0, 5));
    /* 29 Feb 2024 and a year: 28 Feb 2025. */
    d = due_of(&fixture_psc, &fixture_kz5, months(12), T(2024, 2, 29, 9, 0, 5));
    assert_int_equal(d.due, T(2025, 2, 28, 9, 0, 5));
}

static void test_a_month_across_the_time_zone_change_keeps_the_local_time(void **state)
{
    (void)state;
    char buf[QZ_INSTANT_STR];
    /* Thu 15 Feb 2024 10:00 in the east (UTC+6, 04:00Z), a month: Fri 15 Mar 10:00 local,
     * by then UTC+5, which is 05:00Z: 30 days and 1 hour later in UTC. */
    qz_due d = due_of(&fixture_psc, &fixture_east, months(1), T(2024, 2, 15, 10, 0, 6));
    assert_int_equal(d.due, T(2024, 3, 15, 10, 0, 5));
    assert_int_equal(d.due, T(2024, 3, 15, 5, 0, 0));
    assert_string_equal(qz_instant_format(d.due, qz_zone_offset(&fixture_east, d.due), buf),
                        "2024-03-15T10:00:00+05:00");
}

static void test_terms_reaching_past_the_data_are_refused(void **state)
{
    (void)state;
    qz_unit_time u = {cal, &fixture_psc, &fixture_kz5};
    qz_term t = wd(10);
    qz_due d;
    qz_err err;
    assert_int_equal(qz_term_due(&u, &t, T(2026, 12, 28, 10, 0, 5), &d, &err), -1);
    assert_string_equal(err.key, "calendar.year_not_covered");
    assert_string_equal(err.value, "2027");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minutes_skip_the_lunch_break),
        cmocka_unit_test(test_minutes_carry_past_closing_over_a_holiday_and_weekend),
        cmocka_unit_test(test_a_duty_department_works_saturday_morning),
        cmocka_unit_test(test_on_the_day_received_never_carries_over),
        cmocka_unit_test(test_the_day_of_acceptance_does_not_count),
        cmocka_unit_test(test_portal_requests_after_hours_count_from_the_next_working_day),
        cmocka_unit_test(test_calendar_days_roll_off_a_day_off_only_when_asked),
        cmocka_unit_test(test_one_day_before_the_term_ends),
        cmocka_unit_test(test_the_time_zone_change_of_1_march_2024),
        cmocka_unit_test(test_terms_reaching_past_the_data_are_refused),
        cmocka_unit_test(test_a_month_keeps_the_day_or_ends_on_the_months_last),
        cmocka_unit_test(test_a_year_of_months_needs_no_calendar_beyond_its_data),
        cmocka_unit_test(test_a_month_across_the_time_zone_change_keeps_the_local_time),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
