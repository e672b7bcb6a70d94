/* The case engine on tests/data/services/sample.json, a service made to exercise every
 * mechanism (urgencies, checks, a hearing, an extension counted from an earlier step, a
 * deadline before the due date, same-day terms), on the real 2026 calendar. Instants are
 * local UTC+5; the expected ones are worked out in the comments. In November and
 * December 2026 the only day off besides weekends is Wednesday 16 December. */
#include "core/calendar_load.h"
#include "core/engine.h"
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static qz_rules rules;

static int setup(void **state)
{
    (void)state;
    qz_err err;
    rules.cal = qz_calendar_load(QZ_CATALOG_DIR "/calendar", &err);
    rules.tt = qz_timetable_load(QZ_CATALOG_DIR "/schedules.json",
                                 QZ_CATALOG_DIR "/calendar/zones.json", &err);
    rules.cat = rules.tt
                    ? qz_catalog_load(QZ_TEST_DATA_DIR "/services", QZ_CATALOG_DIR "/workflows",
                                      QZ_CATALOG_DIR "/roles.json", rules.tt, NULL, NULL, &err)
                    : NULL;
    if (!rules.cat || qz_mci_load(QZ_CATALOG_DIR "/mci.json", &rules.mci, &err))
        fprintf(stderr, "%s: %s: %s %s\n", err.file, err.field, err.key, err.value);
    return rules.cal && rules.tt && rules.cat && rules.mci.n ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    qz_rules_free(&rules);
    return 0;
}

static const qz_unit_ref units[] = {
    {"psc", "psc-astana-1", ""},
    {"prosecutor-committee", "pc-astana", "prosecutor-committee"},
    {"nsc", "nsc-astana", "provider-default"},
};
static const char *const docs[] = {"application", "identity"};

static const qz_actor operator_ = {"op1", "psc-operator", "psc-astana-1", NULL};
static const qz_actor clerk = {"clerk1", "provider-clerk", "pc-astana", NULL};
static const qz_actor executor = {"exec1", "provider-executor", "pc-astana", NULL};
static const qz_actor head = {"head1", "provider-head", "pc-astana", NULL};
static const qz_actor nsc = {"nsc1", "nsc-liaison", "nsc-astana", NULL};
static const qz_actor issuer = {"iss1", "psc-issuer", "psc-astana-1", NULL};

static qz_application app_of(const char *urgency)
{
    return (qz_application){.service = "sample",
                            .channel = "psc",
                            .urgency = urgency,
                            .lang = "kk",
                            .applicant = "921029350851",
                            .units = units,
                            .n_units = 3,
                            .documents = docs,
                            .n_documents = 2};
}

static qz_instant L(int mo, int d, int h, int mi)
{
    return T(2026, mo, d, h, mi, 5);
}

/* Accepts the general-order application on Mon 23 Nov 2026 at 10:00. */
static qz_case *accepted(qz_events *ev)
{
    qz_application app = app_of("general");
    qz_case *c = NULL;
    qz_err err;
    assert_int_equal(qz_engine_accept(&rules, &app, &operator_, L(11, 23, 10, 0), &c, ev, &err), 0);
    return c;
}

/* Applies an action that must succeed; frees the old case. */
static qz_case *step(qz_case *c, const char *action, const char *data_json, const qz_actor *a,
                     qz_instant now, qz_events *ev)
{
    json_error_t jerr;
    json_t *data = data_json ? json_loads(data_json, 0, &jerr) : NULL;
    qz_case *n = NULL;
    qz_err err;
    int rc = qz_engine_apply(&rules, c, action, data, a, now, &n, ev, &err);
    if (rc)
        fail_msg("%s: %s %s %s", action, err.key, err.field, err.value);
    json_decref(data);
    qz_case_free(c);
    return n;
}

static const char *state(const qz_case *c)
{
    return qz_case_step(c)->code;
}

static void test_acceptance_computes_the_binding_due_and_the_first_step(void **st)
{
    (void)st;
    qz_events ev = {0};
    qz_case *c = accepted(&ev);
    /* 10 WD after Mon 23 Nov: 24, 25, 26, 27, 30 Nov, 1, 2, 3, 4, 7 Dec; PSC closes 18:00. */
    assert_int_equal(c->due_at, L(12, 7, 18, 0));
    assert_string_equal(state(c), "register");
    assert_int_equal(c->status, QZ_STATUS_OPEN);
    /* "10 minutes on the day received" from 10:00 in the Committee's hours. */
    assert_int_equal(qz_case_run(c)->due_at, L(11, 23, 10, 10));
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.v[0].action, "accept");
    assert_string_equal(ev.v[0].to, "register");
    qz_case_free(c);
    qz_events_clear(&ev);
}

