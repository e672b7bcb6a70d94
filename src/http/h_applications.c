/*
 * POST /api/v1/applications and GET /api/v1/applications/ID: applications accepted at a
 * PSC or on the portal (one service, or a "one application" bundle), and the case one
 * became. The handler parses the body, answers a key seen before with the answer kept
 * with it, checks how a portal request is confirmed (http/confirm.h), and calls the use
 * case (app/apply.h) that checks, accepts and writes; it encodes the answer
 * (http/case_view.h). Acting on a case: h_application_actions.c.
 */
#include "app/apply.h"
#include "app/case_access.h"
#include "http/application_read.h"
#include "http/body.h"
#include "http/case_view.h"
#include "http/confirm.h"
#include "http/handlers.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(const qz_req *req, qz_resp *resp, const qz_err *e)
{
    qz_resp_error(req, resp, qz_http_status_for(e), e);
}

/* ---- reading the body (http/body.h) ----------------------------------------------------- */

static const char *const APPLICATION_FIELDS[] = {
    "service", "channel", "branch", "applicant", "subject", "representative", "department",
    "urgency", "variant", "lang",   "documents", "payload", "bundle",         NULL};
static const char *const PART_FIELDS[] = {"service", "variant", "documents", "payload", NULL};

/* Reads what the main application and a bundled part both have: the service, the
 * variant, the documents and the payload. */
static int parse_common(const json_t *obj, qz_apply_part *f, qz_err *err)
{
    qz_application *a = &f->app;
    if (qz_body_get_str(obj, "service", true, &a->service, err) ||
        qz_body_get_str(obj, "variant", false, &a->variant, err) ||
        qz_body_get_strs(obj, "documents", true, QZ_APPLY_MAX_DOCUMENTS, f->docs, &a->n_documents,
                         err) ||
        qz_body_get_obj(obj, "payload", false, &a->payload, err))
        return -1;
    a->documents = f->docs;
    return 0;
}

