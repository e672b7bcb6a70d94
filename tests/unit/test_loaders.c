/* The loaders refuse broken or incomplete data files, naming the file, the field and
 * the reason; dates and times given by people are parsed strictly. */
#include "core/calendar_load.h"
#include "core/catalog.h"
#include "core/schedule_load.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/qz-test-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static const char *const rules =
    "{\"source\": \"Labour Code\", \"holidays\": ["
    "{\"code\": \"new-year\", \"dates\": [\"01-01\", \"01-02\"], \"moves_on_weekend\": true,"
    " \"name\": {\"kk\": \"Жаңа жыл\", \"ru\": \"Новый год\"}, \"source\": \"art. 1\"},"
    "{\"code\": \"kurban-ait\", \"lunar\": true, \"moves_on_weekend\": false,"
    " \"name\": {\"kk\": \"Құрбан айт\", \"ru\": \"Курбан айт\"}, \"source\": \"art. 1\"}]}";

static void write_year(int year, const char *lunar, const char *moves)
{
    char name[32], text[512];
    snprintf(name, sizeof name, "kz-%d.json", year);
    snprintf(text, sizeof text, "{\"year\": %d, \"lunar\": {%s}, \"moves\": [%s]}", year, lunar,
             moves);
    write_file(name, text);
}

static void expect_calendar_error(const char *file, const char *field, const char *key)
{
    qz_err err;
    char path[256];
    qz_err_clear(&err);
    assert_null(qz_calendar_load(dir, &err));
    snprintf(path, sizeof path, "%s/%s", dir, file);
    assert_string_equal(err.file, path);
    assert_string_equal(err.field, field);
    assert_string_equal(err.key, key);
}

static void test_a_good_calendar_loads(void **state)
{
    (void)state;
    qz_err err;
    write_file("holidays.json", rules);
    write_year(2024, "\"kurban-ait\": {\"date\": \"2024-06-16\", \"source\": \"SAMK\"}",
               "{\"date\": \"2024-05-04\", \"becomes\": \"working\", \"source\": \"decree\"}");
    qz_calendar *cal = qz_calendar_load(dir, &err);
    assert_non_null(cal);
    bool working = false;
    assert_int_equal(qz_calendar_is_working(cal, qz_date_from_ymd(2024, 5, 4), &working, &err), 0);
    assert_true(working);
    qz_calendar_free(cal);
}

static void test_broken_json_names_the_file_and_line(void **state)
{
    (void)state;
    qz_err err;
    write_file("holidays.json", rules);
    write_file("kz-2024.json", "{\"year\": 2024,\n \"moves\": [}");
    assert_null(qz_calendar_load(dir, &err));
    assert_string_equal(err.key, "json.syntax");
    assert_non_null(strstr(err.file, "kz-2024.json"));
    assert_non_null(strstr(err.value, "line 2"));
}

static void test_a_missing_lunar_date_names_the_holiday(void **state)
{
    (void)state;
    write_file("holidays.json", rules);
    write_year(2024, "", "");
    expect_calendar_error("kz-2024.json", "lunar.kurban-ait", "calendar.lunar_missing");
}

static void test_a_bad_move_names_its_index_and_field(void **state)
{
    (void)state;
    write_file("holidays.json", rules);
    write_year(2024, "\"kurban-ait\": {\"date\": \"2024-06-16\", \"source\": \"SAMK\"}",
               "{\"date\": \"2024-05-04\", \"becomes\": \"working\", \"source\": \"d\"},"
               "{\"date\": \"2024-13-01\", \"becomes\": \"day-off\", \"source\": \"d\"}");
    expect_calendar_error("kz-2024.json", "moves[1].date", "date.invalid");
    write_year(2024, "\"kurban-ait\": {\"date\": \"2024-06-16\", \"source\": \"SAMK\"}",
               "{\"date\": \"2024-05-04\", \"becomes\": \"holiday\", \"source\": \"d\"}");
    expect_calendar_error("kz-2024.json", "moves[0].becomes", "calendar.becomes_invalid");
    write_year(2024, "\"kurban-ait\": {\"date\": \"2024-06-16\", \"source\": \"SAMK\"}",
               "{\"date\": \"2024-05-04\", \"becomes\": \"working\"}");
    expect_calendar_error("kz-2024.json", "moves[0].source", "json.missing");
}

static void test_unknown_fields_and_wrong_types_are_refused(void **state)
{
    (void)state;
    write_file("holidays.json", "{\"source\": \"x\", \"holidays\": [{\"code\": \"a\", "
                                "\"dates\": [\"1-1\"], \"moves_on_weekend\": true, "
                                "\"name\": {\"kk\": \"a\", \"ru\": \"a\"}, \"source\": \"s\"}]}");
    write_year(2024, "", "");
    expect_calendar_error("holidays.json", "holidays[0].dates[0]",
                          "calendar.month_day_malformed");
    write_file("holidays.json", "{\"source\": \"x\", \"holidays\": [{\"code\": \"a\", "
                                "\"dates\": [\"01-01\"], \"moves_on_weekend\": \"yes\", "
                                "\"name\": {\"kk\": \"a\", \"ru\": \"a\"}, \"source\": \"s\"}]}");
    expect_calendar_error("holidays.json", "holidays[0].moves_on_weekend", "json.wrong_type");
    write_file("holidays.json", "{\"source\": \"x\", \"holidays\": [], \"extra\": 1}");
    expect_calendar_error("holidays.json", "extra", "json.unknown_field");
}