static void test_the_normal_path_reaches_hand_out_with_each_due(void **st)
{
    (void)st;
    qz_events ev = {0};
    qz_case *c = accepted(&ev);
    c = step(c, "register", NULL, &clerk, L(11, 23, 11, 0), &ev);
    /* check: 3 WD (general order) after Mon 23 Nov: Thu 26 Nov, Committee closes 18:30. */
    assert_string_equal(state(c), "check");
    assert_int_equal(qz_case_run(c)->due_at, L(11, 26, 18, 30));
    c = step(c, "ok", "{\"card-index\": \"clear\", \"basis\": \"card index, entry 12\"}", &executor,
             L(11, 24, 12, 0), &ev);
    assert_string_equal(qz_case_check(c, "card-index"), "clear");
    /* agree: 3 WD after Tue 24 Nov: Fri 27 Nov 18:30. */
    assert_int_equal(qz_case_run(c)->due_at, L(11, 27, 18, 30));
    c = step(c, "agreed", NULL, &nsc, L(11, 26, 10, 0), &ev);
    /* prepare: one hour on the day received: 11:00. */
    assert_string_equal(state(c), "prepare");
    assert_int_equal(qz_case_run(c)->due_at, L(11, 26, 11, 0));
    c = step(c, "prepared", NULL, &executor, L(11, 26, 10, 30), &ev);
    /* send: no later than one working day before the due date (Mon 7 Dec): Fri 4 Dec,
     * when the Committee closes, 18:30. */
    assert_int_equal(qz_case_run(c)->due_at, L(12, 4, 18, 30));
    c = step(c, "sent", NULL, &clerk, L(11, 27, 9, 0), &ev);
    assert_int_equal(c->status, QZ_STATUS_READY);
    c = step(c, "hand-out", NULL, &issuer, L(11, 30, 9, 0), &ev);
    assert_int_equal(c->status, QZ_STATUS_DONE);
    assert_string_equal(c->result, "issued");
    assert_false(c->at_risk);
    assert_int_equal(ev.n, 7); /* accept and six actions */
    assert_string_equal(ev.v[3].from, "agree");
    assert_string_equal(ev.v[3].to, "prepare");
    assert_string_equal(ev.v[3].actor, "nsc1");
    qz_case_free(c);
    qz_events_clear(&ev);
}

static void test_the_extension_runs_from_the_agreement_and_puts_the_case_at_risk(void **st)
{
    (void)st;
    qz_events ev = {0};
    qz_case *c = accepted(&ev);
    c = step(c, "register", NULL, &clerk, L(11, 23, 11, 0), &ev);
    c = step(c, "ok", "{\"card-index\": \"clear\", \"basis\": \"b\"}", &executor, L(11, 24, 12, 0),
             &ev);
    c = step(c, "extend", NULL, &nsc, L(11, 25, 10, 0), &ev);
    /* The written notice within 5 WD of Wed 25 Nov: Wed 2 Dec 18:30. */
    assert_string_equal(state(c), "notice");
    assert_int_equal(qz_case_run(c)->due_at, L(12, 2, 18, 30));
    c = step(c, "notify", NULL, &executor, L(11, 25, 15, 0), &ev);
    /* 30 calendar days from the agreement's start (Tue 24 Nov): Thu 24 Dec, 18:30. That is
     * after the binding due (7 Dec): the case is at risk. */
    assert_string_equal(state(c), "agree-extended");
    assert_int_equal(qz_case_run(c)->due_at, L(12, 24, 18, 30));
    assert_true(c->at_risk);
    qz_case_free(c);
    qz_events_clear(&ev);
}

