/* When the calendar data changes under a store with open cases (here a made-up act makes
 * Friday 5 March 2027 a day off), `calendar reload` moves by one working day the dues of
 * the cases that cross that day, each with an event naming the act, and tells the moved
 * case's applicant; the other cases do not change. A store seeing its first calendar only
 * remembers it; a reload with nothing changed does nothing. */
#include "app/calendar_reload.h"
#include "core/calendar_load.h"
#include "core/rules.h"
#include "fixture.h"
#include "store/case_store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_tmp.h"

static qz_rules rules;
static qz_strings *strings;

static const char ACT[] = "Order of the Minister of Labour No. 999 of 1 December 2026 on moving "
                          "days off in 2027 (made up for this test)";
static const char MOVED_IIN[] = "921029350851", KEPT_IIN[] = "850315423272";

static int setup(void **state)
{
    qz_err err;
    if (qz_rules_load(QZ_CATALOG_DIR, NULL, NULL, &rules, &err))
        return -1;
    qz_calendar_free(rules.cal);
    rules.cal = qz_calendar_load_at(QZ_CATALOG_DIR "/calendar", 2026, &err);
    strings = qz_strings_load(QZ_CATALOG_DIR "/strings", &err);
    return rules.cal && strings ? tmp_setup(state) : -1;
}

static int teardown(void **state)
{
    qz_rules_free(&rules);
    qz_strings_free(strings);
    return tmp_teardown(state);
}

static const qz_unit_ref units[] = {
    {"psc", "psc-astana-1", ""},
    {"prosecutor-committee", "kpssu-astana", "prosecutor-committee"},
};
static const char *const docs[] = {"application", "identity", "official-document", "duty-receipt"};
static const qz_actor operator= {"operator.astana", "psc-operator", "psc-astana-1", NULL};

/* An apostille at a regional department (5 WD) accepted at 10:00 on `day`, written. */
static int64_t accept(qz_store *st, qz_date day, const char *applicant)
{
    qz_application app = {.service = "apostille",
                          .channel = "psc",
                          .department = "regional",
                          .lang = "ru",
                          .applicant = applicant,
                          .units = units,
                          .n_units = 2,
                          .documents = docs,
                          .n_documents = 4};
    qz_case *c = NULL;
    qz_events ev = {0};
    qz_case_written w = {0};
    qz_err err;
    qz_instant now = qz_instant_at(day, 10 * 3600, 5 * 3600);
    if (qz_engine_accept(&rules, &app, &operator, now, &c, &ev, &err) ||
        qz_case_save(st, c, &ev, "KZ-71", NULL, NULL, now, &w, &err))
        fail_msg("%s %s %s", err.key, err.field, err.value);
    qz_events_clear(&ev);
    qz_case_free(c);
    free(w.response);
    return w.id;
}

static qz_case *load(qz_store *st, int64_t id)
{
    qz_err err;
    qz_case *c = qz_case_load(st, rules.cat, id, &err);
    if (!c)
        fail_msg("%s", err.key);
    return c;
}

static char *due_text(const qz_case *c, char *buf)
{
    return qz_instant_format(c->due_at, 5 * 3600, buf);
}

/* Copies catalog/calendar into dir, with kz-2027.json given the made-up act (and, with
 * `saturday`, Saturday 6 March made a working day too). */
static void write_changed_calendar(const char *dir, bool saturday)
{
    char cmd[512], path[256];
    snprintf(cmd, sizeof cmd, "cp %s/calendar/*.json '%s'/", QZ_CATALOG_DIR, dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/kz-2027.json", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(
        f,
        "{\"year\": 2027, \"lunar\": {\"kurban-ait\": {\"date\": \"2027-05-16\","
        " \"estimated\": true, \"source\": \"estimate\"}},"
        " \"moves\": [{\"date\": \"2027-03-05\", \"becomes\": \"day-off\", \"source\": \"%s\"}%s]}",
        ACT,
        saturday ? ", {\"date\": \"2027-03-06\", \"becomes\": \"working\", \"source\": \"x\"}"
                 : "");
    assert_int_equal(fclose(f), 0);
}

static size_t messages_to(qz_store *st, const char *iin, qz_arena *a, qz_outbox_row **rows)
{
    size_t n = 0;
    qz_err err;
    assert_int_equal(qz_store_outbox_list(st, iin, a, rows, &n, &err), 0);
    return n;
}

