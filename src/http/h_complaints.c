/*
 * POST /api/v1/complaints and GET /api/v1/complaints (platform.md, "Complaints"). The
 * applicant of a case complains about the provider or the PSC, addressed to the provider
 * or to the quality authority; the answer gives when the provider must forward it with
 * the file to the reviewing body and when it must be decided, counted in working days of
 * the unit complained about (the terms: catalog/complaints.json, core/complaint.h).
 * The complaint is registered in the workflow's start state (catalog/complaints.json),
 * held by the unit complained about, with the event "complaint.register" on its case,
 * and the complainant is told. The answer is the complaint as GET /complaints/ID shows it.
 * Listing: a citizen sees their own complaints; staff as far as their role's scope in
 * catalog/complaints.json "readers" goes (the heads: about or held by their unit; the
 * reviewer: its region; the quality authority: every one); the open ones first, soonest due first
 * (forward_by while registered, decide_by while forwarded), each with its state, holder, due time
 * and whether it is overdue (http/complaint_view.h). Acting on one: h_complaint_actions.c.
 */
#include "http/body.h"
#include "app/case_access.h"
#include "http/case_view.h"
#include "http/complaint_view.h"
#include "http/handlers.h"
#include "app/notify.h"
#include "store/case_store.h"

#include "core/schedule_load.h"

#include <stdlib.h>
#include <string.h>

enum { COMPLAINT_TEXT_MAX = 8000, COMPLAINTS_LIMIT = 500 };

/* The case id in "application": a positive integer (or its digits as a string). */
static int64_t application_id(const json_t *body)
{
    const json_t *v = json_object_get(body, "application");
    if (json_is_integer(v))
        return json_integer_value(v) > 0 ? (int64_t)json_integer_value(v) : 0;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        char *end = NULL;
        long long n = *s >= '1' && *s <= '9' ? strtoll(s, &end, 10) : 0;
        return end && !*end ? n : 0;
    }
    return 0;
}

/* The unit complained about: the provider's (the unit of the version's provider kind,
 * else the first one that is not the PSC), or the PSC branch. */
static const qz_unit_ref *unit_against(const qz_case *c, const char *against)
{
    if (strcmp(against, "psc") == 0)
        return qz_case_unit(c, "psc");
    const qz_unit_ref *u = c->ver->provider_unit ? qz_case_unit(c, c->ver->provider_unit) : NULL;
    for (size_t i = 0; !u && i < c->n_units; i++)
        if (strcmp(c->units[i].kind, "psc") != 0)
            u = &c->units[i];
    return u;
}

/* The hours the complaint's terms count in: the unit's own, else its kind's default. */
static int unit_time(const qz_rules *r, const qz_case *c, const qz_unit_ref *u, qz_unit_time *out,
                     qz_err *err)
{
    const char *code = u->schedule[0]                ? u->schedule
                       : strcmp(u->kind, "psc") == 0 ? "psc"
                                                     : "provider-default";
    out->cal = r->cal;
    out->zone = qz_engine_zone(r, c);
    out->sched = qz_timetable_schedule(r->tt, code, err);
    return out->sched ? 0 : -1;
}

/* Reads and checks the body; 0, or -1 after answering. */
static int parse(qz_req *req, qz_resp *resp, int64_t *id, const char **against, const char **to,
                 const char **text)
{
    static const char *const fields[] = {"application", "against", "addressed_to", "text", NULL};
    if (qz_body_fields(req, resp, fields))
        return -1;
    if (!(*id = application_id(req->body))) {
        qz_resp_fail(req, resp, 422,
                     json_object_get(req->body, "application") ? "request.field_invalid"
                                                               : "request.field_missing",
                     "application", "application");
        return -1;
    }
    if (qz_body_str(req, resp, "against", against) || qz_body_str(req, resp, "addressed_to", to) ||
        qz_body_str(req, resp, "text", text))
        return -1;
    if (strcmp(*against, "provider") != 0 && strcmp(*against, "psc") != 0) {
        qz_resp_fail(req, resp, 422, "complaint.against_unknown", "against", *against);
        return -1;
    }
    if (!qz_complaint_addressee_known(&req->ctx->rules->complaints, *to)) {
        qz_resp_fail(req, resp, 422, "complaint.addressee_unknown", "addressed_to", *to);
        return -1;
    }
    if (!qz_complaint_addressee_fits(&req->ctx->rules->complaints, *against, *to)) {
        qz_resp_fail(req, resp, 422, "complaint.addressee_wrong", "addressed_to", *to);
        return -1;
    }
    if (strlen(*text) > COMPLAINT_TEXT_MAX) {
        qz_resp_fail(req, resp, 422, "request.field_invalid", "text", "text");
        return -1;
    }
    return 0;
}

/* The case `id` if the citizen p may complain about it; else NULL, answered (404 when
 * they may not see it, 403 when they are its subject but did not apply). */
static qz_case *complained_case(qz_req *req, qz_resp *resp, const qz_principal *p, int64_t id)
{
    qz_err err;
    char value[24];
    qz_case *c = qz_case_load(req->ctx->store, req->ctx->rules->cat, id, &err);
    if (!c && err.code != QZ_ENOTFOUND) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return NULL;
    }
    if (!c || !qz_case_visible(c, p)) {
        snprintf(value, sizeof value, "%lld", (long long)id);
        qz_resp_fail(req, resp, 404, "store.case_not_found", "application", value);
    } else if (strcmp(c->applicant, p->iin) != 0 && strcmp(c->representative, p->iin) != 0) {
        qz_resp_fail(req, resp, 403, "complaint.not_applicant", "application", p->iin);
    } else {
        return c;
    }
    qz_case_free(c);
    return NULL;
}

