/* IIN and BIN (core/iin.h): parsing, every way a number is refused, the second row
 * of weights, the never-issued double remainder, composing, and published BINs.
 *
 * Check digits beside each vector are worked out by hand: r1 = sum(d_i * i) mod 11
 * over the first 11 digits; when r1 = 10, r2 = sum(d_i * w_i) mod 11 with
 * w = 3 4 5 6 7 8 9 10 11 1 2. Terms with a zero digit are left out. */
#include "core/iin.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

static qz_iin parse_ok(const char *s)
{
    qz_iin out;
    qz_err err;
    qz_err_clear(&err);
    memset(&out, 0, sizeof out);
    if (qz_iin_parse(s, &out, &err) != 0)
        fail_msg("%s refused: %s", s, err.key);
    assert_string_equal(out.text, s);
    return out;
}

/* Returns the key an invalid IIN is refused with (static buffer). */
static const char *refusal(const char *s)
{
    static qz_err err;
    qz_iin out;
    qz_err_clear(&err);
    assert_int_equal(qz_iin_parse(s, &out, &err), -1);
    assert_int_equal(err.code, QZ_EINPUT);
    return err.key;
}

static const char *bin_refusal(const char *s)
{
    static qz_err err;
    qz_bin out;
    qz_err_clear(&err);
    assert_int_equal(qz_bin_parse(s, &out, &err), -1);
    assert_int_equal(err.code, QZ_EINPUT);
    return err.key;
}

static void assert_person(const char *s, int y, int m, int d, qz_sex sex, int serial)
{
    qz_iin iin = parse_ok(s);
    assert_int_equal(iin.birth, qz_date_from_ymd(y, m, d));
    assert_int_equal(iin.sex, sex);
    assert_int_equal(iin.serial, serial);
}

static void test_each_century_digit_gives_the_century_and_sex(void **state)
{
    (void)state;
    /* 1: 1*1 + 2*8 + 4*1 + 6*1 + 7*1 + 11*1 = 45; 45 mod 11 = 1 */
    assert_person("180101100011", 1818, 1, 1, QZ_SEX_MALE, 1);
    /* 2: 1*8 + 2*5 + 3*1 + 4*2 + 5*2 + 6*9 + 7*2 + 11*2 = 129; 129 mod 11 = 8 */
    assert_person("851229200028", 1885, 12, 29, QZ_SEX_FEMALE, 2);
    /* 3 (python-stdnum's example): 1*9 + 2*2 + 3*1 + 5*2 + 6*9 + 7*3 + 8*5 + 10*8 + 11*5
     * = 276; 276 mod 11 = 1 */
    assert_person("921029350851", 1992, 10, 29, QZ_SEX_MALE, 5085);
    /* 4: 1*8 + 2*5 + 4*3 + 5*1 + 6*5 + 7*4 + 9*1 + 10*2 + 11*3 = 155; 155 mod 11 = 1 */
    assert_person("850315401231", 1985, 3, 15, QZ_SEX_FEMALE, 123);
    /* 5: 1*2 + 2*4 + 4*2 + 5*2 + 6*9 + 7*5 + 11*7 = 194; 194 mod 11 = 7 */
    assert_person("240229500077", 2024, 2, 29, QZ_SEX_MALE, 7);
    /* 6 (kz-iin-validator's example): see the second-weights test below. */
    assert_person("061211600012", 2006, 12, 11, QZ_SEX_FEMALE, 1);
}

static void test_published_iins_are_valid(void **state)
{
    (void)state;
    /* py-kz-validators' README: 1*7 + 2*9 + 3*1 + 5*2 + 6*8 + 7*3 + 9*2 + 10*7 + 11*2
     * = 217; 217 mod 11 = 8 */
    assert_person("791028302728", 1979, 10, 28, QZ_SEX_MALE, 272);
}

static void test_a_wrong_check_digit_is_refused(void **state)
{
    (void)state;
    /* 921029350851 is valid (check digit 1); every other last digit is wrong. */
    assert_string_equal(refusal("921029350852"), "iin.wrong_check_digit");
    assert_string_equal(refusal("921029350850"), "iin.wrong_check_digit");
    assert_string_equal(refusal("791028302729"), "iin.wrong_check_digit");
}