/* Reads the main application; the body is an object of known members already. */
static int parse_application(const qz_req *req, qz_apply_part *f, qz_err *err)
{
    const json_t *b = req->body;
    qz_application *a = &f->app;
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

/* Reads bundle[i] into `f`: its own service, documents, payload and variant; the rest
 * (channel, branch, applicant, subject, representative, language) as the main one. An
 * error names the part: "bundle[1].documents". */
static int parse_part(const json_t *item, size_t i, const qz_apply_part *main, qz_apply_part *f,
                      qz_err *err)
{
    char at[32];
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

/* Reads the body into ap: the main application, then its "bundle" into parts 1…. */
static int parse_body(const qz_req *req, qz_apply *ap, qz_err *err)
{
    const json_t *list;
    size_t i;
    json_t *item;
    ap->n = 1;
    if (parse_application(req, &ap->parts[0], err) ||
        qz_body_get_arr(req->body, "bundle", false, QZ_BUNDLE_MAX, &list, err))
        return -1;
    json_array_foreach(list, i, item)
    {
        if (parse_part(item, i, &ap->parts[0], &ap->parts[i + 1], err))
            return -1;
    }
    ap->n = json_array_size(list) + 1;
    return 0;
}

/* ---- idempotency ------------------------------------------------------------------------ */

/* The request's fingerprint: the SHA-256 of its body in a canonical form (members sorted,
 * no spaces), so that a retry that spells the same body differently still matches. */
static int fingerprint(const qz_req *req, unsigned char out[QZ_HASH_LEN])
{
    char *text = json_dumps(req->body, JSON_COMPACT | JSON_SORT_KEYS);
    unsigned int len = 0;
    int ok = text && EVP_Digest(text, strlen(text), out, &len, EVP_sha256(), NULL) == 1 &&
             len == QZ_HASH_LEN;
    free(text);
    return ok ? 0 : -1;
}

/* The key as the store keeps it: the client's, prefixed by whose it is. */
static const char *idem_key(qz_req *req, const qz_principal *p)
{
    const char *key = qz_req_header(req, "Idempotency-Key");
    if (!key || !*key)
        return NULL;
    size_t cap = strlen(key) + 128;
    char *out = qz_arena_alloc(&req->arena, cap);
    if (out && p->user_id > 0)
        snprintf(out, cap, "applications:user-%lld:%s", (long long)p->user_id, key);
    else if (out)
        snprintf(out, cap, "applications:person-%s:%s", p->iin, key);
    return out;
}

/* Answers 422 idempotency.key_reused naming the client's key. */
static void key_reused(qz_req *req, qz_resp *resp)
{
    qz_resp_fail(req, resp, 422, "idempotency.key_reused", "Idempotency-Key",
                 qz_req_header(req, "Idempotency-Key"));
}

/* Says where the application just created (or replayed) is: RFC 9110's Location of a 201. */
static void located(qz_resp *resp, int64_t id)
{
    char where[64];
    snprintf(where, sizeof where, "/api/v1/applications/%lld", (long long)id);
    qz_resp_header(resp, "Location", where);
}

/* Answers a key the caller used before with the answer kept with it, as it was stored,
 * before anything is checked against the catalogue, confirmed or written (a retry after a
 * success must not need a second one-time password, nor notify anyone again); the same key
 * with another body is refused. 1 when answered, 0 to go on. */
static int answer_kept(qz_req *req, qz_resp *resp, const char *key, const unsigned char *fp)
{
    const char *kept = NULL;
    const unsigned char *kept_fp = NULL;
    qz_err err;
    if (!key)
        return 0;
    if (qz_store_idem_find(req->ctx->store, key, &req->arena, &kept, &kept_fp, &err)) {
        fail(req, resp, &err);
        return 1;
    }
    if (!kept)
        return 0;
    if (kept_fp && memcmp(kept_fp, fp, QZ_HASH_LEN) != 0) {
        key_reused(req, resp);
        return 1;
    }
    qz_resp_text(resp, 201, kept);
    json_t *doc = json_loads(kept, 0, NULL); /* a replay, rare: its id for Location */
    json_t *id = json_object_get(doc, "id");
    if (json_is_integer(id))
        located(resp, json_integer_value(id));
    json_decref(doc);
    return 1;
}

/* ---- answering -------------------------------------------------------------------------- */

/* How the applicant confirmed a portal request for every part (http/confirm.h); -1 once
 * answered. */
static int confirm_parts(qz_req *req, qz_resp *resp, const qz_principal *p, const qz_apply *ap,
                         qz_confirmed_by *by)
{
    qz_confirm_part cp[QZ_BUNDLE_MAX + 1];
    qz_err err;
    for (size_t k = 0; k < ap->n; k++) {
        cp[k].service = ap->parts[k].app.service;
        cp[k].channel = qz_service_channel(ap->parts[k].v, ap->parts[k].app.channel, &err);
        if (!cp[k].channel) { /* qz_apply_check found it: cannot happen */
            fail(req, resp, &err);
            return -1;
        }
    }
    return qz_confirm_check(req, resp, p, cp, ap->n, by);
}

/* What the 201 answer is built from, inside the write once the ids are known. */
typedef struct answer_ctx {
    const qz_rules *rules;
    const qz_strings *strings;
    const qz_desk *desk;
} answer_ctx;

/* The case of part k (0 the main one) among the changes written: the bundled ones come
 * first, the main one last (app/apply.h). */
static const qz_case *part_case(const qz_change *ch, size_t n, size_t k)
{
    return ch[k == 0 ? n - 1 : k - 1].after;
}

/* The 201 answer: the main case's view, its receipt listing every case with its id and
 * number, and "bundle" with the bundled cases (app/write.h, qz_keep.respond). */
static char *accepted(void *ctx, const qz_change *ch, size_t n)
{
    const answer_ctx *x = ctx;
    json_t *answer = qz_view_accepted(x->rules, part_case(ch, n, 0), x->desk);
    json_t *receipt = json_object_get(answer, "receipt");
    json_t *cases = json_array(), *bundle = n > 1 ? json_array() : NULL;
    char *text = NULL;
    bool bad = !answer || !cases || (n > 1 && !bundle);
    for (size_t k = 0; !bad && k < n; k++) {
        const qz_case *c = part_case(ch, n, k);
        json_t *a = k == 0 ? answer : qz_view_accepted(x->rules, c, x->desk);
        json_t *rc = json_object_get(a, "receipt");
        if (rc && (qz_view_due_notice(a, x->rules, x->strings, c) ||
                   qz_view_due_notice(rc, x->rules, x->strings, c)))
            rc = NULL; /* out of memory: fails below */
        json_t *row =
            rc ? json_pack("{s:I,s:O,s:O,s:O,s:O,s:O}", "id", (json_int_t)c->id, "number",
                           json_object_get(rc, "number"), "service", json_object_get(rc, "service"),
                           "due_at", json_object_get(rc, "due_at"), "hand_out_on",
                           json_object_get(rc, "hand_out_on"), "documents",
                           json_object_get(rc, "documents"))
               : NULL;
        bad = !row || json_array_append_new(cases, row);
        if (!bad && k > 0)
            bad = json_object_set_new(a, "service", json_string(c->svc->code)) ||
                  json_object_del(a, "receipt") || json_array_append(bundle, a);
        if (k > 0)
            json_decref(a);
    }
    if (!bad && json_object_set(receipt, "cases", cases) == 0 &&
        (!bundle || json_object_set(answer, "bundle", bundle) == 0))
        text = json_dumps(answer, JSON_COMPACT);
    json_decref(cases);
    json_decref(bundle);
    json_decref(answer);
    return text;
}

/* Answers 422 with one refusal receipt naming the missing documents of every part, each
 * with its service. */
static void refuse(qz_req *req, qz_resp *resp, const qz_apply *ap, const qz_desk *desk,
                   const qz_err *err)
{
    const qz_apply_part *parts = ap->parts;
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    json_t *receipt = qz_view_refusal(parts[0].v, &parts[0].app, desk, z);
    json_t *missing = json_object_get(receipt, "missing"), *bundle = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(missing, i, d)
    {
        json_object_set_new(d, "service", json_string(parts[0].app.service));
    }
    for (size_t k = 1; receipt && bundle && k < ap->n; k++) {
        json_t *r = qz_view_refusal(parts[k].v, &parts[k].app, desk, z);
        json_t *lacking = json_object_get(r, "missing");
        json_array_foreach(lacking, i, d)
        {
            json_object_set_new(d, "service", json_string(parts[k].app.service));
            json_array_append(missing, d);
        }
        json_array_append_new(bundle,
                              json_pack("{s:O,s:O,s:o}", "service", json_object_get(r, "service"),
                                        "documents", json_object_get(r, "documents"), "missing",
                                        lacking ? json_incref(lacking) : json_array()));
        json_decref(r);
    }
    qz_resp_error(req, resp, 422, err);
    if (receipt && ap->n > 1)
        json_object_set_new(receipt, "bundle", bundle);
    else
        json_decref(bundle);
    json_object_set_new(resp->body, "receipt", receipt);
}

/* Checks, confirms, accepts and writes the parsed application; answers. */
static void file(qz_req *req, qz_resp *resp, const qz_principal *p, qz_apply *ap, const char *key,
                 const unsigned char *fp)
{
    qz_err err, refusal;
    qz_confirmed_by by = QZ_CONFIRMED_NONE;
    qz_instant now = qz_clock_now(req->ctx->clock);
    qz_err_clear(&err);
    qz_err_clear(&refusal);
    if (qz_apply_check(req->ctx, p, ap, now, &req->arena, &err)) {
        fail(req, resp, &err);
        return;
    }
    if (confirm_parts(req, resp, p, ap, &by))
        return;
    qz_actor actor = qz_principal_actor(p);
    qz_desk desk = {.actor = &actor, .branch = &ap->branch, .at = now};
    int accepted_all = qz_apply_accept(req->ctx, p, ap, now, &refusal, &err);
    if (accepted_all < 0) {
        fail(req, resp, &err);
        return;
    }
    if (accepted_all > 0) {
        refuse(req, resp, ap, &desk, &refusal);
        return;
    }
    /* the one-time password is used up only by a request that will be written */
    if (by == QZ_CONFIRMED_OTP && qz_confirm_otp_use(req, resp, p->iin))
        return;
    answer_ctx actx = {req->ctx->rules, req->ctx->strings, &desk};
    qz_keep keep = {.key = key, .fingerprint = fp, .respond = accepted, .ctx = &actx};
    if (qz_apply_confirmed(ap, qz_confirmed_name(by), &err) ||
        qz_apply_file(req->ctx, ap, &keep, now, &err)) {
        if (strcmp(err.key, "idempotency.key_reused") == 0)
            key_reused(req, resp); /* raced a first use with another body */
        else
            fail(req, resp, &err);
        return;
    }
    /* the answer as kept (the original one when this was a replay), sent as stored */
    qz_resp_text(resp, 201, ap->changes[ap->n - 1].out.response);
    located(resp, ap->changes[ap->n - 1].out.id);
}

void qz_h_applications_create(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err;
    unsigned char fp[QZ_HASH_LEN];
    qz_apply *ap = calloc(1, sizeof *ap);
    if (!ap) {
        qz_resp_fail(req, resp, 500, "out_of_memory", NULL, NULL);
        return;
    }
    qz_err_clear(&err);
    if (qz_http_principal(req, resp, &p) || qz_body_fields(req, resp, APPLICATION_FIELDS))
        goto done;
    if (parse_body(req, ap, &err)) {
        fail(req, resp, &err);
        goto done;
    }
    if (fingerprint(req, fp)) {
        qz_resp_fail(req, resp, 500, "out_of_memory", NULL, NULL);
        goto done;
    }
    const char *key = idem_key(req, &p);
    if (!answer_kept(req, resp, key, fp))
        file(req, resp, &p, ap, key, fp);
done:
    qz_apply_clear(ap);
    free(ap);
}

void qz_h_applications_get(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    if (qz_http_principal(req, resp, &p))
        return;
    qz_case *c = qz_http_visible_case(req, resp, &p);
    if (!c)
        return;
    qz_http_answer_read(req, resp, c, &p);
    qz_case_free(c);
}