static void test_a_refusal_goes_through_the_hearing_with_its_ground(void **st)
{
    (void)st;
    qz_events ev = {0};
    qz_case *c = accepted(&ev);
    c = step(c, "register", NULL, &clerk, L(11, 23, 11, 0), &ev);
    c = step(c, "propose-refusal", "{\"ground\": \"unreliable\"}", &executor, L(11, 24, 12, 0),
             &ev);
    /* The notice at least 3 WD before the due date (Mon 7 Dec): Fri 4 (1), Thu 3 (2),
     * Wed 2 Dec (3), 18:30. */
    assert_string_equal(state(c), "hearing");
    assert_int_equal(qz_case_run(c)->due_at, L(12, 2, 18, 30));
    c = step(c, "notify", "{\"hearing_at\": \"2026-11-27 11:00\", \"hearing_place\": \"room 4\"}",
             &executor, L(11, 25, 10, 0), &ev);
    /* The hearing within 2 WD of the notice: Fri 27 Nov 18:30. */
    assert_string_equal(state(c), "hearing.held");
    assert_int_equal(qz_case_run(c)->due_at, L(11, 27, 18, 30));
    c = step(c, "refuse", "{\"ground\": \"unreliable\"}", &head, L(11, 27, 11, 30), &ev);
    c = step(c, "sent", NULL, &clerk, L(11, 30, 9, 0), &ev);
    c = step(c, "hand-out", NULL, &issuer, L(12, 1, 9, 0), &ev);
    assert_int_equal(c->status, QZ_STATUS_REFUSED);
    assert_string_equal(c->result, "refusal");
    assert_string_equal(json_string_value(json_object_get(c->data, "ground")), "unreliable");
    qz_case_free(c);
    qz_events_clear(&ev);
}

static void test_a_hearing_can_grant_the_service(void **st)
{
    (void)st;
    qz_events ev = {0};
    qz_case *c = accepted(&ev);
    c = step(c, "register", NULL, &clerk, L(11, 23, 11, 0), &ev);
    c = step(c, "propose-refusal", "{\"ground\": \"unreliable\"}", &executor, L(11, 24, 12, 0),
             &ev);
    c = step(c, "notify", "{\"hearing_at\": \"2026-11-25 10:00\", \"hearing_place\": \"online\"}",
             &executor, L(11, 24, 13, 0), &ev);
    c = step(c, "grant", NULL, &head, L(11, 25, 10, 0), &ev);
    assert_string_equal(state(c), "agree");
    qz_case_free(c);
    qz_events_clear(&ev);
}

static void test_urgency_selects_the_terms(void **st)
{
    (void)st;
    qz_events ev = {0};
    qz_application app = app_of("1");
    qz_case *c = NULL;
    qz_err err;
    assert_int_equal(qz_engine_accept(&rules, &app, &operator_, L(11, 23, 10, 0), &c, &ev, &err),
                     0);
    /* Category 1: 2 WD overall, Wed 25 Nov 18:00; the check 1 WD: Tue 24 Nov 18:30. */
    assert_int_equal(c->due_at, L(11, 25, 18, 0));
    c = step(c, "register", NULL, &clerk, L(11, 23, 11, 0), &ev);
    assert_int_equal(qz_case_run(c)->due_at, L(11, 24, 18, 30));
    app.urgency = "7";
    qz_case *bad = NULL;
    assert_int_equal(qz_engine_accept(&rules, &app, &operator_, L(11, 23, 10, 0), &bad, &ev, &err),
                     -1);
    assert_string_equal(err.key, "case.option_invalid");
    assert_string_equal(err.field, "urgency");
    app.urgency = NULL;
    assert_int_equal(qz_engine_accept(&rules, &app, &operator_, L(11, 23, 10, 0), &bad, &ev, &err),
                     -1);
    assert_string_equal(err.key, "term.option_needed");
    qz_case_free(c);
    qz_events_clear(&ev);
}

static void test_the_desk_refuses_an_incomplete_set_naming_what_is_missing(void **st)
{
    (void)st;
    qz_events ev = {0};
    qz_application app = app_of("general");
    qz_case *c = NULL;
    qz_err err;
    const char *only[] = {"application"};
    app.documents = only;
    app.n_documents = 1;
    assert_int_equal(qz_engine_accept(&rules, &app, &operator_, L(11, 23, 10, 0), &c, &ev, &err),
                     -1);
    assert_string_equal(err.key, "case.documents_missing");
    assert_string_equal(err.value, "identity");
    /* A document required only when the payload says so. */
    json_t *payload = json_pack("{s:b}", "born_before_1924", 1);
    app = app_of("general");
    app.payload = payload;
    assert_int_equal(qz_engine_accept(&rules, &app, &operator_, L(11, 23, 10, 0), &c, &ev, &err),
                     -1);
    assert_string_equal(err.value, "parents-data");
    const char *missing[4];
    assert_int_equal(qz_engine_missing(&qz_catalog_at(rules.cat, 0)->versions[0], &app, missing, 4),
                     1);
    json_decref(payload);
    assert_null(c);
    assert_int_equal(ev.n, 0);
}

