/* Sessions, one-time passwords and sign-in attempts in the store; a person's language
 * and reading an account without its password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_tmp.h"

#include <pthread.h>

/* A hash whose every byte is `b`: enough to tell tokens and codes apart. */
static void fill(unsigned char h[QZ_HASH_LEN], unsigned char b)
{
    memset(h, b, QZ_HASH_LEN);
}

static qz_session_row citizen_session(unsigned char b, qz_instant at)
{
    qz_session_row s = {.login = "921029350851",
                        .role = "applicant",
                        .iin = "921029350851",
                        .region = "KZ-71",
                        .created_at = at,
                        .expires_at = at + 1800};
    fill(s.token_hash, b);
    return s;
}

static qz_otp_row otp(unsigned char b, qz_instant at)
{
    qz_otp_row o = {
        .iin = "921029350851", .region = "KZ-71", .sent_at = at, .expires_at = at + 300};
    fill(o.code_hash, b);
    return o;
}

static void test_a_session_reads_back_by_its_token_hash_and_ends_once(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store *st = store_open_ok(path);
    qz_arena a = QZ_ARENA_INIT;
    qz_session_row s = citizen_session(0xab, CASE_NOW), staff = s, got;
    qz_err err;
    staff.user_id = 7;
    staff.login = "operator.astana";
    staff.role = "psc-operator";
    staff.unit = "psc-astana-1";
    staff.iin = NULL;
    staff.expires_at = CASE_NOW + 8 * 3600;
    fill(staff.token_hash, 0xcd);
    assert_int_equal(qz_store_session_add(st, &s, &err), 0);
    assert_int_equal(qz_store_session_add(st, &staff, &err), 0);
    assert_int_equal(qz_store_session_get(st, s.token_hash, &a, &got, &err), 0);
    assert_int_equal(got.user_id, 0); /* a citizen without an account */
    assert_string_equal(got.login, "921029350851");
    assert_string_equal(got.iin, "921029350851");
    assert_null(got.unit);
    assert_int_equal(got.expires_at, CASE_NOW + 1800);
    assert_memory_equal(got.token_hash, s.token_hash, QZ_HASH_LEN);
    assert_int_equal(qz_store_session_get(st, staff.token_hash, &a, &got, &err), 0);
    assert_int_equal(got.user_id, 7);
    assert_string_equal(got.unit, "psc-astana-1");
    assert_null(got.iin);
    /* the token itself is nowhere: only 32-byte hashes */
    assert_int_equal(raw_int(path, "SELECT count(*) FROM sessions WHERE length(token_hash) = 32"),
                     2);
    assert_int_equal(qz_store_session_delete(st, s.token_hash, &err), 0);
    assert_int_equal(qz_store_session_delete(st, s.token_hash, &err), -1);
    assert_int_equal(err.code, QZ_ENOTFOUND);
    assert_string_equal(err.key, "store.session_not_found");
    assert_int_equal(qz_store_session_get(st, s.token_hash, &a, &got, &err), -1);
    assert_string_equal(err.key, "store.session_not_found");
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_sessions_expired_a_day_before_a_new_one_are_forgotten(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    qz_arena a = QZ_ARENA_INIT;
    qz_session_row old = citizen_session(1, CASE_NOW), got;
    qz_instant expired = old.expires_at;
    qz_err err;
    assert_int_equal(qz_store_session_add(st, &old, &err), 0);
    /* expired, but less than a day ago: still there, to answer "expired" */
    qz_session_row next = citizen_session(2, expired + QZ_SESSION_KEEP_S - 1);
    assert_int_equal(qz_store_session_add(st, &next, &err), 0);
    assert_int_equal(qz_store_session_get(st, old.token_hash, &a, &got, &err), 0);
    /* a day after it expired: forgotten when the next session opens */
    next = citizen_session(3, expired + QZ_SESSION_KEEP_S);
    assert_int_equal(qz_store_session_add(st, &next, &err), 0);
    assert_int_equal(qz_store_session_get(st, old.token_hash, &a, &got, &err), -1);
    assert_string_equal(err.key, "store.session_not_found");
    qz_arena_free(&a);
    qz_store_close(st);
}

static void test_a_session_without_a_login_or_ending_before_it_starts_is_refused(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    qz_session_row s = citizen_session(1, CASE_NOW);
    qz_err err;
    s.expires_at = s.created_at;
    assert_int_equal(qz_store_session_add(st, &s, &err), -1);
    assert_string_equal(err.key, "store.session_expiry");
    s = citizen_session(1, CASE_NOW);
    s.login = "";
    assert_int_equal(qz_store_session_add(st, &s, &err), -1);
    assert_string_equal(err.key, "store.field_missing");
    assert_string_equal(err.field, "login");
    s = citizen_session(1, CASE_NOW);
    assert_int_equal(qz_store_session_add(st, &s, &err), 0);
    assert_int_equal(qz_store_session_add(st, &s, &err), -1);
    assert_int_equal(err.code, QZ_ECONFLICT);
    assert_string_equal(err.key, "store.session_exists");
    qz_store_close(st);
}

static void test_a_one_time_password_opens_once(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store *st = store_open_ok(path);
    qz_otp_row o = otp(0x11, CASE_NOW);
    qz_err err;
    assert_int_equal(qz_store_otp_put(st, &o, &err), 0);
    assert_int_equal(qz_store_otp_use(st, o.iin, o.code_hash, CASE_NOW + 299, 3, &err), 0);
    assert_int_equal(qz_store_otp_use(st, o.iin, o.code_hash, CASE_NOW + 299, 3, &err), -1);
    assert_string_equal(err.key, "store.otp_none");
    assert_int_equal(raw_int(path, "SELECT count(*) FROM otps"), 0);
    assert_int_equal(qz_store_otp_use(st, "061211600012", o.code_hash, CASE_NOW, 3, &err), -1);
    assert_string_equal(err.key, "store.otp_none");
    qz_store_close(st);
}

static void test_three_wrong_tries_burn_a_one_time_password(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    qz_otp_row o = otp(0x11, CASE_NOW);
    unsigned char wrong[QZ_HASH_LEN];
    const char *left[] = {"2", "1", "0"};
    qz_err err;
    fill(wrong, 0x22);
    assert_int_equal(qz_store_otp_put(st, &o, &err), 0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(qz_store_otp_use(st, o.iin, wrong, CASE_NOW + 1, 3, &err), -1);
        assert_string_equal(err.key, "store.otp_wrong");
        assert_string_equal(err.value, left[i]); /* the tries left: 3 - (i + 1) */
    }
    assert_int_equal(qz_store_otp_use(st, o.iin, o.code_hash, CASE_NOW + 1, 3, &err), -1);
    assert_string_equal(err.key, "store.otp_burned");
    qz_store_close(st);
}

static void test_an_expired_one_time_password_does_not_open(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    qz_otp_row o = otp(0x11, CASE_NOW);
    qz_err err;
    assert_int_equal(qz_store_otp_put(st, &o, &err), 0);
    /* it lives 300 s: at sent_at + 300 it has expired */
    assert_int_equal(qz_store_otp_use(st, o.iin, o.code_hash, CASE_NOW + 300, 3, &err), -1);
    assert_string_equal(err.key, "store.otp_expired");
    o.expires_at = o.sent_at;
    assert_int_equal(qz_store_otp_put(st, &o, &err), -1);
    assert_string_equal(err.key, "store.otp_expiry");
    o = otp(0x11, CASE_NOW);
    o.iin = "921029350852";
    assert_int_equal(qz_store_otp_put(st, &o, &err), -1);
    assert_string_equal(err.key, "iin.wrong_check_digit");
    qz_store_close(st);
}

static void test_a_new_one_time_password_replaces_the_old_and_its_tries(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    qz_otp_row first = otp(0x11, CASE_NOW), second = otp(0x33, CASE_NOW + 60);
    unsigned char wrong[QZ_HASH_LEN];
    qz_err err;
    fill(wrong, 0x22);
    assert_int_equal(qz_store_otp_put(st, &first, &err), 0);
    assert_int_equal(qz_store_otp_use(st, first.iin, wrong, CASE_NOW + 1, 3, &err), -1);
    assert_int_equal(qz_store_otp_use(st, first.iin, wrong, CASE_NOW + 2, 3, &err), -1);
    assert_int_equal(qz_store_otp_put(st, &second, &err), 0);
    assert_int_equal(qz_store_otp_use(st, first.iin, first.code_hash, CASE_NOW + 61, 3, &err), -1);
    assert_string_equal(err.key, "store.otp_wrong");
    assert_string_equal(err.value, "2"); /* tries start again at the new password */
    assert_int_equal(qz_store_otp_use(st, first.iin, second.code_hash, CASE_NOW + 62, 3, &err), 0);
    qz_store_close(st);
}

static void test_attempts_count_in_a_window_that_opens_at_the_first(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    qz_attempts at;
    qz_err err;
    assert_int_equal(qz_store_attempts_add(st, "login:x", 1, CASE_NOW, 900, &at, &err), 0);
    assert_int_equal(at.count, 1);
    assert_int_equal(at.window_start, CASE_NOW);
    assert_int_equal(qz_store_attempts_add(st, "login:x", 1, CASE_NOW + 899, 900, &at, &err), 0);
    assert_int_equal(at.count, 2);
    assert_int_equal(at.window_start, CASE_NOW);
    assert_int_equal(qz_store_attempts_add(st, "login:y", 1, CASE_NOW + 899, 900, &at, &err), 0);
    assert_int_equal(at.count, 1); /* keys count apart */
    assert_int_equal(qz_store_attempts_add(st, "login:x", -1, CASE_NOW + 899, 900, &at, &err), 0);
    assert_int_equal(at.count, 1);
    /* 900 s after the first attempt the window has closed: a new one opens */
    assert_int_equal(qz_store_attempts_add(st, "login:x", 1, CASE_NOW + 900, 900, &at, &err), 0);
    assert_int_equal(at.count, 1);
    assert_int_equal(at.window_start, CASE_NOW + 900);
    qz_store_close(st);
}

static void test_taking_back_an_attempt_opens_no_window_and_stops_at_zero(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store *st = store_open_ok(path);
    qz_attempts at;
    qz_err err;
    assert_int_equal(qz_store_attempts_add(st, "login:x", -1, CASE_NOW, 900, &at, &err), 0);
    assert_int_equal(at.count, 0);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM login_attempts"), 0);
    assert_int_equal(qz_store_attempts_add(st, "login:x", 1, CASE_NOW, 900, &at, &err), 0);
    assert_int_equal(qz_store_attempts_add(st, "login:x", -5, CASE_NOW, 900, &at, &err), 0);
    assert_int_equal(at.count, 0);
    qz_store_close(st);
}

static void test_old_attempt_keys_are_forgotten_and_windows_are_bounded(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store *st = store_open_ok(path);
    qz_attempts at;
    qz_err err;
    assert_int_equal(qz_store_attempts_add(st, "otp:a", 1, CASE_NOW, 900, &at, &err), 0);
    assert_int_equal(qz_store_attempts_add(st, "otp:b", 1, CASE_NOW + QZ_ATTEMPTS_WINDOW_MAX - 1,
                                           900, &at, &err),
                     0);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM login_attempts"), 2);
    assert_int_equal(
        qz_store_attempts_add(st, "otp:c", 1, CASE_NOW + QZ_ATTEMPTS_WINDOW_MAX, 900, &at, &err),
        0);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM login_attempts WHERE key = 'otp:a'"), 0);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM login_attempts"), 2);
    assert_int_equal(qz_store_attempts_add(st, "otp:a", 1, CASE_NOW, 0, &at, &err), -1);
    assert_string_equal(err.key, "store.attempts_window");
    assert_int_equal(
        qz_store_attempts_add(st, "otp:a", 1, CASE_NOW, QZ_ATTEMPTS_WINDOW_MAX + 1, &at, &err), -1);
    assert_string_equal(err.key, "store.attempts_window");
    assert_int_equal(qz_store_attempts_add(st, "", 1, CASE_NOW, 900, &at, &err), -1);
    assert_string_equal(err.key, "store.field_missing");
    qz_store_close(st);
}

