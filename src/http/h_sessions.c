/*
 * POST /api/v1/sessions (sign in), DELETE /api/v1/sessions (sign out), POST /api/v1/otp
 * (a one-time password by SMS) and GET /api/v1/me (who the token is). The rules of
 * signing in — tokens, expiry, rate limits — are auth.c's.
 */
#include "http/auth.h"
#include "http/body.h"
#include "http/handlers.h"
#include "http/throttle.h"

#include "core/schedule_load.h"

#include <stdio.h>
#include <string.h>

static json_t *text_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* An instant as ISO 8601 at the country's default offset. */
static char *instant_text(const qz_req *req, qz_instant t, char buf[QZ_INSTANT_STR])
{
    const qz_zone *z = qz_timetable_default_zone(req->ctx->rules->tt);
    return qz_instant_format(t, qz_zone_offset(z, t), buf);
}

static void fail(const qz_req *req, qz_resp *resp, const qz_err *err)
{
    qz_resp_error(req, resp, qz_http_status_for(err), err);
}

void qz_h_sessions_create(qz_req *req, qz_resp *resp)
{
    static const char *const staff[] = {"login", "password", NULL};
    static const char *const citizen[] = {"iin", "password", NULL};
    static const char *const by_otp[] = {"iin", "otp", NULL};
    const json_t *b = req->body;
    const char *const *form = json_object_get(b, "login") ? staff
                              : json_object_get(b, "otp") ? by_otp
                                                          : citizen;
    const char *who, *secret;
    if (qz_body_fields(req, resp, form) || qz_body_str(req, resp, form[0], &who) ||
        qz_body_str(req, resp, form[1], &secret))
        return;
    qz_session s;
    qz_err err;
    char expires[QZ_INSTANT_STR], from[64], wait[24];
    qz_err_clear(&err);
    qz_req_client(req, from);
    qz_instant now = qz_clock_now(req->ctx->clock);
    if (form != by_otp) {
        int64_t owed = qz_throttle_wait(who, from, now);
        if (owed > 0) {
            snprintf(wait, sizeof wait, "%lld", (long long)owed);
            qz_resp_fail(req, resp, 429, "auth.slow_down", NULL, wait);
            qz_resp_header(resp, "Retry-After", wait);
            return;
        }
    }
    int r = form == by_otp ? qz_auth_otp(req->ctx, who, secret, &s, &err)
                           : qz_auth_password(req->ctx, who, secret, form == citizen, &s, &err);
    if (form != by_otp && r && strcmp(err.key, "auth.failed") == 0)
        qz_throttle_failed(who, from, now);
    else if (form != by_otp && r == 0)
        qz_throttle_succeeded(who, from);
    if (r) {
        fail(req, resp, &err);
        return;
    }
    qz_resp_json(resp, 201,
                 json_pack("{s:s,s:s,s:o,s:s}", "token", s.token, "role", s.who.role, "unit",
                           text_or_null(s.who.unit), "expires_at",
                           instant_text(req, s.expires_at, expires)));
}

void qz_h_sessions_delete(qz_req *req, qz_resp *resp)
{
    if (qz_http_sign_out(req, resp) == 0)
        qz_resp_json(resp, 200, json_pack("{s:b}", "signed_out", 1));
}

void qz_h_otp_send(qz_req *req, qz_resp *resp)
{
    static const char *const fields[] = {"iin", NULL};
    const char *iin;
    qz_err err;
    qz_err_clear(&err);
    if (qz_body_fields(req, resp, fields) || qz_body_str(req, resp, "iin", &iin))
        return;
    if (qz_auth_otp_send(req->ctx, iin, &err)) {
        fail(req, resp, &err);
        return;
    }
    qz_resp_json(resp, 202, json_pack("{s:b,s:i}", "sent", 1, "expires_in", (int)QZ_OTP_TTL_S));
}

void qz_h_me(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    if (qz_http_principal(req, resp, &p))
        return;
    qz_resp_json(resp, 200,
                 json_pack("{s:s,s:s,s:o,s:o,s:s}", "login", p.login, "role", p.role, "unit",
                           text_or_null(p.unit), "iin", text_or_null(p.iin), "region", p.region));
}
