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
    expect_calendar_error("holidays.json", "holidays[0].dates[0]", "calendar.month_day_malformed");
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

static void test_years_after_the_last_file_are_computed_with_estimates(void **state)
{
    (void)state;
    qz_err err;
    qz_year_state st;
    write_file("holidays.json", rules);
    write_year(2024, "\"kurban-ait\": {\"date\": \"2024-06-16\", \"source\": \"S\"}", "");
    /* Without served.json only the years with files are served. */
    qz_calendar *cal = qz_calendar_load_at(dir, 2024, &err);
    assert_non_null(cal);
    assert_int_equal(qz_calendar_last_year(cal), 2024);
    qz_calendar_free(cal);
    /* One year ahead of 2024: 2025 is computed, and needs an estimate of Kurban Ait. */
    write_file("served.json", "{\"years_ahead\": 1, \"source\": \"setting\"}");
    assert_null(qz_calendar_load_at(dir, 2024, &err));
    assert_string_equal(err.key, "calendar.estimate_missing");
    assert_string_equal(err.value, "2025");
    write_file("lunar-estimates.json", "{\"source\": \"t\", \"estimates\": {\"kurban-ait\": ["
                                       "{\"date\": \"2025-06-06\", \"source\": \"table\"}]}}");
    cal = qz_calendar_load_at(dir, 2024, &err);
    assert_non_null(cal);
    assert_int_equal(qz_calendar_last_year(cal), 2025);
    assert_int_equal(qz_calendar_year_state(cal, 2025, &st, &err), 0);
    assert_true(st.computed && st.moves_pending && st.lunar_estimated);
    assert_int_equal(st.estimated_on, qz_date_from_ymd(2025, 6, 6));
    assert_int_equal(qz_calendar_year_state(cal, 2024, &st, &err), 0);
    assert_false(qz_year_state_provisional(&st));
    /* 1 January 2025 is a holiday of holidays.json; 2026 is not served. */
    bool working = true;
    assert_int_equal(qz_calendar_is_working(cal, qz_date_from_ymd(2025, 1, 1), &working, &err), 0);
    assert_false(working);
    assert_int_equal(qz_calendar_is_working(cal, qz_date_from_ymd(2026, 1, 5), &working, &err), -1);
    assert_string_equal(err.key, "calendar.year_not_covered");
    qz_calendar_free(cal);
    /* A file that says its act is pending makes its year provisional. */
    write_file("kz-2024.json", "{\"year\": 2024, \"lunar\": {\"kurban-ait\": {\"date\": "
                               "\"2024-06-16\", \"source\": \"S\"}}, \"moves\": [],"
                               " \"pending\": \"the act\"}");
    cal = qz_calendar_load_at(dir, 2024, &err);
    assert_non_null(cal);
    assert_int_equal(qz_calendar_year_state(cal, 2024, &st, &err), 0);
    assert_true(st.moves_pending);
    assert_string_equal(st.pending, "the act");
    qz_calendar_free(cal);
}

static void test_a_missing_directory_is_reported(void **state)
{
    (void)state;
    qz_err err;
    assert_null(qz_calendar_load("/nonexistent/qyzmet", &err));
    assert_string_equal(err.key, "file.cannot_open");
}

/* Sets the member at a dotted path ("versions.0.terms.0.hours") of doc, taking value;
 * a NULL value deletes the member. */
static void set_path(json_t *doc, const char *path, json_t *value)
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", path);
    json_t *at = doc;
    char *part = strtok_r(buf, ".", &save), *next;
    while ((next = strtok_r(NULL, ".", &save)) != NULL) {
        at = json_is_array(at) ? json_array_get(at, (size_t)atoi(part)) : json_object_get(at, part);
        assert_non_null(at);
        part = next;
    }
    if (!value)
        assert_int_equal(json_object_del(at, part), 0);
    else if (json_is_array(at))
        assert_int_equal(json_array_set_new(at, (size_t)atoi(part), value), 0);
    else
        assert_int_equal(json_object_set_new(at, part, value), 0);
}

typedef struct breakage {
    const char *path;
    const char *value; /* JSON text; NULL deletes */
    const char *key, *field;
} breakage;

