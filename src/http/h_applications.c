/*
 * POST /api/v1/applications, GET /api/v1/applications/ID, POST
 * /api/v1/applications/ID/actions and POST /api/v1/applications/ID/assign: applications
 * accepted at a PSC or on the portal, the cases they become, the actions taken on them
 * (on a bundle's linked cases too, where the step says so) and who is assigned to work
 * them. Parse, route (store/routing.h), check how a portal request is confirmed
 * (http/confirm.h), call the engine, save, notify, encode (http/case_view.h). Who may see
 * a case, and which staff an assignment may name: http/case_access.h.
 */
#include "http/body.h"
#include "http/case_access.h"
#include "http/case_view.h"
#include "http/confirm.h"
#include "http/handlers.h"
#include "http/notify.h"
#include "store/case_store.h"
#include "store/routing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DOCUMENTS = 32, QZ_BUNDLE_MAX = 4 }; /* bundled services per application */

static void fail(const qz_req *req, qz_resp *resp, const qz_err *e)
{
    qz_resp_error(req, resp, qz_http_status_for(e), e);
}

/* ---- reading the body (http/body.h) ----------------------------------------------------- */

static const char *const APPLICATION_FIELDS[] = {
    "service", "channel", "branch", "applicant", "subject", "representative", "department",
    "urgency", "variant", "lang",   "documents", "payload", "bundle",         NULL};
static const char *const PART_FIELDS[] = {"service", "variant", "documents", "payload", NULL};

/* An application as the body gives it, its units still to be routed. */
typedef struct app_form {
    qz_application app;
    const char *branch;
    const char *docs[MAX_DOCUMENTS];
} app_form;

/* Reads what the main application and a bundled part both have: the service, the
 * variant, the documents and the payload. */
static int parse_common(const json_t *obj, app_form *f, qz_err *err)
{
    qz_application *a = &f->app;
    if (qz_body_get_str(obj, "service", true, &a->service, err) ||
        qz_body_get_str(obj, "variant", false, &a->variant, err) ||
        qz_body_get_strs(obj, "documents", true, MAX_DOCUMENTS, f->docs, &a->n_documents, err) ||
        qz_body_get_obj(obj, "payload", false, &a->payload, err))
        return -1;
    a->documents = f->docs;
    return 0;
}

/* Reads the main application; the body is an object of known members already. */
static int parse_application(const qz_req *req, app_form *f, qz_err *err)
{
    const json_t *b = req->body;
    qz_application *a = &f->app;
    memset(f, 0, sizeof *f);
    if (parse_common(b, f, err) || qz_body_get_str(b, "channel", true, &a->channel, err) ||
        qz_body_get_str(b, "branch", true, &f->branch, err) ||
        qz_body_get_str(b, "applicant", true, &a->applicant, err) ||
        qz_body_get_str(b, "subject", false, &a->subject, err) ||
        qz_body_get_str(b, "representative", false, &a->representative, err) ||
        qz_body_get_str(b, "department", false, &a->department, err) ||
        qz_body_get_str(b, "urgency", false, &a->urgency, err) ||
        qz_body_get_str(b, "lang", false, &a->lang, err))
        return -1;
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
        return own ? 0
                   : qz_err_set(err, QZ_EFORBIDDEN, "application.not_yours", "applicant", p->iin);
    }
    for (size_t i = 0; i < route->n_units; i++)
        if (strcmp(route->units[i].code, p->unit) == 0)
            return 0;
    return qz_err_set(err, QZ_EFORBIDDEN, "case.unit_forbidden", "branch", p->unit);
}

/* ---- one application: the main service and the services bundled with it -------------- */

/* A part of an application: the main service (part 0) or one bundled with it, and the
 * case the engine made of it. */
typedef struct part {
    app_form f;
    const qz_service_version *v;
    qz_route route;
    qz_case *c;
    qz_events ev;
    qz_case_written out;
    bool refused; /* documents missing */
} part;

