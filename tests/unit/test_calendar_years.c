/* The calendar does not run out: 2027 is served from what the law fixes (kz-2027.json,
 * provisional: no act moving days off yet, Kurban Ait an estimate), 2028 is computed from
 * holidays.json and lunar-estimates.json, and 2029, three years after 2026, is refused
 * with the message. Terms accepted in December 2026 get their due dates in 2027. */
#include "core/calendar_load.h"
#include "core/rules.h"
#include "core/strings.h"
#include "core/term.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static qz_rules rules;

static qz_date D(int y, int m, int d)
{
    return qz_date_from_ymd(y, m, d);
}

static int setup(void **state)
{
    (void)state;
    qz_err err;
    if (qz_rules_load(QZ_CATALOG_DIR, NULL, NULL, &rules, &err))
        return -1;
    /* The years served depend on the current year: hold it at 2026 (the date of the issue). */
    qz_calendar_free(rules.cal);
    rules.cal = qz_calendar_load_at(QZ_CATALOG_DIR "/calendar", 2026, &err);
    if (!rules.cal)
        fprintf(stderr, "calendar: %s %s %s %s\n", err.file, err.field, err.key, err.value);
    return rules.cal ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    qz_rules_free(&rules);
    return 0;
}

/* The 2027 weekdays that are not worked, written from the law (not from catalog/), each with
 * its reason. Weekdays of 2027: 1 Jan is a Friday, 15 Mar a Monday, 21 Mar a Sunday, 1 May a
 * Saturday, 9 May a Sunday, 6 Jul a Tuesday, 25 Oct a Monday, 16 Dec a Thursday. */
static const struct {
    int m, d;
    const char *why;
} days_off_2027[] = {
    {1, 1, "New Year, Law \"On holidays\" art. 2"},
    {1, 4, "New Year's second day, Saturday 2 Jan: the next working day (art. 5)"},
    {1, 7, "Orthodox Christmas, Labour Code art. 84 para 5"},
    {3, 8, "International Women's Day"},
    {3, 15, "Constitution Day, Constitution of 2026 art. 94 para 2, first observed in 2027"},
    {3, 22, "Nauryz, second day"},
    {3, 23, "Nauryz, third day"},
    {3, 24, "Nauryz's first day, Sunday 21 Mar: the next working day after 22-23 (art. 5)"},
    {5, 3, "Unity Day, Saturday 1 May: the next working day (art. 5)"},
    {5, 7, "Defender of the Fatherland Day"},
    {5, 10, "Victory Day, Sunday 9 May: the next working day (art. 5)"},
    {7, 6, "Capital Day"},
    {10, 25, "Republic Day"},
    {12, 16, "Independence Day"},
    /* Kurban Ait: the estimate is Sunday 16 May 2027 (lunar-estimates.json), a religious day
     * off that is not carried (art. 84 para 5), so no weekday is off for it. */
};

static const char *day_off_reason(qz_date d)
{
    for (size_t i = 0; i < sizeof days_off_2027 / sizeof days_off_2027[0]; i++)
        if (D(2027, days_off_2027[i].m, days_off_2027[i].d) == d)
            return days_off_2027[i].why;
    return NULL;
}

static void test_2027_days_off_are_those_of_the_law(void **state)
{
    (void)state;
    qz_err err;
    int weekdays_off = 0;
    for (qz_date d = D(2027, 1, 1); d < D(2028, 1, 1); d++) {
        bool working;
        char date[QZ_DATE_STR];
        assert_int_equal(qz_calendar_is_working(rules.cal, d, &working, &err), 0);
        const char *why = day_off_reason(d);
        bool expect = qz_date_weekday(d) <= 5 && !why;
        if (working != expect)
            fail_msg("%s: the calendar says %s, the law %s (%s)", qz_date_format(d, date),
                     working ? "working" : "day-off", expect ? "working" : "day-off",
                     why ? why : "an ordinary day");
        weekdays_off += qz_date_weekday(d) <= 5 && !working;
    }
    assert_int_equal(weekdays_off, 14);
    qz_day_info info;
    assert_int_equal(qz_calendar_day(rules.cal, D(2027, 3, 15), &info, &err), 0);
    assert_string_equal(info.holiday->code, "constitution-day-2026");
    assert_true(info.provisional);
    /* Nauryz's Sunday carries past the two holidays to Wednesday 24 March. */
    assert_int_equal(qz_calendar_day(rules.cal, D(2027, 3, 24), &info, &err), 0);
    assert_int_equal(info.kind, QZ_DAY_TRANSFERRED);
    assert_int_equal(info.holiday_date, D(2027, 3, 21));
    /* Kurban Ait is on the estimated Sunday, marked as an estimate. */
    assert_int_equal(qz_calendar_day(rules.cal, D(2027, 5, 16), &info, &err), 0);
    assert_int_equal(info.kind, QZ_DAY_HOLIDAY);
    assert_string_equal(info.holiday->code, "kurban-ait");
    assert_true(info.estimated);
    /* 30 August is no longer a holiday: Monday 30 August 2027 is worked. */
    assert_int_equal(qz_calendar_day(rules.cal, D(2027, 8, 30), &info, &err), 0);
    assert_int_equal(info.kind, QZ_DAY_WORKING);
}

