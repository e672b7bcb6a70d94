/*
 * iin.h — Kazakhstan's individual (IIN, ЖСН/ИИН) and business (BIN, БСН/БИН)
 * identification numbers: parse, validate and compose. Pure functions, no I/O,
 * no global state; safe from any thread.
 *
 * IIN: 12 digits YYMMDD C SSSS K. YYMMDD is the birth date; C gives the century
 * and sex (1/2 male/female born 1800–1899, 3/4 born 1900–1999, 5/6 born 2000–2099;
 * 0 and 7–9 are refused); SSSS is a serial; K the check digit.
 * BIN: 12 digits YYMM T A SSSSS K. YYMM is the month of (re-)registration (the
 * century is not encoded and is not guessed); T the type (4 resident legal entity,
 * 5 non-resident legal entity, 6 individual entrepreneur in joint entrepreneurship);
 * A the attribute (0 head office, 1 branch, 2 representative office, 3 peasant farm
 * in joint entrepreneurship); SSSSS a serial; K the check digit.
 *
 * Check digit of both: r = (d1*1 + d2*2 + … + d11*11) mod 11; when r == 10,
 * r = (d1*3 + d2*4 + … + d9*11 + d10*1 + d11*2) mod 11; when that is 10 again the
 * number is never issued. Sources: Government Decree of the Republic of Kazakhstan
 * No. 565 of 11 June 2003 (adilet.zan.kz/rus/docs/P030000565_); the OECD's
 * "Kazakhstan — TIN" sheet; python-stdnum stdnum/kz/iin.py and stdnum/kz/bin.py
 * (weights range(1, 12) then range(3, 14) mod 11, i.e. 3..11,1,2); valery1707/
 * kaz-person-id PersonIdUtils.java (same two weight rows, same digit meanings);
 * ZhymabekRoman/kz-iin-validator iin_validator.py (double 10 = "not usable").
 *
 * Errors (qz_err, key "iin.<reason>" or "bin.<reason>", `value` = the input):
 * wrong_length, not_digits, bad_century, bad_date, bad_month, bad_type,
 * bad_attribute, wrong_check_digit, unissuable. All are QZ_EINPUT.
 */
#ifndef QZ_IIN_H
#define QZ_IIN_H

#include "core/date.h"
#include "core/err.h"

#include <stdint.h>

enum { QZ_IIN_LEN = 12, QZ_IIN_STR = 13 }; /* digits; digits and NUL (also for a BIN) */
enum { QZ_IIN_SERIALS = 10000 };           /* serials 0..9999 per birth date and sex */

typedef enum qz_sex { QZ_SEX_MALE = 1, QZ_SEX_FEMALE = 2 } qz_sex;

typedef struct qz_iin {
    qz_date birth; /* the birth date, 1800-01-01..2099-12-31 */
    qz_sex sex;
    int serial;            /* 0..9999 */
    char text[QZ_IIN_STR]; /* the 12 digits */
} qz_iin;

typedef enum qz_bin_type {
    QZ_BIN_RESIDENT = 4,     /* resident legal entity */
    QZ_BIN_NON_RESIDENT = 5, /* non-resident legal entity */
    QZ_BIN_JOINT_IE = 6      /* individual entrepreneur in joint entrepreneurship */
} qz_bin_type;

typedef enum qz_bin_attr {
    QZ_BIN_HEAD_OFFICE = 0,
    QZ_BIN_BRANCH = 1,
    QZ_BIN_REPRESENTATIVE = 2,
    QZ_BIN_PEASANT_FARM = 3 /* peasant (farm) holding in joint entrepreneurship */
} qz_bin_attr;

typedef struct qz_bin {
    int yy;    /* registration year's last two digits, 0..99 (century unknown) */
    int month; /* registration month, 1..12 */
    qz_bin_type type;
    qz_bin_attr attr;
    int serial; /* 0..99999 */
    char text[QZ_IIN_STR];
} qz_bin;

/* Returns the check digit 0..9 of the first 11 characters of `s`, or -1 when both
 * remainders are 10 (never issued) or `s` does not start with 11 ASCII digits. */
int qz_iin_check_digit(const char *s);

/* Parses and validates an IIN; 0 and *out filled, or -1 with err (see above). */
int qz_iin_parse(const char *s, qz_iin *out, qz_err *err);

/* Returns the reason code of an IIN or BIN error ("wrong_check_digit"): err's key
 * without its "iin."/"bin." prefix; borrowed from `err`. */
const char *qz_iin_reason(const qz_err *err);

/*
 * Composes the IIN of `birth`, `sex` and `serial` into out (QZ_IIN_STR bytes).
 * 0, or -1 with err: QZ_ERANGE iin.birth_out_of_range (outside 1800–2099),
 * QZ_ERANGE iin.serial_out_of_range, QZ_EINPUT iin.sex_invalid, or QZ_ECONFLICT
 * iin.unissuable when this serial gives the double-remainder-10 case (try another).
 */
int qz_iin_compose(qz_date birth, qz_sex sex, int serial, char *out, qz_err *err);

/* Parses "male" or "female"; -1 with QZ_EINPUT iin.sex_invalid otherwise. */
int qz_iin_sex_parse(const char *s, qz_sex *out, qz_err *err);

/* Returns "male" or "female" (static storage); "" for a value outside the enum. */
const char *qz_iin_sex_name(qz_sex sex);

/* Parses and validates a BIN; 0 and *out filled, or -1 with err (see above). */
int qz_bin_parse(const char *s, qz_bin *out, qz_err *err);

#endif
