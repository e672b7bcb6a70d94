/*
 * rows.c — the checks of rows.h, one function per register, over the columns of
 * qz_registry_columns (store/registry.c names their order; the indexes below follow it).
 */
#include "registry/rows.h"

#include "core/date.h"
#include "core/iin.h"

#include <stdbool.h>
#include <string.h>

enum { TEXT_MAX = 400 }; /* bytes of a name, an address, a place: a row's sanity limit */

int qz_reg_header(qz_register kind, const qz_csv_record *header, int map[QZ_REG_MAX_FIELDS],
                  qz_err *err)
{
    size_t n;
    const qz_reg_column *cols = qz_registry_columns(kind, &n);
    for (size_t c = 0; c < n; c++) {
        map[c] = -1;
        for (size_t f = 0; f < header->n; f++)
            if (strcmp(header->field[f], cols[c].name) == 0) {
                if (map[c] >= 0)
                    return qz_err_set(err, QZ_EINPUT, "registry.column_repeated", cols[c].name,
                                      NULL);
                map[c] = (int)f;
            }
        if (map[c] < 0 && cols[c].in_header)
            return qz_err_set(err, QZ_EINPUT, "registry.column_missing", cols[c].name, NULL);
    }
    return 0;
}

static int fail(const char *key, const char *field, const char *value, qz_err *err)
{
    return qz_err_set(err, QZ_EINPUT, key, field, value);
}

static int date_of(const char *s, const char *field, qz_date *out, qz_err *err)
{
    qz_err ignored;
    if (strlen(s) != 10 || qz_date_parse(s, out, &ignored))
        return fail("registry.date_invalid", field, s, err);
    return 0;
}

static int iin_of(const char *s, const char *field, qz_iin *out, qz_err *err)
{
    qz_err why;
    if (qz_iin_parse(s, out, &why))
        return qz_err_setf(err, QZ_EINPUT, "registry.iin_invalid", field, "%s (%s)", s,
                           qz_iin_reason(&why));
    return 0;
}

/* Text a person reads: no control characters, within TEXT_MAX bytes. */
static int text_of(const char *s, const char *field, qz_err *err)
{
    if (strlen(s) > TEXT_MAX)
        return fail("registry.text_too_long", field, s, err);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F)
            return fail("registry.text_control", field, s, err);
    return 0;
}

static bool phone_ok(const char *s)
{
    size_t digits = 0;
    if (*s == '+')
        s++;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    return !*s && digits >= 10 && digits <= 15;
}

/* A region code as catalog/regions.json spells them: KZ- and two or three letters or
 * digits. */
static int region_of(const char *s, qz_err *err)
{
    size_t n = strlen(s);
    bool ok = (n == 5 || n == 6) && strncmp(s, "KZ-", 3) == 0;
    for (size_t i = 3; ok && i < n; i++)
        ok = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z');
    return ok ? 0 : fail("registry.region_invalid", "region", s, err);
}

static int one_of(const char *s, const char *field, const char *const *list, qz_err *err)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 0;
    return fail("registry.value_unknown", field, s, err);
}

/* `later` (when given) is not before `earlier`. */
static int ordered(const char *earlier, const char *later, const char *field, qz_err *err)
{
    qz_date a, b;
    if (!later)
        return 0;
    if (date_of(later, field, &b, err))
        return -1;
    if (date_of(earlier, field, &a, err))
        return -1;
    return b < a ? fail("registry.date_order", field, later, err) : 0;
}

/* The texts of a row (every field but those checked otherwise). */
static int texts(const qz_reg_row *row, size_t n, qz_register kind, qz_err *err)
{
    size_t nc;
    const qz_reg_column *cols = qz_registry_columns(kind, &nc);
    for (size_t i = 0; i < n; i++)
        if (row->f[i] && text_of(row->f[i], cols[i].name, err))
            return -1;
    return 0;
}

static int check_person(const qz_reg_row *r, qz_err *err)
{
    qz_iin iin;
    qz_date birth;
    qz_sex sex;
    qz_err ignored;
    if (iin_of(r->f[0], "iin", &iin, err) || date_of(r->f[4], "birth_date", &birth, err))
        return -1;
    if (birth != iin.birth)
        return fail("registry.birth_mismatch", "birth_date", r->f[4], err);
    if (qz_iin_sex_parse(r->f[5], &sex, &ignored))
        return fail("registry.value_unknown", "sex", r->f[5], err);
    if (sex != iin.sex)
        return fail("registry.sex_mismatch", "sex", r->f[5], err);
    if (r->f[6] && !phone_ok(r->f[6]))
        return fail("registry.phone_invalid", "phone", r->f[6], err);
    return 0;
}

