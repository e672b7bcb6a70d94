/* What the registers say about a person (registry/checks.h): the criminal record as of a
 * date, with expunged records not counted; the special register's age rule on
 * 1940-01-01; the open permanent registration. */
#include "registry/checks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static void test_no_convictions_no_record(void **state)
{
    (void)state;
    size_t n = 9;
    assert_false(qz_check_record(NULL, 0, "2026-06-01", &n));
    assert_int_equal(n, 0);
}

static void test_a_standing_conviction_is_a_record(void **state)
{
    (void)state;
    qz_conviction_row c[] = {{"921029350851", "190", "2020-02-03", NULL}};
    size_t n = 0;
    assert_true(qz_check_record(c, 1, "2026-06-01", &n));
    assert_int_equal(n, 1);
}

static void test_an_expunged_conviction_does_not_count(void **state)
{
    (void)state;
    qz_conviction_row c[] = {{"921029350851", "188-1", "2012-05-14", "2016-05-14"}};
    assert_false(qz_check_record(c, 1, "2026-06-01", NULL));
    /* As of a date before the expunging, it still counted. */
    assert_true(qz_check_record(c, 1, "2016-05-13", NULL));
    /* On the day it is expunged it no longer does. */
    assert_false(qz_check_record(c, 1, "2016-05-14", NULL));
}

static void test_a_later_sentence_is_not_yet_a_record(void **state)
{
    (void)state;
    qz_conviction_row c[] = {{"921029350851", "190", "2026-07-01", NULL}};
    assert_false(qz_check_record(c, 1, "2026-06-01", NULL));
}

static void test_one_standing_among_expunged_counts(void **state)
{
    (void)state;
    qz_conviction_row c[] = {{"1", "188", "2005-01-01", "2010-01-01"},
                             {"1", "190", "2018-03-01", NULL},
                             {"1", "293", "2008-01-01", "2012-01-01"}};
    size_t n = 0;
    assert_true(qz_check_record(c, 3, "2026-06-01", &n));
    assert_int_equal(n, 1);
}

static void test_under_16_on_1_january_1940_by_birth_date(void **state)
{
    (void)state;
    /* Born 1924-01-01: 16 exactly on 1940-01-01, so not under 16. */
    assert_false(qz_check_under_16_in_1940("1924-01-01"));
    /* One day later: 15 on that day. */
    assert_true(qz_check_under_16_in_1940("1924-01-02"));
    assert_false(qz_check_under_16_in_1940("1921-03-02"));
    assert_true(qz_check_under_16_in_1940("1930-06-11"));
    assert_false(qz_check_under_16_in_1940(NULL));
}

static void test_the_open_permanent_registration(void **state)
{
    (void)state;
    qz_registration_row r[] = {
        {"1", "temporary", "Алматы", "2026-01-10", "2026-07-10", NULL, NULL},
        {"1", "permanent", "Астана, жаңа", "2026-05-01", NULL, NULL, NULL},
        {"1", "permanent", "Астана, ескі", "2019-04-01", NULL, "2026-05-01", "new-registration"},
    };
    const qz_registration_row *p = qz_check_permanent(r, 3);
    assert_non_null(p);
    assert_string_equal(p->address, "Астана, жаңа");
    assert_null(qz_check_permanent(r + 2, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_convictions_no_record),
        cmocka_unit_test(test_a_standing_conviction_is_a_record),
        cmocka_unit_test(test_an_expunged_conviction_does_not_count),
        cmocka_unit_test(test_a_later_sentence_is_not_yet_a_record),
        cmocka_unit_test(test_one_standing_among_expunged_counts),
        cmocka_unit_test(test_under_16_on_1_january_1940_by_birth_date),
        cmocka_unit_test(test_the_open_permanent_registration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
