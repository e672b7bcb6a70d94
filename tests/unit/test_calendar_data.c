/* The calendar built from catalog/calendar agrees, day by day, with an independent
 * reference (tests/data/kz-days-off.json: every weekday that is not worked and every
 * weekend day that is, per year), for every confirmed year of the data; and every decree
 * move and lunar date of each year's file is what the calendar says of that day.
 * Provisional years (2027 on) are held by test_calendar_years.c. */
#include "core/calendar_load.h"
#include "core/jsonv.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static qz_calendar *cal;
static json_t *reference;

static int setup(void **state)
{
    (void)state;
    qz_err err;
    cal = qz_calendar_load_at(QZ_CATALOG_DIR "/calendar", 2026, &err);
    if (!cal)
        fprintf(stderr, "calendar: %s %s %s %s\n", err.file, err.field, err.key, err.value);
    reference = qz_json_load_file(QZ_TEST_DATA_DIR "/kz-days-off.json", &err);
    return cal && reference ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    qz_calendar_free(cal);
    json_decref(reference);
    return 0;
}

static bool listed(const json_t *list, const char *date)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) if (strcmp(json_string_value(v), date) == 0) return true;
    return false;
}

static void test_every_year_of_the_data_has_a_reference(void **state)
{
    (void)state;
    json_t *years = json_object_get(reference, "years");
    for (int y = qz_calendar_first_year(cal); y <= qz_calendar_last_year(cal); y++) {
        char key[8];
        qz_year_state st;
        qz_err err;
        assert_int_equal(qz_calendar_year_state(cal, y, &st, &err), 0);
        if (qz_year_state_provisional(&st))
            continue;
        snprintf(key, sizeof key, "%d", y);
        if (!json_object_get(years, key))
            fail_msg("tests/data/kz-days-off.json has no year %d", y);
    }
    assert_int_equal(qz_calendar_first_year(cal), 2014);
    assert_true(qz_calendar_last_year(cal) >= 2026);
}

static void test_every_day_matches_the_reference(void **state)
{
    (void)state;
    const char *year;
    json_t *ref;
    int checked = 0;
    json_object_foreach(json_object_get(reference, "years"), year, ref)
    {
        json_t *off = json_object_get(ref, "days_off");
        json_t *worked = json_object_get(ref, "working_weekends");
        int y = atoi(year);
        for (qz_date d = qz_date_from_ymd(y, 1, 1); d < qz_date_from_ymd(y + 1, 1, 1); d++) {
            char date[QZ_DATE_STR];
            bool working, expect;
            qz_err err;
            qz_date_format(d, date);
            if (qz_date_weekday(d) <= 5)
                expect = !listed(off, date);
            else
                expect = listed(worked, date);
            assert_int_equal(qz_calendar_is_working(cal, d, &working, &err), 0);
            if (working != expect)
                fail_msg("%s: the calendar says %s, the reference %s", date,
                         working ? "working" : "day-off", expect ? "working" : "day-off");
            checked++;
        }
    }
    assert_true(checked >= 9 * 365);
}

static void test_each_decree_move_and_lunar_date_is_applied(void **state)
{
    (void)state;
    for (int y = qz_calendar_first_year(cal); y <= qz_calendar_last_year(cal); y++) {
        char path[512];
        qz_err err;
        size_t i;
        json_t *m;
        qz_year_state st;
        assert_int_equal(qz_calendar_year_state(cal, y, &st, &err), 0);
        if (st.computed)
            continue;
        snprintf(path, sizeof path, "%s/calendar/kz-%d.json", QZ_CATALOG_DIR, y);
        json_t *doc = qz_json_load_file(path, &err);
        assert_non_null(doc);
        json_array_foreach(json_object_get(doc, "moves"), i, m)
        {
            qz_date d;
            qz_day_info info;
            const char *becomes = json_string_value(json_object_get(m, "becomes"));
            assert_int_equal(qz_date_parse(json_string_value(json_object_get(m, "date")), &d, &err),
                             0);
            assert_int_equal(qz_calendar_day(cal, d, &info, &err), 0);
            assert_int_equal(info.kind, strcmp(becomes, "working") == 0 ? QZ_DAY_WORKING_MOVED
                                                                        : QZ_DAY_MOVED_OFF);
            assert_string_equal(info.source, json_string_value(json_object_get(m, "source")));
        }
        json_t *kurban = json_object_get(json_object_get(doc, "lunar"), "kurban-ait");
        qz_date d;
        qz_day_info info;
        assert_int_equal(
            qz_date_parse(json_string_value(json_object_get(kurban, "date")), &d, &err), 0);
        assert_int_equal(qz_calendar_day(cal, d, &info, &err), 0);
        assert_int_equal(info.kind, QZ_DAY_HOLIDAY);
        assert_string_equal(info.holiday->code, "kurban-ait");
        json_decref(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_year_of_the_data_has_a_reference),
        cmocka_unit_test(test_every_day_matches_the_reference),
        cmocka_unit_test(test_each_decree_move_and_lunar_date_is_applied),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