static void test_impossible_birth_dates_are_refused(void **state)
{
    (void)state;
    assert_string_equal(refusal("921529350859"), "iin.bad_date"); /* month 15 (stdnum) */
    assert_string_equal(refusal("920029350851"), "iin.bad_date"); /* month 00 */
    assert_string_equal(refusal("921000350851"), "iin.bad_date"); /* day 00 */
    assert_string_equal(refusal("921032350851"), "iin.bad_date"); /* 32 October */
    assert_string_equal(refusal("920431350851"), "iin.bad_date"); /* 31 April */
}

static void test_29_february_of_a_non_leap_year_is_refused(void **state)
{
    (void)state;
    /* Digit 4: 1900, which is not a leap year (divisible by 100, not by 400). The check
     * digit is right: 4*2 + 5*2 + 6*9 + 7*4 + 11*1 = 111; 111 mod 11 = 1. */
    assert_string_equal(refusal("000229400011"), "iin.bad_date");
    /* Digit 6: 2023; 1*2 + 2*3 + 4*2 + 5*2 + 6*9 + 7*6 + 11*4 = 166; 166 mod 11 = 1. */
    assert_string_equal(refusal("230229600041"), "iin.bad_date");
    /* Digit 1: 1899; 1*9 + 2*9 + 4*2 + 5*2 + 6*9 + 7*1 + 11*1 = 117; 117 mod 11 = 7. */
    assert_string_equal(refusal("990229100017"), "iin.bad_date");
}

static void test_29_february_of_a_leap_year_is_valid(void **state)
{
    (void)state;
    /* Digit 5: 2000, a leap year (divisible by 400): 4*2 + 5*2 + 6*9 + 7*5 + 11*1 = 118;
     * 118 mod 11 = 8. The same six digits with century digit 4 (1900) are refused above. */
    assert_person("000229500018", 2000, 2, 29, QZ_SEX_MALE, 1);
    /* Digit 5: 2024 (see the century test). */
    assert_person("240229500077", 2024, 2, 29, QZ_SEX_MALE, 7);
}

static void test_century_digits_0_and_7_to_9_are_refused(void **state)
{
    (void)state;
    assert_string_equal(refusal("921029050851"), "iin.bad_century");
    assert_string_equal(refusal("921029750851"), "iin.bad_century");
    assert_string_equal(refusal("921029850851"), "iin.bad_century");
    assert_string_equal(refusal("921029950851"), "iin.bad_century");
}

static void test_a_number_of_the_wrong_length_is_refused(void **state)
{
    (void)state;
    qz_iin out;
    qz_err err;
    assert_string_equal(refusal(""), "iin.wrong_length");
    assert_string_equal(refusal("92102935085"), "iin.wrong_length");
    assert_string_equal(refusal("9210293508511"), "iin.wrong_length");
    assert_string_equal(refusal("92102935085 "), "iin.not_digits"); /* 12 characters */
    assert_int_equal(qz_iin_parse(NULL, &out, &err), -1);
    assert_string_equal(err.key, "iin.wrong_length");
}

static void test_non_digits_are_refused(void **state)
{
    (void)state;
    assert_string_equal(refusal("92102B350851"), "iin.not_digits");
    assert_string_equal(refusal("921029 35085"), "iin.not_digits");
    assert_string_equal(refusal("-92102935085"), "iin.not_digits");
    assert_string_equal(refusal("92102935085\n"), "iin.not_digits");
}

static void test_a_first_remainder_of_10_takes_the_second_weights(void **state)
{
    (void)state;
    /* 061211600012 (kz-iin-validator's README):
     * first:  2*6 + 3*1 + 4*2 + 5*1 + 6*1 + 7*6 + 11*1 = 87; 87 mod 11 = 10;
     * second: 4*6 + 5*1 + 6*2 + 7*1 + 8*1 + 9*6 + 2*1 = 112; 112 mod 11 = 2. */
    assert_int_equal(qz_iin_check_digit("06121160001"), 2);
    assert_person("061211600012", 2006, 12, 11, QZ_SEX_FEMALE, 1);
    /* The first remainder itself (10) is not a digit, and 0 is not the answer either. */
    assert_string_equal(refusal("061211600010"), "iin.wrong_check_digit");
}

