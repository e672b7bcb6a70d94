/* The complaint workflow of catalog/complaints.json (core/complaint.h): who holds a
 * complaint in each state, what is due then, and which moves are allowed. */
#include "core/complaint.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static qz_complaint_terms terms;

static int setup(void **state)
{
    (void)state;
    qz_err err;
    return qz_complaint_terms_load(QZ_CATALOG_DIR "/complaints.json", &terms, &err);
}

static const qz_complaint_state *state_of(const char *name)
{
    const qz_complaint_state *s = qz_complaint_state_find(&terms, name);
    assert_non_null(s);
    return s;
}

static void test_a_complaint_is_registered_then_forwarded_or_satisfied(void **state)
{
    (void)state;
    assert_string_equal(terms.start, "registered");
    assert_int_equal(terms.n_states, 4);
    const qz_complaint_state *r = state_of("registered");
    assert_int_equal(r->n_actions, 2);
    assert_string_equal(r->actions[0].name, "satisfy");
    assert_string_equal(r->actions[0].next, "satisfied");
    assert_string_equal(r->actions[1].name, "forward");
    assert_string_equal(r->actions[1].next, "forwarded");
    assert_int_equal(state_of("satisfied")->n_actions, 0);
    assert_int_equal(state_of("decided")->n_actions, 0);
    assert_null(qz_complaint_state_find(&terms, "lost"));
}

static void test_the_unit_complained_about_holds_it_first(void **state)
{
    (void)state;
    const qz_complaint_state *r = state_of("registered");
    const qz_complaint_holder *h = qz_complaint_holder_of(r, "provider", "quality-authority");
    assert_string_equal(h->role, "provider-head");
    assert_string_equal(h->unit_kind, "");
    assert_string_equal(qz_complaint_holder_of(r, "psc", "provider")->role, "psc-head");
    assert_true(qz_complaint_role_holds(r, "psc-head", "psc", "provider"));
    assert_false(qz_complaint_role_holds(r, "provider-executor", "provider", "provider"));
}

static void test_the_reviewing_body_depends_on_the_addressee(void **state)
{
    (void)state;
    const qz_complaint_state *f = state_of("forwarded");
    const qz_complaint_holder *h = qz_complaint_holder_of(f, "psc", "provider");
    assert_string_equal(h->role, "reviewer");
    assert_string_equal(h->unit_kind, "reviewer");
    h = qz_complaint_holder_of(f, "provider", "quality-authority");
    assert_string_equal(h->role, "quality-authority");
    assert_null(qz_complaint_holder_of(state_of("decided"), "provider", "provider"));
}

static void test_the_forwarding_is_due_while_registered_the_decision_after(void **state)
{
    (void)state;
    /* forward_by 100, decide_by 200; a closed state has nothing due (-1 here) */
    assert_int_equal(qz_complaint_due_in(state_of("registered"), 100, 200, -1), 100);
    assert_int_equal(qz_complaint_due_in(state_of("forwarded"), 100, 200, -1), 200);
    assert_int_equal(qz_complaint_due_in(state_of("decided"), 100, 200, -1), -1);
}

static int check(const char *state_name, const char *action, const char *data_json, qz_err *err)
{
    const qz_complaint_action *a = NULL;
    json_t *data = data_json ? json_loads(data_json, 0, NULL) : NULL;
    int r = qz_complaint_check_action(state_of(state_name), action, data, &a, err);
    json_decref(data);
    if (r == 0)
        assert_non_null(a);
    return r;
}

static void test_a_move_needs_its_fields(void **state)
{
    (void)state;
    qz_err err;
    assert_int_equal(check("registered", "forward", NULL, &err), 0);
    assert_int_equal(check("registered", "satisfy", "{\"text\":\"done\"}", &err), 0);
    assert_int_equal(check("registered", "satisfy", NULL, &err), -1);
    assert_string_equal(err.key, "request.field_missing");
    assert_string_equal(err.field, "text");
    assert_int_equal(check("registered", "decide", NULL, &err), -1);
    assert_string_equal(err.key, "complaint.action_unknown");
    assert_int_equal(check("forwarded", "decide", "{\"outcome\":\"upheld\",\"text\":\"x\"}", &err),
                     0);
    assert_int_equal(check("forwarded", "decide", "{\"outcome\":\"maybe\",\"text\":\"x\"}", &err),
                     -1);
    assert_string_equal(err.key, "complaint.value_unknown");
    assert_int_equal(
        check("forwarded", "decide", "{\"outcome\":\"upheld\",\"text\":\"x\",\"y\":1}", &err), -1);
    assert_string_equal(err.key, "json.unknown_field");
    assert_int_equal(check("decided", "decide", NULL, &err), -1);
}

/* Loads `json` from a temporary file; returns what qz_complaint_terms_load does. */
static int load_text(const char *json, qz_err *err)
{
    char path[] = "/tmp/qz_complaint_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, json, strlen(json)), (ssize_t)strlen(json));
    close(fd);
    qz_complaint_terms t;
    int r = qz_complaint_terms_load(path, &t, err);
    unlink(path);
    return r;
}

static void test_a_workflow_leading_nowhere_is_refused(void **state)
{
    (void)state;
    qz_err err;
    const char *head = "{\"source\":\"t\",\"forward\":{\"wd\":3,\"source\":\"t\"},"
                       "\"decide\":{\"provider\":{\"wd\":5,\"source\":\"t\"}},";
    char doc[1024];
    snprintf(doc, sizeof doc,
             "%s\"workflow\":{\"source\":\"t\",\"start\":\"registered\",\"states\":{"
             "\"registered\":{\"due\":\"forward\",\"holder\":{\"by\":\"against\","
             "\"provider\":{\"role\":\"provider-head\",\"source\":\"t\"}},"
             "\"actions\":{\"forward\":{\"kind\":\"advance\",\"next\":\"nowhere\","
             "\"fields\":[],\"source\":\"t\"}}}}}}",
             head);
    assert_int_equal(load_text(doc, &err), -1);
    assert_string_equal(err.key, "complaint.state_unknown");
    assert_string_equal(err.value, "nowhere");
    snprintf(doc, sizeof doc,
             "%s\"workflow\":{\"source\":\"t\",\"start\":\"registered\",\"states\":{"
             "\"registered\":{\"due\":\"forward\"}}}}",
             head);
    assert_int_equal(load_text(doc, &err), -1);
    assert_string_equal(err.key, "complaint.state_incomplete");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_complaint_is_registered_then_forwarded_or_satisfied),
        cmocka_unit_test(test_the_unit_complained_about_holds_it_first),
        cmocka_unit_test(test_the_reviewing_body_depends_on_the_addressee),
        cmocka_unit_test(test_the_forwarding_is_due_while_registered_the_decision_after),
        cmocka_unit_test(test_a_move_needs_its_fields),
        cmocka_unit_test(test_a_workflow_leading_nowhere_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
