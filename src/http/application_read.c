#include "http/application_read.h"

#include "app/case_access.h"
#include "http/case_view.h"
#include "store/case_store.h"

#include <stdlib.h>
#include <string.h>

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

void qz_http_answer_read(qz_req *req, qz_resp *resp, const qz_case *c, const qz_principal *p)
{
    qz_err err;
    qz_event_row *events = NULL, *all;
    size_t n = 0;
    qz_instant now = qz_clock_now(req->ctx->clock);
    /* the history first, then the read queued: it cannot be in what was read, so it is
     * shown once, as the last event */
    if (qz_store_case_events(req->ctx->store, c->id, &req->arena, &events, &n, &err) ||
        qz_case_log_read(req->ctx->store, c, p, now, &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return;
    }
    if (qz_principal_is_staff(p) && (all = qz_arena_alloc(&req->arena, (n + 1) * sizeof *all))) {
        const char *state = qz_case_step(c)->code;
        if (n)
            memcpy(all, events, n * sizeof *all);
        all[n] = (qz_event_row){.case_id = c->id,
                                .seq = n ? events[n - 1].seq + 1 : 1,
                                .at = now,
                                .actor = p->login,
                                .role = p->role,
                                .unit = p->unit,
                                .action = "read",
                                .from_state = state,
                                .to_state = state};
        events = all;
        n++;
    }
    qz_actor actor = qz_principal_actor(p);
    json_t *view = qz_view_case(req->ctx->rules, c, events, n, &actor);
    if (view && qz_view_due_notice(view, req->ctx->rules, req->ctx->strings, c)) {
        json_decref(view);
        view = NULL;
    }
    qz_resp_json(resp, view ? 200 : 500, view);
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
    if (view && qz_view_due_notice(view, req->ctx->rules, req->ctx->strings, c)) {
        json_decref(view);
        view = NULL;
    }
    qz_resp_json(resp, view ? status : 500, view);
}