static void test_a_double_remainder_of_10_is_never_issued(void **state)
{
    (void)state;
    char s[QZ_IIN_STR] = "000101500220";
    /* 0001015 0022 (2000-01-01, male, serial 22):
     * first:  4*1 + 6*1 + 7*5 + 10*2 + 11*2 = 87; 87 mod 11 = 10;
     * second: 6*1 + 8*1 + 9*5 + 1*2 + 2*2 = 65; 65 mod 11 = 10. No last digit helps. */
    assert_int_equal(qz_iin_check_digit(s), -1);
    for (char k = '0'; k <= '9'; k++) {
        s[11] = k;
        assert_string_equal(refusal(s), "iin.unissuable");
    }
    /* 9003153 0010: 1*9 + 4*3 + 5*1 + 6*5 + 7*3 + 10*1 = 87 -> 10;
     * 3*9 + 6*3 + 7*1 + 8*5 + 9*3 + 1*1 = 120 -> 10. */
    assert_string_equal(refusal("900315300105"), "iin.unissuable");
}

static void test_the_reason_is_the_key_without_its_prefix(void **state)
{
    (void)state;
    qz_err err;
    qz_iin out;
    assert_int_equal(qz_iin_parse("921029350852", &out, &err), -1);
    assert_string_equal(qz_iin_reason(&err), "wrong_check_digit");
    assert_int_equal(qz_iin_parse("9210293508", &out, &err), -1);
    assert_string_equal(qz_iin_reason(&err), "wrong_length");
}

static void test_check_digit_refuses_what_is_not_eleven_digits(void **state)
{
    (void)state;
    assert_int_equal(qz_iin_check_digit(NULL), -1);
    assert_int_equal(qz_iin_check_digit("9210293508"), -1);
    assert_int_equal(qz_iin_check_digit("92102935O85"), -1);
    assert_int_equal(qz_iin_check_digit("92102935085"), 1);
}

static void test_composing_gives_the_published_numbers(void **state)
{
    (void)state;
    char out[QZ_IIN_STR];
    qz_err err;
    assert_int_equal(qz_iin_compose(qz_date_from_ymd(1992, 10, 29), QZ_SEX_MALE, 5085, out, &err),
                     0);
    assert_string_equal(out, "921029350851");
    assert_int_equal(qz_iin_compose(qz_date_from_ymd(2006, 12, 11), QZ_SEX_FEMALE, 1, out, &err),
                     0);
    assert_string_equal(out, "061211600012");
    assert_int_equal(qz_iin_compose(qz_date_from_ymd(1818, 1, 1), QZ_SEX_MALE, 1, out, &err), 0);
    assert_string_equal(out, "180101100011");
}

static void test_composed_iins_parse_back_to_their_date_sex_and_serial(void **state)
{
    (void)state;
    const qz_date first = qz_date_from_ymd(1800, 1, 1), last = qz_date_from_ymd(2099, 12, 31);
    int composed = 0, unissuable = 0;
    /* Every 37th day of the three centuries, both sexes, a spread of serials. */
    for (qz_date d = first; d <= last; d += 37)
        for (int sex = QZ_SEX_MALE; sex <= QZ_SEX_FEMALE; sex++)
            for (int serial = (d % 8 + 8) % 8; serial < QZ_IIN_SERIALS; serial += 997) {
                char out[QZ_IIN_STR];
                qz_err err;
                if (qz_iin_compose(d, (qz_sex)sex, serial, out, &err) != 0) {
                    assert_int_equal(err.code, QZ_ECONFLICT);
                    assert_string_equal(err.key, "iin.unissuable");
                    unissuable++;
                    continue;
                }
                qz_iin iin = parse_ok(out);
                assert_int_equal(iin.birth, d);
                assert_int_equal(iin.sex, sex);
                assert_int_equal(iin.serial, serial);
                composed++;
            }
    assert_true(composed > 50000);
    /* About one in 121 (1/11 for the first 10, 1/11 for the second). */
    assert_true(unissuable > 0 && unissuable < composed / 60);
}

static void test_composing_refuses_the_unissuable_serial(void **state)
{
    (void)state;
    char out[QZ_IIN_STR];
    qz_err err;
    /* 2000-01-01, male, serial 22: the double remainder worked out above. */
    assert_int_equal(qz_iin_compose(qz_date_from_ymd(2000, 1, 1), QZ_SEX_MALE, 22, out, &err), -1);
    assert_int_equal(err.code, QZ_ECONFLICT);
    assert_string_equal(err.key, "iin.unissuable");
}

