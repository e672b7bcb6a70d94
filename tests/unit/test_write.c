/* The write path (app/write.h): a change is its case, its events and its notifications
 * in one atomic write; a fault injected between the case and its messages leaves
 * neither; a bundle whose second case cannot be written leaves none; the same
 * idempotency key with another fingerprint is refused; a staff read queued without waiting
 * is in the next history and written by a clean close. The sample service
 * (tests/data/services/sample.json) on a fresh store. */
#include "app/write.h"
#include "core/calendar_load.h"
#include "core/engine.h"
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_tmp.h"

static qz_rules rules;
static qz_strings *strings;

static int setup(void **state)
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
    strings = qz_strings_load(QZ_CATALOG_DIR "/strings", &err);
    return rules.cal && rules.cat && strings ? tmp_setup(state) : -1;
}

static int teardown(void **state)
{
    qz_rules_free(&rules);
    qz_strings_free(strings);
    return tmp_teardown(state);
}

static const qz_unit_ref units[] = {
    {"psc", "psc-astana-1", ""},
    {"prosecutor-committee", "pc-astana", "prosecutor-committee"},
    {"nsc", "nsc-astana", ""},
};
static const char *const docs[] = {"application", "identity"};
static const char APPLICANT[] = "921029350851";

/* 2026-11-23 10:00 at +05:00, a Monday. */
static const qz_instant NOW = 1795410000;

/* A new store with the applicant registered with a phone (so a change tells them in the
 * cabinet and by SMS). */
static qz_store *fresh_store(tmp *t)
{
    qz_store *st = store_open_ok(tmp_at(t, "w.db"));
    qz_err err;
    qz_person_row p = {.iin = APPLICANT,
                       .surname = "Нұрланов",
                       .name = "Бақыт",
                       .phone = "+77011112233",
                       .lang = "ru",
                       .region = "KZ-71",
                       .created_at = NOW};
    if (qz_store_person_add(st, &p, &err))
        fail_msg("person: %s %s", err.key, err.value);
    return st;
}

/* The sample application accepted by the engine: one case and its first event in *ev. */
static qz_case *accepted(qz_events *ev)
{
    qz_case *c = NULL;
    qz_err err;
    qz_application app = {.service = "sample",
                          .channel = "psc",
                          .urgency = "general",
                          .lang = "ru",
                          .applicant = APPLICANT,
                          .units = units,
                          .n_units = 3,
                          .documents = docs,
                          .n_documents = 2};
    qz_actor op = {"op1", "psc-operator", "psc-astana-1", NULL};
    if (qz_engine_accept(&rules, &app, &op, NOW, &c, ev, &err))
        fail_msg("accept: %s %s", err.key, err.value);
    return c;
}

static int64_t count(tmp *t, const char *table)
{
    char q[64];
    snprintf(q, sizeof q, "SELECT count(*) FROM %s", table);
    return raw_int(tmp_at(t, "w.db"), q);
}

static void test_a_change_is_written_with_its_notifications(void **state)
{
    tmp *t = *state;
    qz_store *st = fresh_store(t);
    qz_app app = {.rules = &rules, .store = st, .strings = strings};
    qz_events ev = {0};
    qz_err err;
    qz_change ch = {.after = accepted(&ev), .ev = &ev, .region = "KZ-71"};
    assert_int_equal(qz_app_commit(&app, &ch, 1, false, NULL, NOW, &err), 0);
    assert_int_equal(ch.out.id, 1);
    assert_int_equal(ch.after->id, 1);
    assert_string_equal(ch.after->number, "KZ-71-00000001");
    qz_store_close(st);
    assert_int_equal(count(t, "cases"), 1);
    assert_int_equal(count(t, "events"), 1);
    /* "accepted" told to the applicant: a cabinet message and an SMS (they have a phone) */
    assert_int_equal(count(t, "outbox"), 2);
    assert_int_equal(raw_int(tmp_at(t, "w.db"),
                             "SELECT count(*) FROM outbox WHERE instr(text, 'KZ-71-00000001') > 0"),
                     2);
    qz_changes_clear(&ch, 1);
    qz_events_clear(&ev);
    qz_case_free(ch.after);
}

