/*
 * GET /api/v1/me/cases and GET /api/v1/me/notifications: a citizen's own cases (as
 * applicant, subject or representative), newest first, and the messages sent to them
 * (cabinet and SMS, app/notify.h), newest first, except the messages carrying a one-time
 * password or a password (store/outbox.h, qz_secret), which only the phone receives.
 * Applicants only: staff get 403. A page at a time (store/pages.h): ?limit=N (1…500,
 * default 500) and ?before=ID, the id the previous page ended at.
 */
#include "app/case_access.h"
#include "http/case_view.h"
#include "http/handlers.h"

#include "core/schedule_load.h"

#include "store/pages.h"

#include <stdlib.h>
#include <string.h>

enum { ME_LIMIT = QZ_PAGE_MAX };

/* Reads ?before= and ?limit=: 0, or -1 after answering 422. */
static int page_args(qz_req *req, qz_resp *resp, int64_t *before, size_t *limit)
{
    const char *b = qz_req_query(req, "before"), *l = qz_req_query(req, "limit");
    char *end = NULL;
    *before = 0;
    *limit = ME_LIMIT;
    if (b) {
        long long v = strtoll(b, &end, 10);
        if (!*b || *end || v < 1) {
            qz_resp_fail(req, resp, 422, "request.field_invalid", "before", "before");
            return -1;
        }
        *before = v;
    }
    if (l) {
        long long v = strtoll(l, &end, 10);
        if (!*l || *end || v < 1 || v > ME_LIMIT) {
            qz_resp_fail(req, resp, 422, "request.field_invalid", "limit", "limit");
            return -1;
        }
        *limit = (size_t)v;
    }
    return 0;
}

/* The caller, who must be a citizen: 0, or -1 after answering 401 or 403. */
static int citizen(qz_req *req, qz_resp *resp, qz_principal *p)
{
    if (qz_http_principal(req, resp, p))
        return -1;
    if (qz_principal_is_staff(p) || !p->iin[0]) {
        qz_resp_fail(req, resp, 403, "me.applicants_only", NULL, p->role);
        return -1;
    }
    return 0;
}

static json_t *role_in(const qz_case_row *k, const char *iin)
{
    if (strcmp(k->applicant, iin) == 0)
        return json_string("applicant");
    if (k->subject && strcmp(k->subject, iin) == 0)
        return json_string("subject");
    return json_string("representative");
}

void qz_h_me_cases(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err;
    qz_case_row *rows = NULL;
    size_t n = 0, limit;
    int64_t before;
    if (citizen(req, resp, &p) || page_args(req, resp, &before, &limit))
        return;
    if (qz_store_person_cases_page(req->ctx->store, p.iin, before, limit, &req->arena, &rows, &n,
                                   &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return;
    }
    const qz_catalog *cat = req->ctx->rules->cat;
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        const qz_case_row *k = &rows[i];
        const qz_service_version *v =
            qz_catalog_version(cat, k->service, k->standard_version, &err);
        json_array_append_new(
            list, json_pack("{s:I,s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:I}", "id", (json_int_t)k->id,
                            "number", k->number, "service", k->service, "service_name",
                            v ? qz_view_text(&v->name) : json_null(), "state", k->state, "status",
                            k->status, "due_at", qz_view_instant(z, k->due_at), "accepted_at",
                            qz_view_instant(z, k->created_at), "as", role_in(k, p.iin), "version",
                            (json_int_t)k->version));
    }
    qz_resp_json(resp, list ? 200 : 500, list);
}

void qz_h_me_notifications(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err;
    qz_outbox_row *rows = NULL;
    size_t n = 0, limit;
    int64_t before;
    if (citizen(req, resp, &p) || page_args(req, resp, &before, &limit))
        return;
    if (qz_store_outbox_page(req->ctx->store, p.iin, before, limit, &req->arena, &rows, &n, &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return;
    }
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) { /* newest first, as read */
        const qz_outbox_row *m = &rows[i];
        if (m->secret != QZ_SECRET_NONE) /* the code is the phone's alone: a session that */
            continue;                    /* read it would be its own second factor */
        json_array_append_new(list, json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)m->id,
                                              "channel", m->channel, "lang", m->lang, "text",
                                              m->text, "at", qz_view_instant(z, m->created_at)));
    }
    qz_resp_json(resp, list ? 200 : 500, list);
}
