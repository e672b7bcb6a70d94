/*
 * POST /api/v1/applications, GET /api/v1/applications/ID and POST
 * /api/v1/applications/ID/actions: applications accepted at a PSC or on the portal, and
 * the cases they become. Parse, route (store/routing.h), call the engine, save, encode
 * (http/case_view.h). Who may see a case: http/case_access.h.
 */
#include "http/case_access.h"
#include "http/case_view.h"
#include "http/eds.h"
#include "http/handlers.h"
#include "http/notify.h"
#include "store/case_store.h"
#include "store/routing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DOCUMENTS = 32 };

/* The status an error of the engine, the routing or the store deserves here: the body's
 * service, version or options are the caller's mistakes (422), not missing pages. */
static unsigned status_for(const qz_err *e)
{
    if (strcmp(e->key, "case.role_forbidden") == 0 || strcmp(e->key, "case.unit_forbidden") == 0 ||
        strcmp(e->key, "application.not_yours") == 0)
        return 403;
    if (strcmp(e->key, "store.case_not_found") == 0)
        return 404;
    if (strcmp(e->key, "store.stale_version") == 0 || strcmp(e->key, "case.ended") == 0)
        return 409;
    if (e->code == QZ_ENOTFOUND || e->code == QZ_ERANGE)
        return 422;
    return qz_http_status_for(e);
}

static void fail(const qz_req *req, qz_resp *resp, const qz_err *e)
{
    qz_resp_error(req, resp, status_for(e), e);
}

/* ---- reading the body ------------------------------------------------------------------ */

