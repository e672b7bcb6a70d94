/* Fuzzes a request body as the server reads it: jansson with duplicate keys refused,
 * then the field readers of http/body.h as an application's handler calls them. */
#include "fuzz.h"

#include "http/body.h"

#include <jansson.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const allowed[] = {"service", "channel", "branch", "applicant", "documents",
                                          "payload", "version", "data",   NULL};
    json_error_t jerr;
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (!body)
        return 0;
    qz_err err;
    const char *s, *docs[32];
    size_t n;
    const json_t *obj, *arr;
    json_int_t v;
    qz_err_clear(&err);
    (void)qz_body_get_fields(body, allowed, &err);
    qz_err_clear(&err);
    (void)qz_body_get_str(body, "service", false, &s, &err);
    qz_err_clear(&err);
    (void)qz_body_get_strs(body, "documents", false, 32, docs, &n, &err);
    qz_err_clear(&err);
    (void)qz_body_get_obj(body, "payload", false, &obj, &err);
    qz_err_clear(&err);
    (void)qz_body_get_arr(body, "data", false, 8, &arr, &err);
    qz_err_clear(&err);
    (void)qz_body_get_int(body, "version", false, &v, &err);
    json_decref(body);
    return 0;
}
