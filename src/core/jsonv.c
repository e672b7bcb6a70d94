#include "core/jsonv.h"

#include <stdio.h>
#include <string.h>

json_t *qz_json_load_file(const char *path, qz_err *err)
{
    json_error_t jerr;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        if (jerr.line <= 0)
            qz_err_set(err, QZ_EDATA, "file.cannot_open", NULL, jerr.text);
        else
            qz_err_setf(err, QZ_EDATA, "json.syntax", NULL, "line %d: %s", jerr.line, jerr.text);
        qz_err_set_file(err, path);
    }
    return doc;
}

int qz_json_only(const json_t *obj, const char *const *allowed, qz_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            return qz_err_set(err, QZ_EDATA, "json.unknown_field", key, key);
    }
    return 0;
}

/* Fetches a member; returns 1 when present, 0 when absent and optional, -1 on error. */
static int member(const json_t *obj, const char *key, bool required, json_t **v, qz_err *err)
{
    *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (*v && !json_is_null(*v))
        return 1;
    if (required)
        return qz_err_set(err, QZ_EDATA, "json.missing", key, NULL);
    return 0;
}

static int wrong_type(qz_err *err, const char *key, const char *want)
{
    return qz_err_set(err, QZ_EDATA, "json.wrong_type", key, want);
}

int qz_json_str(const json_t *obj, const char *key, bool required, const char **out, qz_err *err)
{
    json_t *v;
    int m = member(obj, key, required, &v, err);
    *out = NULL;
    if (m <= 0)
        return m;
    if (!json_is_string(v))
        return wrong_type(err, key, "string");
    if (json_string_length(v) == 0)
        return qz_err_set(err, QZ_EDATA, "json.empty", key, NULL);
    *out = json_string_value(v);
    return 0;
}

int qz_json_int(const json_t *obj, const char *key, bool required, long lo, long hi, long *out,
                qz_err *err)
{
    json_t *v;
    int m = member(obj, key, required, &v, err);
    if (m <= 0)
        return m;
    if (!json_is_integer(v))
        return wrong_type(err, key, "integer");
    json_int_t n = json_integer_value(v);
    if (n < lo || n > hi)
        return qz_err_setf(err, QZ_EDATA, "json.out_of_range", key, "%lld (%ld..%ld)", (long long)n,
                           lo, hi);
    *out = (long)n;
    return 0;
}

int qz_json_num(const json_t *obj, const char *key, bool required, double *out, qz_err *err)
{
    json_t *v;
    int m = member(obj, key, required, &v, err);
    if (m <= 0)
        return m;
    if (!json_is_number(v))
        return wrong_type(err, key, "number");
    double n = json_number_value(v);
    if (!(n >= 0))
        return qz_err_setf(err, QZ_EDATA, "json.out_of_range", key, "%g", n);
    *out = n;
    return 0;
}

int qz_json_bool(const json_t *obj, const char *key, bool required, bool *out, qz_err *err)
{
    json_t *v;
    int m = member(obj, key, required, &v, err);
    if (m <= 0)
        return m;
    if (!json_is_boolean(v))
        return wrong_type(err, key, "boolean");
    *out = json_is_true(v);
    return 0;
}

int qz_json_date(const json_t *obj, const char *key, bool required, qz_date *out, qz_err *err)
{
    const char *s;
    if (qz_json_str(obj, key, required, &s, err))
        return -1;
    if (!s)
        return 0;
    if (qz_date_parse(s, out, err)) {
        err->code = QZ_EDATA;
        snprintf(err->field, sizeof err->field, "%s", key);
        return -1;
    }
    return 0;
}

static int typed(const json_t *obj, const char *key, bool required, json_t **out, int want_obj,
                 qz_err *err)
{
    json_t *v;
    int m = member(obj, key, required, &v, err);
    *out = NULL;
    if (m <= 0)
        return m;
    if (want_obj ? !json_is_object(v) : !json_is_array(v))
        return wrong_type(err, key, want_obj ? "object" : "array");
    *out = v;
    return 0;
}

int qz_json_obj(const json_t *obj, const char *key, bool required, json_t **out, qz_err *err)
{
    return typed(obj, key, required, out, 1, err);
}

int qz_json_arr(const json_t *obj, const char *key, bool required, json_t **out, qz_err *err)
{
    return typed(obj, key, required, out, 0, err);
}

int qz_json_names(const json_t *obj, const char *key, bool required, const char *out[3],
                  qz_err *err)
{
    static const char *const langs[] = {"kk", "ru", "en", NULL};
    json_t *names;
    out[0] = out[1] = out[2] = NULL;
    if (qz_json_obj(obj, key, required, &names, err))
        return -1;
    if (!names)
        return 0;
    if (qz_json_only(names, langs, err) || qz_json_str(names, "kk", true, &out[0], err) ||
        qz_json_str(names, "ru", true, &out[1], err) ||
        qz_json_str(names, "en", false, &out[2], err)) {
        qz_err_prefix_field(err, key);
        return -1;
    }
    if (!out[2])
        out[2] = out[1];
    return 0;
}