static void test_channels_check_who_accepts_and_their_guard(void **st)
{
    (void)st;
    qz_events ev = {0};
    qz_application app = app_of("general");
    qz_case *c = NULL;
    qz_err err;
    const qz_actor applicant = {"921029350851", "applicant", "", NULL};
    app.channel = "portal";
    assert_int_equal(qz_engine_accept(&rules, &app, &applicant, L(11, 23, 10, 0), &c, &ev, &err),
                     -1);
    assert_string_equal(err.key, "case.guard_failed");
    json_t *payload = json_pack("{s:s}", "reason", "change");
    app.payload = payload;
    assert_int_equal(qz_engine_accept(&rules, &app, &operator_, L(11, 23, 10, 0), &c, &ev, &err),
                     -1);
    assert_string_equal(err.key, "case.role_forbidden");
    /* On the portal on Saturday 28 Nov: accepted Monday 30 Nov 09:00; 10 WD: Mon 14 Dec. */
    assert_int_equal(qz_engine_accept(&rules, &app, &applicant, L(11, 28, 15, 0), &c, &ev, &err),
                     0);
    assert_int_equal(c->accepted_at, L(11, 30, 9, 0));
    assert_int_equal(c->due_at, L(12, 14, 18, 0));
    json_decref(payload);
    qz_case_free(c);
    qz_events_clear(&ev);
}

static void expect_refused(const qz_case *c, const char *action, const char *data_json,
                           const qz_actor *a, const char *key, const char *field)
{
    qz_events ev = {0};
    json_error_t jerr;
    json_t *data = data_json ? json_loads(data_json, 0, &jerr) : NULL;
    qz_case *n = NULL;
    qz_err err;
    assert_int_equal(qz_engine_apply(&rules, c, action, data, a, L(11, 24, 9, 0), &n, &ev, &err),
                     -1);
    assert_string_equal(err.key, key);
    if (field)
        assert_string_equal(err.field, field);
    assert_null(n);
    assert_int_equal(ev.n, 0);
    json_decref(data);
}

static void test_roles_units_and_fields_are_enforced(void **st)
{
    (void)st;
    qz_events ev = {0};
    qz_case *c = accepted(&ev);
    const qz_actor other_clerk = {"clerk9", "provider-clerk", "pc-almaty", NULL};
    expect_refused(c, "register", NULL, &executor, "case.role_forbidden", "role");
    expect_refused(c, "register", NULL, &other_clerk, "case.unit_forbidden", "unit");
    expect_refused(c, "sent", NULL, &clerk, "case.action_unknown", "action");
    c = step(c, "register", NULL, &clerk, L(11, 23, 11, 0), &ev);
    expect_refused(c, "ok", NULL, &executor, "case.field_missing", "card-index");
    expect_refused(c, "ok", "{\"card-index\": \"maybe\"}", &executor, "case.field_invalid",
                   "card-index");
    expect_refused(c, "ok", "{\"card-index\": \"clear\", \"x\": 1}", &executor,
                   "case.field_unknown", "x");
    expect_refused(c, "propose-refusal", "{\"ground\": \"too-late\"}", &executor,
                   "case.field_invalid", "ground");
    qz_case_free(c);
    qz_events_clear(&ev);
}

static void test_actions_listed_are_exactly_what_the_actor_may_do(void **st)
{
    (void)st;
    qz_events ev = {0};
    qz_action_view v[8];
    qz_case *c = accepted(&ev);
    assert_int_equal(qz_engine_actions(&rules, c, &clerk, v, 8), 1);
    assert_string_equal(v[0].spec->code, "register");
    assert_int_equal(qz_engine_actions(&rules, c, &executor, v, 8), 0);
    c = step(c, "register", NULL, &clerk, L(11, 23, 11, 0), &ev);
    assert_int_equal(qz_engine_actions(&rules, c, &executor, v, 8), 2);
    assert_string_equal(v[0].spec->code, "ok");
    assert_int_equal(v[0].spec->kind, QZ_ACTION_ADVANCE);
    assert_int_equal(v[1].spec->kind, QZ_ACTION_REFUSE);
    assert_int_equal(v[1].spec->fields[0].type, QZ_FIELD_GROUND);
    c = step(c, "ok", "{\"card-index\": \"hit\", \"basis\": \"b\"}", &executor, L(11, 24, 12, 0),
             &ev);
    /* In the agreement step only the Committee's liaison acts. */
    assert_int_equal(qz_engine_actions(&rules, c, &executor, v, 8), 0);
    assert_int_equal(qz_engine_actions(&rules, c, &nsc, v, 8), 2);
    qz_case_free(c);
    qz_events_clear(&ev);
}

