#include "http/application_read.h"

#include "app/case_access.h"
#include "http/case_view.h"
#include "store/case_store.h"

#include <stdlib.h>

qz_case *qz_http_visible_case(qz_req *req, qz_resp *resp, const qz_principal *p)
{
    const char *id = req->params[0];
    char *end = NULL;
    qz_err err;
    long long n = id && *id >= '1' && *id <= '9' ? strtoll(id, &end, 10) : 0;
    qz_case *c =
        n > 0 && end && !*end ? qz_case_load(req->ctx->store, req->ctx->rules->cat, n, &err) : NULL;
    if (!c && n > 0 && end && !*end && err.code != QZ_ENOTFOUND) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return NULL;
    }
    if (!c || !qz_case_visible(c, p)) {
        qz_case_free(c);
        qz_resp_fail(req, resp, 404, "store.case_not_found", "id", id);
        return NULL;
    }
    return c;
}

void qz_http_answer_case(qz_req *req, qz_resp *resp, unsigned status, const qz_case *c,
                         const qz_principal *p)
{
    qz_err err;
    qz_event_row *events = NULL;
    size_t n = 0;
    if (qz_store_case_events(req->ctx->store, c->id, &req->arena, &events, &n, &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return;
    }
    qz_actor actor = qz_principal_actor(p);
    json_t *view = qz_view_case(req->ctx->rules, c, events, n, &actor);
    qz_resp_json(resp, view ? status : 500, view);
}
