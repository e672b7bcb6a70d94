/* Cases in the store: creating, updating by version, idempotency keys, steps and the
 * inbox, events and their chain, and refusals that leave nothing behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_tmp.h"

#include <inttypes.h>

static int64_t create(qz_store *st, case_fixture *f)
{
    qz_case_written out;
    qz_err err;
    if (qz_store_case_write(st, &f->w, &out, &err) != 0)
        fail_msg("create: %s %s %s", err.key, err.field, err.value);
    assert_int_equal(out.version, 1);
    assert_false(out.replayed);
    assert_null(out.response);
    return out.id;
}

/* Writes an update of case id at `version` moving it to `to`; returns 0 or -1 with err. */
static int advance(qz_store *st, int64_t id, int64_t version, const char *to, qz_case_written *out,
                   qz_err *err)
{
    case_fixture f;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 2 * 86400);
    f.w.id = id;
    f.w.expected_version = version;
    f.w.state = to;
    f.w.doc = "{\"state\":\"moved\"}";
    f.event = (qz_event_in){.at = CASE_NOW + 60,
                            .actor = "clerk-1",
                            .role = "provider-clerk",
                            .unit = "provider-astana",
                            .action = "register",
                            .from_state = "accepted",
                            .to_state = to};
    return qz_store_case_write(st, &f.w, out, err);
}

static void test_a_created_case_reads_back_with_version_one_and_a_number(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    case_fixture f;
    qz_arena a = QZ_ARENA_INIT;
    qz_case_row c;
    qz_err err;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    int64_t id = create(st, &f);
    assert_int_equal(qz_store_case_get(st, id, &a, &c, &err), 0);
    assert_int_equal(c.id, id);
    assert_int_equal(c.version, 1);
    assert_string_equal(c.number, "KZ-71-00000001"); /* region, id in 8 digits */
    assert_string_equal(c.service, "apostille");
    assert_string_equal(c.standard_version, "2022-01-24");
    assert_string_equal(c.state, "accepted");
    assert_string_equal(c.applicant, "921029350851");
    assert_null(c.subject);
    assert_int_equal(c.due_at, CASE_NOW + 86400);
    assert_int_equal(c.created_at, CASE_NOW);
    assert_string_equal(c.doc, "{\"service\":\"apostille\",\"state\":\"accepted\","
                               "\"status\":\"open\",\"applicant\":\"921029350851\"}");
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_a_stale_version_is_refused_and_nothing_changes(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store *st = store_open_ok(path);
    case_fixture f;
    qz_case_written out;
    qz_arena a = QZ_ARENA_INIT;
    qz_case_row c;
    qz_err err;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    int64_t id = create(st, &f);
    assert_int_equal(advance(st, id, 1, "registered", &out, &err), 0);
    assert_int_equal(out.version, 2);
    /* A second writer that also read version 1 is too late. */
    assert_int_equal(advance(st, id, 1, "checked", &out, &err), -1);
    assert_int_equal(err.code, QZ_ECONFLICT);
    assert_string_equal(err.key, "store.stale_version");
    assert_string_equal(err.value, "2");
    assert_int_equal(qz_store_case_get(st, id, &a, &c, &err), 0);
    assert_int_equal(c.version, 2);
    assert_string_equal(c.state, "registered");
    qz_store_close(st);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM events"), 2);
    assert_int_equal(raw_int(path, "SELECT max(seq) FROM events"), 2);
    qz_arena_free(&a);
}

static void test_an_update_of_a_missing_case_is_not_found(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    qz_case_written out;
    qz_arena a = QZ_ARENA_INIT;
    qz_case_row c;
    qz_err err;
    assert_int_equal(advance(st, 42, 1, "registered", &out, &err), -1);
    assert_int_equal(err.code, QZ_ENOTFOUND);
    assert_string_equal(err.key, "store.case_not_found");
    assert_int_equal(qz_store_case_get(st, 42, &a, &c, &err), -1);
    assert_int_equal(err.code, QZ_ENOTFOUND);
    qz_store_close(st);
}

static void test_the_same_idempotency_key_twice_gives_one_case_and_the_same_response(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store *st = store_open_ok(path);
    case_fixture f;
    qz_case_written first, again;
    qz_err err;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    f.w.idem_key = "desk-3:0001";
    f.w.response = "{\"id\":1,\"state\":\"accepted\"}";
    assert_int_equal(qz_store_case_write(st, &f.w, &first, &err), 0);
    assert_false(first.replayed);
    assert_string_equal(first.response, f.w.response);
    /* The client retries; even a different body gets the first answer. */
    f.w.response = "{\"id\":2}";
    f.w.doc = "{\"retry\":true}";
    assert_int_equal(qz_store_case_write(st, &f.w, &again, &err), 0);
    assert_true(again.replayed);
    assert_int_equal(again.id, first.id);
    assert_int_equal(again.version, 1);
    assert_string_equal(again.number, first.number);
    assert_string_equal(again.response, "{\"id\":1,\"state\":\"accepted\"}");
    free(first.response);
    free(again.response);
    qz_store_close(st);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM cases"), 1);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM events"), 1);
}