enum { THREADS = 8, EACH = 10 };

static void *add_attempts(void *arg)
{
    qz_attempts at;
    qz_err err;
    for (int i = 0; i < EACH; i++)
        if (qz_store_attempts_add(arg, "login:busy", 1, CASE_NOW, 900, &at, &err))
            return arg;
    return NULL;
}

static void test_attempts_from_many_threads_are_all_counted(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    pthread_t t[THREADS];
    qz_attempts at;
    qz_err err;
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, add_attempts, st), 0);
    for (int i = 0; i < THREADS; i++) {
        void *failed = NULL;
        assert_int_equal(pthread_join(t[i], &failed), 0);
        assert_null(failed);
    }
    assert_int_equal(qz_store_attempts_add(st, "login:busy", 0, CASE_NOW, 900, &at, &err), 0);
    assert_int_equal(at.count, THREADS * EACH); /* 8 threads × 10 attempts */
    qz_store_close(st);
}

static void test_a_person_keeps_their_language_and_an_account_reads_without_password(void **state)
{
    static const qz_unit_row psc = {.code = "psc-astana-1",
                                    .kind = "psc",
                                    .name_kk = "Астана",
                                    .name_ru = "Астана",
                                    .region = "KZ-71"};
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    qz_arena a = QZ_ARENA_INIT;
    qz_person_row p = {.iin = "850315423272",
                       .surname = "Ким",
                       .name = "Елена",
                       .phone = "+77473456789",
                       .lang = "ru",
                       .region = "KZ-11"},
                  got;
    qz_user_row u = {.login = "operator.astana", .role = "psc-operator", .unit = "psc-astana-1"};
    int64_t id = 0;
    qz_err err;
    assert_int_equal(qz_store_person_add(st, &p, &err), 0);
    assert_int_equal(qz_store_person_get(st, p.iin, &a, &got, &err), 0);
    assert_string_equal(got.lang, "ru");
    p.iin = "921029350851";
    p.lang = NULL;
    assert_int_equal(qz_store_person_add(st, &p, &err), 0);
    assert_int_equal(qz_store_person_get(st, p.iin, &a, &got, &err), 0);
    assert_null(got.lang);
    p.iin = "061211600012";
    p.lang = "de";
    assert_int_equal(qz_store_person_add(st, &p, &err), -1);
    assert_string_equal(err.key, "store.person_lang");
    assert_int_equal(qz_store_unit_add(st, &psc, &err), 0);
    assert_int_equal(qz_store_user_add(st, &u, "S3cret-pass", &id, &err), 0);
    qz_user_row back;
    assert_int_equal(qz_store_user_get(st, "operator.astana", &a, &back, &err), 0);
    assert_int_equal(back.id, id);
    assert_string_equal(back.unit, "psc-astana-1");
    assert_string_equal(back.region, "KZ-71");
    assert_int_equal(qz_store_user_get(st, "nobody", &a, &back, &err), -1);
    assert_int_equal(err.code, QZ_ENOTFOUND);
    assert_string_equal(err.key, "store.user_not_found");
    qz_arena_free(&a);
    qz_store_close(st);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)
    const struct CMUnitTest tests[] = {
        T(test_a_session_reads_back_by_its_token_hash_and_ends_once),
        T(test_sessions_expired_a_day_before_a_new_one_are_forgotten),
        T(test_a_session_without_a_login_or_ending_before_it_starts_is_refused),
        T(test_a_one_time_password_opens_once),
        T(test_three_wrong_tries_burn_a_one_time_password),
        T(test_an_expired_one_time_password_does_not_open),
        T(test_a_new_one_time_password_replaces_the_old_and_its_tries),
        T(test_attempts_count_in_a_window_that_opens_at_the_first),
        T(test_taking_back_an_attempt_opens_no_window_and_stops_at_zero),
        T(test_old_attempt_keys_are_forgotten_and_windows_are_bounded),
        T(test_attempts_from_many_threads_are_all_counted),
        T(test_a_person_keeps_their_language_and_an_account_reads_without_password),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