static int check_conviction(const qz_reg_row *r, qz_err *err)
{
    qz_iin iin;
    qz_date d;
    const char *a = r->f[1];
    /* An article of the Criminal Code: digits, then parts after '-' or '.' ("188-1"). */
    bool ok = a[0] >= '0' && a[0] <= '9' && strlen(a) <= 16;
    for (; ok && *a; a++)
        ok = (*a >= '0' && *a <= '9') || *a == '-' || *a == '.';
    if (iin_of(r->f[0], "iin", &iin, err))
        return -1;
    if (!ok)
        return fail("registry.article_invalid", "article", r->f[1], err);
    return date_of(r->f[2], "sentenced_on", &d, err) ||
           ordered(r->f[2], r->f[3], "expunged_on", err);
}

static int check_wanted(const qz_reg_row *r, qz_err *err)
{
    qz_iin iin;
    qz_date d;
    return iin_of(r->f[0], "iin", &iin, err) || date_of(r->f[1], "since", &d, err);
}

static int check_registration(const qz_reg_row *r, qz_err *err)
{
    static const char *const KINDS[] = {"permanent", "temporary", NULL};
    qz_iin iin;
    qz_date d;
    return iin_of(r->f[0], "iin", &iin, err) || one_of(r->f[1], "kind", KINDS, err) ||
           date_of(r->f[3], "from", &d, err) || ordered(r->f[3], r->f[4], "until", err);
}

static int check_settler(const qz_reg_row *r, qz_err *err)
{
    qz_date d;
    return date_of(r->f[3], "birth_date", &d, err) ||
           ordered(r->f[3], r->f[4], "relocated_on", err);
}

static int check_document(const qz_reg_row *r, qz_err *err)
{
    static const char *const KINDS[] = {"passport", "id-card", "temporary-id", NULL};
    static const char *const STATUSES[] = {"valid", "invalid", NULL};
    qz_iin iin;
    qz_date d;
    return iin_of(r->f[1], "iin", &iin, err) || one_of(r->f[2], "kind", KINDS, err) ||
           date_of(r->f[3], "issued_on", &d, err) ||
           ordered(r->f[3], r->f[4], "valid_until", err) ||
           one_of(r->f[5], "status", STATUSES, err);
}

static int check_legal_entity(const qz_reg_row *r, qz_err *err)
{
    qz_bin bin;
    qz_err why;
    qz_date d;
    if (qz_bin_parse(r->f[0], &bin, &why))
        return qz_err_setf(err, QZ_EINPUT, "registry.bin_invalid", "bin", "%s (%s)", r->f[0],
                           qz_iin_reason(&why));
    return date_of(r->f[3], "registered_on", &d, err);
}

static int check_foreigner(const qz_reg_row *r, qz_err *err)
{
    qz_iin iin;
    qz_date birth, d;
    if (iin_of(r->f[0], "iin", &iin, err) || date_of(r->f[5], "birth_date", &birth, err))
        return -1;
    if (birth != iin.birth)
        return fail("registry.birth_mismatch", "birth_date", r->f[5], err);
    return date_of(r->f[6], "issued_on", &d, err);
}

int qz_reg_row_check(qz_register kind, const qz_reg_row *row, qz_err *err)
{
    size_t n;
    const qz_reg_column *cols = qz_registry_columns(kind, &n);
    for (size_t c = 0; c < n; c++)
        if (cols[c].required && !row->f[c])
            return fail("registry.value_missing", cols[c].name, NULL, err);
    if (texts(row, n, kind, err))
        return -1;
    if (strcmp(cols[n - 1].name, "region") == 0 && row->f[n - 1] && region_of(row->f[n - 1], err))
        return -1;
    switch (kind) {
    case QZ_REG_PERSONS:
        return check_person(row, err);
    case QZ_REG_CONVICTIONS:
        return check_conviction(row, err);
    case QZ_REG_WANTED:
        return check_wanted(row, err);
    case QZ_REG_REGISTRATIONS:
        return check_registration(row, err);
    case QZ_REG_SETTLERS:
        return check_settler(row, err);
    case QZ_REG_DOCUMENTS:
        return check_document(row, err);
    case QZ_REG_LEGAL_ENTITIES:
        return check_legal_entity(row, err);
    case QZ_REG_FOREIGNERS:
        return check_foreigner(row, err);
    default:
        return qz_err_set(err, QZ_EINTERNAL, "registry.kind_unknown", NULL, NULL);
    }
}

int qz_reg_row_read(qz_register kind, const int map[QZ_REG_MAX_FIELDS], const qz_csv_record *rec,
                    qz_reg_row *row, qz_err *err)
{
    size_t n;
    qz_registry_columns(kind, &n);
    memset(row, 0, sizeof *row);
    for (size_t c = 0; c < n; c++) {
        if (map[c] < 0)
            continue;
        if ((size_t)map[c] >= rec->n)
            return qz_err_setf(err, QZ_EINPUT, "registry.fields_short", NULL, "%zu", rec->n);
        const char *v = rec->field[map[c]];
        row->f[c] = *v ? v : NULL;
    }
    return qz_reg_row_check(kind, row, err);
}
