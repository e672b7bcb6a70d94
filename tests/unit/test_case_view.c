/* Cases as the API shows them (http/case_view.h): instants with their offset, steps,
 * the actions of the caller only (with the allowed values of grounds and outcomes), the
 * receipts, and an inbox line's overdue and at-risk flags. An apostille accepted at the
 * Astana PSC on Monday 23 November 2026 at 10:00 (UTC+5) is the running example. */
#include "core/engine.h"
#include "http/case_view.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static qz_rules rules;

static const qz_unit_ref units[] = {
    {"psc", "psc-astana-1", ""},
    {"prosecutor-committee", "kpssu-astana", "prosecutor-committee"},
};
static const char *const all_docs[] = {"application", "identity", "official-document",
                                       "duty-receipt"};
static const qz_actor operator= {"operator.astana", "psc-operator", "psc-astana-1", NULL};
static const qz_actor clerk = {"clerk.kpssu", "provider-clerk", "kpssu-astana", NULL};
static const qz_actor executor = {"executor.kpssu", "provider-executor", "kpssu-astana", NULL};
static const qz_actor head = {"head.kpssu", "provider-head", "kpssu-astana", NULL};
static const qz_actor applicant = {"921029350851", "applicant", NULL, "921029350851"};
static const qz_actor stranger = {"850315423272", "applicant", NULL, "850315423272"};

/* Monday 23 November 2026, 10:00 in Astana (UTC+5). */
static qz_instant at(int day, int hour)
{
    return qz_instant_at(qz_date_from_ymd(2026, 11, day), hour * 3600, 5 * 3600);
}

static int setup(void **state)
{
    (void)state;
    qz_err err;
    return qz_rules_load(QZ_CATALOG_DIR, NULL, NULL, &rules, &err);
}

static int teardown(void **state)
{
    (void)state;
    qz_rules_free(&rules);
    return 0;
}

static qz_application apostille(size_t n_docs)
{
    return (qz_application){.service = "apostille",
                            .channel = "psc",
                            .department = "regional",
                            .lang = "ru",
                            .applicant = "921029350851",
                            .units = units,
                            .n_units = 2,
                            .documents = all_docs,
                            .n_documents = n_docs};
}

static qz_case *accepted(void)
{
    qz_application app = apostille(4);
    qz_case *c = NULL;
    qz_events ev = {0};
    qz_err err;
    if (qz_engine_accept(&rules, &app, &operator, at(23, 10), &c, &ev, &err))
        fail_msg("%s %s", err.key, err.value);
    qz_events_clear(&ev);
    c->id = 7;
    c->version = 1;
    snprintf(c->number, sizeof c->number, "KZ-71-00000007");
    return c;
}