static void fill_row(qz_complaint_row *row, const qz_case *c, const qz_principal *p,
                     const char *against, const char *to, const char *unit, const char *text,
                     qz_instant now)
{
    row->case_id = c->id;
    row->case_number = c->number;
    row->service = c->svc->code;
    row->complainant = p->iin;
    row->against = against;
    row->addressed_to = to;
    row->unit = unit;
    row->text = text;
    row->registered_at = now;
    row->version = 1;
    row->closed_at = QZ_NO_TIME;
}

/* Stores row (in the workflow's start state, with its event), tells the complainant
 * and answers 201 with the complaint. */
static void register_complaint(qz_req *req, qz_resp *resp, qz_complaint_row *row, const qz_case *c,
                               const qz_principal *p)
{
    qz_err err;
    const qz_complaint_terms *t = &req->ctx->rules->complaints;
    const qz_complaint_state *start = qz_complaint_state_find(t, t->start);
    qz_event_row ev = {.action = "complaint.register",
                       .actor = p->login,
                       .role = p->role,
                       .at = row->registered_at,
                       .to_state = t->start};
    qz_event_in in = {.at = ev.at,
                      .actor = ev.actor,
                      .role = ev.role,
                      .action = ev.action,
                      .to_state = ev.to_state};
    row->state = t->start;
    row->due_at = qz_complaint_due_in(start, row->forward_by, row->decide_by, QZ_NO_TIME);
    if (qz_store_complaint_add(req->ctx->store, row, &in, &row->id, &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return;
    }
    qz_notify_complaint(req->ctx, row, c->lang, row->registered_at);
    char data[48];
    snprintf(data, sizeof data, "{\"complaint\":%lld}", (long long)row->id);
    ev.data = data;
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    json_t *view = qz_view_complaint(t, row, z, row->registered_at, &ev, 1, false);
    qz_resp_json(resp, view ? 201 : 500, view);
}

void qz_h_complaints_create(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err;
    int64_t id = 0;
    const char *against = NULL, *to = NULL, *text = NULL;
    qz_unit_time ut;
    qz_unit_row branch;
    qz_complaint_row row = {0};
    qz_instant now = qz_clock_now(req->ctx->clock);
    qz_err_clear(&err);
    if (qz_http_principal(req, resp, &p))
        return;
    if (qz_principal_is_staff(&p) || !p.iin[0]) {
        qz_resp_fail(req, resp, 403, "complaint.applicants_only", NULL, p.role);
        return;
    }
    if (parse(req, resp, &id, &against, &to, &text))
        return;
    qz_case *c = complained_case(req, resp, &p, id);
    if (!c)
        return;
    const qz_unit_ref *u = unit_against(c, against);
    const qz_unit_ref *b = qz_case_unit(c, "psc");
    if (!u || !b) {
        qz_resp_fail(req, resp, 422, "complaint.no_unit", "against", against);
    } else if (unit_time(req->ctx->rules, c, u, &ut, &err) ||
               qz_complaint_due(&ut, &req->ctx->rules->complaints, to, now, &row.forward_by,
                                &row.decide_by, &err) ||
               qz_store_unit_get(req->ctx->store, b->code, &req->arena, &branch, &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
    } else {
        row.region = branch.region;
        fill_row(&row, c, &p, against, to, u->code, text, now);
        register_complaint(req, resp, &row, c, &p);
    }
    qz_case_free(c);
}

/* Which complaints principal p may list: 0 with *f, or -1 when none. */
static int filter_for(const qz_complaint_terms *t, const qz_principal *p, qz_complaint_filter *f)
{
    memset(f, 0, sizeof *f);
    if (!qz_principal_is_staff(p)) {
        f->complainant = p->iin;
        return p->iin[0] ? 0 : -1;
    }
    switch (qz_complaint_reader_scope(t, p->role)) {
    case QZ_SCOPE_UNIT:
        f->unit = p->unit;
        return 0;
    case QZ_SCOPE_REGION:
        f->region = p->region;
        return 0;
    case QZ_SCOPE_COUNTRY:
        return 0;
    case QZ_SCOPE_NONE:
        break;
    }
    return -1;
}

void qz_h_complaints_list(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err;
    qz_complaint_filter f;
    qz_complaint_row *rows = NULL;
    size_t n = 0;
    if (qz_http_principal(req, resp, &p))
        return;
    if (filter_for(&req->ctx->rules->complaints, &p, &f)) {
        qz_resp_fail(req, resp, 403, "complaint.list_forbidden", NULL, p.role);
        return;
    }
    if (qz_store_complaint_list(req->ctx->store, &f, COMPLAINTS_LIMIT, &req->arena, &rows, &n,
                                &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return;
    }
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    qz_instant now = qz_clock_now(req->ctx->clock);
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++)
        json_array_append_new(
            list, qz_view_complaint_line(&req->ctx->rules->complaints, &rows[i], z, now));
    qz_resp_json(resp, list ? 200 : 500, list);
}
