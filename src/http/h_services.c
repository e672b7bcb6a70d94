/* GET /api/v1/services and /api/v1/services/CODE: the catalogue, as in force today, with
 * how a portal request for each service may be confirmed (http/confirm.h). */
#include "http/handlers.h"

static json_t *text_json(const qz_text *t)
{
    return json_pack("{s:s,s:s}", "kk", t->t[0], "ru", t->t[1]);
}

static json_t *documents_json(const qz_service_version *v)
{
    json_t *all = json_object();
    for (size_t i = 0; all && i < v->n_documents; i++) {
        json_t *list = json_array();
        for (size_t k = 0; list && k < v->documents[i].n; k++) {
            const qz_document_spec *d = &v->documents[i].docs[k];
            json_array_append_new(list, json_pack("{s:s,s:o,s:b}", "kind", d->kind, "name",
                                                  text_json(&d->name), "required", d->required));
        }
        json_object_set_new(all, v->documents[i].channel, list);
    }
    return all;
}

/* How a portal request may be confirmed (the portal channel's confirm.by): ["eds"],
 * ["otp"] or ["eds","otp"]; null when the service has no portal channel. */
static json_t *confirm_json(const qz_service_version *v)
{
    qz_err err;
    const qz_channel *portal = qz_service_channel(v, "portal", &err);
    json_t *by = portal ? json_array() : json_null();
    if (portal && by && (portal->confirm & QZ_CONFIRM_EDS))
        json_array_append_new(by, json_string("eds"));
    if (portal && by && (portal->confirm & QZ_CONFIRM_OTP))
        json_array_append_new(by, json_string("otp"));
    return by;
}

static json_t *summary_json(const qz_service *s, const qz_service_version *v)
{
    json_t *channels = json_array();
    for (size_t i = 0; channels && i < v->n_channels; i++)
        json_array_append_new(channels, json_string(v->channels[i].code));
    return json_pack("{s:s,s:o,s:s,s:o,s:f,s:o}", "code", s->code, "name", text_json(&v->name),
                     "provider", v->provider_unit, "channels", channels, "fee_mci", v->fee_mci,
                     "confirm", confirm_json(v));
}

/* The state duty of version v today (fee.h): {"mci", "per", "count" (the payload member
 * counting documents, or null), "on", "mci_tenge", "tenge_per_unit"}; the tenge are null
 * when the MCI table does not reach today. */
static json_t *fee_today(qz_req *req, const qz_service_version *v)
{
    char day[QZ_DATE_STR];
    qz_instant now = qz_clock_now(req->ctx->clock);
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    qz_date today = qz_instant_date(now, qz_zone_offset(z, now));
    qz_fee fee;
    qz_err err;
    bool known = qz_fee_of(&req->ctx->rules->mci, v, today, NULL, &fee, &err) == 0;
    return json_pack("{s:f,s:s,s:o,s:s,s:o,s:o}", "mci", v->fee_mci, "per",
                     v->fee_per_document ? "document" : "application", "count",
                     v->fee_count ? json_string(v->fee_count) : json_null(), "on",
                     qz_date_format(today, day), "mci_tenge",
                     known ? json_integer(fee.mci_tenge) : json_null(), "tenge_per_unit",
                     known ? json_real((double)fee.tiyn / 100.0) : json_null());
}

/* The version in force today, or NULL with the error answered. */
static const qz_service_version *current(qz_req *req, qz_resp *resp, const qz_service *s)
{
    qz_err err;
    qz_instant now = qz_clock_now(req->ctx->clock);
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    const qz_service_version *v =
        qz_service_version_at(s, qz_instant_date(now, qz_zone_offset(z, now)), &err);
    if (!v)
        qz_resp_error(req, resp, 404, &err);
    return v;
}

void qz_h_services_list(qz_req *req, qz_resp *resp)
{
    json_t *list = json_array();
    const qz_catalog *cat = req->ctx->rules->cat;
    for (size_t i = 0; list && i < qz_catalog_count(cat); i++) {
        const qz_service *s = qz_catalog_at(cat, i);
        qz_resp probe = {0};
        const qz_service_version *v = current(req, &probe, s);
        json_decref(probe.body);
        if (v)
            json_array_append_new(list, summary_json(s, v));
    }
    qz_resp_json(resp, 200, list);
}

void qz_h_services_get(qz_req *req, qz_resp *resp)
{
    qz_err err;
    const qz_service *s = qz_catalog_service(req->ctx->rules->cat, req->params[0], &err);
    if (!s) {
        qz_resp_error(req, resp, 404, &err);
        return;
    }
    const qz_service_version *v = current(req, resp, s);
    if (!v)
        return;
    json_t *out = summary_json(s, v);
    json_object_set_new(out, "documents", documents_json(v));
    json_object_set_new(out, "fee", fee_today(req, v));
    json_object_set(out, "standard", (json_t *)v->json);
    qz_resp_json(resp, 200, out);
}