static void test_a_changed_day_moves_the_cases_that_cross_it(void **state)
{
    tmp *t = *state;
    qz_err err;
    qz_store *st = store_open_ok(tmp_at(t, "reload.db"));
    qz_app app = {&rules, st, NULL, strings, NULL};
    qz_reload_report rep;
    qz_instant now = T(2026, 12, 3, 12, 0, 5);
    char due[QZ_INSTANT_STR];

    /* The first reload only remembers the calendar. */
    assert_int_equal(qz_calendar_reload(&app, now, &rep, &err), 0);
    assert_true(rep.first);
    assert_int_equal(rep.cases_moved, 0);

    /* Mon 1 March 2027: 2, 3, 4, 5 March (4), 8 March holiday, Tue 9 March (5). */
    int64_t crossing = accept(st, D(2027, 3, 1), MOVED_IIN);
    /* Wed 10 March 2027: 11, 12 (2), 15 March Constitution Day, 16, 17, 18 (5). */
    int64_t after = accept(st, D(2027, 3, 10), KEPT_IIN);
    qz_case *a0 = load(st, crossing), *b0 = load(st, after);
    assert_string_equal(due_text(a0, due), "2027-03-09T18:00:00+05:00");
    assert_string_equal(due_text(b0, due), "2027-03-18T18:00:00+05:00");
    qz_arena arena = QZ_ARENA_INIT;
    qz_outbox_row *rows = NULL;
    size_t before_a = messages_to(st, MOVED_IIN, &arena, &rows);
    size_t before_b = messages_to(st, KEPT_IIN, &arena, &rows);

    /* The act makes Friday 5 March a day off. */
    char dir[128];
    snprintf(dir, sizeof dir, "%s", tmp_at(t, ""));
    write_changed_calendar(dir, false);
    qz_calendar *old = rules.cal;
    rules.cal = qz_calendar_load_at(dir, 2026, &err);
    assert_non_null(rules.cal);
    assert_int_equal(qz_calendar_reload(&app, now, &rep, &err), 0);
    assert_false(rep.first);
    assert_int_equal(rep.days_changed, 1);
    assert_int_equal(rep.cases_checked, 2);
    assert_int_equal(rep.cases_moved, 1);
    assert_int_equal(rep.cases_failed, 0);

    /* The crossing case is due one working day later, Wednesday 10 March, with an event
     * naming the act; nothing else of it changed. */
    qz_case *a1 = load(st, crossing), *b1 = load(st, after);
    assert_string_equal(due_text(a1, due), "2027-03-10T18:00:00+05:00");
    assert_int_equal(a1->version, a0->version + 1);
    assert_int_equal(a1->state, a0->state);
    assert_int_equal(a1->accepted_at, a0->accepted_at);
    qz_event_row *ev = NULL;
    size_t n_ev = 0;
    assert_int_equal(qz_store_case_events(st, crossing, &arena, &ev, &n_ev, &err), 0);
    assert_string_equal(ev[n_ev - 1].action, "due_moved");
    assert_non_null(strstr(ev[n_ev - 1].data, "No. 999 of 1 December 2026"));
    assert_non_null(strstr(ev[n_ev - 1].data, "2027-03-10T18:00:00+05:00"));
    /* The other is as it was. */
    assert_string_equal(due_text(b1, due), "2027-03-18T18:00:00+05:00");
    assert_int_equal(b1->version, b0->version);

    /* The moved case's applicant is told; the other applicant is not. */
    assert_int_equal(messages_to(st, MOVED_IIN, &arena, &rows), before_a + 1);
    assert_string_equal(rows[before_a].channel, "cabinet");
    assert_non_null(strstr(rows[before_a].text, "2027-03-10")); /* the new hand-out date */
    assert_int_equal(messages_to(st, KEPT_IIN, &arena, &rows), before_b);

    /* Loading the same data again moves nothing. */
    assert_int_equal(qz_calendar_reload(&app, now, &rep, &err), 0);
    assert_int_equal(rep.days_changed, 0);
    assert_int_equal(rep.cases_moved, 0);

    /* A Saturday made a working day would bring the crossing case back to Tuesday 9 March:
     * a due given is not brought earlier (docs/calendar-sources.md), so nothing moves. */
    write_changed_calendar(dir, true);
    qz_calendar_free(rules.cal);
    rules.cal = qz_calendar_load_at(dir, 2026, &err);
    assert_non_null(rules.cal);
    assert_int_equal(qz_calendar_reload(&app, now, &rep, &err), 0);
    assert_int_equal(rep.days_changed, 1);
    assert_int_equal(rep.cases_moved, 0);
    qz_case *a2 = load(st, crossing);
    assert_string_equal(due_text(a2, due), "2027-03-10T18:00:00+05:00");
    assert_int_equal(a2->version, a1->version);
    qz_case_free(a2);

    qz_case_free(a0);
    qz_case_free(b0);
    qz_case_free(a1);
    qz_case_free(b1);
    qz_arena_free(&arena);
    qz_calendar_free(rules.cal);
    rules.cal = old;
    qz_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_changed_day_moves_the_cases_that_cross_it),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