static void test_composing_refuses_dates_outside_1800_to_2099(void **state)
{
    (void)state;
    char out[QZ_IIN_STR];
    qz_err err;
    assert_int_equal(qz_iin_compose(qz_date_from_ymd(1799, 12, 31), QZ_SEX_MALE, 1, out, &err), -1);
    assert_int_equal(err.code, QZ_ERANGE);
    assert_string_equal(err.key, "iin.birth_out_of_range");
    assert_string_equal(err.value, "1799-12-31");
    assert_int_equal(qz_iin_compose(qz_date_from_ymd(2100, 1, 1), QZ_SEX_MALE, 1, out, &err), -1);
    assert_string_equal(err.key, "iin.birth_out_of_range");
    assert_int_equal(qz_iin_compose(INT32_MAX, QZ_SEX_MALE, 1, out, &err), -1);
    assert_string_equal(err.key, "iin.birth_out_of_range");
    assert_int_equal(qz_iin_compose(INT32_MIN, QZ_SEX_MALE, 1, out, &err), -1);
    assert_string_equal(err.key, "iin.birth_out_of_range");
    assert_int_equal(qz_iin_compose(qz_date_from_ymd(2099, 12, 31), QZ_SEX_FEMALE, 1, out, &err),
                     0);
    assert_memory_equal(out, "9912316", 7);
}

static void test_composing_refuses_a_bad_serial_or_sex(void **state)
{
    (void)state;
    char out[QZ_IIN_STR];
    qz_err err;
    qz_date d = qz_date_from_ymd(1990, 5, 5);
    assert_int_equal(qz_iin_compose(d, QZ_SEX_MALE, -1, out, &err), -1);
    assert_string_equal(err.key, "iin.serial_out_of_range");
    assert_int_equal(qz_iin_compose(d, QZ_SEX_MALE, 10000, out, &err), -1);
    assert_string_equal(err.key, "iin.serial_out_of_range");
    assert_int_equal(qz_iin_compose(d, (qz_sex)0, 1, out, &err), -1);
    assert_string_equal(err.key, "iin.sex_invalid");
}

static void test_sex_is_male_or_female(void **state)
{
    (void)state;
    qz_sex sex;
    qz_err err;
    assert_int_equal(qz_iin_sex_parse("male", &sex, &err), 0);
    assert_int_equal(sex, QZ_SEX_MALE);
    assert_int_equal(qz_iin_sex_parse("female", &sex, &err), 0);
    assert_int_equal(sex, QZ_SEX_FEMALE);
    assert_int_equal(qz_iin_sex_parse("Male", &sex, &err), -1);
    assert_string_equal(err.key, "iin.sex_invalid");
    assert_int_equal(qz_iin_sex_parse(NULL, &sex, &err), -1);
    assert_string_equal(qz_iin_sex_name(QZ_SEX_FEMALE), "female");
    assert_string_equal(qz_iin_sex_name((qz_sex)9), "");
}

static void assert_bin(const char *s, int yy, int month, qz_bin_type type, qz_bin_attr attr,
                       int serial)
{
    qz_bin b;
    qz_err err;
    if (qz_bin_parse(s, &b, &err) != 0)
        fail_msg("%s refused: %s", s, err.key);
    assert_int_equal(b.yy, yy);
    assert_int_equal(b.month, month);
    assert_int_equal(b.type, type);
    assert_int_equal(b.attr, attr);
    assert_int_equal(b.serial, serial);
    assert_string_equal(b.text, s);
}

