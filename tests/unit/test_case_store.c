/* Engine cases written to the store and read back: the whole path of the sample service
 * (tests/data/services/sample.json) durable step by step, a stale version refused, the
 * same idempotency key answered once, and the event chain whole afterwards. */
#include "core/calendar_load.h"
#include "core/engine.h"
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/case_store.h"
#include "store_tmp.h"

static qz_rules rules;

static int load_rules(void)
{
    qz_err err;
    rules.cal = qz_calendar_load(QZ_CATALOG_DIR "/calendar", &err);
    rules.tt = qz_timetable_load(QZ_CATALOG_DIR "/schedules.json",
                                 QZ_CATALOG_DIR "/calendar/zones.json", &err);
    rules.cat = rules.tt
                    ? qz_catalog_load(QZ_TEST_DATA_DIR "/services", QZ_CATALOG_DIR "/workflows",
                                      QZ_CATALOG_DIR "/roles.json", rules.tt, NULL, NULL, &err)
                    : NULL;
    if (rules.cat && qz_mci_load(QZ_CATALOG_DIR "/mci.json", &rules.mci, &err))
        return -1;
    return rules.cal && rules.cat ? 0 : -1;
}

static int setup(void **state)
{
    return load_rules() || tmp_setup(state);
}

static int teardown(void **state)
{
    qz_rules_free(&rules);
    return tmp_teardown(state);
}

static const qz_unit_ref units[] = {
    {"psc", "psc-astana-1", ""},
    {"prosecutor-committee", "pc-astana", "prosecutor-committee"},
    {"nsc", "nsc-astana", ""},
};
static const char *const docs[] = {"application", "identity"};

static qz_instant L(int mo, int d, int h)
{
    return T(2026, mo, d, h, 0, 5);
}

/* Applies an action and saves the result; returns the new case (the old one is freed). */
static qz_case *act_and_save(qz_store *st, qz_case *c, const char *action, const char *data,
                             qz_actor who, qz_instant now)
{
    json_error_t jerr;
    json_t *d = data ? json_loads(data, 0, &jerr) : NULL;
    qz_events ev = {0};
    qz_case *n = NULL;
    qz_case_written w = {0};
    qz_err err;
    if (qz_engine_apply(&rules, c, action, d, &who, now, &n, &ev, &err) ||
        qz_case_save(st, n, &ev, "KZ-71", NULL, NULL, now, &w, &err))
        fail_msg("%s: %s %s %s", action, err.key, err.field, err.value);
    assert_int_equal(w.id, c->id);
    assert_int_equal(w.version, c->version + 1);
    n->version = (int)w.version;
    json_decref(d);
    qz_events_clear(&ev);
    qz_case_free(c);
    return n;
}

static void test_a_case_is_durable_at_every_step_and_reads_back_the_same(void **state)
{
    tmp *t = *state;
    qz_store *st = NULL;
    qz_err err;
    qz_events ev = {0};
    qz_case *c = NULL;
    qz_case_written w = {0};
    qz_application app = {.service = "sample",
                          .channel = "psc",
                          .urgency = "general",
                          .lang = "ru",
                          .applicant = "921029350851",
                          .units = units,
                          .n_units = 3,
                          .documents = docs,
                          .n_documents = 2};
    qz_actor op = {"op1", "psc-operator", "psc-astana-1", NULL};
    assert_int_equal(qz_store_open(tmp_at(t, "cases.db"), &st, &err), 0);
    assert_int_equal(qz_engine_accept(&rules, &app, &op, L(11, 23, 10), &c, &ev, &err), 0);
    assert_int_equal(
        qz_case_save(st, c, &ev, "KZ-71", "op1:key-1", "{\"first\":true}", L(11, 23, 10), &w, &err),
        0);
    c->id = w.id;
    c->version = (int)w.version;
    snprintf(c->number, sizeof c->number, "%s", w.number);
    free(w.response);
    /* The same key again: the first answer, no second case. */
    qz_case_written again = {0};
    assert_int_equal(qz_case_save(st, c, &ev, "KZ-71", "op1:key-1", "{\"second\":true}",
                                  L(11, 23, 10), &again, &err),
                     0);
    assert_true(again.replayed);
    assert_int_equal(again.id, c->id);
    assert_string_equal(again.response, "{\"first\":true}");
    free(again.response);
    qz_events_clear(&ev);

    c = act_and_save(st, c, "register", NULL,
                     (qz_actor){"clerk1", "provider-clerk", "pc-astana", NULL}, L(11, 23, 11));
    c = act_and_save(st, c, "ok", "{\"card-index\": \"clear\", \"basis\": \"b\"}",
                     (qz_actor){"exec1", "provider-executor", "pc-astana", NULL}, L(11, 24, 12));
    qz_case *back = qz_case_load(st, rules.cat, c->id, &err);
    assert_non_null(back);
    json_t *a = qz_case_to_json(c), *b = qz_case_to_json(back);
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);

    /* A write from the version before is stale: refused, and nothing changes. */
    qz_case *stale = qz_case_clone(back);
    stale->version -= 1;
    qz_events none = {0};
    assert_int_equal(qz_case_save(st, stale, &none, "KZ-71", NULL, NULL, L(11, 24, 13), &w, &err),
                     -1);
    assert_string_equal(err.key, "store.stale_version");
    qz_case_free(stale);

    uint64_t n_events = 0;
    qz_audit_break brk;
    assert_int_equal(qz_store_audit_verify(st, &n_events, &brk, &err), 0);
    assert_int_equal(n_events, 3); /* accept, register, ok */
    qz_case_free(back);
    qz_case_free(c);
    qz_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_a_case_is_durable_at_every_step_and_reads_back_the_same, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
