/*
 * GET /api/v1/complaints/ID and POST /api/v1/complaints/ID/actions (platform.md,
 * "Complaints"; the workflow is catalog/complaints.json, checked by core/complaint.h).
 * Who sees one: its complainant; staff of the unit complained about or of the unit
 * holding it; staff whose role's scope (catalog/complaints.json "readers") is its region
 * (the reviewer) or the country (the quality authority). Anyone else gets 404,
 * as if it did not exist (units do not see each other's complaints). Who acts: the role
 * the workflow names as its holder in its state, from the unit holding it (else 403).
 * A move forwarded to a reviewing body goes to the unit acting as that body's kind in
 * the complaint's region, else to one serving the whole country (as store/routing.h
 * picks a case's units). Each move is an event of the complaint's case (store.h), and
 * the complainant is told of it in the case's language (app/notify.h).
 */
#include "http/body.h"
#include "app/case_access.h"
#include "http/case_view.h"
#include "http/complaint_view.h"
#include "http/handlers.h"
#include "app/notify.h"
#include "store/case_store.h"
#include "store/routing.h"

#include "core/schedule_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_VERSION ((json_int_t)-1) /* the caller sent none: not checked */

/* The complaint id in the path: a positive integer, or 0. */
static int64_t path_id(const qz_req *req)
{
    const char *s = req->n_params ? req->params[0] : "";
    char *end = NULL;
    long long n = *s >= '1' && *s <= '9' ? strtoll(s, &end, 10) : 0;
    return end && !*end && n > 0 ? n : 0;
}

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Whether p may see complaint k (see the top of this file). */
static bool visible(const qz_complaint_terms *t, const qz_complaint_row *k, const qz_principal *p)
{
    if (!qz_principal_is_staff(p))
        return p->iin[0] && same(k->complainant, p->iin);
    qz_complaint_scope scope = qz_complaint_reader_scope(t, p->role);
    if (scope == QZ_SCOPE_COUNTRY || (scope == QZ_SCOPE_REGION && same(k->region, p->region)))
        return true;
    return same(k->unit, p->unit) || same(qz_complaint_holder_unit(t, k), p->unit);
}

/* Whether p holds complaint k now: the holder's role, in the holding unit. */
static bool holds(const qz_complaint_terms *t, const qz_complaint_row *k, const qz_principal *p)
{
    const qz_complaint_state *s = qz_complaint_state_find(t, k->state);
    return qz_principal_is_staff(p) &&
           qz_complaint_role_holds(s, p->role, k->against, k->addressed_to) &&
           same(qz_complaint_holder_unit(t, k), p->unit);
}

/* The complaint of the path if p may see it; else -1, answered (404). */
static int load(qz_req *req, qz_resp *resp, const qz_principal *p, qz_complaint_row *k)
{
    qz_err err;
    char value[24];
    int64_t id = path_id(req);
    qz_err_clear(&err);
    if (id && qz_store_complaint_get(req->ctx->store, id, &req->arena, k, &err) == 0 &&
        visible(&req->ctx->rules->complaints, k, p))
        return 0;
    if (id && err.code != QZ_OK && err.code != QZ_ENOTFOUND) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return -1;
    }
    snprintf(value, sizeof value, "%s", req->n_params ? req->params[0] : "");
    qz_resp_fail(req, resp, 404, "store.complaint_not_found", "id", value);
    return -1;
}