/* Reads bundle[i] into `f`: its own service, documents, payload and variant; the rest
 * (channel, branch, applicant, subject, representative, language) as the main one. An
 * error names the part: "bundle[1].documents". */
static int parse_part(const json_t *item, size_t i, const app_form *main, app_form *f, qz_err *err)
{
    char at[32];
    memset(f, 0, sizeof *f);
    f->branch = main->branch;
    f->app.channel = main->app.channel;
    f->app.applicant = main->app.applicant;
    f->app.subject = main->app.subject;
    f->app.representative = main->app.representative;
    f->app.lang = main->app.lang;
    if (qz_body_get_fields(item, PART_FIELDS, err) == 0 && parse_common(item, f, err) == 0)
        return 0;
    snprintf(at, sizeof at, "bundle[%zu]", i);
    qz_err_prefix_field(err, at);
    return -1;
}

/* Reads the body's "bundle" into parts 1…; *n counts every part (the main one too). */
static int parse_bundle(const json_t *body, part *parts, size_t *n, qz_err *err)
{
    const json_t *list;
    size_t i;
    json_t *item;
    *n = 1;
    if (qz_body_get_arr(body, "bundle", false, QZ_BUNDLE_MAX, &list, err))
        return -1;
    json_array_foreach(list, i, item)
    {
        if (parse_part(item, i, &parts[0].f, &parts[i + 1].f, err))
            return -1;
    }
    *n = json_array_size(list) + 1;
    return 0;
}

/* The bundled service must be one the main version names in `bundles`, and each once. */
static int bundle_allowed(const part *parts, size_t k, qz_err *err)
{
    const qz_service_version *v = parts[0].v;
    const char *code = parts[k].f.app.service;
    bool listed = false;
    for (size_t b = 0; b < v->n_bundles && !listed; b++)
        listed = strcmp(v->bundles[b], code) == 0;
    for (size_t j = 1; j < k && listed; j++)
        listed = strcmp(parts[j].f.app.service, code) != 0;
    return listed ? 0
                  : qz_err_set(err, QZ_EINPUT, "application.bundle_not_allowed", "bundle", code);
}

/* Checks part k as far as the store and the catalogue go: its version, routing, the
 * caller's desk, its documents. */
static int check_part(qz_req *req, const qz_principal *p, part *parts, size_t k, qz_instant now,
                      qz_err *err)
{
    part *x = &parts[k];
    if (!(x->v = version_now(req, x->f.app.service, now, err)) ||
        (k > 0 && bundle_allowed(parts, k, err)) ||
        qz_route_case(req->ctx->store, x->v, x->f.branch, &x->route, err) ||
        check_desk(p, &x->route, &x->f.app, err) || documents_known(x->v, &x->f.app, err))
        return qz_err_as_ref(err); /* every name here came in the body */
    x->f.app.units = x->route.units;
    x->f.app.n_units = x->route.n_units;
    if (!x->f.app.department && x->route.department[0])
        x->f.app.department = x->route.department;
    return 0;
}

/* How the applicant confirmed a portal request for every part (http/confirm.h); -1 once
 * answered. */
static int confirm_parts(qz_req *req, qz_resp *resp, const qz_principal *p, const part *parts,
                         size_t n, qz_confirmed_by *by)
{
    qz_confirm_part cp[QZ_BUNDLE_MAX + 1];
    qz_err err;
    for (size_t k = 0; k < n; k++) {
        cp[k].service = parts[k].f.app.service;
        cp[k].channel = qz_service_channel(parts[k].v, parts[k].f.app.channel, &err);
        if (!cp[k].channel) { /* check_part found it: cannot happen */
            fail(req, resp, &err);
            return -1;
        }
    }
    return qz_confirm_check(req, resp, p, cp, n, by);
}

/* Records in every case's data how the applicant confirmed the request ("confirmed_by":
 * "eds" | "otp"); nothing for a desk request. */
