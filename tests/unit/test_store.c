/* The store (store/store.h) on SQLite files in a fresh temporary folder: claims and
 * their conflicts, reopening, files that are not ours, and issuing every serial. */
#include "store/store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_tmp.h"

static void open_fails(const char *target, qz_code code, const char *key)
{
    qz_store *st = (qz_store *)1;
    qz_err err;
    qz_err_clear(&err);
    assert_int_equal(qz_store_open(target, &st, &err), -1);
    assert_null(st);
    assert_int_equal(err.code, code);
    assert_string_equal(err.key, key);
}

static void write_file(const char *path, const void *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static off_t file_size(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_size;
}

static void test_a_new_database_refuses_the_same_claim_twice(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    qz_err err;
    assert_int_equal(qz_store_schema_version(st), qz_store_schema_latest());
    assert_int_equal(qz_store_iin_claim(st, "921029350851", 1700000000, &err), 0);
    assert_int_equal(qz_store_iin_claim(st, "921029350851", 1700000001, &err), -1);
    assert_int_equal(err.code, QZ_ECONFLICT);
    assert_string_equal(err.key, "store.iin_taken");
    assert_string_equal(err.value, "921029350851");
    /* Another number is still free after the conflict. */
    assert_int_equal(qz_store_iin_claim(st, "061211600012", 1700000002, &err), 0);
    qz_store_close(st);
}

static void test_a_reopened_database_keeps_its_claims(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_err err;
    qz_store *st = store_open_ok(path);
    assert_int_equal(qz_store_iin_claim(st, "921029350851", 1700000000, &err), 0);
    qz_store_close(st);
    st = store_open_ok(path);
    assert_int_equal(qz_store_schema_version(st), qz_store_schema_latest());
    assert_int_equal(qz_store_iin_claim(st, "921029350851", 1700000000, &err), -1);
    assert_int_equal(err.code, QZ_ECONFLICT);
    qz_store_close(st);
}

static void test_two_handles_on_one_file_see_each_others_claims(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_err err;
    qz_store *a = store_open_ok(path), *b = store_open_ok(path);
    assert_int_equal(qz_store_iin_claim(a, "921029350851", 1, &err), 0);
    assert_int_equal(qz_store_iin_claim(b, "921029350851", 2, &err), -1);
    assert_int_equal(err.code, QZ_ECONFLICT);
    qz_store_close(a);
    qz_store_close(b);
}

static void test_claiming_an_invalid_iin_is_refused(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "q.db"));
    qz_err err;
    assert_int_equal(qz_store_iin_claim(st, "921029350852", 1, &err), -1);
    assert_int_equal(err.code, QZ_EINPUT);
    assert_string_equal(err.key, "iin.wrong_check_digit");
    qz_store_close(st);
}

static void test_a_garbage_file_is_not_a_database(void **state)
{
    const char *path = tmp_at(*state, "garbage.db");
    char bytes[4096];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (char)(i * 7 + 3);
    write_file(path, bytes, sizeof bytes);
    open_fails(path, QZ_EDATA, "store.not_database");
    assert_int_equal(file_size(path), sizeof bytes); /* left as it was */
}

static void test_a_text_file_is_not_a_database(void **state)
{
    const char *path = tmp_at(*state, "notes.txt");
    const char text[] = "Shopping list: bread, milk, kumys, baursaks, tea, sugar, apples.\n"
                        "Call Aigerim about the weekend. Pay the electricity bill.\n";
    write_file(path, text, sizeof text - 1);
    open_fails(path, QZ_EDATA, "store.not_database");
}

static void test_another_programs_sqlite_file_is_foreign(void **state)
{
    const char *path = tmp_at(*state, "other.db");
    raw_sql(path, "CREATE TABLE contacts(name TEXT, phone TEXT);"
                  "INSERT INTO contacts VALUES ('Aibek', '+77010000000');");
    off_t before = file_size(path);
    open_fails(path, QZ_EDATA, "store.foreign_database");
    assert_int_equal(file_size(path), before);
    /* A table called schema_version does not make it ours either. */
    raw_sql(path, "CREATE TABLE schema_version(version INTEGER)");
    open_fails(path, QZ_EDATA, "store.foreign_database");
}

static void test_a_database_from_a_newer_qyzmet_is_refused(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store_close(store_open_ok(path));
    raw_sql(path, "INSERT INTO schema_version(version) VALUES (99)");
    open_fails(path, QZ_ERANGE, "store.schema_too_new");
}