static void test_the_answer_kept_with_a_key_reads_back_before_any_write(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    case_fixture f;
    qz_case_written first;
    qz_arena a = QZ_ARENA_INIT;
    qz_err err;
    const char *kept = "stale";
    char too_long[300];
    assert_int_equal(qz_store_idem_get(st, "desk-3:0002", &a, &kept, &err), 0);
    assert_null(kept); /* never used */
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    f.w.idem_key = "desk-3:0002";
    f.w.response = "{\"id\":1,\"state\":\"accepted\"}";
    assert_int_equal(qz_store_case_write(st, &f.w, &first, &err), 0);
    assert_int_equal(qz_store_idem_get(st, "desk-3:0002", &a, &kept, &err), 0);
    assert_non_null(kept);
    assert_string_equal(kept, first.response);
    assert_int_equal(qz_store_idem_get(st, "desk-3:0003", &a, &kept, &err), 0);
    assert_null(kept); /* another key: nothing */
    memset(too_long, 'k', sizeof too_long - 1);
    too_long[sizeof too_long - 1] = '\0'; /* 299 characters, over the 255 a key may have */
    assert_int_equal(qz_store_idem_get(st, too_long, &a, &kept, &err), -1);
    assert_string_equal(err.key, "store.idem_key_invalid");
    assert_int_equal(qz_store_idem_get(st, "", &a, &kept, &err), -1);
    assert_string_equal(err.key, "store.idem_key_invalid");
    free(first.response);
    qz_arena_free(&a);
    qz_store_close(st);
}

/* Builds {"id":N,"number":"…"} from what the writer assigned. */
static char *respond_with_id(void *ctx, const qz_case_written *w)
{
    char buf[128];
    (void)ctx;
    snprintf(buf, sizeof buf, "{\"id\":%" PRId64 ",\"number\":\"%s\",\"version\":%" PRId64 "}",
             w->id, w->number, w->version);
    return strdup(buf);
}

static void test_a_response_built_once_the_id_is_known_is_replayed_verbatim(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    case_fixture f;
    qz_case_written first, again;
    qz_err err;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    int64_t earlier = create(st, &f); /* so the keyed case gets id 2 */
    f.w.idem_key = "portal:9d1c";
    f.w.respond = respond_with_id;
    f.w.number = "APO-2026-000777";
    assert_int_equal(qz_store_case_write(st, &f.w, &first, &err), 0);
    assert_int_equal(first.id, earlier + 1);
    assert_string_equal(first.response, "{\"id\":2,\"number\":\"APO-2026-000777\",\"version\":1}");
    assert_int_equal(qz_store_case_write(st, &f.w, &again, &err), 0);
    assert_true(again.replayed);
    assert_string_equal(again.response, first.response);
    free(first.response);
    free(again.response);
    qz_store_close(st);
}

static void test_an_action_retried_with_its_key_is_applied_once(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store *st = store_open_ok(path);
    case_fixture f;
    qz_case_written out, retry;
    qz_err err;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    int64_t id = create(st, &f);
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    f.w.id = id;
    f.w.expected_version = 1;
    f.w.idem_key = "clerk-1:register:1";
    f.w.response = "{\"version\":2}";
    assert_int_equal(qz_store_case_write(st, &f.w, &out, &err), 0);
    assert_int_equal(out.version, 2);
    /* The retry carries the version it read before, now stale: the key answers first. */
    assert_int_equal(qz_store_case_write(st, &f.w, &retry, &err), 0);
    assert_true(retry.replayed);
    assert_string_equal(retry.response, "{\"version\":2}");
    free(out.response);
    free(retry.response);
    qz_store_close(st);
    assert_int_equal(raw_int(path, "SELECT version FROM cases"), 2);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM events"), 2);
}