/* Answers `status` with complaint k as p sees it, its history read from its case. */
static void answer(qz_req *req, qz_resp *resp, unsigned status, const qz_complaint_row *k,
                   const qz_principal *p)
{
    qz_err err;
    qz_event_row *events = NULL;
    size_t n = 0;
    const qz_complaint_terms *t = &req->ctx->rules->complaints;
    if (qz_store_case_events(req->ctx->store, k->case_id, &req->arena, &events, &n, &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
        return;
    }
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    json_t *view =
        qz_view_complaint(t, k, z, qz_clock_now(req->ctx->clock), events, n, holds(t, k, p));
    /* where a complaint is decided, and its decision read: going to court comes after it
     * (seed 000 item 21, L85) */
    if (view && qz_view_complaint_court(view, req->ctx->strings)) {
        json_decref(view);
        view = NULL;
    }
    qz_resp_json(resp, view ? status : 500, view);
}

/* Records that staff member p read complaint k (its text is the complainant's): an event
 * "complaint.read" on its case's chain that leaves the complaint as it is. 0, or -1 with
 * the store's error; nothing for a citizen. */
static int log_read(qz_req *req, const qz_complaint_row *k, const qz_principal *p, qz_err *err)
{
    char data[48];
    if (!qz_principal_is_staff(p))
        return 0;
    snprintf(data, sizeof data, "{\"complaint\":%lld}", (long long)k->id);
    qz_event_in e = {.at = qz_clock_now(req->ctx->clock),
                     .actor = p->login,
                     .role = p->role,
                     .unit = p->unit,
                     .action = "complaint.read",
                     .from_state = k->state,
                     .to_state = k->state,
                     .data = data};
    return qz_store_case_event_add(req->ctx->store, k->case_id, &e, err);
}

void qz_h_complaints_get(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_complaint_row k;
    qz_err err;
    if (qz_http_principal(req, resp, &p) || load(req, resp, &p, &k))
        return;
    if (log_read(req, &k, &p, &err))
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
    else
        answer(req, resp, 200, &k, &p);
}

/* Reads {"action","version"?,"data"?}: 0, or -1 after answering. */
static int parse(qz_req *req, qz_resp *resp, const char **action, json_int_t *version,
                 const json_t **data)
{
    static const char *const fields[] = {"action", "version", "data", NULL};
    qz_err err;
    qz_err_clear(&err);
    *version = NO_VERSION;
    if (qz_body_fields(req, resp, fields) || qz_body_str(req, resp, "action", action))
        return -1;
    if (qz_body_get_int(req->body, "version", false, version, &err) == 0 &&
        qz_body_get_obj(req->body, "data", false, data, &err) == 0)
        return 0;
    qz_resp_error(req, resp, 422, &err);
    return -1;
}

/* The unit acting as `kind` in `region`, else one acting as it for the whole country:
 * 0 with *code (in the request's arena), or -1 with complaint.no_unit. */
static int reviewing_unit(qz_req *req, const char *kind, const char *region, const char **code,
                          qz_err *err)
{
    qz_unit_row *rows = NULL;
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (qz_store_unit_list(req->ctx->store, pass ? NULL : region, &req->arena, &rows, &n, err))
            return -1;
        for (size_t i = 0; i < n; i++)
            if (qz_route_acts_as(rows[i].acts_as, kind) &&
                (pass == 0 || same(rows[i].area, "country"))) {
                *code = rows[i].code;
                return 0;
            }
    }
    return qz_err_set(err, QZ_EINPUT, "complaint.no_unit", "action", kind);
}