/* Each kind of mistake in a service file, made in a copy of the sample service. */
static const breakage breakages[] = {
    {"versions.0.terms.0.hours", "2", "term.unit_count", "versions[0].terms[0]"},
    {"versions.0.terms.0.department", "\"capital\"", "term.department_invalid",
     "versions[0].terms[0].department"},
    {"versions.0.colour", "\"red\"", "json.unknown_field", "versions[0].colour"},
    {"versions.0.grounds", NULL, "json.missing", "versions[0].grounds"},
    {"versions.0.channels.psc.schedule", "\"night\"", "schedule.unknown",
     "versions[0].channels.psc.schedule"},
    {"versions.0.documents.provider", "[]", "service.channel_unavailable",
     "versions[0].documents.provider"},
    {"versions.0.workflow.steps.register.actions.register.next", "\"nowhere\"",
     "workflow.next_unknown", "versions[0].workflow.steps.register.actions.register.next"},
    {"versions.0.workflow.steps.check.role", "\"wizard\"", "workflow.role_unknown",
     "versions[0].workflow.steps.check.role"},
    {"versions.0.workflow.steps.send.actions.sent.kind", "\"other\"", "workflow.walk_stops",
     "versions[0].workflow.steps"},
    {"versions.0.workflow.steps.check.actions.propose-refusal.fields", "[]",
     "workflow.refuse_needs_ground",
     "versions[0].workflow.steps.check.actions.propose-refusal.fields"},
    {"versions.0.workflow.steps.hearing.use", "\"trial\"", "workflow.template_unknown",
     "versions[0].workflow.steps.hearing.use"},
    {"versions.0.workflow.steps.done.actions",
     "{\"again\": {\"kind\": \"advance\", \"next\": \"ready\", \"name\": {\"kk\": \"а\", "
     "\"ru\": \"а\"}, \"source\": \"s\"}}",
     "workflow.final_has_actions", "versions[0].workflow.steps.done.actions"},
    {"versions.0.workflow.steps.check.actions.ok.fields.0.name", "\"no-such-check\"",
     "workflow.outcome_not_a_check", "versions[0].workflow.steps.check.actions.ok.fields"},
    {"versions.0.bundles", "[{\"with\": \"nothing\", \"source\": \"s\"}]", "service.unknown",
     "versions[0].bundles[0].with"},
    {"versions.0.workflow.steps.check.actions.ok.fields.1.required", "false",
     "workflow.outcome_needs_basis", "versions[0].workflow.steps.check.actions.ok.fields"},
    {"versions.0.workflow.steps.done.when", "{\"channel\": \"psc\"}", "workflow.when_needs_advance",
     "versions[0].workflow.steps.done.when"},
    {"versions.0.workflow.steps.register.actions.register.fields",
     "[{\"name\": \"executor\", \"type\": \"staff\", \"required\": true}]", "workflow.staff_role",
     "versions[0].workflow.steps.register.actions.register.fields[0].role"},
    {"versions.0.workflow.steps.check.party", "\"neighbour\"", "workflow.party_invalid",
     "versions[0].workflow.steps.check.party"},
    {"versions.0.workflow.steps.check.timeout", "\"vanish\"", "workflow.timeout_unknown",
     "versions[0].workflow.steps.check.timeout"},
    {"versions.0.workflow.steps.check.when", "{\"consent\": \"telepathy\"}",
     "guard.consent_invalid", "versions[0].workflow.steps.check.when.consent"},
    {"versions.0.third_party.consent", "\"telepathy\"", "guard.consent_invalid",
     "versions[0].third_party.consent"},
    {"versions.0.channels.portal.confirm", "{\"by\": [\"eds\", \"sms\"], \"source\": \"s\"}",
     "service.confirm_invalid", "versions[0].channels.portal.confirm.by[1]"},
    {"versions.0.channels.portal.confirm", "{\"by\": [\"otp\", \"otp\"], \"source\": \"s\"}",
     "service.code_duplicate", "versions[0].channels.portal.confirm.by[1]"},
    {"versions.0.channels.portal.confirm", "{\"by\": [], \"source\": \"s\"}", "json.empty",
     "versions[0].channels.portal.confirm.by"},
    {"versions.0.channels.portal.confirm", "[\"eds\", \"otp\"]", "json.wrong_type",
     "versions[0].channels.portal.confirm"},
    {"versions.0.channels.psc.confirm", "{\"by\": [\"otp\"], \"source\": \"s\"}",
     "service.confirm_not_portal", "versions[0].channels.psc.confirm"},
    /* the ready step keeps the result 2 months at the PSC, the storage block says 1 */
    {"versions.0.workflow.steps.ready.term.months", "2", "workflow.storage_mismatch",
     "versions[0].workflow.steps.ready.term"},
    {"versions.0.storage.provider_months", "3", "workflow.storage_mismatch",
     "versions[0].workflow.steps.unclaimed.term"},
    /* a ready step at the PSC must keep the result for the storage months, not 1 WD */
    {"versions.0.workflow.steps.refusal-ready.term", "{\"wd\": 1, \"source\": \"s\"}",
     "workflow.storage_mismatch", "versions[0].workflow.steps.refusal-ready.term"},
};