static void test_events_get_consecutive_seqs_and_each_links_to_the_one_before(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    case_fixture f;
    qz_case_written out;
    qz_arena a = QZ_ARENA_INIT;
    qz_event_row *ev;
    size_t n;
    qz_err err;
    static const unsigned char zero[QZ_HASH_LEN];
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    int64_t one = create(st, &f), two = create(st, &f);
    assert_int_equal(advance(st, one, 1, "registered", &out, &err), 0);
    assert_int_equal(qz_store_case_events(st, one, &a, &ev, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ev[0].seq, 1);
    assert_int_equal(ev[1].seq, 2);
    assert_int_equal(ev[0].id, 1); /* case one's first event opens the chain */
    assert_int_equal(ev[1].id, 3); /* case two's took id 2 */
    assert_memory_equal(ev[0].prev_hash, zero, QZ_HASH_LEN);
    assert_null(ev[0].from_state);
    assert_string_equal(ev[0].to_state, "accepted");
    assert_string_equal(ev[1].action, "register");
    assert_string_equal(ev[1].from_state, "accepted");
    assert_int_equal(ev[1].at, CASE_NOW + 60);
    unsigned char second_hash[QZ_HASH_LEN];
    memcpy(second_hash, ev[0].hash, QZ_HASH_LEN);
    assert_int_equal(qz_store_case_events(st, two, &a, &ev, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_memory_equal(ev[0].prev_hash, second_hash, QZ_HASH_LEN);
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_the_inbox_lists_open_steps_of_a_unit_soonest_due_first(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    case_fixture f;
    qz_arena a = QZ_ARENA_INIT;
    qz_inbox_row *in;
    size_t n;
    qz_err err;
    static const int days[] = {5, 2, 9, 2}; /* due in days; two cases due the same day */
    int64_t ids[4];
    for (int i = 0; i < 4; i++) {
        case_fixture_init(&f, "provider-astana", CASE_NOW + days[i] * 86400);
        ids[i] = create(st, &f);
    }
    case_fixture_init(&f, "provider-almaty", CASE_NOW + 86400); /* another unit's */
    create(st, &f);
    case_fixture_init(&f, "provider-astana", CASE_NOW + 3600); /* done: not in the inbox */
    f.step.done_at = CASE_NOW + 1800;
    create(st, &f);
    assert_int_equal(qz_store_inbox(st, "provider-astana", 0, &a, &in, &n, &err), 0);
    assert_int_equal(n, 4);
    assert_int_equal(in[0].step.case_id, ids[1]); /* day 2, lower id first */
    assert_int_equal(in[1].step.case_id, ids[3]); /* day 2 */
    assert_int_equal(in[2].step.case_id, ids[0]); /* day 5 */
    assert_int_equal(in[3].step.case_id, ids[2]); /* day 9 */
    assert_string_equal(in[0].step.step, "register");
    assert_string_equal(in[0].service, "apostille");
    assert_int_equal(in[0].step.done_at, QZ_NO_TIME);
    assert_int_equal(qz_store_inbox(st, "provider-astana", 2, &a, &in, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(qz_store_inbox(st, "nobody", 0, &a, &in, &n, &err), 0);
    assert_int_equal(n, 0);
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_an_access_event_joins_the_chain_and_leaves_the_case_as_it_was(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    case_fixture f;
    qz_arena a = QZ_ARENA_INIT;
    qz_case_row row;
    qz_event_row *ev;
    size_t n;
    uint64_t n_events;
    qz_audit_break br;
    qz_err err;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    int64_t id = create(st, &f);
    qz_event_in read = {.at = CASE_NOW + 600,
                        .actor = "clerk-1",
                        .role = "provider-clerk",
                        .unit = "provider-astana",
                        .action = "read",
                        .from_state = "accepted",
                        .to_state = "accepted"};
    assert_int_equal(qz_store_case_event_add(st, id, &read, &err), 0);
    assert_int_equal(qz_store_case_get(st, id, &a, &row, &err), 0);
    assert_int_equal(row.version, 1); /* a read changes no version: nobody's next write is stale */
    assert_int_equal(row.updated_at, CASE_NOW);
    assert_int_equal(qz_store_case_events(st, id, &a, &ev, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(ev[1].action, "read");
    assert_int_equal(ev[1].seq, 2);
    assert_memory_equal(ev[1].prev_hash, ev[0].hash, QZ_HASH_LEN);
    assert_int_equal(qz_store_audit_verify(st, &n_events, &br, &err), 0);
    assert_int_equal(n_events, 2);
    assert_int_equal(qz_store_case_event_add(st, id + 1, &read, &err), -1);
    assert_string_equal(err.key, "store.case_not_found");
    read.actor = NULL;
    assert_int_equal(qz_store_case_event_add(st, id, &read, &err), -1);
    assert_string_equal(err.key, "store.field_missing");
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_the_inbox_carries_the_case_due_and_its_risk_flag(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    case_fixture f;
    qz_arena a = QZ_ARENA_INIT;
    qz_inbox_row *in;
    size_t n;
    qz_err err;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    f.w.doc = "{\"at_risk\":true}";
    create(st, &f);
    case_fixture_init(&f, "provider-astana", CASE_NOW + 2 * 86400);
    create(st, &f);
    assert_int_equal(qz_store_inbox(st, "provider-astana", 0, &a, &in, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_true(in[0].at_risk);
    assert_false(in[1].at_risk); /* no flag in the doc: not at risk */
    assert_int_equal(in[1].case_due_at, CASE_NOW + 2 * 86400);
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_an_update_replaces_the_steps_of_its_case(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    case_fixture f;
    qz_case_written out;
    qz_arena a = QZ_ARENA_INIT;
    qz_step_row *steps, two[2];
    size_t n;
    qz_err err;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    int64_t id = create(st, &f);
    two[0] = f.step;
    two[0].done_at = CASE_NOW + 600;
    two[1] = (qz_step_row){.step = "check",
                           .role = "provider-executor",
                           .unit = "provider-astana",
                           .started_at = CASE_NOW + 600,
                           .due_at = CASE_NOW + 3 * 86400,
                           .done_at = QZ_NO_TIME};
    f.w.id = id;
    f.w.expected_version = 1;
    f.w.steps = two;
    f.w.n_steps = 2;
    assert_int_equal(qz_store_case_write(st, &f.w, &out, &err), 0);
    assert_int_equal(qz_store_case_steps(st, id, &a, &steps, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(steps[0].step, "register");
    assert_int_equal(steps[0].done_at, CASE_NOW + 600);
    assert_string_equal(steps[1].step, "check");
    assert_int_equal(steps[1].done_at, QZ_NO_TIME);
    qz_inbox_row *in;
    assert_int_equal(qz_store_inbox(st, "provider-astana", 0, &a, &in, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(in[0].step.step, "check");
    assert_int_equal(in[0].version, 2);
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_a_doc_that_is_not_json_is_refused_and_nothing_is_written(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store *st = store_open_ok(path);
    case_fixture f;
    qz_case_written out;
    qz_err err;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    f.w.doc = "{\"state\":";
    assert_int_equal(qz_store_case_write(st, &f.w, &out, &err), -1);
    assert_int_equal(err.code, QZ_EINPUT);
    assert_string_equal(err.key, "store.invalid_row");
    /* Nor event data that is not JSON, after the case row went in. */
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    f.event.data = "not json";
    assert_int_equal(qz_store_case_write(st, &f.w, &out, &err), -1);
    assert_string_equal(err.key, "store.invalid_row");
    qz_store_close(st);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM cases"), 0);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM case_steps"), 0);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM events"), 0);
}

static void test_a_case_without_its_required_columns_is_refused(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    case_fixture f;
    qz_case_written out;
    qz_err err;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    f.w.region = NULL;
    assert_int_equal(qz_store_case_write(st, &f.w, &out, &err), -1);
    assert_string_equal(err.key, "store.field_missing");
    assert_string_equal(err.field, "region");
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    f.event.actor = "";
    assert_int_equal(qz_store_case_write(st, &f.w, &out, &err), -1);
    assert_string_equal(err.field, "events.actor");
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    f.w.idem_key = "k"; /* a key needs a response to keep */
    assert_int_equal(qz_store_case_write(st, &f.w, &out, &err), -1);
    assert_string_equal(err.field, "response");
    qz_store_close(st);
}

static void test_an_in_memory_store_reads_what_it_wrote(void **state)
{
    (void)state;
    qz_store *st = store_open_ok(":memory:");
    case_fixture f;
    qz_arena a = QZ_ARENA_INIT;
    qz_case_row c;
    qz_err err;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    int64_t id = create(st, &f);
    assert_int_equal(qz_store_case_get(st, id, &a, &c, &err), 0);
    assert_string_equal(c.state, "accepted");
    qz_arena_free(&a);
    qz_store_close(st);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)
    const struct CMUnitTest tests[] = {
        T(test_a_created_case_reads_back_with_version_one_and_a_number),
        T(test_a_stale_version_is_refused_and_nothing_changes),
        T(test_an_update_of_a_missing_case_is_not_found),
        T(test_the_same_idempotency_key_twice_gives_one_case_and_the_same_response),
        T(test_a_response_built_once_the_id_is_known_is_replayed_verbatim),
        T(test_the_answer_kept_with_a_key_reads_back_before_any_write),
        T(test_an_action_retried_with_its_key_is_applied_once),
        T(test_events_get_consecutive_seqs_and_each_links_to_the_one_before),
        T(test_the_inbox_lists_open_steps_of_a_unit_soonest_due_first),
        T(test_an_access_event_joins_the_chain_and_leaves_the_case_as_it_was),
        T(test_the_inbox_carries_the_case_due_and_its_risk_flag),
        T(test_an_update_replaces_the_steps_of_its_case),
        T(test_a_doc_that_is_not_json_is_refused_and_nothing_is_written),
        T(test_a_case_without_its_required_columns_is_refused),
        T(test_an_in_memory_store_reads_what_it_wrote),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