static qz_case *step(qz_case *c, const char *action, const char *data, const qz_actor *who)
{
    json_t *d = data ? json_loads(data, 0, NULL) : NULL;
    qz_case *n = NULL;
    qz_events ev = {0};
    qz_err err;
    if (qz_engine_apply(&rules, c, action, d, who, at(23, 11), &n, &ev, &err))
        fail_msg("%s: %s %s %s", action, err.key, err.field, err.value);
    json_decref(d);
    qz_events_clear(&ev);
    qz_case_free(c);
    return n;
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void test_the_case_shows_instants_with_offset_and_the_callers_actions_only(void **state)
{
    (void)state;
    qz_case *c = accepted();
    json_t *v = qz_view_case(&rules, c, NULL, 0, &operator);
    assert_non_null(v);
    /* 5 working days after Monday 23 Nov, the day of acceptance not counted: Tue 24 …
     * Mon 30 Nov, to the PSC's close at 18:00. */
    assert_string_equal(str(v, "due_at"), "2026-11-30T18:00:00+05:00");
    assert_string_equal(str(v, "state"), "intake");
    assert_string_equal(str(v, "status"), "open");
    assert_string_equal(str(v, "branch"), "psc-astana-1");
    json_t *steps = json_object_get(v, "steps");
    assert_int_equal(json_array_size(steps), 1);
    assert_string_equal(str(json_array_get(steps, 0), "role"), "psc-operator");
    assert_true(json_is_null(json_object_get(json_array_get(steps, 0), "done_at")));
    json_t *actions = json_object_get(v, "actions");
    assert_int_equal(json_array_size(actions), 1);
    assert_string_equal(str(json_array_get(actions, 0), "name"), "certify");
    assert_string_equal(str(json_array_get(actions, 0), "kind"), "advance");
    json_decref(v);
    v = qz_view_case(&rules, c, NULL, 0, &clerk); /* not the clerk's step yet */
    assert_int_equal(json_array_size(json_object_get(v, "actions")), 0);
    json_decref(v);
    v = qz_view_case(&rules, c, NULL, 0, &applicant); /* nor the applicant's */
    assert_int_equal(json_array_size(json_object_get(v, "actions")), 0);
    json_decref(v);
    qz_case_free(c);
}

/* Once certified, the consent is the applicant's own: the operator, another person and
 * the provider are offered nothing; the sweeper's lapse is offered to nobody. */
static void test_the_consent_is_offered_to_the_person_concerned_only(void **state)
{
    (void)state;
    qz_case *c = step(accepted(), "certify", NULL, &operator);
    json_t *v = qz_view_case(&rules, c, NULL, 0, &applicant);
    assert_string_equal(str(v, "state"), "intake.consent");
    json_t *actions = json_object_get(v, "actions");
    assert_int_equal(json_array_size(actions), 2);
    assert_string_equal(str(json_array_get(actions, 0), "name"), "consent");
    assert_string_equal(str(json_array_get(actions, 0), "kind"), "advance");
    assert_string_equal(str(json_array_get(actions, 1), "name"), "decline");
    json_decref(v);
    const qz_actor *others[] = {&operator, & stranger, &clerk};
    for (size_t i = 0; i < 3; i++) {
        v = qz_view_case(&rules, c, NULL, 0, others[i]);
        assert_int_equal(json_array_size(json_object_get(v, "actions")), 0);
        json_decref(v);
    }
    qz_case *n = NULL;
    qz_events ev = {0};
    qz_err err;
    assert_int_equal(
        qz_engine_apply(&rules, c, "consent", NULL, &stranger, at(23, 11), &n, &ev, &err), -1);
    assert_string_equal(err.key, "case.not_the_person");
    assert_int_equal(
        qz_engine_apply(&rules, c, "lapse", NULL, &applicant, at(23, 11), &n, &ev, &err), -1);
    assert_string_equal(err.key, "case.action_unknown");
    c = step(c, "consent", NULL, &applicant);
    assert_string_equal(qz_case_step(c)->code, "dispatch");
    qz_case_free(c);
}

static void test_a_refusal_action_names_its_fields_and_the_grounds_allowed(void **state)
{
    (void)state;
    qz_case *c = accepted();
    c = step(c, "certify", NULL, &operator);
    c = step(c, "consent", NULL, &applicant);
    c = step(c, "send", NULL, &operator);
    c = step(c, "register", "{\"journal_number\":\"A-1\"}", &clerk);
    c = step(
        c, "checked",
        "{\"information-systems\":\"clear\",\"card-index\":\"clear\",\"authenticity\":\"clear\","
        "\"basis\":\"the register and the card index\"}",
        &executor);
    json_t *v = qz_view_case(&rules, c, NULL, 0, &head);
    json_t *actions = json_object_get(v, "actions");
    assert_int_equal(json_array_size(actions), 2);
    json_t *refuse = json_array_get(actions, 1);
    assert_string_equal(str(refuse, "kind"), "refuse");
    json_t *ground = json_array_get(json_object_get(refuse, "fields"), 0);
    assert_string_equal(str(ground, "name"), "ground");
    assert_string_equal(str(ground, "type"), "ground");
    assert_true(json_is_true(json_object_get(ground, "required")));
    json_t *values = json_object_get(ground, "values");
    assert_int_equal(json_array_size(values), c->ver->n_grounds);
    assert_string_equal(json_string_value(json_array_get(values, 0)), c->ver->grounds[0].code);
    assert_int_equal(json_array_size(json_object_get(v, "steps")), 6); /* five done, one open */
    json_decref(v);
    qz_case_free(c);
}

static void test_the_acceptance_receipt_lists_documents_by_name_and_the_hand_out_day(void **state)
{
    (void)state;
    qz_case *c = accepted();
    qz_unit_row branch = {.code = "psc-astana-1", .name_kk = "ХҚКО №1", .name_ru = "ЦОН №1"};
    qz_desk desk = {.actor = &operator, .branch = & branch, .at = at(23, 10)};
    json_t *v = qz_view_accepted(&rules, c, &desk);
    assert_non_null(v);
    assert_int_equal(json_integer_value(json_object_get(v, "id")), 7);
    json_t *r = json_object_get(v, "receipt");
    assert_string_equal(str(r, "hand_out_on"), "2026-11-30");
    assert_string_equal(str(r, "at"), "2026-11-23T10:00:00+05:00");
    assert_string_equal(str(json_object_get(r, "operator"), "login"), "operator.astana");
    json_t *docs = json_object_get(r, "documents");
    assert_int_equal(json_array_size(docs), 4);
    assert_string_equal(str(json_array_get(docs, 3), "kind"), "duty-receipt");
    assert_non_null(str(json_object_get(json_array_get(docs, 3), "name"), "ru"));
    json_decref(v);
    qz_case_free(c);
}

static void test_the_refusal_receipt_names_each_missing_document(void **state)
{
    (void)state;
    qz_application app = apostille(2); /* application and identity only */
    const qz_service *s = qz_catalog_service(rules.cat, "apostille", NULL);
    const qz_service_version *v = &s->versions[s->n_versions - 1];
    qz_desk desk = {.actor = &operator, .at = at(23, 10)};
    json_t *r = qz_view_refusal(v, &app, &desk, qz_timetable_default_zone(rules.tt));
    assert_string_equal(str(r, "kind"), "refusal");
    json_t *missing = json_object_get(r, "missing");
    assert_int_equal(json_array_size(missing), 2);
    assert_string_equal(str(json_array_get(missing, 0), "kind"), "official-document");
    assert_string_equal(str(json_array_get(missing, 1), "kind"), "duty-receipt");
    assert_non_null(str(json_object_get(json_array_get(missing, 1), "name"), "kk"));
    assert_int_equal(json_array_size(json_object_get(r, "documents")), 2);
    json_decref(r);
}

static void test_an_inbox_line_is_at_risk_in_the_last_quarter_of_its_term(void **state)
{
    (void)state;
    const qz_zone *z = qz_timetable_default_zone(rules.tt);
    qz_inbox_row row = {.step = {.case_id = 1,
                                 .step = "check",
                                 .role = "provider-executor",
                                 .unit = "kpssu-astana",
                                 .started_at = at(23, 10),
                                 .due_at = at(23, 18),
                                 .done_at = QZ_NO_TIME},
                        .number = "KZ-71-00000001",
                        .service = "apostille",
                        .state = "check",
                        .version = 3};
    /* A term of 8 hours: its last quarter starts at 16:00. */
    static const struct {
        int hour;
        bool overdue, at_risk;
    } cases[] = {{15, false, false}, {17, false, true}, {19, true, false}};
    for (size_t i = 0; i < 3; i++) {
        json_t *v = qz_view_inbox_row(&row, &executor, z, at(23, cases[i].hour));
        assert_int_equal(json_is_true(json_object_get(v, "overdue")), cases[i].overdue);
        assert_int_equal(json_is_true(json_object_get(v, "at_risk")), cases[i].at_risk);
        assert_true(json_is_true(json_object_get(v, "mine")));
        json_decref(v);
    }
    /* 15:30: 2 h 30 min of 8 h left, more than a quarter (2 h) though less than a third
     * (2 h 40 min): not yet at risk. */
    json_t *early = qz_view_inbox_row(&row, &executor, z, at(23, 15) + 30 * 60);
    assert_false(json_is_true(json_object_get(early, "at_risk")));
    json_decref(early);
    row.at_risk = true; /* the case cannot fit its remaining steps */
    json_t *v = qz_view_inbox_row(&row, &head, z, at(23, 11));
    assert_true(json_is_true(json_object_get(v, "at_risk")));
    assert_false(json_is_true(json_object_get(v, "mine")));
    assert_string_equal(str(v, "due_at"), "2026-11-23T18:00:00+05:00");
    assert_true(json_is_null(json_object_get(v, "assignee")));
    json_decref(v);
    /* Assigned to another executor: not this one's to work. */
    row.assignee = "executor2.kpssu";
    v = qz_view_inbox_row(&row, &executor, z, at(23, 11));
    assert_string_equal(str(v, "assignee"), "executor2.kpssu");
    assert_false(json_is_true(json_object_get(v, "mine")));
    json_decref(v);
    row.assignee = executor.login;
    v = qz_view_inbox_row(&row, &executor, z, at(23, 11));
    assert_true(json_is_true(json_object_get(v, "mine")));
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_case_shows_instants_with_offset_and_the_callers_actions_only),
        cmocka_unit_test(test_the_consent_is_offered_to_the_person_concerned_only),
        cmocka_unit_test(test_a_refusal_action_names_its_fields_and_the_grounds_allowed),
        cmocka_unit_test(test_the_acceptance_receipt_lists_documents_by_name_and_the_hand_out_day),
        cmocka_unit_test(test_the_refusal_receipt_names_each_missing_document),
        cmocka_unit_test(test_an_inbox_line_is_at_risk_in_the_last_quarter_of_its_term),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