static void test_year_states_say_what_is_missing(void **state)
{
    (void)state;
    qz_err err;
    qz_year_state st;
    assert_int_equal(qz_calendar_year_state(rules.cal, 2026, &st, &err), 0);
    assert_false(qz_year_state_provisional(&st));
    assert_int_equal(qz_calendar_year_state(rules.cal, 2027, &st, &err), 0);
    assert_true(qz_year_state_provisional(&st));
    assert_false(st.computed);
    assert_true(st.moves_pending);
    assert_non_null(st.pending);
    assert_true(st.lunar_estimated);
    assert_int_equal(st.estimated_on, D(2027, 5, 16));
    assert_int_equal(qz_calendar_year_state(rules.cal, 2028, &st, &err), 0);
    assert_true(st.computed);
    assert_null(st.file);
    assert_true(st.moves_pending && st.lunar_estimated);
    assert_int_equal(st.estimated_on, D(2028, 5, 5));
    assert_false(qz_calendar_provisional(rules.cal, D(2026, 12, 31)));
    assert_true(qz_calendar_provisional(rules.cal, D(2027, 1, 5)));
}

static void test_a_computed_year_follows_the_law(void **state)
{
    (void)state;
    qz_err err;
    qz_day_info info;
    /* 2028: Independence Day is a Saturday (16 Dec), so Monday 18 December is off; Victory
     * Day is a Tuesday; Kurban Ait's estimate is Friday 5 May. */
    assert_int_equal(qz_calendar_day(rules.cal, D(2028, 12, 18), &info, &err), 0);
    assert_int_equal(info.kind, QZ_DAY_TRANSFERRED);
    assert_true(info.provisional);
    assert_int_equal(qz_calendar_day(rules.cal, D(2028, 5, 5), &info, &err), 0);
    assert_int_equal(info.kind, QZ_DAY_HOLIDAY);
    assert_true(info.estimated);
}

static void test_three_years_ahead_is_refused_with_the_message(void **state)
{
    (void)state;
    qz_err err;
    bool working;
    char msg[512];
    assert_int_equal(qz_calendar_last_year(rules.cal), 2028);
    assert_int_equal(qz_calendar_is_working(rules.cal, D(2029, 1, 3), &working, &err), -1);
    assert_string_equal(err.key, "calendar.year_not_covered");
    assert_string_equal(err.value, "2029");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/strings", QZ_CATALOG_DIR);
    qz_strings *s = qz_strings_load(dir, &err);
    assert_non_null(s);
    qz_strings_error(s, QZ_LANG_EN, &err, msg, sizeof msg);
    assert_non_null(strstr(msg, "does not cover 2029"));
    assert_non_null(strstr(msg, "served.json"));
    qz_strings_free(s);
}

/* The due instant of a service's term accepted at `received`, printed with its offset. */
static void due_of(const char *service, const qz_term_query *q, qz_instant received, char *out)
{
    qz_err err;
    const qz_service *svc = qz_catalog_service(rules.cat, service, &err);
    assert_non_null(svc);
    const qz_zone *z = qz_timetable_default_zone(rules.tt);
    const qz_service_version *v =
        qz_service_version_at(svc, qz_instant_date(received, qz_zone_offset(z, received)), &err);
    assert_non_null(v);
    const qz_channel *ch = qz_service_channel(v, q->channel, &err);
    assert_non_null(ch);
    const qz_term_rule *rule = qz_service_term(v, q, &err);
    assert_non_null(rule);
    qz_unit_time u = {rules.cal, qz_timetable_schedule(rules.tt, ch->schedule, &err), z};
    assert_non_null(u.sched);
    qz_due due;
    if (qz_term_due(&u, &rule->term, received, &due, &err))
        fail_msg("%s: %s %s", service, err.key, err.value);
    qz_instant_format(due.due, qz_zone_offset(z, due.due), out);
}

static void test_an_apostille_of_christmas_2026_is_due_in_january(void **state)
{
    (void)state;
    char due[QZ_INSTANT_STR];
    qz_term_query q = {.channel = "psc", .department = "other"};
    /* Friday 25 December 2026, 10:00, a district ("other") department: 10 WD, the day of
     * acceptance not counted: 28, 29, 30, 31 Dec (4); 1 Jan holiday, 2 Jan holiday on a
     * Saturday, 3 Sunday, 4 Jan its day off; 5, 6 (6); 7 Christmas; 8 (7); 9-10 weekend;
     * 11, 12, 13 (10): Wednesday 13 January 2027, at the PSC's close, 18:00 in Astana. */
    due_of("apostille", &q, qz_instant_at(D(2026, 12, 25), 10 * 3600, 5 * 3600), due);
    assert_string_equal(due, "2027-01-13T18:00:00+05:00");
}

static void test_a_passport_of_3_december_2026_gets_its_due_date(void **state)
{
    (void)state;
    char due[QZ_INSTANT_STR];
    qz_term_query q = {.channel = "psc", .urgency = "general"};
    /* Thursday 3 December 2026, 10:00, general urgency: 40 WD. December 2026: 4, 7-11, 14, 15,
     * 17, 18, 21-25, 28-31 (19; 16 Dec is Independence Day). January 2027: 5, 6, 8, 11-15,
     * 18-22, 25-29 (37; 1, 4 and 7 Jan off). February: 1, 2, 3 (40). */
    due_of("passport-id", &q, qz_instant_at(D(2026, 12, 3), 10 * 3600, 5 * 3600), due);
    assert_string_equal(due, "2027-02-03T18:00:00+05:00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2027_days_off_are_those_of_the_law),
        cmocka_unit_test(test_year_states_say_what_is_missing),
        cmocka_unit_test(test_a_computed_year_follows_the_law),
        cmocka_unit_test(test_three_years_ahead_is_refused_with_the_message),
        cmocka_unit_test(test_an_apostille_of_christmas_2026_is_due_in_january),
        cmocka_unit_test(test_a_passport_of_3_december_2026_gets_its_due_date),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
