/* The state duty: the MCI table and a version's fee on a day (fee.h). */
#include "core/fee.h"

#include "core/jsonv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int read_values(const json_t *values, qz_mci *out, qz_err *err)
{
    static const char *const fields[] = {"from", "tenge", "source", NULL};
    size_t i;
    json_t *e;
    if (json_array_size(values) == 0 || json_array_size(values) > QZ_MCI_MAX)
        return qz_err_set(err, QZ_EDATA, "mci.values_count", "values", NULL);
    json_array_foreach(values, i, e)
    {
        qz_mci_value *v = &out->values[i];
        const char *source;
        char at[32];
        snprintf(at, sizeof at, "values[%zu]", i);
        if (!json_is_object(e))
            return qz_err_set(err, QZ_EDATA, "json.wrong_type", at, NULL);
        if (qz_json_only(e, fields, err) || qz_json_date(e, "from", true, &v->from, err) ||
            qz_json_int(e, "tenge", true, 1, 1000000, &v->tenge, err) ||
            qz_json_str(e, "source", true, &source, err)) {
            qz_err_prefix_field(err, at);
            return -1;
        }
        if (i > 0 && v->from <= out->values[i - 1].from)
            return qz_err_set(err, QZ_EDATA, "mci.dates_not_rising", at, NULL);
        out->n = i + 1;
    }
    return 0;
}

int qz_mci_load(const char *path, qz_mci *out, qz_err *err)
{
    static const char *const fields[] = {"source", "values", NULL};
    const char *source;
    json_t *values;
    json_t *doc = qz_json_load_file(path, err);
    memset(out, 0, sizeof *out);
    if (!doc)
        return -1;
    int r = qz_json_only(doc, fields, err) || qz_json_str(doc, "source", true, &source, err) ||
                    qz_json_arr(doc, "values", true, &values, err) || read_values(values, out, err)
                ? -1
                : 0;
    json_decref(doc);
    if (r) {
        qz_err_set_file(err, path);
        memset(out, 0, sizeof *out);
    }
    return r;
}

int qz_mci_at(const qz_mci *m, qz_date on, long *tenge, qz_err *err)
{
    for (size_t i = m->n; i-- > 0;)
        if (m->values[i].from <= on) {
            *tenge = m->values[i].tenge;
            return 0;
        }
    char day[QZ_DATE_STR];
    return qz_err_set(err, QZ_EINPUT, "mci.not_covered", "date", qz_date_format(on, day));
}

/* The units a per-document fee counts: the payload member `key` (1 when absent). */
static int count_of(const char *key, const json_t *payload, long *out, qz_err *err)
{
    const json_t *n = key && payload ? json_object_get(payload, key) : NULL;
    *out = 1;
    if (!n)
        return 0;
    if (!json_is_integer(n) || json_integer_value(n) < 1 ||
        json_integer_value(n) > QZ_FEE_MAX_COUNT)
        return qz_err_set(err, QZ_EINPUT, "case.field_invalid", key, NULL);
    *out = (long)json_integer_value(n);
    return 0;
}

int qz_fee_of(const qz_mci *m, const qz_service_version *v, qz_date on, const json_t *payload,
              qz_fee *out, qz_err *err)
{
    *out = (qz_fee){.mci = v->fee_mci, .per_document = v->fee_per_document, .count = 1};
    if (v->fee_per_document && count_of(v->fee_count, payload, &out->count, err))
        return -1;
    if (v->fee_mci <= 0)
        return 0;
    if (qz_mci_at(m, on, &out->mci_tenge, err))
        return -1;
    /* One unit rounded to the tiyn (0.5 × 4 325 = 2 162.50 tenge), then times the count. */
    out->tiyn = (int64_t)llround(v->fee_mci * (double)out->mci_tenge * 100.0) * out->count;
    return 0;
}

int qz_fee_payment(const json_t *payload, const char **reference, qz_err *err)
{
    const json_t *v = payload ? json_object_get(payload, "payment_reference") : NULL;
    *reference = NULL;
    if (!v)
        return 0;
    const char *s = json_string_value(v);
    if (!s || !*s || strlen(s) > 64)
        return qz_err_set(err, QZ_EINPUT, "case.field_invalid", "payment_reference", NULL);
    *reference = s;
    return 0;
}

json_t *qz_fee_json(const qz_fee *f, const char *payment_reference)
{
    return json_pack("{s:f,s:s,s:i,s:i,s:f,s:o}", "mci", f->mci, "per",
                     f->per_document ? "document" : "application", "count", (int)f->count,
                     "mci_tenge", (int)f->mci_tenge, "tenge", (double)f->tiyn / 100.0,
                     "payment_reference",
                     payment_reference ? json_string(payment_reference) : json_null());
}