static void test_each_kind_of_mistake_in_a_service_is_named(void **state)
{
    (void)state;
    char services[128], path[256];
    qz_err err, terr;
    snprintf(services, sizeof services, "%s/services", dir);
    snprintf(path, sizeof path, "%s/a.json", services);
    assert_int_equal(mkdir(services, 0700), 0);
    qz_timetable *tt = qz_timetable_load(QZ_CATALOG_DIR "/schedules.json",
                                         QZ_CATALOG_DIR "/calendar/zones.json", &terr);
    assert_non_null(tt);
    for (size_t i = 0; i < sizeof breakages / sizeof breakages[0]; i++) {
        const breakage *b = &breakages[i];
        json_error_t jerr;
        json_t *doc = json_load_file(QZ_TEST_DATA_DIR "/services/sample.json", 0, &jerr);
        assert_non_null(doc);
        set_path(doc, b->path, b->value ? json_loads(b->value, JSON_DECODE_ANY, &jerr) : NULL);
        assert_int_equal(json_dump_file(doc, path, 0), 0);
        json_decref(doc);
        qz_catalog *cat = qz_catalog_load(services, QZ_CATALOG_DIR "/workflows",
                                          QZ_CATALOG_DIR "/roles.json", tt, NULL, NULL, &err);
        if (cat || strcmp(err.key, b->key) || strcmp(err.field, b->field) ||
            !strstr(err.file, "a.json"))
            fail_msg("%s: got %s at %s in %s, want %s at %s", b->path, cat ? "no error" : err.key,
                     err.field, err.file, b->key, b->field);
    }
    qz_timetable_free(tt);
}

static void test_the_sample_service_loads(void **state)
{
    (void)state;
    qz_err err;
    qz_timetable *tt = qz_timetable_load(QZ_CATALOG_DIR "/schedules.json",
                                         QZ_CATALOG_DIR "/calendar/zones.json", &err);
    qz_catalog *cat = qz_catalog_load(QZ_TEST_DATA_DIR "/services", QZ_CATALOG_DIR "/workflows",
                                      QZ_CATALOG_DIR "/roles.json", tt, NULL, NULL, &err);
    assert_non_null(cat);
    const qz_service *s = qz_catalog_service(cat, "sample", &err);
    assert_non_null(s);
    /* The hearing template became two steps, named after the step that uses it. */
    assert_non_null(qz_workflow_step(&s->versions[0].workflow, "hearing.held", NULL));
    /* The unclaimed template: its keeping step takes the months and timeout given, its
     * filed step the status and result given. */
    const qz_step *kept = qz_workflow_step(&s->versions[0].workflow, "unclaimed", NULL);
    assert_int_equal(kept->terms[0].term.unit, QZ_TERM_MONTHS);
    assert_int_equal(kept->terms[0].term.amount, 2);
    assert_string_equal(kept->timeout, "file");
    const qz_step *filed =
        qz_workflow_step(&s->versions[0].workflow, "refusal-unclaimed.filed", NULL);
    assert_int_equal(filed->status, QZ_STATUS_REFUSED);
    /* A portal without "confirm" takes the EDS alone; the desk confirms nothing. */
    assert_int_equal(qz_service_channel(&s->versions[0], "portal", &err)->confirm, QZ_CONFIRM_EDS);
    assert_null(qz_service_channel(&s->versions[0], "portal", &err)->confirm_source);
    assert_int_equal(qz_service_channel(&s->versions[0], "psc", &err)->confirm, 0);
    qz_catalog_free(cat);
    qz_timetable_free(tt);
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
        cmocka_unit_test_setup_teardown(test_unknown_fields_and_wrong_types_are_refused, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(
            test_a_year_file_must_match_its_name_and_years_must_be_consecutive, make_dir,
            remove_dir),
        cmocka_unit_test_setup_teardown(test_years_after_the_last_file_are_computed_with_estimates,
                                        make_dir, remove_dir),
        cmocka_unit_test(test_a_missing_directory_is_reported),
        cmocka_unit_test_setup_teardown(test_each_kind_of_mistake_in_a_service_is_named, make_dir,
                                        remove_dir),
        cmocka_unit_test(test_the_sample_service_loads),
        cmocka_unit_test_setup_teardown(test_schedules_refuse_overlapping_spans, make_dir,
                                        remove_dir),
        cmocka_unit_test(test_dates_and_times_are_parsed_strictly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
