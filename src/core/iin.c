/*
 * iin.c — IIN and BIN: the check digit, parsing and composing (iin.h).
 */
#include "core/iin.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const int weights1[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
static const int weights2[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Returns the number of the `n` digits at s (the caller has checked they are digits). */
static int number(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Writes v as exactly n digits at p, zero-padded (0 <= v < 10^n). */
static void put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
}

static int weighted_mod11(const char *s, const int *w)
{
    int sum = 0;
    for (int i = 0; i < 11; i++)
        sum += (s[i] - '0') * w[i];
    return sum % 11;
}

int qz_iin_check_digit(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < 11; i++)
        if (!is_digit(s[i]))
            return -1;
    int r = weighted_mod11(s, weights1);
    if (r == 10)
        r = weighted_mod11(s, weights2);
    return r == 10 ? -1 : r;
}

/* The error keys of one kind of number. */
typedef struct id_keys {
    const char *wrong_length, *not_digits, *unissuable, *wrong_check_digit;
} id_keys;

static const id_keys iin_keys = {"iin.wrong_length", "iin.not_digits", "iin.unissuable",
                                 "iin.wrong_check_digit"};
static const id_keys bin_keys = {"bin.wrong_length", "bin.not_digits", "bin.unissuable",
                                 "bin.wrong_check_digit"};

/* Checks what IIN and BIN share: 12 ASCII digits. */
static int check_shape(const char *s, const id_keys *keys, qz_err *err)
{
    size_t n = s ? strnlen(s, QZ_IIN_LEN + 1) : 0;
    if (n != QZ_IIN_LEN)
        return qz_err_set(err, QZ_EINPUT, keys->wrong_length, NULL, s);
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return qz_err_set(err, QZ_EINPUT, keys->not_digits, NULL, s);
    return 0;
}

/* Checks the twelfth digit against the first eleven. */
static int check_last_digit(const char *s, const id_keys *keys, qz_err *err)
{
    int k = qz_iin_check_digit(s);
    if (k < 0)
        return qz_err_set(err, QZ_EINPUT, keys->unissuable, NULL, s);
    if (s[11] - '0' != k)
        return qz_err_set(err, QZ_EINPUT, keys->wrong_check_digit, NULL, s);
    return 0;
}

int qz_iin_parse(const char *s, qz_iin *out, qz_err *err)
{
    static const int century[10] = {0, 1800, 1800, 1900, 1900, 2000, 2000, 0, 0, 0};
    if (check_shape(s, &iin_keys, err))
        return -1;
    int c = s[6] - '0';
    if (century[c] == 0)
        return qz_err_set(err, QZ_EINPUT, "iin.bad_century", NULL, s);
    int year = century[c] + number(s, 2), month = number(s + 2, 2), day = number(s + 4, 2);
    if (!qz_ymd_valid(year, month, day))
        return qz_err_set(err, QZ_EINPUT, "iin.bad_date", NULL, s);
    if (check_last_digit(s, &iin_keys, err))
        return -1;
    out->birth = qz_date_from_ymd(year, month, day);
    out->sex = c % 2 ? QZ_SEX_MALE : QZ_SEX_FEMALE;
    out->serial = number(s + 7, 4);
    memcpy(out->text, s, QZ_IIN_LEN);
    out->text[QZ_IIN_LEN] = '\0';
    return 0;
}

const char *qz_iin_reason(const qz_err *err)
{
    if (!err)
        return "";
    if (strncmp(err->key, "iin.", 4) == 0 || strncmp(err->key, "bin.", 4) == 0)
        return err->key + 4;
    return err->key;
}

int qz_iin_compose(qz_date birth, qz_sex sex, int serial, char *out, qz_err *err)
{
    char date[QZ_DATE_STR];
    if (birth < qz_date_from_ymd(1800, 1, 1) || birth > qz_date_from_ymd(2099, 12, 31)) {
        bool printable =
            birth >= qz_date_from_ymd(1, 1, 1) && birth <= qz_date_from_ymd(9999, 12, 31);
        return qz_err_set(err, QZ_ERANGE, "iin.birth_out_of_range", NULL,
                          printable ? qz_date_format(birth, date) : "");
    }
    qz_ymd v = qz_date_to_ymd(birth);
    if (sex != QZ_SEX_MALE && sex != QZ_SEX_FEMALE)
        return qz_err_setf(err, QZ_EINPUT, "iin.sex_invalid", NULL, "%d", (int)sex);
    if (serial < 0 || serial >= QZ_IIN_SERIALS)
        return qz_err_setf(err, QZ_ERANGE, "iin.serial_out_of_range", NULL, "%d", serial);
    /* 1800s: 1/2, 1900s: 3/4, 2000s: 5/6; odd is male. */
    int c = 2 * ((v.year - 1800) / 100) + (sex == QZ_SEX_MALE ? 1 : 2);
    char buf[QZ_IIN_STR];
    put_digits(buf, v.year % 100, 2);
    put_digits(buf + 2, v.month, 2);
    put_digits(buf + 4, v.day, 2);
    put_digits(buf + 6, c, 1);
    put_digits(buf + 7, serial, 4);
    buf[11] = '\0';
    int k = qz_iin_check_digit(buf);
    if (k < 0)
        return qz_err_set(err, QZ_ECONFLICT, "iin.unissuable", NULL, buf);
    buf[11] = (char)('0' + k);
    buf[12] = '\0';
    memcpy(out, buf, QZ_IIN_STR);
    return 0;
}

int qz_iin_sex_parse(const char *s, qz_sex *out, qz_err *err)
{
    if (s && strcmp(s, "male") == 0)
        *out = QZ_SEX_MALE;
    else if (s && strcmp(s, "female") == 0)
        *out = QZ_SEX_FEMALE;
    else
        return qz_err_set(err, QZ_EINPUT, "iin.sex_invalid", NULL, s);
    return 0;
}

const char *qz_iin_sex_name(qz_sex sex)
{
    switch (sex) {
    case QZ_SEX_MALE:
        return "male";
    case QZ_SEX_FEMALE:
        return "female";
    }
    return "";
}

int qz_bin_parse(const char *s, qz_bin *out, qz_err *err)
{
    if (check_shape(s, &bin_keys, err))
        return -1;
    int month = number(s + 2, 2), type = s[4] - '0', attr = s[5] - '0';
    if (month < 1 || month > 12)
        return qz_err_set(err, QZ_EINPUT, "bin.bad_month", NULL, s);
    if (type < QZ_BIN_RESIDENT || type > QZ_BIN_JOINT_IE)
        return qz_err_set(err, QZ_EINPUT, "bin.bad_type", NULL, s);
    if (attr > QZ_BIN_PEASANT_FARM)
        return qz_err_set(err, QZ_EINPUT, "bin.bad_attribute", NULL, s);
    if (check_last_digit(s, &bin_keys, err))
        return -1;
    out->yy = number(s, 2);
    out->month = month;
    out->type = (qz_bin_type)type;
    out->attr = (qz_bin_attr)attr;
    out->serial = number(s + 6, 5);
    memcpy(out->text, s, QZ_IIN_LEN);
    out->text[QZ_IIN_LEN] = '\0';
    return 0;
}
