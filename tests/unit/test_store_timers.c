/* Timers in the store: the open steps a timer may concern, in one query, and each timer
 * recorded once per run of a step with its event, the case itself unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_tmp.h"

static int64_t create(qz_store *st, case_fixture *f)
{
    qz_case_written out;
    qz_err err;
    if (qz_store_case_write(st, &f->w, &out, &err) != 0)
        fail_msg("create: %s %s %s", err.key, err.field, err.value);
    return out.id;
}

static const qz_timer_row *find(const qz_timer_row *rows, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].step.case_id == id)
            return &rows[i];
    return NULL;
}

static void test_only_steps_in_their_last_quarter_are_listed(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    case_fixture f;
    qz_arena a = QZ_ARENA_INIT;
    qz_timer_row *rows;
    size_t n;
    qz_err err;
    qz_instant now = CASE_NOW + 80;                           /* steps started at CASE_NOW */
    case_fixture_init(&f, "provider-astana", CASE_NOW + 100); /* 20 of 100 left: at risk */
    int64_t risky = create(st, &f);
    case_fixture_init(&f, "provider-astana", CASE_NOW + 50); /* overdue */
    int64_t late = create(st, &f);
    case_fixture_init(&f, "provider-astana", CASE_NOW + 200); /* 120 of 200 left: fine */
    int64_t fine = create(st, &f);
    /* 30 of 110 left: more than a quarter (27.5), less than a third (36.7): not yet. */
    case_fixture_init(&f, "provider-astana", CASE_NOW + 110);
    int64_t third = create(st, &f);
    case_fixture_init(&f, "psc-astana-1", 0); /* ready, with no due time: no timer */
    f.w.status = "ready";
    f.step.step = "ready";
    int64_t ready = create(st, &f);
    case_fixture_init(&f, "provider-astana", CASE_NOW + 50); /* overdue but done */
    f.step.done_at = CASE_NOW + 10;
    int64_t done = create(st, &f);
    assert_int_equal(qz_store_timer_steps(st, now, &a, &rows, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_non_null(find(rows, n, risky));
    assert_null(find(rows, n, fine));
    assert_null(find(rows, n, third));
    assert_null(find(rows, n, done));
    assert_null(find(rows, n, ready));
    const qz_timer_row *r = find(rows, n, late);
    assert_non_null(r);
    assert_string_equal(r->service, "apostille");
    assert_string_equal(r->standard_version, "2022-01-24");
    assert_string_equal(r->region, "KZ-71");
    assert_int_equal(r->marked, 0);
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_a_timer_is_recorded_once_per_run_and_the_case_stays(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    case_fixture f;
    qz_arena a = QZ_ARENA_INIT;
    qz_timer_row *rows;
    qz_event_row *ev;
    qz_case_row c;
    size_t n;
    qz_err err;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 50);
    int64_t id = create(st, &f);
    qz_timer_mark m = {.case_id = id,
                       .step = "register",
                       .started_at = CASE_NOW,
                       .kind = QZ_TIMER_OVERDUE,
                       .event = {.at = CASE_NOW + 60,
                                 .actor = "sweeper",
                                 .role = "system",
                                 .action = "overdue",
                                 .data = "{\"step\":\"register\"}"}};
    assert_int_equal(qz_store_timer_mark(st, &m, &err), 0);
    assert_int_equal(qz_store_timer_mark(st, &m, &err), 1); /* again: nothing written */
    assert_int_equal(qz_store_case_events(st, id, &a, &ev, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(ev[1].action, "overdue");
    assert_int_equal(qz_store_case_get(st, id, &a, &c, &err), 0);
    assert_int_equal(c.version, 1);
    assert_int_equal(qz_store_timer_steps(st, CASE_NOW + 60, &a, &rows, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].marked, QZ_TIMER_OVERDUE);
    /* Another run of the step (started later) is a new one. */
    m.started_at = CASE_NOW + 30;
    assert_int_equal(qz_store_timer_mark(st, &m, &err), 0);
    m.kind = 3;
    assert_int_equal(qz_store_timer_mark(st, &m, &err), -1);
    assert_string_equal(err.key, "store.timer_kind");
    m.kind = QZ_TIMER_AT_RISK;
    m.case_id = id + 1;
    assert_int_equal(qz_store_timer_mark(st, &m, &err), -1);
    assert_string_equal(err.key, "store.case_not_found");
    assert_int_equal(qz_store_audit_verify(st, &(uint64_t){0}, &(qz_audit_break){0}, &err), 0);
    qz_arena_free(&a);
    qz_store_close(st);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)
    const struct CMUnitTest tests[] = {
        T(test_only_steps_in_their_last_quarter_are_listed),
        T(test_a_timer_is_recorded_once_per_run_and_the_case_stays),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
