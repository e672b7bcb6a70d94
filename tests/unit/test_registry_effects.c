/* What a completed case changes in the registers (store/registry.h, effects), each as the
 * regulation says: a new permanent registration ends the old one; deregistration by each
 * of its three grounds; a foreigner's IIN once for life; a document issued and the one it
 * replaces invalidated; invitations and the apostille journal numbered by year; and a
 * failing effect leaves nothing of its batch. Rows are read back through the registry's
 * own reads and with raw SQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/registry.h"
#include "store_tmp.h"

static const qz_instant NOW = 1780290000; /* 2026-06-01T10:00+05:00 */
static const char IIN[] = "921029350851"; /* the demo applicant: valid check digit */

static qz_store *opened(void **state)
{
    return store_open_ok(tmp_at(*state, "r.db"));
}

static void apply_ok(qz_store *st, qz_reg_effect *e, size_t n)
{
    qz_err err;
    qz_err_clear(&err);
    int rc = qz_registry_apply(st, e, n, NOW, &err);
    if (rc)
        fprintf(stderr, "%s %s %s\n", err.key, err.field, err.value);
    assert_int_equal(rc, 0);
}

static qz_reg_effect registration(const char *address, const char *on)
{
    return (qz_reg_effect){.kind = QZ_EFFECT_REGISTER,
                           .iin = IIN,
                           .reg_kind = "permanent",
                           .address = address,
                           .on = on};
}

static void test_a_new_permanent_registration_ends_the_old(void **state)
{
    qz_store *st = opened(state);
    qz_reg_effect e[] = {registration("Астана, Абай 10", "2019-04-01")};
    apply_ok(st, e, 1);
    qz_reg_effect f[] = {registration("Астана, Тәуелсіздік 12", "2026-06-01")};
    apply_ok(st, f, 1);
    qz_arena a = QZ_ARENA_INIT;
    qz_registration_row *r;
    size_t n;
    qz_err err;
    assert_int_equal(qz_registry_registrations(st, IIN, &a, &r, &n, &err), 0);
    assert_int_equal(n, 2);
    /* Open ones first: the new address, then the old one, ended by the new registration. */
    assert_string_equal(r[0].address, "Астана, Тәуелсіздік 12");
    assert_null(r[0].ended_on);
    assert_string_equal(r[1].address, "Астана, Абай 10");
    assert_string_equal(r[1].ended_on, "2026-06-01");
    assert_string_equal(r[1].end_ground, "new-registration");
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_a_temporary_registration_leaves_the_permanent_one(void **state)
{
    qz_store *st = opened(state);
    qz_reg_effect e[] = {registration("Астана, Абай 10", "2019-04-01"),
                         {.kind = QZ_EFFECT_REGISTER,
                          .iin = IIN,
                          .reg_kind = "temporary",
                          .address = "Алматы, Төле би 1",
                          .on = "2026-06-01",
                          .valid_until = "2026-12-01"}};
    apply_ok(st, e, 2);
    qz_arena a = QZ_ARENA_INIT;
    qz_registration_row *r;
    size_t n;
    qz_err err;
    assert_int_equal(qz_registry_registrations(st, IIN, &a, &r, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_null(r[0].ended_on);
    assert_null(r[1].ended_on);
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_deregistration_by_each_ground(void **state)
{
    static const char *const GROUNDS[] = {"leaving-abroad", "imprisonment",
                                          "court-terminated-right"};
    qz_store *st = opened(state);
    for (int g = 0; g < 3; g++) {
        char address[32];
        snprintf(address, sizeof address, "address %d", g);
        qz_reg_effect e[] = {registration(address, "2020-01-01")};
        apply_ok(st, e, 1);
        qz_reg_effect d[] = {
            {.kind = QZ_EFFECT_DEREGISTER, .iin = IIN, .ground = GROUNDS[g], .on = "2026-06-01"}};
        apply_ok(st, d, 1);
        qz_arena a = QZ_ARENA_INIT;
        qz_registration_row *r;
        size_t n;
        qz_err err;
        assert_int_equal(qz_registry_registrations(st, IIN, &a, &r, &n, &err), 0);
        /* The registration just ended is the newest of the ended ones. */
        assert_int_equal(n, (size_t)g + 1);
        assert_string_equal(r[0].address, address);
        assert_string_equal(r[0].end_ground, GROUNDS[g]);
        qz_arena_free(&a);
    }
    /* Nothing left to end, and a ground the regulation does not have. */
    qz_err err;
    qz_reg_effect none[] = {
        {.kind = QZ_EFFECT_DEREGISTER, .iin = IIN, .ground = "imprisonment", .on = "2026-06-02"}};
    assert_int_equal(qz_registry_apply(st, none, 1, NOW, &err), -1);
    assert_string_equal(err.key, "registry.no_registration");
    qz_reg_effect odd[] = {
        {.kind = QZ_EFFECT_DEREGISTER, .iin = IIN, .ground = "whim", .on = "2026-06-02"}};
    assert_int_equal(qz_registry_apply(st, odd, 1, NOW, &err), -1);
    assert_string_equal(err.key, "registry.value_unknown");
    qz_store_close(st);
}

static qz_reg_effect foreigner(const char *doc, uint64_t seed)
{
    return (qz_reg_effect){.kind = QZ_EFFECT_FOREIGNER_IIN,
                           .citizenship = "UZ",
                           .document_number = doc,
                           .surname = "KARIMOV",
                           .name = "BAKHTIYOR",
                           .birth = "1988-04-02",
                           .sex = "male",
                           .on = "2026-06-01",
                           .seed = seed};
}

static void test_a_foreigner_gets_one_iin_for_life(void **state)
{
    qz_store *st = opened(state);
    qz_reg_effect e[] = {foreigner("FA1234567", 11)};
    apply_ok(st, e, 1);
    assert_false(e[0].existed);
    qz_iin parsed;
    qz_err err;
    assert_int_equal(qz_iin_parse(e[0].out_iin, &parsed, &err), 0);
    assert_int_equal(parsed.birth, qz_date_from_ymd(1988, 4, 2));
    assert_int_equal(parsed.sex, QZ_SEX_MALE);
    /* A second application for the same person (another seed): the first IIN. */
    qz_reg_effect again[] = {foreigner("FA1234567", 99)};
    apply_ok(st, again, 1);
    assert_true(again[0].existed);
    assert_string_equal(again[0].out_iin, e[0].out_iin);
    /* Another document is another person: another IIN. */
    qz_reg_effect other[] = {foreigner("FA7654321", 11)};
    apply_ok(st, other, 1);
    assert_false(other[0].existed);
    assert_string_not_equal(other[0].out_iin, e[0].out_iin);
    qz_store_close(st);
}

static void test_a_document_issued_invalidates_the_one_it_replaces(void **state)
{
    qz_store *st = opened(state);
    qz_reg_effect first[] = {{.kind = QZ_EFFECT_DOCUMENT,
                              .iin = IIN,
                              .number = "040000000",
                              .doc_kind = "id-card",
                              .on = "2016-06-01",
                              .valid_until = "2026-06-01"}};
    apply_ok(st, first, 1);
    assert_string_equal(first[0].out_number, "");
    qz_reg_effect second[] = {{.kind = QZ_EFFECT_DOCUMENT,
                               .iin = IIN,
                               .number = "052614789",
                               .doc_kind = "id-card",
                               .on = "2026-06-01",
                               .valid_until = "2036-06-01"}};
    apply_ok(st, second, 1);
    assert_string_equal(second[0].out_number, "040000000");
    sqlite3 *db;
    assert_int_equal(sqlite3_open(tmp_at(*state, "r.db"), &db), SQLITE_OK);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT number, status, replaced_by FROM identity_documents"
                                        " ORDER BY issued_on",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 1), "invalid");
    assert_string_equal((const char *)sqlite3_column_text(s, 2), "052614789");
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 1), "valid");
    sqlite3_finalize(s);
    sqlite3_close(db);
    qz_store_close(st);
}