/* The head assigns the check to one executor: only they are offered it and may take it;
 * a clerk may not assign, nor a head of a unit the case does not name. */
static void test_an_assigned_executor_alone_works_the_step(void **st)
{
    (void)st;
    qz_events ev = {0};
    qz_action_view v[8];
    qz_case *c = accepted(&ev), *n = NULL;
    const qz_actor executor2 = {"exec2", "provider-executor", "pc-astana", NULL};
    const qz_actor other_head = {"head9", "provider-head", "pc-almaty", NULL};
    qz_err err;
    assert_int_equal(qz_engine_assign(&rules, c, &clerk, "provider-executor", "exec2",
                                      L(11, 23, 10, 30), &n, &ev, &err),
                     -1);
    assert_string_equal(err.key, "case.assign_forbidden");
    assert_int_equal(qz_engine_assign(&rules, c, &other_head, "provider-executor", "exec2",
                                      L(11, 23, 10, 30), &n, &ev, &err),
                     -1);
    assert_string_equal(err.key, "case.unit_forbidden");
    assert_int_equal(qz_engine_assign(&rules, c, &head, "provider-executor", "exec2",
                                      L(11, 23, 10, 30), &n, &ev, &err),
                     0);
    assert_string_equal(ev.v[ev.n - 1].action, "assign");
    assert_string_equal(qz_case_assignee(n, "provider-executor"), "exec2");
    assert_null(qz_case_assignee(c, "provider-executor")); /* c is unchanged */
    qz_case_free(c);
    c = step(n, "register", NULL, &clerk, L(11, 23, 11, 0), &ev);
    assert_int_equal(qz_engine_actions(&rules, c, &executor, v, 8), 0);
    assert_int_equal(qz_engine_actions(&rules, c, &executor2, v, 8), 2);
    expect_refused(c, "ok", "{\"card-index\": \"clear\", \"basis\": \"b\"}", &executor,
                   "case.assigned_to_other", "role");
    c = step(c, "ok", "{\"card-index\": \"clear\", \"basis\": \"b\"}", &executor2, L(11, 24, 12, 0),
             &ev);
    qz_case_free(c);
    qz_events_clear(&ev);
}

static void test_a_case_survives_a_round_trip_through_json(void **st)
{
    (void)st;
    qz_events ev = {0};
    qz_err err;
    qz_case *c = accepted(&ev);
    c = step(c, "register", NULL, &clerk, L(11, 23, 11, 0), &ev);
    json_t *doc = qz_case_to_json(c);
    qz_case *back = qz_case_from_json(rules.cat, doc, &err);
    assert_non_null(back);
    json_t *again = qz_case_to_json(back);
    assert_true(json_equal(doc, again));
    assert_int_equal(back->state, c->state);
    assert_int_equal(back->n_runs, 2);
    json_decref(doc);
    json_decref(again);
    qz_case_free(back);
    qz_case_free(c);
    qz_events_clear(&ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acceptance_computes_the_binding_due_and_the_first_step),
        cmocka_unit_test(test_the_normal_path_reaches_hand_out_with_each_due),
        cmocka_unit_test(test_the_extension_runs_from_the_agreement_and_puts_the_case_at_risk),
        cmocka_unit_test(test_a_refusal_goes_through_the_hearing_with_its_ground),
        cmocka_unit_test(test_a_hearing_can_grant_the_service),
        cmocka_unit_test(test_urgency_selects_the_terms),
        cmocka_unit_test(test_the_desk_refuses_an_incomplete_set_naming_what_is_missing),
        cmocka_unit_test(test_channels_check_who_accepts_and_their_guard),
        cmocka_unit_test(test_roles_units_and_fields_are_enforced),
        cmocka_unit_test(test_actions_listed_are_exactly_what_the_actor_may_do),
        cmocka_unit_test(test_an_assigned_executor_alone_works_the_step),
        cmocka_unit_test(test_a_case_survives_a_round_trip_through_json),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