static void test_a_fault_between_the_case_and_its_messages_leaves_neither(void **state)
{
    tmp *t = *state;
    qz_store *st = fresh_store(t);
    qz_app app = {.rules = &rules, .store = st, .strings = strings};
    qz_events ev = {0};
    qz_err err;
    qz_change ch = {.after = accepted(&ev), .ev = &ev, .region = "KZ-71"};
    qz_store_fault(st, "messages");
    assert_int_equal(qz_app_commit(&app, &ch, 1, false, NULL, NOW, &err), -1);
    assert_string_equal(err.key, "store.fault_injected");
    qz_store_close(st);
    assert_int_equal(count(t, "cases"), 0);
    assert_int_equal(count(t, "case_steps"), 0);
    assert_int_equal(count(t, "events"), 0);
    assert_int_equal(count(t, "outbox"), 0);
    qz_events_clear(&ev);
    qz_case_free(ch.after);
}

static void test_a_bundle_whose_second_case_fails_writes_none(void **state)
{
    tmp *t = *state;
    qz_store *st = fresh_store(t);
    qz_app app = {.rules = &rules, .store = st, .strings = strings};
    qz_events ev[3] = {{0}};
    qz_err err;
    /* a first case, written alone, holds the number KZ-71-00000001 */
    qz_change first = {.after = accepted(&ev[0]), .ev = &ev[0], .region = "KZ-71"};
    assert_int_equal(qz_app_commit(&app, &first, 1, false, NULL, NOW, &err), 0);
    /* a bundle of two whose second case asks for that number: refused by the store */
    qz_change bundle[2] = {{.after = accepted(&ev[1]), .ev = &ev[1], .region = "KZ-71"},
                           {.after = accepted(&ev[2]), .ev = &ev[2], .region = "KZ-71"}};
    snprintf(bundle[1].after->number, sizeof bundle[1].after->number, "KZ-71-00000001");
    assert_int_equal(qz_app_commit(&app, bundle, 2, true, NULL, NOW, &err), -1);
    assert_string_equal(err.key, "store.case_number_taken");
    qz_store_close(st);
    assert_int_equal(count(t, "cases"), 1);
    assert_int_equal(count(t, "events"), 1);
    assert_int_equal(count(t, "outbox"), 2); /* the first case's only */
    qz_changes_clear(&first, 1);
    for (int k = 0; k < 3; k++)
        qz_events_clear(&ev[k]);
    qz_case_free(first.after);
    qz_case_free(bundle[0].after);
    qz_case_free(bundle[1].after);
}

static void test_a_bundle_is_written_once_and_linked(void **state)
{
    tmp *t = *state;
    qz_store *st = fresh_store(t);
    qz_app app = {.rules = &rules, .store = st, .strings = strings};
    qz_events ev[2] = {{0}};
    qz_err err;
    qz_change bundle[2] = {{.after = accepted(&ev[0]), .ev = &ev[0], .region = "KZ-71"},
                           {.after = accepted(&ev[1]), .ev = &ev[1], .region = "KZ-71"}};
    assert_int_equal(qz_app_commit(&app, bundle, 2, true, NULL, NOW, &err), 0);
    qz_store_close(st);
    assert_int_equal(count(t, "cases"), 2);
    /* each case's doc names the other (ids 1 and 2, given inside the write), version 1 */
    assert_int_equal(raw_int(tmp_at(t, "w.db"), "SELECT count(*) FROM cases WHERE version = 1 AND"
                                                " json_extract(doc, '$.data.bundle[0]') = 3 - id"),
                     2);
    qz_changes_clear(bundle, 2);
    for (int k = 0; k < 2; k++) {
        qz_events_clear(&ev[k]);
        qz_case_free(bundle[k].after);
    }
}

static char *answer(void *ctx, const qz_change *ch, size_t n)
{
    (void)ctx;
    (void)n;
    char *text = malloc(64);
    if (text)
        snprintf(text, 64, "{\"id\":%lld}", (long long)ch[0].after->id);
    return text;
}