static int record_confirmation(part *parts, size_t n, qz_confirmed_by by, qz_err *err)
{
    const char *name = qz_confirmed_name(by);
    for (size_t k = 0; name && k < n; k++)
        if (!parts[k].c->data ||
            json_object_set_new(parts[k].c->data, "confirmed_by", json_string(name)))
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    return 0;
}

/* Puts the case's id and number, known once it is written, into the 201 answer (and
 * into the receipt's first row of cases). */
static int set_ids(json_t *answer, const qz_case_written *w)
{
    json_t *receipt = json_object_get(answer, "receipt");
    json_t *first = json_array_get(json_object_get(receipt, "cases"), 0);
    return json_object_set_new(answer, "id", json_integer(w->id)) ||
                   json_object_set_new(answer, "number", json_string(w->number)) ||
                   json_object_set_new(receipt, "number", json_string(w->number)) ||
                   (first && (json_object_set_new(first, "id", json_integer(w->id)) ||
                              json_object_set_new(first, "number", json_string(w->number))))
               ? -1
               : 0;
}

/* The 201 answer to keep with the idempotency key (runs on the store's writer while the
 * handler's thread waits for it). */
static char *respond_accepted(void *ctx, const qz_case_written *w)
{
    return set_ids(ctx, w) ? NULL : json_dumps(ctx, JSON_COMPACT);
}

/* The key as the store keeps it: the client's, prefixed by whose it is; a bundled part's
 * key adds "#bundle-K" (so that the same key again finds every part written before). */
static const char *idem_key(qz_req *req, const qz_principal *p, size_t k)
{
    const char *key = qz_req_header(req, "Idempotency-Key");
    if (!key || !*key)
        return NULL;
    size_t cap = strlen(key) + 128;
    char *out = qz_arena_alloc(&req->arena, cap);
    char part_tag[32] = "";
    if (k > 0)
        snprintf(part_tag, sizeof part_tag, "#bundle-%zu", k);
    if (out && p->user_id > 0)
        snprintf(out, cap, "applications:user-%lld:%s%s", (long long)p->user_id, key, part_tag);
    else if (out)
        snprintf(out, cap, "applications:person-%s:%s%s", p->iin, key, part_tag);
    return out;
}

/* Answers a key the caller used before with the answer kept with it, before anything is
 * checked against the catalogue, confirmed or written (a retry after a success must not
 * need a second one-time password, nor notify anyone again): 1 when answered, 0 to go on. */
static int answer_kept(qz_req *req, qz_resp *resp, const qz_principal *p)
{
    const char *key = idem_key(req, p, 0), *kept = NULL;
    qz_err err;
    if (!key)
        return 0;
    if (qz_store_idem_get(req->ctx->store, key, &req->arena, &kept, &err)) {
        fail(req, resp, &err);
        return 1;
    }
    if (!kept)
        return 0;
    json_t *answer = json_loads(kept, 0, NULL);
    qz_resp_json(resp, answer ? 201 : 500, answer);
    return 1;
}

/* The ids of every part but part k, as a JSON array. */
static json_t *other_ids(const part *parts, size_t n, size_t k)
{
    json_t *ids = json_array();
    for (size_t j = 0; ids && j < n; j++)
        if (j != k && json_array_append_new(ids, json_integer(parts[j].out.id))) {
            json_decref(ids);
            return NULL;
        }
    return ids;
}

/* Records the links in case c's data: "bundle": [the other cases' ids]. */
static int link_case(qz_case *c, json_t *ids, qz_err *err)
{
    if (!ids || !c->data || json_object_set_new(c->data, "bundle", ids))
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    return 0;
}

/* The 201 answer before the main case is written: the main case's view, its receipt
 * listing every case (the bundled ones, written already, with their ids and numbers),
 * and "bundle" with the bundled cases. */
