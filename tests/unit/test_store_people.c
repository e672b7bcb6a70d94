/* Units, users (argon2id passwords), persons and the outbox in the store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_tmp.h"

static const qz_unit_row psc = {.code = "psc-astana-1",
                                .kind = "psc",
                                .department = "regional",
                                .name_kk = "Астана қ. бойынша филиал",
                                .name_ru = "Филиал по г. Астана",
                                .region = "KZ-71"};
static const qz_unit_row police = {.code = "mp-almaty-medeu",
                                   .kind = "provider",
                                   .name_kk = "Медеу ауданының көші-қон полициясы",
                                   .name_ru = "Миграционная полиция Медеуского района",
                                   .region = "KZ-75",
                                   .parent = "mp-almaty"};

static qz_store *with_units(const char *path)
{
    qz_store *st = store_open_ok(path);
    qz_err err;
    assert_int_equal(qz_store_unit_add(st, &psc, &err), 0);
    assert_int_equal(qz_store_unit_add(st, &police, &err), 0);
    return st;
}

static void test_units_read_back_and_list_by_region(void **state)
{
    qz_store *st = with_units(tmp_at(*state, "q.db"));
    qz_arena a = QZ_ARENA_INIT;
    qz_unit_row u, *all;
    size_t n;
    qz_err err;
    assert_int_equal(qz_store_unit_get(st, "mp-almaty-medeu", &a, &u, &err), 0);
    assert_string_equal(u.kind, "provider");
    assert_null(u.department);
    assert_string_equal(u.parent, "mp-almaty");
    assert_string_equal(u.name_ru, "Миграционная полиция Медеуского района");
    assert_int_equal(qz_store_unit_list(st, NULL, &a, &all, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(all[0].code, "mp-almaty-medeu"); /* by code */
    assert_int_equal(qz_store_unit_list(st, "KZ-71", &a, &all, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(all[0].department, "regional");
    assert_int_equal(qz_store_unit_get(st, "nowhere", &a, &u, &err), -1);
    assert_int_equal(err.code, QZ_ENOTFOUND);
    assert_string_equal(err.key, "store.unit_not_found");
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_a_unit_of_an_unknown_kind_or_twice_is_refused(void **state)
{
    qz_store *st = with_units(tmp_at(*state, "q.db"));
    qz_unit_row bad = psc;
    qz_err err;
    assert_int_equal(qz_store_unit_add(st, &psc, &err), -1);
    assert_int_equal(err.code, QZ_ECONFLICT);
    assert_string_equal(err.key, "store.unit_exists");
    bad.code = "x";
    bad.kind = "ministry";
    assert_int_equal(qz_store_unit_add(st, &bad, &err), -1);
    assert_string_equal(err.key, "store.unit_kind");
    bad.kind = "provider"; /* departments are a PSC's */
    assert_int_equal(qz_store_unit_add(st, &bad, &err), -1);
    assert_string_equal(err.key, "store.unit_department");
    bad.kind = "psc";
    bad.department = "night";
    assert_int_equal(qz_store_unit_add(st, &bad, &err), -1);
    assert_string_equal(err.key, "store.unit_department");
    qz_store_close(st);
}

static void test_a_password_is_stored_as_an_argon2id_hash_that_verifies(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store *st = with_units(path);
    qz_user_row u = {.login = "a.seitkali",
                     .role = "psc-operator",
                     .unit = "psc-astana-1",
                     .created_at = CASE_NOW};
    qz_arena a = QZ_ARENA_INIT;
    qz_user_row got;
    int64_t id = 0;
    qz_err err;
    assert_int_equal(qz_store_user_add(st, &u, "Kokteм-2026!", &id, &err), 0);
    assert_int_equal(id, 1);
    assert_int_equal(qz_store_user_verify(st, "a.seitkali", "Kokteм-2026!", &a, &got, &err), 0);
    assert_int_equal(got.id, id);
    assert_string_equal(got.role, "psc-operator");
    assert_string_equal(got.unit, "psc-astana-1");
    assert_string_equal(got.region, "KZ-71"); /* the unit's */
    qz_store_close(st);
    assert_int_equal(
        raw_int(path, "SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$v=19$%'"), 1);
    assert_int_equal(
        raw_int(path, "SELECT count(*) FROM users WHERE instr(password_hash, 'Kokte') > 0"), 0);
    qz_arena_free(&a);
}

static void test_a_wrong_password_and_an_unknown_login_get_the_same_refusal(void **state)
{
    qz_store *st = with_units(tmp_at(*state, "q.db"));
    qz_user_row u = {.login = "b.nurlanov",
                     .role = "provider-clerk",
                     .unit = "mp-almaty-medeu",
                     .created_at = CASE_NOW};
    qz_arena a = QZ_ARENA_INIT;
    qz_user_row got;
    qz_err wrong, unknown;
    assert_int_equal(qz_store_user_add(st, &u, "correct horse", NULL, &wrong), 0);
    assert_int_equal(qz_store_user_verify(st, "b.nurlanov", "correct horsE", &a, &got, &wrong), -1);
    assert_int_equal(qz_store_user_verify(st, "nobody", "correct horse", &a, &got, &unknown), -1);
    assert_int_equal(wrong.code, QZ_EINPUT);
    assert_string_equal(wrong.key, "store.login_failed");
    assert_int_equal(unknown.code, wrong.code);
    assert_string_equal(unknown.key, wrong.key);
    assert_string_equal(unknown.value, wrong.value);
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_a_user_needs_an_existing_unit_a_free_login_and_a_password(void **state)
{
    qz_store *st = with_units(tmp_at(*state, "q.db"));
    qz_user_row u = {.login = "c.ermekova", .role = "psc-head", .unit = "psc-nowhere"};
    qz_err err;
    assert_int_equal(qz_store_user_add(st, &u, "secret", NULL, &err), -1);
    assert_int_equal(err.code, QZ_ENOTFOUND);
    assert_string_equal(err.key, "store.unit_not_found");
    u.unit = "psc-astana-1";
    assert_int_equal(qz_store_user_add(st, &u, "", NULL, &err), -1);
    assert_string_equal(err.key, "store.password_empty");
    assert_int_equal(qz_store_user_add(st, &u, "secret", NULL, &err), 0);
    assert_int_equal(qz_store_user_add(st, &u, "other", NULL, &err), -1);
    assert_int_equal(err.code, QZ_ECONFLICT);
    assert_string_equal(err.key, "store.login_taken");
    /* An applicant has no unit but a region. */
    qz_user_row citizen = {.login = "921029350851", .role = "applicant", .region = "KZ-75"};
    assert_int_equal(qz_store_user_add(st, &citizen, "otp-less", NULL, &err), 0);
    qz_store_close(st);
}

static void test_a_person_reads_back_and_a_bad_iin_or_birth_is_refused(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    qz_person_row p = {.iin = "921029350851",
                       .surname = "Абенов",
                       .name = "Ержан",
                       .phone = "+77011234567",
                       .has_birth = true,
                       .birth = qz_date_from_ymd(1992, 10, 29),
                       .region = "KZ-71",
                       .created_at = CASE_NOW};
    qz_arena a = QZ_ARENA_INIT;
    qz_person_row got;
    qz_err err;
    assert_int_equal(qz_store_person_add(st, &p, &err), 0);
    assert_int_equal(qz_store_person_get(st, "921029350851", &a, &got, &err), 0);
    assert_string_equal(got.surname, "Абенов");
    assert_null(got.patronymic);
    assert_true(got.has_birth);
    assert_int_equal(got.birth, p.birth);
    assert_int_equal(qz_store_person_add(st, &p, &err), -1);
    assert_string_equal(err.key, "store.person_exists");
    p.iin = "921029350852";
    assert_int_equal(qz_store_person_add(st, &p, &err), -1);
    assert_string_equal(err.key, "iin.wrong_check_digit");
    p.iin = "061211600012"; /* born 2006-12-11, not 1992-10-29 */
    assert_int_equal(qz_store_person_add(st, &p, &err), -1);
    assert_string_equal(err.key, "store.birth_mismatch");
    assert_string_equal(err.value, "2006-12-11");
    assert_int_equal(qz_store_person_get(st, "061211600012", &a, &got, &err), -1);
    assert_string_equal(err.key, "store.person_not_found");
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_the_outbox_lists_messages_in_order_and_by_person(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    qz_outbox_row m = {.region = "KZ-71",
                       .to_iin = "921029350851",
                       .channel = "sms",
                       .lang = "kk",
                       .text = "Сіздің құжатыңыз дайын",
                       .created_at = CASE_NOW};
    qz_arena a = QZ_ARENA_INIT;
    qz_outbox_row *got;
    size_t n;
    int64_t id;
    qz_err err;
    assert_int_equal(qz_store_outbox_append(st, &m, &id, &err), 0);
    assert_int_equal(id, 1);
    m.to_iin = "061211600012";
    m.channel = "cabinet";
    m.lang = "ru";
    m.text = "Ваш документ готов";
    assert_int_equal(qz_store_outbox_append(st, &m, &id, &err), 0);
    m.to_iin = "921029350851";
    m.text = "Код: 482913";
    assert_int_equal(qz_store_outbox_append(st, &m, &id, &err), 0);
    assert_int_equal(qz_store_outbox_list(st, NULL, &a, &got, &n, &err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(got[1].text, "Ваш документ готов");
    assert_int_equal(qz_store_outbox_list(st, "921029350851", &a, &got, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(got[0].channel, "sms");
    assert_string_equal(got[1].text, "Код: 482913");
    m.channel = "pigeon";
    assert_int_equal(qz_store_outbox_append(st, &m, &id, &err), -1);
    assert_string_equal(err.key, "store.outbox_channel");
    qz_arena_free(&a);
    qz_store_close(st);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)
    const struct CMUnitTest tests[] = {
        T(test_units_read_back_and_list_by_region),
        T(test_a_unit_of_an_unknown_kind_or_twice_is_refused),
        T(test_a_password_is_stored_as_an_argon2id_hash_that_verifies),
        T(test_a_wrong_password_and_an_unknown_login_get_the_same_refusal),
        T(test_a_user_needs_an_existing_unit_a_free_login_and_a_password),
        T(test_a_person_reads_back_and_a_bad_iin_or_birth_is_refused),
        T(test_the_outbox_lists_messages_in_order_and_by_person),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
