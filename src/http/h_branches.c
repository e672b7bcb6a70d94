/* GET /api/v1/branches: the PSC branches (units of kind "psc"), where a person applies or
 * collects a result: what the portal's form offers to choose from. No authentication. */
#include "http/handlers.h"

#include "store/store.h"

#include <string.h>

void qz_h_branches(qz_req *req, qz_resp *resp)
{
    qz_err err;
    qz_unit_row *rows = NULL;
    size_t n = 0;
    qz_err_clear(&err);
    if (qz_store_unit_list(req->ctx->store, NULL, &req->arena, &rows, &n, &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return;
    }
    json_t *out = json_array();
    for (size_t i = 0; out && i < n; i++) {
        if (strcmp(rows[i].kind, "psc") != 0)
            continue;
        json_array_append_new(out,
                              json_pack("{s:s,s:{s:s,s:s},s:s?,s:s?}", "code", rows[i].code, "name",
                                        "kk", rows[i].name_kk, "ru", rows[i].name_ru, "department",
                                        rows[i].department, "region", rows[i].region));
    }
    if (!out)
        qz_resp_fail(req, resp, 503, "request.no_answer", NULL, NULL);
    else
        qz_resp_json(resp, 200, out);
}