/* The event data: {"complaint": id} with the action's data. NULL when memory ran out. */
static char *event_data(const qz_complaint_row *k, const json_t *data)
{
    json_t *o = data ? json_deep_copy(data) : json_object();
    if (!o || json_object_set_new(o, "complaint", json_integer((json_int_t)k->id))) {
        json_decref(o);
        return NULL;
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

/* Fills the move of k by action a (data checked) taken by p at `now`; the new holder's
 * unit is looked up. 0, or -1 with err. */
static int plan(qz_req *req, const qz_complaint_row *k, const qz_complaint_action *a,
                const json_t *data, const qz_principal *p, qz_complaint_move *m, qz_err *err)
{
    const qz_complaint_terms *t = &req->ctx->rules->complaints;
    const qz_complaint_state *next = qz_complaint_state_find(t, a->next);
    const qz_complaint_holder *h = qz_complaint_holder_of(next, k->against, k->addressed_to);
    qz_instant now = qz_clock_now(req->ctx->clock);
    bool closes = next->n_actions == 0;
    m->id = k->id;
    m->expected_version = k->version;
    m->state = next->name;
    m->holder_unit = NULL;
    if (h && h->unit_kind[0] && reviewing_unit(req, h->unit_kind, k->region, &m->holder_unit, err))
        return -1;
    m->due_at = qz_complaint_due_in(next, k->forward_by, k->decide_by, QZ_NO_TIME);
    m->closed_at = closes ? now : QZ_NO_TIME;
    m->outcome = json_string_value(json_object_get(data, "outcome"));
    m->resolution = closes ? json_string_value(json_object_get(data, "text")) : NULL;
    m->event = (qz_event_in){.at = now,
                             .actor = p->login,
                             .role = p->role,
                             .unit = p->unit[0] ? p->unit : NULL,
                             .action = NULL,
                             .from_state = k->state,
                             .to_state = next->name};
    return 0;
}

/* Takes action a on k: stores the move, tells the complainant; 0 with *k moved, or -1. */
static int move(qz_req *req, qz_complaint_row *k, const qz_complaint_action *a, const json_t *data,
                const qz_principal *p, qz_err *err)
{
    qz_complaint_move m;
    char action[48];
    if (plan(req, k, a, data, p, &m, err))
        return -1;
    snprintf(action, sizeof action, "complaint.%s", a->name);
    m.event.action = action;
    char *text = event_data(k, data);
    if (!text)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    m.event.data = text;
    int r = qz_store_complaint_move(req->ctx->store, &m, &k->version, err);
    free(text);
    if (r)
        return -1;
    k->state = m.state;
    k->holder_unit = m.holder_unit;
    k->due_at = m.due_at;
    k->closed_at = m.closed_at;
    k->outcome = m.outcome;
    k->resolution = m.resolution;
    qz_err lerr;
    qz_case *c = qz_case_load(req->ctx->store, req->ctx->rules->cat, k->case_id, &lerr);
    qz_notify_complaint(req->ctx, k, c ? c->lang : NULL, m.event.at);
    qz_case_free(c);
    return 0;
}

/* 0 when p may take an action on k now; else -1, answered (409 closed, 403, 409 stale). */
static int may_act(qz_req *req, qz_resp *resp, const qz_complaint_row *k, const qz_principal *p,
                   json_int_t version)
{
    const qz_complaint_terms *t = &req->ctx->rules->complaints;
    char current[24];
    if (!qz_complaint_holder_unit(t, k)) {
        qz_resp_fail(req, resp, 409, "complaint.closed", "action", k->state);
        return -1;
    }
    if (!holds(t, k, p)) {
        qz_resp_fail(req, resp, 403, "complaint.not_holder", "action", p->role);
        return -1;
    }
    if (version != NO_VERSION && version != k->version) {
        snprintf(current, sizeof current, "%lld", (long long)k->version);
        qz_resp_fail(req, resp, 409, "store.stale_version", "version", current);
        return -1;
    }
    return 0;
}

void qz_h_complaints_act(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_complaint_row k;
    qz_err err;
    const char *action = NULL;
    const json_t *data = NULL;
    const qz_complaint_action *a = NULL;
    json_int_t version = NO_VERSION;
    qz_err_clear(&err);
    if (qz_http_principal(req, resp, &p) || load(req, resp, &p, &k) ||
        parse(req, resp, &action, &version, &data) || may_act(req, resp, &k, &p, version))
        return;
    const qz_complaint_state *s = qz_complaint_state_find(&req->ctx->rules->complaints, k.state);
    if (qz_complaint_check_action(s, action, data, &a, &err) || move(req, &k, a, data, &p, &err))
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
    else
        answer(req, resp, 200, &k, &p);
}
