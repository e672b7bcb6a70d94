#include "http/body.h"

#include "core/jsonv.h"

int qz_body_fields(const qz_req *req, qz_resp *resp, const char *const *allowed)
{
    qz_err err;
    qz_err_clear(&err);
    if (!json_is_object(req->body)) {
        qz_resp_fail(req, resp, 400, "auth.body_object", NULL, NULL);
        return -1;
    }
    if (qz_json_only(req->body, allowed, &err) == 0)
        return 0;
    qz_resp_error(req, resp, 422, &err);
    return -1;
}

int qz_body_str(const qz_req *req, qz_resp *resp, const char *name, const char **out)
{
    qz_err err;
    qz_err_clear(&err);
    if (qz_json_str(req->body, name, true, out, &err) == 0)
        return 0;
    qz_resp_error(req, resp, 422, &err);
    return -1;
}