static void test_published_bins_are_valid(void **state)
{
    (void)state;
    /* Halyk Bank's head office and branches (kaz-person-id's tests) and stdnum's examples. */
    /* 1*9 + 2*4 + 4*1 + 5*4 + 10*3 + 11*8 = 159; 159 mod 11 = 5 */
    assert_bin("940140000385", 94, 1, QZ_BIN_RESIDENT, QZ_BIN_HEAD_OFFICE, 38);
    /* 1*9 + 2*5 + 4*3 + 5*4 + 6*1 + 11*5 = 112; 112 mod 11 = 2 */
    assert_bin("950341000052", 95, 3, QZ_BIN_RESIDENT, QZ_BIN_BRANCH, 5);
    /* first: 1*9 + 2*6 + 3*1 + 4*1 + 5*4 + 6*1 + 11*2 = 76; 76 mod 11 = 10;
     * second: 3*9 + 4*6 + 5*1 + 6*1 + 7*4 + 8*1 + 2*2 = 102; 102 mod 11 = 3 */
    assert_bin("961141000023", 96, 11, QZ_BIN_RESIDENT, QZ_BIN_BRANCH, 2);
    /* 2*7 + 4*9 + 5*4 + 6*1 + 8*2 + 9*4 + 10*6 + 11*9 = 287; 287 mod 11 = 1 */
    assert_bin("070941024691", 7, 9, QZ_BIN_RESIDENT, QZ_BIN_BRANCH, 2469);
    /* 1*9 + 2*9 + 4*1 + 5*4 + 9*4 + 10*6 + 11*5 = 202; 202 mod 11 = 4 */
    assert_bin("990140004654", 99, 1, QZ_BIN_RESIDENT, QZ_BIN_HEAD_OFFICE, 465);
}

static void test_bins_with_a_bad_month_type_or_attribute_are_refused(void **state)
{
    (void)state;
    /* python-stdnum's invalid examples, each one digit away from 940140000385. */
    assert_string_equal(bin_refusal("949940000385"), "bin.bad_month");
    assert_string_equal(bin_refusal("940040000385"), "bin.bad_month");
    assert_string_equal(bin_refusal("940190000385"), "bin.bad_type");
    assert_string_equal(bin_refusal("940130000385"), "bin.bad_type");
    assert_string_equal(bin_refusal("940149000385"), "bin.bad_attribute");
    assert_string_equal(bin_refusal("940140000386"), "bin.wrong_check_digit");
    assert_string_equal(bin_refusal("94014000038"), "bin.wrong_length");
    assert_string_equal(bin_refusal("12345678901X"), "bin.not_digits");
}

static void test_a_bin_with_a_double_remainder_of_10_is_never_issued(void **state)
{
    (void)state;
    /* 2001 4 0 00130: first 1*2 + 4*1 + 5*4 + 9*1 + 10*3 = 65 -> 10;
     * second 3*2 + 6*1 + 7*4 + 11*1 + 1*3 = 54 -> 10. */
    assert_string_equal(bin_refusal("200140001300"), "bin.unissuable");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_century_digit_gives_the_century_and_sex),
        cmocka_unit_test(test_published_iins_are_valid),
        cmocka_unit_test(test_a_wrong_check_digit_is_refused),
        cmocka_unit_test(test_impossible_birth_dates_are_refused),
        cmocka_unit_test(test_29_february_of_a_non_leap_year_is_refused),
        cmocka_unit_test(test_29_february_of_a_leap_year_is_valid),
        cmocka_unit_test(test_century_digits_0_and_7_to_9_are_refused),
        cmocka_unit_test(test_a_number_of_the_wrong_length_is_refused),
        cmocka_unit_test(test_non_digits_are_refused),
        cmocka_unit_test(test_a_first_remainder_of_10_takes_the_second_weights),
        cmocka_unit_test(test_a_double_remainder_of_10_is_never_issued),
        cmocka_unit_test(test_the_reason_is_the_key_without_its_prefix),
        cmocka_unit_test(test_check_digit_refuses_what_is_not_eleven_digits),
        cmocka_unit_test(test_composing_gives_the_published_numbers),
        cmocka_unit_test(test_composed_iins_parse_back_to_their_date_sex_and_serial),
        cmocka_unit_test(test_composing_refuses_the_unissuable_serial),
        cmocka_unit_test(test_composing_refuses_dates_outside_1800_to_2099),
        cmocka_unit_test(test_composing_refuses_a_bad_serial_or_sex),
        cmocka_unit_test(test_sex_is_male_or_female),
        cmocka_unit_test(test_published_bins_are_valid),
        cmocka_unit_test(test_bins_with_a_bad_month_type_or_attribute_are_refused),
        cmocka_unit_test(test_a_bin_with_a_double_remainder_of_10_is_never_issued),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