static void test_a_qyzmet_file_without_its_schema_version_is_broken(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store_close(store_open_ok(path));
    raw_sql(path, "DROP TABLE schema_version");
    open_fails(path, QZ_EDATA, "store.schema_broken");
}

static void test_an_empty_file_becomes_a_new_database(void **state)
{
    const char *path = tmp_at(*state, "empty.db");
    qz_err err;
    write_file(path, "", 0);
    qz_store *st = store_open_ok(path);
    assert_int_equal(qz_store_iin_claim(st, "921029350851", 1, &err), 0);
    qz_store_close(st);
}

static void test_a_postgres_target_is_not_available_yet(void **state)
{
    (void)state;
    open_fails("postgres://qyzmet@localhost/qyzmet", QZ_EIO, "store.backend_unavailable");
    open_fails("postgresql://localhost:5432/qyzmet", QZ_EIO, "store.backend_unavailable");
}

static void test_an_empty_or_unreachable_target_is_refused(void **state)
{
    open_fails("", QZ_EINPUT, "store.target_empty");
    open_fails(NULL, QZ_EINPUT, "store.target_empty");
    open_fails(tmp_at(*state, "missing/folder/q.db"), QZ_EIO, "store.cannot_open");
    open_fails((*(tmp **)state)->dir, QZ_EIO, "store.cannot_open"); /* a folder */
}

static void test_issuing_gives_distinct_iins_until_every_serial_is_taken(void **state)
{
    (void)state;
    qz_store *st = store_open_ok(":memory:");
    qz_date birth = qz_date_from_ymd(2000, 1, 1);
    char iin[QZ_IIN_STR], probe[QZ_IIN_STR];
    qz_err err;
    int issuable = 0;
    for (int s = 0; s < QZ_IIN_SERIALS; s++)
        issuable += qz_iin_compose(birth, QZ_SEX_MALE, s, probe, &err) == 0;
    /* Serial 22 at least is unissuable (test_iin.c works it out). */
    assert_true(issuable < QZ_IIN_SERIALS && issuable > 9800);
    for (int i = 0; i < issuable; i++) {
        uint64_t seed = (uint64_t)i * 0x9E3779B97F4A7C15u;
        qz_iin parsed;
        if (qz_store_iin_issue(st, birth, QZ_SEX_MALE, seed, 1700000000, iin, &err) != 0)
            fail_msg("issue %d: %s", i, err.key);
        assert_int_equal(qz_iin_parse(iin, &parsed, &err), 0);
        assert_int_equal(parsed.birth, birth);
        assert_int_equal(parsed.sex, QZ_SEX_MALE);
    }
    /* Every issued number was new, so now none is left; the other sex still has all. */
    assert_int_equal(qz_store_iin_issue(st, birth, QZ_SEX_MALE, 42, 1700000000, iin, &err), -1);
    assert_int_equal(err.code, QZ_ECONFLICT);
    assert_string_equal(err.key, "store.iin_exhausted");
    assert_string_equal(err.value, "2000-01-01 male");
    assert_int_equal(qz_store_iin_issue(st, birth, QZ_SEX_FEMALE, 42, 1700000000, iin, &err), 0);
    qz_store_close(st);
}

static void test_issuing_refuses_a_birth_date_outside_the_iin_range(void **state)
{
    (void)state;
    qz_store *st = store_open_ok(":memory:");
    char iin[QZ_IIN_STR];
    qz_err err;
    assert_int_equal(
        qz_store_iin_issue(st, qz_date_from_ymd(2100, 1, 1), QZ_SEX_MALE, 1, 0, iin, &err), -1);
    assert_string_equal(err.key, "iin.birth_out_of_range");
    qz_store_close(st);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)
    const struct CMUnitTest tests[] = {
        T(test_a_new_database_refuses_the_same_claim_twice),
        T(test_a_reopened_database_keeps_its_claims),
        T(test_two_handles_on_one_file_see_each_others_claims),
        T(test_claiming_an_invalid_iin_is_refused),
        T(test_a_garbage_file_is_not_a_database),
        T(test_a_text_file_is_not_a_database),
        T(test_another_programs_sqlite_file_is_foreign),
        T(test_a_database_from_a_newer_qyzmet_is_refused),
        T(test_a_qyzmet_file_without_its_schema_version_is_broken),
        T(test_an_empty_file_becomes_a_new_database),
        T(test_a_postgres_target_is_not_available_yet),
        T(test_an_empty_or_unreachable_target_is_refused),
        T(test_issuing_gives_distinct_iins_until_every_serial_is_taken),
        T(test_issuing_refuses_a_birth_date_outside_the_iin_range),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