static json_t *bundle_answer(qz_req *req, part *parts, size_t n, const qz_desk *desk)
{
    const qz_rules *r = req->ctx->rules;
    json_t *answer = qz_view_accepted(r, parts[0].c, desk);
    json_t *receipt = json_object_get(answer, "receipt");
    json_t *cases = json_array(), *bundle = json_array();
    if (!answer || !cases || !bundle)
        goto fail;
    for (size_t k = 0; k < n; k++) {
        json_t *a = k == 0 ? answer : qz_view_accepted(r, parts[k].c, desk);
        json_t *rc = json_object_get(a, "receipt");
        if (rc && (qz_view_due_notice(a, r, req->ctx->strings, parts[k].c) ||
                   qz_view_due_notice(rc, r, req->ctx->strings, parts[k].c)))
            rc = NULL; /* out of memory: fails below */
        json_t *row =
            rc ? json_pack("{s:I,s:O,s:O,s:O,s:O,s:O}", "id", (json_int_t)parts[k].out.id, "number",
                           json_object_get(rc, "number"), "service", json_object_get(rc, "service"),
                           "due_at", json_object_get(rc, "due_at"), "hand_out_on",
                           json_object_get(rc, "hand_out_on"), "documents",
                           json_object_get(rc, "documents"))
               : NULL;
        int bad = !row || json_array_append_new(cases, row);
        if (!bad && k > 0)
            bad = json_object_set_new(a, "service", json_string(parts[k].c->svc->code)) ||
                  json_object_del(a, "receipt") || json_array_append(bundle, a);
        if (k > 0)
            json_decref(a);
        if (bad)
            goto fail;
    }
    if (n == 1) {
        json_decref(bundle);
        bundle = NULL;
    }
    if (json_object_set_new(receipt, "cases", cases) ||
        (bundle && json_object_set_new(answer, "bundle", bundle))) {
        json_decref(answer);
        return NULL;
    }
    return answer;
fail:
    json_decref(answer);
    json_decref(cases);
    json_decref(bundle);
    return NULL;
}

/* Writes the bundled parts (each under its own key), then the main case (under the
 * client's key, keeping the answer for the whole application), then links the bundled
 * cases to the others. Every part passed the engine before. On a failure the answer says
 * which cases were written (error.written: their numbers); the same key again writes only
 * what is still missing. */