/* A non-empty string member, or NULL when absent (an error when required). */
static int body_str(const json_t *body, const char *key, bool required, const char **out,
                    qz_err *err)
{
    const json_t *v = json_object_get(body, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? qz_err_set(err, QZ_EINPUT, "request.field_missing", key, key) : 0;
    if (!json_is_string(v) || json_string_length(v) == 0 ||
        strlen(json_string_value(v)) != json_string_length(v)) /* empty, or a NUL inside */
        return qz_err_set(err, QZ_EINPUT, "request.field_invalid", key, key);
    *out = json_string_value(v);
    return 0;
}

static int need_object(const json_t *body, qz_err *err)
{
    return json_is_object(body) ? 0 : qz_err_set(err, QZ_EINPUT, "request.body_needed", NULL, NULL);
}

/* An application as the body gives it, its units still to be routed. */
typedef struct app_form {
    qz_application app;
    const char *branch;
    const char *docs[MAX_DOCUMENTS];
} app_form;

static int parse_documents(const json_t *body, app_form *f, qz_err *err)
{
    const json_t *list = json_object_get(body, "documents");
    size_t i;
    json_t *v;
    if (!json_is_array(list))
        return qz_err_set(err, QZ_EINPUT, list ? "request.field_invalid" : "request.field_missing",
                          "documents", "documents");
    if (json_array_size(list) > MAX_DOCUMENTS)
        return qz_err_set(err, QZ_EINPUT, "request.field_invalid", "documents", "documents");
    json_array_foreach(list, i, v)
    {
        if (!json_is_string(v))
            return qz_err_set(err, QZ_EINPUT, "request.field_invalid", "documents", "documents");
        f->docs[i] = json_string_value(v);
    }
    f->app.documents = f->docs;
    f->app.n_documents = json_array_size(list);
    return 0;
}

static int parse_application(const qz_req *req, app_form *f, qz_err *err)
{
    const json_t *b = req->body;
    qz_application *a = &f->app;
    memset(f, 0, sizeof *f);
    if (need_object(b, err) || body_str(b, "service", true, &a->service, err) ||
        body_str(b, "channel", true, &a->channel, err) ||
        body_str(b, "branch", true, &f->branch, err) ||
        body_str(b, "applicant", true, &a->applicant, err) ||
        body_str(b, "subject", false, &a->subject, err) ||
        body_str(b, "representative", false, &a->representative, err) ||
        body_str(b, "department", false, &a->department, err) ||
        body_str(b, "urgency", false, &a->urgency, err) ||
        body_str(b, "variant", false, &a->variant, err) ||
        body_str(b, "lang", false, &a->lang, err) || parse_documents(b, f, err))
        return -1;
    a->payload = json_object_get(b, "payload");
    if (a->payload && !json_is_object(a->payload))
        return qz_err_set(err, QZ_EINPUT, "request.field_invalid", "payload", "payload");
    if (!a->lang)
        a->lang = req->lang == QZ_LANG_KK ? "kk" : "ru";
    return 0;
}

/* ---- accepting ------------------------------------------------------------------------- */

/* The version of the service in force now. */
static const qz_service_version *version_now(const qz_req *req, const char *service, qz_instant now,
                                             qz_err *err)
{
    const qz_rules *r = req->ctx->rules;
    const qz_service *s = qz_catalog_service(r->cat, service, err);
    const qz_zone *z = qz_timetable_default_zone(r->tt);
    return s ? qz_service_version_at(s, qz_instant_date(now, qz_zone_offset(z, now)), err) : NULL;
}

/* The channel must be the service's, and every document named one the channel lists. */
static int documents_known(const qz_service_version *v, const qz_application *a, qz_err *err)
{
    qz_doc_list l = qz_service_documents(v, a->channel);
    if (!qz_service_channel(v, a->channel, err))
        return -1;
    for (size_t i = 0; i < a->n_documents; i++) {
        bool known = false;
        for (size_t k = 0; k < l.n && !known; k++)
            known = strcmp(l.docs[k].kind, a->documents[i]) == 0;
        if (!known)
            return qz_err_set(err, QZ_EINPUT, "application.document_unknown", "documents",
                              a->documents[i]);
    }
    return 0;
}

/* Staff take applications only where they work (the branch, or the unit of their kind
 * that the case routes to: the migration police's desk inside the PSC); a citizen applies
 * for themselves or as a representative. */
static int check_desk(const qz_principal *p, const qz_route *route, const qz_application *a,
                      qz_err *err)
{
    if (!qz_principal_is_staff(p)) {
        bool own = strcmp(a->applicant, p->iin) == 0 ||
                   (a->representative && strcmp(a->representative, p->iin) == 0);
        return own ? 0 : qz_err_set(err, QZ_EINPUT, "application.not_yours", "applicant", p->iin);
    }
    for (size_t i = 0; i < route->n_units; i++)
        if (strcmp(route->units[i].code, p->unit) == 0)
            return 0;
    return qz_err_set(err, QZ_EINPUT, "case.unit_forbidden", "branch", p->unit);
}

/* A portal request carries the applicant's EDS over its body (platform.md, "The portal
 * path"; http/eds.h): 401 eds.missing without an X-Signature, 403 eds.invalid naming why
 * the signature fails, 403 eds.not_applicant when someone else signed. -1 once answered.
 * (Services that take a one-time password instead of the EDS: not yet; every portal
 * request needs the EDS.) */
static int portal_signed(qz_req *req, qz_resp *resp, const qz_application *a)
{
    qz_err err;
    qz_eds_signer signer;
    const char *sig = qz_req_header(req, "X-Signature");
    if (strcmp(a->channel, "portal") != 0)
        return 0;
    if (!sig || !*sig) {
        qz_resp_fail(req, resp, 401, "eds.missing", "X-Signature", NULL);
        return -1;
    }
    qz_err_clear(&err);
    if (qz_eds_verify(req->ctx->trust, (const unsigned char *)req->raw, req->raw_len, sig, &signer,
                      &err)) {
        qz_resp_error(req, resp, err.code == QZ_ENOMEM ? 500 : 403, &err);
        return -1;
    }
    if (strcmp(signer.iin, a->applicant) != 0) {
        qz_resp_fail(req, resp, 403, "eds.not_applicant", "applicant", signer.iin);
        return -1;
    }
    return 0;
}

/* Puts the case's id and number, known once it is written, into the 201 answer. */
static int set_ids(json_t *answer, const qz_case_written *w)
{
    json_t *receipt = json_object_get(answer, "receipt");
    return json_object_set_new(answer, "id", json_integer(w->id)) ||
                   json_object_set_new(answer, "number", json_string(w->number)) ||
                   json_object_set_new(receipt, "number", json_string(w->number))
               ? -1
               : 0;
}

/* The 201 answer to keep with the idempotency key (runs on the store's writer while the
 * handler's thread waits for it). */
static char *respond_accepted(void *ctx, const qz_case_written *w)
{
    return set_ids(ctx, w) ? NULL : json_dumps(ctx, JSON_COMPACT);
}

/* The key as the store keeps it: the client's, prefixed by whose it is. */
static const char *idem_key(qz_req *req, const qz_principal *p)
{
    const char *key = qz_req_header(req, "Idempotency-Key");
    if (!key || !*key)
        return NULL;
    size_t cap = strlen(key) + 96;
    char *out = qz_arena_alloc(&req->arena, cap);
    if (out && p->user_id > 0)
        snprintf(out, cap, "applications:user-%lld:%s", (long long)p->user_id, key);
    else if (out)
        snprintf(out, cap, "applications:person-%s:%s", p->iin, key);
    return out;
}

/* Saves the accepted case and answers 201 (the original answer when the key was seen). */
static void save_accepted(qz_req *req, qz_resp *resp, const qz_principal *p, qz_case *c,
                          const qz_events *ev, const qz_route *route, const qz_desk *desk,
                          qz_instant now)
{
    qz_err err;
    qz_case_written out;
    json_t *answer = qz_view_accepted(req->ctx->rules, c, desk);
    const char *key = idem_key(req, p);
    if (!answer) {
        qz_resp_fail(req, resp, 500, "out_of_memory", NULL, NULL);
        return;
    }
    if (qz_case_save_respond(req->ctx->store, c, ev, route->region, key, respond_accepted, answer,
                             now, &out, &err)) {
        json_decref(answer);
        fail(req, resp, &err);
        return;
    }
    if (!out.replayed) { /* the case stands: tell its persons (never for a replay) */
        c->id = out.id;
        snprintf(c->number, sizeof c->number, "%s", out.number);
        qz_notify_case(req->ctx, NULL, c, route->region, now);
    }
    if (out.response) { /* kept with the key: the original answer when replayed */
        json_decref(answer);
        answer = json_loads(out.response, 0, NULL);
        free(out.response);
    } else if (set_ids(answer, &out)) {
        json_decref(answer);
        answer = NULL;
    }
    qz_resp_json(resp, answer ? 201 : 500, answer);
}

/* Answers 422 with the refusal receipt naming the missing documents. */
static void refuse(qz_req *req, qz_resp *resp, const qz_service_version *v, const app_form *f,
                   const qz_desk *desk, const qz_err *err)
{
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    qz_resp_error(req, resp, 422, err);
    json_object_set_new(resp->body, "receipt", qz_view_refusal(v, &f->app, desk, z));
}

void qz_h_applications_create(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err;
    app_form f;
    qz_route route;
    qz_unit_row branch;
    const qz_service_version *v;
    qz_instant now = qz_clock_now(req->ctx->clock);
    qz_err_clear(&err);
    if (qz_http_principal(req, resp, &p))
        return;
    if (parse_application(req, &f, &err) || !(v = version_now(req, f.app.service, now, &err)) ||
        qz_route_case(req->ctx->store, v, f.branch, &route, &err) ||
        check_desk(&p, &route, &f.app, &err) || documents_known(v, &f.app, &err) ||
        qz_store_unit_get(req->ctx->store, f.branch, &req->arena, &branch, &err)) {
        fail(req, resp, &err);
        return;
    }
    if (portal_signed(req, resp, &f.app))
        return;
    f.app.units = route.units;
    f.app.n_units = route.n_units;
    if (!f.app.department && route.department[0])
        f.app.department = route.department;
    qz_actor actor = qz_principal_actor(&p);
    qz_desk desk = {.actor = &actor, .branch = &branch, .at = now};
    qz_case *c = NULL;
    qz_events ev = {0};
    if (qz_engine_accept(req->ctx->rules, &f.app, &actor, now, &c, &ev, &err)) {
        if (strcmp(err.key, "case.documents_missing") == 0)
            refuse(req, resp, v, &f, &desk, &err);
        else
            fail(req, resp, &err);
    } else {
        save_accepted(req, resp, &p, c, &ev, &route, &desk, now);
    }
    qz_events_clear(&ev);
    qz_case_free(c);
}

/* ---- reading and acting ----------------------------------------------------------------- */

/* The case of the path's ID if the caller may see it; else NULL, answered 404 (the same
 * answer whether it does not exist or is not the caller's to see). */
static qz_case *visible_case(qz_req *req, qz_resp *resp, const qz_principal *p)
{
    const char *id = req->params[0];
    char *end = NULL;
    qz_err err;
    long long n = id && *id >= '1' && *id <= '9' ? strtoll(id, &end, 10) : 0;
    qz_case *c =
        n > 0 && end && !*end ? qz_case_load(req->ctx->store, req->ctx->rules->cat, n, &err) : NULL;
    if (!c && n > 0 && end && !*end && err.code != QZ_ENOTFOUND) {
        fail(req, resp, &err);
        return NULL;
    }
    if (!c || !qz_case_visible(c, p)) {
        qz_case_free(c);
        qz_resp_fail(req, resp, 404, "store.case_not_found", "id", id);
        return NULL;
    }
    return c;
}

/* Answers `status` with the case as `p` sees it, its history read back from the store. */
static void answer_case(qz_req *req, qz_resp *resp, unsigned status, const qz_case *c,
                        const qz_principal *p)
{
    qz_err err;
    qz_event_row *events = NULL;
    size_t n = 0;
    if (qz_store_case_events(req->ctx->store, c->id, &req->arena, &events, &n, &err)) {
        fail(req, resp, &err);
        return;
    }
    qz_actor actor = qz_principal_actor(p);
    json_t *view = qz_view_case(req->ctx->rules, c, events, n, &actor);
    qz_resp_json(resp, view ? status : 500, view);
}

void qz_h_applications_get(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err;
    if (qz_http_principal(req, resp, &p))
        return;
    qz_case *c = visible_case(req, resp, &p);
    if (!c)
        return;
    if (qz_case_log_read(req->ctx->store, c, &p, qz_clock_now(req->ctx->clock), &err))
        fail(req, resp, &err);
    else
        answer_case(req, resp, 200, c, &p);
    qz_case_free(c);
}

/* Reads {"action","version","data"}. */
static int parse_action(const json_t *b, const char **action, json_int_t *version,
                        const json_t **data, qz_err *err)
{
    const json_t *v = json_object_get(b, "version");
    if (need_object(b, err) || body_str(b, "action", true, action, err))
        return -1;
    if (!v)
        return qz_err_set(err, QZ_EINPUT, "request.field_missing", "version", "version");
    if (!json_is_integer(v))
        return qz_err_set(err, QZ_EINPUT, "request.field_invalid", "version", "version");
    *version = json_integer_value(v);
    *data = json_object_get(b, "data");
    if (*data && json_is_null(*data))
        *data = NULL;
    if (*data && !json_is_object(*data))
        return qz_err_set(err, QZ_EINPUT, "request.field_invalid", "data", "data");
    return 0;
}

/* The region of case c: its branch's (for a person the store does not know). */
static const char *case_region(qz_req *req, const qz_case *c)
{
    qz_unit_row u;
    qz_err err;
    const qz_unit_ref *b = qz_case_unit(c, "psc");
    return b && qz_store_unit_get(req->ctx->store, b->code, &req->arena, &u, &err) == 0 ? u.region
                                                                                        : NULL;
}

/* Applies the action, saves the new case and tells its persons what changed; NULL with
 * err (and nobody told). */
static qz_case *act(qz_req *req, const qz_case *c, const char *action, const json_t *data,
                    const qz_principal *p, qz_err *err)
{
    qz_actor actor = qz_principal_actor(p);
    qz_instant now = qz_clock_now(req->ctx->clock);
    qz_events ev = {0};
    qz_case *n = NULL;
    qz_case_written out;
    if (qz_engine_apply(req->ctx->rules, c, action, data, &actor, now, &n, &ev, err) == 0 &&
        qz_case_save(req->ctx->store, n, &ev, NULL, NULL, NULL, now, &out, err) == 0) {
        n->id = out.id;
        n->version = (int)out.version;
        qz_notify_case(req->ctx, c, n, case_region(req, c), now);
    } else {
        qz_case_free(n);
        n = NULL;
    }
    qz_events_clear(&ev);
    return n;
}

/* Answers 409: the caller read an older version of the case. */
static void stale(const qz_req *req, qz_resp *resp, const qz_case *c)
{
    char current[24];
    snprintf(current, sizeof current, "%d", c->version);
    qz_resp_fail(req, resp, 409, "store.stale_version", "version", current);
}

void qz_h_applications_act(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err;
    const char *action = NULL;
    const json_t *data = NULL;
    json_int_t version = 0;
    if (qz_http_principal(req, resp, &p))
        return;
    qz_case *c = visible_case(req, resp, &p);
    if (!c)
        return;
    qz_case *n = NULL;
    qz_err_clear(&err);
    if (parse_action(req->body, &action, &version, &data, &err))
        fail(req, resp, &err);
    else if (version != c->version)
        stale(req, resp, c);
    else if (!(n = act(req, c, action, data, &p, &err)))
        fail(req, resp, &err);
    else
        answer_case(req, resp, 200, n, &p);
    qz_case_free(n);
    qz_case_free(c);
}
