/*
 * jsonv.h — reading catalogue JSON strictly, with errors that name the field.
 *
 * Thin helpers over jansson for the loaders at the core's edge. Each getter
 * reads one member of an object, checks its type, and on failure fills `err`
 * with QZ_EDATA, the member's name as the field and a key saying what was wrong;
 * the loader then prefixes the path of the enclosing object (qz_err_prefix_field)
 * and names the file. Strings returned are borrowed from the JSON document.
 */
#ifndef QZ_JSONV_H
#define QZ_JSONV_H

#include "core/date.h"
#include "core/err.h"

#include <jansson.h>
#include <stdbool.h>

/* Loads a JSON file; NULL with err (file, line and jansson's reason) on failure.
 * The caller owns the result (json_decref). Duplicate keys are refused. */
json_t *qz_json_load_file(const char *path, qz_err *err);

/* -1 with json.unknown_field when obj has a member not in the NULL-terminated list. */
int qz_json_only(const json_t *obj, const char *const *allowed, qz_err *err);

/* Reads a string member; when absent: 0 with *out = NULL if !required, else json.missing. */
int qz_json_str(const json_t *obj, const char *key, bool required, const char **out, qz_err *err);

/* Reads an integer member within [lo, hi]; when absent and !required, *out is untouched. */
int qz_json_int(const json_t *obj, const char *key, bool required, long lo, long hi, long *out,
                qz_err *err);

/* Reads a number member (integer or real) >= 0; when absent and !required, untouched. */
int qz_json_num(const json_t *obj, const char *key, bool required, double *out, qz_err *err);

/* Reads a boolean member; when absent and !required, *out is untouched. */
int qz_json_bool(const json_t *obj, const char *key, bool required, bool *out, qz_err *err);

/* Reads a "YYYY-MM-DD" member; when absent and !required, *out is untouched. */
int qz_json_date(const json_t *obj, const char *key, bool required, qz_date *out, qz_err *err);

/* Reads an object or array member; NULL in *out when absent and !required. */
int qz_json_obj(const json_t *obj, const char *key, bool required, json_t **out, qz_err *err);
int qz_json_arr(const json_t *obj, const char *key, bool required, json_t **out, qz_err *err);

/* Reads {"kk","ru","en"} texts into out[0..2]; "en" may be absent (then ru is used). */
int qz_json_names(const json_t *obj, const char *key, bool required, const char *out[3],
                  qz_err *err);

#endif
