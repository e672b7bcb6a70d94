/*
 * body.h — reading a request's JSON body strictly, the same way for every endpoint. The
 * body must be an object (else 400 auth.body_object); a member the endpoint does not
 * know, a member of the wrong type, or a required one missing or empty is answered 422
 * with the field named: json.unknown_field (value: the member), json.wrong_type (value:
 * the type expected), json.missing, json.empty, json.too_many (an array over its limit).
 * A member that is null counts as absent. Members of an object inside the body (a
 * bundle's part) are named by their path: "bundle[1].documents[0]".
 *
 * Two levels: qz_body_fields and qz_body_str answer the error themselves and return -1,
 * so a handler just returns; the qz_body_get_* readers fill a qz_err (code QZ_EINPUT, so
 * qz_http_status_for gives 422) for a handler that parses in several steps or reads an
 * object inside the body. Strings are borrowed from the body. (Texts never hold a NUL
 * character: the server refuses such JSON before routing.)
 */
#ifndef QZ_HTTP_BODY_H
#define QZ_HTTP_BODY_H

#include "core/err.h"
#include "http/request.h"

#include <stdbool.h>
#include <stddef.h>

/* 0 when the body is an object whose members are all in `allowed` (NULL-terminated). */
int qz_body_fields(const qz_req *req, qz_resp *resp, const char *const *allowed);

/* Reads the required, non-empty string member `name` (borrowed from the body) into *out. */
int qz_body_str(const qz_req *req, qz_resp *resp, const char *name, const char **out);

/* 0 when `obj` is an object whose members are all in `allowed` (NULL-terminated); else -1
 * with json.wrong_type (value "object", no field: the caller names the object) or
 * json.unknown_field. */
int qz_body_get_fields(const json_t *obj, const char *const *allowed, qz_err *err);

/* Reads a non-empty string member into *out; NULL when absent and !required. */
int qz_body_get_str(const json_t *obj, const char *name, bool required, const char **out,
                    qz_err *err);

/* Reads an array of at most `max` non-empty strings into out[0..*n) (out holds `max`);
 * *n = 0 when absent and !required. An element's errors name it: "documents[2]". */
int qz_body_get_strs(const json_t *obj, const char *name, bool required, size_t max,
                     const char **out, size_t *n, qz_err *err);

/* Reads an array member of at most `max` elements (borrowed); NULL when absent and
 * !required. */
int qz_body_get_arr(const json_t *obj, const char *name, bool required, size_t max,
                    const json_t **out, qz_err *err);

/* Reads an object member (borrowed); NULL when absent and !required. */
int qz_body_get_obj(const json_t *obj, const char *name, bool required, const json_t **out,
                    qz_err *err);

/* Reads an integer member; *out is untouched when absent and !required. */
int qz_body_get_int(const json_t *obj, const char *name, bool required, json_int_t *out,
                    qz_err *err);

#endif
