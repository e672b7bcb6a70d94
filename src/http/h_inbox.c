/* GET /api/v1/inbox: the open steps of the caller's unit, soonest due first, each with
 * whether it is overdue or at risk (http/case_view.h). Staff only. */
#include "http/case_access.h"
#include "http/case_view.h"
#include "http/handlers.h"

enum { INBOX_LIMIT = 500 };

void qz_h_inbox(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err;
    qz_inbox_row *rows = NULL;
    size_t n = 0;
    if (qz_http_principal(req, resp, &p))
        return;
    if (!qz_principal_is_staff(&p)) {
        qz_resp_fail(req, resp, 403, "inbox.staff_only", NULL, p.role);
        return;
    }
    if (qz_store_inbox(req->ctx->store, p.unit, INBOX_LIMIT, &req->arena, &rows, &n, &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return;
    }
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    qz_instant now = qz_clock_now(req->ctx->clock);
    qz_actor caller = qz_principal_actor(&p);
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++)
        json_array_append_new(list, qz_view_inbox_row(&rows[i], &caller, z, now));
    qz_resp_json(resp, list ? 200 : 500, list);
}
