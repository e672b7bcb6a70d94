/* GET /api/v1/inbox: what the caller's unit has to do, soonest due first: its open steps
 * of cases (http/case_view.h) and the open complaints it holds (http/complaint_view.h),
 * each with whether it is overdue or at risk and whether it is the caller's. Staff only. */
#include "app/case_access.h"
#include "http/case_view.h"
#include "http/complaint_view.h"
#include "http/handlers.h"

enum { INBOX_LIMIT = 500 };

/* The lines of both lists, merged by due instant (each list comes sorted by it). */
static json_t *merged(const qz_req *req, const qz_principal *p, const qz_inbox_row *steps,
                      size_t n_steps, const qz_complaint_row *held, size_t n_held)
{
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    qz_instant now = qz_clock_now(req->ctx->clock);
    qz_actor caller = qz_principal_actor(p);
    json_t *list = json_array();
    size_t i = 0, k = 0;
    while (list && (i < n_steps || k < n_held)) {
        bool step = k == n_held || (i < n_steps && steps[i].step.due_at <= held[k].due_at);
        json_t *line = step ? qz_view_inbox_row(&steps[i++], &caller, z, now)
                            : qz_view_complaint_inbox_row(&req->ctx->rules->complaints, &held[k++],
                                                          p->role, z, now);
        if (!line || json_array_append_new(list, line)) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

void qz_h_inbox(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err;
    qz_inbox_row *steps = NULL;
    qz_complaint_row *held = NULL;
    size_t n_steps = 0, n_held = 0;
    if (qz_http_principal(req, resp, &p))
        return;
    if (!qz_principal_is_staff(&p)) {
        qz_resp_fail(req, resp, 403, "inbox.staff_only", NULL, p.role);
        return;
    }
    qz_complaint_filter mine = {.held_by = p.unit};
    if (qz_store_inbox(req->ctx->store, p.unit, INBOX_LIMIT, &req->arena, &steps, &n_steps, &err) ||
        qz_store_complaint_list(req->ctx->store, &mine, INBOX_LIMIT, &req->arena, &held, &n_held,
                                &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return;
    }
    json_t *list = merged(req, &p, steps, n_steps, held, n_held);
    qz_resp_json(resp, list ? 200 : 500, list);
}