static void save_all(qz_req *req, qz_resp *resp, const qz_principal *p, part *parts, size_t n,
                     const qz_desk *desk, qz_instant now)
{
    qz_err err;
    json_t *written = json_array(), *answer = NULL;
    size_t k;
    qz_err_clear(&err);
    for (k = 1; k < n; k++) {
        part *x = &parts[k];
        if (qz_case_save(req->ctx->store, x->c, &x->ev, x->route.region, idem_key(req, p, k), "{}",
                         now, &x->out, &err))
            goto failed;
        free(x->out.response);
        x->out.response = NULL;
        x->c->id = x->out.id;
        x->c->version = (int)x->out.version;
        snprintf(x->c->number, sizeof x->c->number, "%s", x->out.number);
        json_array_append_new(written, json_string(x->out.number));
    }
    parts[0].out.id = 0;
    if ((n > 1 && link_case(parts[0].c, other_ids(parts, n, 0), &err)) ||
        !(answer = bundle_answer(req, parts, n, desk))) {
        if (!err.key[0])
            qz_err_set(&err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        goto failed;
    }
    k = 0;
    if (qz_case_save_respond(req->ctx->store, parts[0].c, &parts[0].ev, parts[0].route.region,
                             idem_key(req, p, 0), respond_accepted, answer, now, &parts[0].out,
                             &err))
        goto failed;
    for (k = 0; k < n; k++) { /* the cases stand: tell their persons (never for a replay) */
        part *x = &parts[k];
        if (x->out.replayed)
            continue;
        x->c->id = x->out.id;
        snprintf(x->c->number, sizeof x->c->number, "%s", x->out.number);
        qz_notify_case(req->ctx, NULL, x->c, x->route.region, now);
    }
    for (k = 1; k < n; k++) { /* the links of the bundled cases, once they are known */
        part *x = &parts[k];
        qz_events none = {0};
        qz_case_written linked;
        if (x->out.replayed || x->out.version != 1)
            continue;
        if (link_case(x->c, other_ids(parts, n, k), &err) ||
            qz_case_save(req->ctx->store, x->c, &none, NULL, NULL, NULL, now, &linked, &err)) {
            k = n; /* every case is written; only links are missing */
            goto failed;
        }
        free(linked.response);
    }
    json_decref(written);
    if (parts[0].out.response) { /* kept with the key: the original answer when replayed */
        json_decref(answer);
        answer = json_loads(parts[0].out.response, 0, NULL);
    } else if (set_ids(answer, &parts[0].out)) {
        json_decref(answer);
        answer = NULL;
    }
    qz_resp_json(resp, answer ? 201 : 500, answer);
    return;
failed:
    if (k == n && parts[0].out.id > 0)
        json_array_insert_new(written, 0, json_string(parts[0].out.number));
    json_decref(answer);
    fail(req, resp, &err);
    if (resp->body && json_array_size(written) > 0)
        json_object_set_new(json_object_get(resp->body, "error"), "written", written);
    else
        json_decref(written);
}

/* Answers 422 with one refusal receipt naming the missing documents of every part, each
 * with its service. */
static void refuse(qz_req *req, qz_resp *resp, const part *parts, size_t n, const qz_desk *desk,
                   const qz_err *err)
{
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    json_t *receipt = qz_view_refusal(parts[0].v, &parts[0].f.app, desk, z);
    json_t *missing = json_object_get(receipt, "missing"), *bundle = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(missing, i, d)
    {
        json_object_set_new(d, "service", json_string(parts[0].f.app.service));
    }
    for (size_t k = 1; receipt && bundle && k < n; k++) {
        json_t *r = qz_view_refusal(parts[k].v, &parts[k].f.app, desk, z);
        json_t *lacking = json_object_get(r, "missing");
        json_array_foreach(lacking, i, d)
        {
            json_object_set_new(d, "service", json_string(parts[k].f.app.service));
            json_array_append(missing, d);
        }
        json_array_append_new(bundle,
                              json_pack("{s:O,s:O,s:o}", "service", json_object_get(r, "service"),
                                        "documents", json_object_get(r, "documents"), "missing",
                                        lacking ? json_incref(lacking) : json_array()));
        json_decref(r);
    }
    qz_resp_error(req, resp, 422, err);
    if (receipt && n > 1)
        json_object_set_new(receipt, "bundle", bundle);
    else
        json_decref(bundle);
    json_object_set_new(resp->body, "receipt", receipt);
}

void qz_h_applications_create(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err, refusal;
    qz_unit_row branch;
    size_t n = 1, k;
    bool refused = false;
    qz_confirmed_by by = QZ_CONFIRMED_NONE;
    qz_instant now = qz_clock_now(req->ctx->clock);
    part *parts = calloc(QZ_BUNDLE_MAX + 1, sizeof *parts);
    qz_err_clear(&err);
    qz_err_clear(&refusal);
    if (!parts) {
        qz_resp_fail(req, resp, 500, "out_of_memory", NULL, NULL);
        return;
    }
    if (qz_http_principal(req, resp, &p))
        goto done;
    if (qz_body_fields(req, resp, APPLICATION_FIELDS))
        goto done;
    if (parse_application(req, &parts[0].f, &err) || parse_bundle(req->body, parts, &n, &err)) {
        fail(req, resp, &err);
        goto done;
    }
    if (answer_kept(req, resp, &p))
        goto done;
    for (k = 0; k < n; k++)
        if (check_part(req, &p, parts, k, now, &err)) {
            fail(req, resp, &err);
            goto done;
        }
    if (qz_store_unit_get(req->ctx->store, parts[0].f.branch, &req->arena, &branch, &err)) {
        qz_err_as_ref(&err);
        fail(req, resp, &err);
        goto done;
    }
    if (confirm_parts(req, resp, &p, parts, n, &by))
        goto done;
    qz_actor actor = qz_principal_actor(&p);
    qz_desk desk = {.actor = &actor, .branch = &branch, .at = now};
    /* every part through the engine before anything is written */
    for (k = 0; k < n; k++) {
        if (qz_engine_accept(req->ctx->rules, &parts[k].f.app, &actor, now, &parts[k].c,
                             &parts[k].ev, &err) == 0)
            continue;
        if (strcmp(err.key, "case.documents_missing") != 0) {
            qz_err_as_ref(&err); /* the body named what the engine could not find */
            fail(req, resp, &err);
            goto done;
        }
        if (!refused)
            refusal = err;
        refused = parts[k].refused = true;
        qz_err_clear(&err);
    }
    /* the one-time password is used up only by a request that will be written */
    if (refused)
        refuse(req, resp, parts, n, &desk, &refusal);
    else if (by == QZ_CONFIRMED_OTP && qz_confirm_otp_use(req, resp, p.iin))
        goto done;
    else if (record_confirmation(parts, n, by, &err))
        fail(req, resp, &err);
    else
        save_all(req, resp, &p, parts, n, &desk, now);
done:
    for (k = 0; k <= QZ_BUNDLE_MAX; k++) {
        qz_events_clear(&parts[k].ev);
        qz_case_free(parts[k].c);
        free(parts[k].out.response);
    }
    free(parts);
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
    if (view && qz_view_due_notice(view, req->ctx->rules, req->ctx->strings, c)) {
        json_decref(view);
        view = NULL;
    }
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

/* What a caller asks to change on a case: the version they read, and the change's own
 * members (an action and its data, or an assignment). */
typedef struct change_args {
    json_int_t version;
    const char *action, *role, *login;
    const json_t *data;
} change_args;

/* Reads {"action","version","data"?}; the body is an object of known members already. */
static int parse_action(const json_t *b, change_args *a, qz_err *err)
{
    return qz_body_get_str(b, "action", true, &a->action, err) ||
                   qz_body_get_int(b, "version", true, &a->version, err) ||
                   qz_body_get_obj(b, "data", false, &a->data, err)
               ? -1
               : 0;
}

/* Reads {"role","login","version"} of POST /applications/ID/assign, likewise. */
static int parse_assign(const json_t *b, change_args *a, qz_err *err)
{
    return qz_body_get_str(b, "role", true, &a->role, err) ||
                   qz_body_get_str(b, "login", true, &a->login, err) ||
                   qz_body_get_int(b, "version", true, &a->version, err)
               ? -1
               : 0;
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

/* Saves n, the change of c the engine made at `now` with events ev, and tells the case's
 * persons what changed: n, or NULL with err (n freed, nobody told). Clears ev. */
static qz_case *commit(qz_req *req, const qz_case *c, qz_case *n, qz_events *ev, qz_instant now,
                       qz_err *err)
{
    qz_case_written out;
    if (n && qz_case_save(req->ctx->store, n, ev, NULL, NULL, NULL, now, &out, err) == 0) {
        n->id = out.id;
        n->version = (int)out.version;
        qz_notify_case(req->ctx, c, n, case_region(req, c), now);
    } else {
        qz_case_free(n);
        n = NULL;
    }
    qz_events_clear(ev);
    return n;
}

/* Applies the action (its staff fields naming staff of the case), saves the new case and
 * tells its persons what changed; NULL with err (and nobody told). */
static qz_case *act(qz_req *req, const qz_case *c, const char *action, const json_t *data,
                    const qz_principal *p, qz_err *err)
{
    qz_actor actor = qz_principal_actor(p);
    qz_instant now = qz_clock_now(req->ctx->clock);
    qz_events ev = {0};
    qz_case *n = NULL;
    if (qz_case_staff_fields(req->ctx->store, c, action, data, &req->arena, err) ||
        qz_engine_apply(req->ctx->rules, c, action, data, &actor, now, &n, &ev, err))
        n = NULL;
    return commit(req, c, n, &ev, now, err);
}

/* After `action` was taken on case c at a step its bundle takes together (the intake of a
 * "one application": one certification, one consent), takes it on each linked case
 * waiting at the same step. Each is a write of its own; one that fails (taken meanwhile,
 * say) stays where it is, to be acted on by itself, and is reported on stderr. */
static void act_on_bundle(qz_req *req, const qz_case *c, const char *action, const json_t *data,
                          const qz_principal *p)
{
    const qz_step *s = qz_case_step(c);
    const json_t *ids = json_object_get(c->data, "bundle");
    size_t i;
    json_t *id;
    if (!s->together)
        return;
    json_array_foreach(ids, i, id)
    {
        qz_err err;
        qz_case *linked = qz_case_load(req->ctx->store, req->ctx->rules->cat,
                                       json_integer_value(id), &err),
                *n = NULL;
        if (linked && strcmp(qz_case_step(linked)->code, s->code) == 0 &&
            !(n = act(req, linked, action, data, p, &err)))
            fprintf(stderr, "qyzmet: %s of the bundle's case %s: %s\n", action, linked->number,
                    err.key);
        qz_case_free(n);
        qz_case_free(linked);
    }
}

/* Answers 409: the caller read an older version of the case. */
static void stale(const qz_req *req, qz_resp *resp, const qz_case *c)
{
    char current[24];
    snprintf(current, sizeof current, "%d", c->version);
    qz_resp_fail(req, resp, 409, "store.stale_version", "version", current);
}

/* Takes the action, and on the bundle's linked cases when its step says so. */
static qz_case *take_action(qz_req *req, const qz_case *c, const change_args *a,
                            const qz_principal *p, qz_err *err)
{
    qz_case *n = act(req, c, a->action, a->data, p, err);
    if (n)
        act_on_bundle(req, c, a->action, a->data, p);
    return n;
}

/* Assigns a staff member of the case's units to work its steps of a role. */
static qz_case *assign(qz_req *req, const qz_case *c, const change_args *a, const qz_principal *p,
                       qz_err *err)
{
    qz_actor actor = qz_principal_actor(p);
    qz_instant now = qz_clock_now(req->ctx->clock);
    qz_events ev = {0};
    qz_case *n = NULL;
    if (qz_case_staff_check(req->ctx->store, c, a->role, a->login, &req->arena, err) ||
        qz_engine_assign(req->ctx->rules, c, &actor, a->role, a->login, now, &n, &ev, err))
        n = NULL;
    return commit(req, c, n, &ev, now, err);
}

typedef qz_case *(*change_fn)(qz_req *req, const qz_case *c, const change_args *a,
                              const qz_principal *p, qz_err *err);

/* A change of the path's case: the body (an object of `fields`) read by `parse`, the
 * version checked, the change made by `apply`; the new case, or the error, answered. */
static void change_case(qz_req *req, qz_resp *resp, const char *const *fields,
                        int (*parse)(const json_t *, change_args *, qz_err *), change_fn apply)
{
    qz_principal p;
    qz_err err;
    change_args a = {0};
    if (qz_http_principal(req, resp, &p) || qz_body_fields(req, resp, fields))
        return;
    qz_case *c = visible_case(req, resp, &p);
    if (!c)
        return;
    qz_case *n = NULL;
    qz_err_clear(&err);
    if (parse(req->body, &a, &err))
        fail(req, resp, &err);
    else if (a.version != c->version)
        stale(req, resp, c);
    else if (!(n = apply(req, c, &a, &p, &err))) {
        qz_err_as_ref(&err); /* the case is there: what is missing was named in the body */
        fail(req, resp, &err);
    } else
        answer_case(req, resp, 200, n, &p);
    qz_case_free(n);
    qz_case_free(c);
}

void qz_h_applications_act(qz_req *req, qz_resp *resp)
{
    static const char *const fields[] = {"action", "version", "data", NULL};
    change_case(req, resp, fields, parse_action, take_action);
}

void qz_h_applications_assign(qz_req *req, qz_resp *resp)
{
    static const char *const fields[] = {"role", "login", "version", NULL};
    change_case(req, resp, fields, parse_assign, assign);
}