static void test_a_year_file_must_match_its_name_and_years_must_be_consecutive(void **state)
{
    (void)state;
    qz_err err;
    write_file("holidays.json", rules);
    write_year(2024, "\"kurban-ait\": {\"date\": \"2024-06-16\", \"source\": \"S\"}", "");
    write_file("kz-2025.json", "{\"year\": 2052, \"lunar\": {}, \"moves\": []}");
    expect_calendar_error("kz-2025.json", "year", "calendar.year_mismatch");
    write_year(2026, "\"kurban-ait\": {\"date\": \"2026-05-27\", \"source\": \"S\"}", "");
    char path[256];
    snprintf(path, sizeof path, "%s/kz-2025.json", dir);
    assert_int_equal(unlink(path), 0);
    assert_null(qz_calendar_load(dir, &err));
    assert_string_equal(err.key, "calendar.year_missing");
    assert_string_equal(err.value, "2025");
}

static void test_a_missing_directory_is_reported(void **state)
{
    (void)state;
    qz_err err;
    assert_null(qz_calendar_load("/nonexistent/qyzmet", &err));
    assert_string_equal(err.key, "file.cannot_open");
}

static void test_service_files_are_checked_field_by_field(void **state)
{
    (void)state;
    qz_err err;
    char services[128];
    snprintf(services, sizeof services, "%s/services", dir);
    assert_int_equal(mkdir(services, 0700), 0);
    write_file("services/a.json",
               "{\"code\": \"a\", \"versions\": [{\"in_force\": {\"from\": \"2022-01-24\", "
               "\"source\": \"s\"}, \"name\": {\"kk\": \"а\", \"ru\": \"а\"}, \"channels\": "
               "{\"psc\": {\"schedule\": \"psc\", \"source\": \"s\"}}, \"terms\": [{\"wd\": 5, "
               "\"hours\": 2, \"source\": \"s\"}]}]}");
    assert_null(qz_catalog_load(services, &err));
    assert_string_equal(err.key, "term.unit_count");
    assert_string_equal(err.field, "versions[0].terms[0]");
    assert_non_null(strstr(err.file, "services/a.json"));
    write_file("services/a.json",
               "{\"code\": \"a\", \"versions\": [{\"in_force\": {\"from\": \"2022-01-24\", "
               "\"source\": \"s\"}, \"name\": {\"kk\": \"а\", \"ru\": \"а\"}, \"channels\": "
               "{\"psc\": {\"schedule\": \"psc\", \"source\": \"s\"}}, \"terms\": [{\"wd\": 5, "
               "\"department\": \"capital\", \"source\": \"s\"}]}]}");
    assert_null(qz_catalog_load(services, &err));
    assert_string_equal(err.key, "term.department_invalid");
    assert_string_equal(err.field, "versions[0].terms[0].department");
}

static void test_schedules_refuse_overlapping_spans(void **state)
{
    (void)state;
    qz_err err;
    char s[256], z[256];
    write_file("s.json", "{\"schedules\": [{\"code\": \"x\", \"name\": {\"kk\": \"x\", \"ru\": "
                         "\"x\"}, \"hours\": {\"mon-fri\": [\"09:00-13:00\", \"12:00-18:00\"]}, "
                         "\"source\": \"s\"}]}");
    write_file("z.json", "{\"default\": \"k\", \"zones\": [{\"code\": \"k\", \"offsets\": "
                         "[{\"offset\": \"+05:00\"}], \"source\": \"s\"}]}");
    snprintf(s, sizeof s, "%s/s.json", dir);
    snprintf(z, sizeof z, "%s/z.json", dir);
    assert_null(qz_timetable_load(s, z, &err));
    assert_string_equal(err.key, "schedule.spans_overlap");
    assert_string_equal(err.field, "schedules[0].hours.mon-fri");
}

static void test_dates_and_times_are_parsed_strictly(void **state)
{
    (void)state;
    qz_date d;
    qz_local_time lt;
    qz_err err;
    assert_int_equal(qz_date_parse("2024-02-29", &d, &err), 0);
    assert_int_equal(qz_date_parse("2023-02-29", &d, &err), -1);
    assert_string_equal(err.key, "date.invalid");
    assert_int_equal(qz_date_parse("2023-2-28", &d, &err), -1);
    assert_string_equal(err.key, "date.malformed");
    assert_int_equal(qz_date_parse("2023-02-28x", &d, &err), -1);
    assert_int_equal(qz_date_parse("", &d, &err), -1);
    assert_int_equal(qz_local_time_parse("2024-03-01T09:30+05:00", &lt, &err), 0);
    assert_true(lt.has_offset);
    assert_int_equal(lt.offset_s, 5 * 3600);
    assert_int_equal(lt.second_of_day, 9 * 3600 + 30 * 60);
    assert_int_equal(qz_local_time_parse("2024-03-01 09:30:15Z", &lt, &err), 0);
    assert_int_equal(lt.offset_s, 0);
    assert_int_equal(qz_local_time_parse("2024-03-01T24:00", &lt, &err), -1);
    assert_int_equal(qz_local_time_parse("2024-03-01T09:30+5", &lt, &err), -1);
    assert_int_equal(qz_local_time_parse("2024-03-01+05:00", &lt, &err), -1);
    assert_int_equal(qz_date_weekday(qz_date_from_ymd(2026, 11, 23)), 1); /* a Monday */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_good_calendar_loads, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_broken_json_names_the_file_and_line, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(test_a_missing_lunar_date_names_the_holiday, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(test_a_bad_move_names_its_index_and_field, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(test_unknown_fields_and_wrong_types_are_refused,
                                        make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(
            test_a_year_file_must_match_its_name_and_years_must_be_consecutive, make_dir,
            remove_dir),
        cmocka_unit_test(test_a_missing_directory_is_reported),
        cmocka_unit_test_setup_teardown(test_service_files_are_checked_field_by_field, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(test_schedules_refuse_overlapping_spans, make_dir,
                                        remove_dir),
        cmocka_unit_test(test_dates_and_times_are_parsed_strictly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
