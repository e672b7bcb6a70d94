#include "http/body.h"

#include "core/jsonv.h"

#include <stdio.h>

/* The json.* errors of core/jsonv.h are the caller's here, not a broken data file. */
static int as_input(qz_err *err)
{
    err->code = QZ_EINPUT;
    return -1;
}

int qz_body_fields(const qz_req *req, qz_resp *resp, const char *const *allowed)
{
    qz_err err;
    qz_err_clear(&err);
    if (!json_is_object(req->body)) {
        qz_resp_fail(req, resp, 400, "auth.body_object", NULL, NULL);
        return -1;
    }
    if (qz_body_get_fields(req->body, allowed, &err) == 0)
        return 0;
    qz_resp_error(req, resp, 422, &err);
    return -1;
}

int qz_body_str(const qz_req *req, qz_resp *resp, const char *name, const char **out)
{
    qz_err err;
    qz_err_clear(&err);
    if (qz_body_get_str(req->body, name, true, out, &err) == 0)
        return 0;
    qz_resp_error(req, resp, 422, &err);
    return -1;
}

int qz_body_get_fields(const json_t *obj, const char *const *allowed, qz_err *err)
{
    if (!json_is_object(obj))
        return qz_err_set(err, QZ_EINPUT, "json.wrong_type", NULL, "object");
    return qz_json_only(obj, allowed, err) ? as_input(err) : 0;
}

int qz_body_get_str(const json_t *obj, const char *name, bool required, const char **out,
                    qz_err *err)
{
    return qz_json_str(obj, name, required, out, err) ? as_input(err) : 0;
}

/* Fails with `key` (value: `want`) naming element i of array `name`: "documents[2]". */
static int element_error(qz_err *err, const char *key, const char *want, const char *name, size_t i)
{
    char at[160];
    snprintf(at, sizeof at, "%s[%zu]", name, i);
    return qz_err_set(err, QZ_EINPUT, key, at, want);
}

int qz_body_get_strs(const json_t *obj, const char *name, bool required, size_t max,
                     const char **out, size_t *n, qz_err *err)
{
    const json_t *list;
    size_t i;
    json_t *v;
    *n = 0;
    if (qz_body_get_arr(obj, name, required, max, &list, err))
        return -1;
    json_array_foreach(list, i, v)
    {
        if (!json_is_string(v))
            return element_error(err, "json.wrong_type", "string", name, i);
        if (json_string_length(v) == 0)
            return element_error(err, "json.empty", NULL, name, i);
        out[i] = json_string_value(v);
    }
    *n = json_array_size(list);
    return 0;
}

int qz_body_get_arr(const json_t *obj, const char *name, bool required, size_t max,
                    const json_t **out, qz_err *err)
{
    json_t *v;
    *out = NULL;
    if (qz_json_arr(obj, name, required, &v, err))
        return as_input(err);
    if (v && json_array_size(v) > max)
        return qz_err_setf(err, QZ_EINPUT, "json.too_many", name, "%zu > %zu", json_array_size(v),
                           max);
    *out = v;
    return 0;
}

int qz_body_get_obj(const json_t *obj, const char *name, bool required, const json_t **out,
                    qz_err *err)
{
    json_t *v;
    *out = NULL;
    if (qz_json_obj(obj, name, required, &v, err))
        return as_input(err);
    *out = v;
    return 0;
}

int qz_body_get_int(const json_t *obj, const char *name, bool required, json_int_t *out,
                    qz_err *err)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, name) : NULL;
    if (!v || json_is_null(v))
        return required ? qz_err_set(err, QZ_EINPUT, "json.missing", name, NULL) : 0;
    if (!json_is_integer(v))
        return qz_err_set(err, QZ_EINPUT, "json.wrong_type", name, "integer");
    *out = json_integer_value(v);
    return 0;
}