static void test_invitations_and_apostilles_are_numbered_by_year(void **state)
{
    qz_store *st = opened(state);
    qz_reg_effect e[] = {{.kind = QZ_EFFECT_INVITATION,
                          .inviter = "050140000656",
                          .invitee = "KARIMOV BAKHTIYOR, UZ FA1234567",
                          .on = "2026-06-05",
                          .valid_until = "2026-09-05"},
                         {.kind = QZ_EFFECT_INVITATION,
                          .inviter = "050140000656",
                          .invitee = "OTHER",
                          .on = "2026-06-06",
                          .valid_until = "2026-09-06"},
                         {.kind = QZ_EFFECT_APOSTILLE,
                          .iin = IIN,
                          .document = "certificate KZ-71-00000004-R",
                          .on = "2026-06-04"}};
    apply_ok(st, e, 3);
    assert_string_equal(e[0].out_number, "INV-2026-000001");
    assert_string_equal(e[1].out_number, "INV-2026-000002");
    assert_string_equal(e[2].out_number, "AP-2026-000001");
    qz_store_close(st);
}

static void test_a_failing_effect_leaves_nothing_of_its_batch(void **state)
{
    qz_store *st = opened(state);
    qz_err err;
    qz_reg_effect e[] = {registration("Астана, Абай 10", "2019-04-01"),
                         {.kind = QZ_EFFECT_DEREGISTER,
                          .iin = "870101300017",
                          .ground = "imprisonment",
                          .on = "2026-06-01"}};
    assert_int_equal(qz_registry_apply(st, e, 2, NOW, &err), -1);
    int64_t n = -1;
    assert_int_equal(qz_registry_count(st, QZ_REG_REGISTRATIONS, &n, &err), 0);
    assert_int_equal(n, 0);
    qz_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_new_permanent_registration_ends_the_old, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test_setup_teardown(test_a_temporary_registration_leaves_the_permanent_one,
                                        tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_deregistration_by_each_ground, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test_setup_teardown(test_a_foreigner_gets_one_iin_for_life, tmp_setup,
                                        tmp_teardown),
        cmocka_unit_test_setup_teardown(test_a_document_issued_invalidates_the_one_it_replaces,
                                        tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_invitations_and_apostilles_are_numbered_by_year,
                                        tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_a_failing_effect_leaves_nothing_of_its_batch,
                                        tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