static void test_a_key_used_again_with_another_request_is_refused(void **state)
{
    tmp *t = *state;
    qz_store *st = fresh_store(t);
    qz_app app = {.rules = &rules, .store = st, .strings = strings};
    qz_events ev[3] = {{0}};
    qz_err err;
    unsigned char fp1[QZ_HASH_LEN] = {1}, fp2[QZ_HASH_LEN] = {2};
    qz_keep keep = {.key = "user-1:k", .fingerprint = fp1, .respond = answer};
    qz_change a = {.after = accepted(&ev[0]), .ev = &ev[0], .region = "KZ-71"};
    assert_int_equal(qz_app_commit(&app, &a, 1, false, &keep, NOW, &err), 0);
    assert_string_equal(a.out.response, "{\"id\":1}");
    /* the same request again: the kept answer, nothing written */
    qz_change b = {.after = accepted(&ev[1]), .ev = &ev[1], .region = "KZ-71"};
    assert_int_equal(qz_app_commit(&app, &b, 1, false, &keep, NOW, &err), 0);
    assert_true(b.out.replayed);
    assert_string_equal(b.out.response, "{\"id\":1}");
    /* another request under the same key: refused, naming it */
    keep.fingerprint = fp2;
    qz_change c = {.after = accepted(&ev[2]), .ev = &ev[2], .region = "KZ-71"};
    assert_int_equal(qz_app_commit(&app, &c, 1, false, &keep, NOW, &err), -1);
    assert_string_equal(err.key, "idempotency.key_reused");
    assert_int_equal(err.code, QZ_EINPUT);
    qz_store_close(st);
    assert_int_equal(count(t, "cases"), 1);
    qz_changes_clear(&a, 1);
    qz_changes_clear(&b, 1);
    for (int k = 0; k < 3; k++)
        qz_events_clear(&ev[k]);
    qz_case_free(a.after);
    qz_case_free(b.after);
    qz_case_free(c.after);
}

static void test_a_read_recorded_without_waiting_is_seen_next_and_kept(void **state)
{
    tmp *t = *state;
    qz_store *st = fresh_store(t);
    qz_app app = {.rules = &rules, .store = st, .strings = strings};
    qz_events ev = {0};
    qz_err err;
    qz_arena a = QZ_ARENA_INIT;
    qz_event_row *rows = NULL;
    size_t n = 0;
    qz_change ch = {.after = accepted(&ev), .ev = &ev, .region = "KZ-71"};
    assert_int_equal(qz_app_commit(&app, &ch, 1, false, NULL, NOW, &err), 0);
    for (int i = 0; i < 20; i++) {
        qz_event_in e = {.at = NOW + i,
                         .actor = "head1",
                         .role = "psc-head",
                         .unit = "psc-astana-1",
                         .action = "read",
                         .from_state = "intake",
                         .to_state = "intake"};
        assert_int_equal(qz_store_case_event_record(st, ch.out.id, &e, &err), 0);
    }
    /* the next read of the history waits for what was queued: all 20 are there */
    assert_int_equal(qz_store_case_events(st, ch.out.id, &a, &rows, &n, &err), 0);
    assert_int_equal(n, 21); /* accepted, then 20 reads */
    qz_event_in last = {.at = NOW + 99, .actor = "head1", .role = "psc-head", .action = "read"};
    assert_int_equal(qz_store_case_event_record(st, ch.out.id, &last, &err), 0);
    qz_store_close(st); /* a clean close writes what is queued */
    assert_int_equal(count(t, "events"), 22);
    qz_arena_free(&a);
    qz_changes_clear(&ch, 1);
    qz_events_clear(&ev);
    qz_case_free(ch.after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_change_is_written_with_its_notifications, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_a_fault_between_the_case_and_its_messages_leaves_neither, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_bundle_whose_second_case_fails_writes_none, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_bundle_is_written_once_and_linked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_key_used_again_with_another_request_is_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_read_recorded_without_waiting_is_seen_next_and_kept,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
