/* confirm.c — the EDS or the one-time password of a portal request (confirm.h). */
#include "http/confirm.h"

#include "app/eds.h"

#include <string.h>

/* The first part whose channel does not take the way `bit`, or NULL. */
static const char *refusing(const qz_confirm_part *parts, size_t n, unsigned bit)
{
    for (size_t i = 0; i < n; i++)
        if (!(parts[i].channel->confirm & bit))
            return parts[i].service;
    return NULL;
}

/* Verifies the EDS `sig` over the body as the sender's; -1 once answered. */
static int eds_check(qz_req *req, qz_resp *resp, const char *sender, const char *sig)
{
    qz_err err;
    qz_eds_signer signer;
    qz_err_clear(&err);
    if (qz_eds_verify(req->ctx->trust, (const unsigned char *)req->raw, req->raw_len, sig, &signer,
                      &err)) {
        qz_resp_error(req, resp, err.code == QZ_ENOMEM ? 500 : 403, &err);
        return -1;
    }
    if (strcmp(signer.iin, sender) != 0) {
        qz_resp_fail(req, resp, 403, "eds.not_sender", "X-Signature", signer.iin);
        return -1;
    }
    return 0;
}

/* A one-time password may stand in where every service allows it (it is the sender's
 * own, checked when used up); -1 once answered. */
static int otp_check(qz_req *req, qz_resp *resp, const qz_confirm_part *parts, size_t n)
{
    const char *service = refusing(parts, n, QZ_CONFIRM_OTP);
    if (service) {
        qz_resp_fail(req, resp, 403, "eds.otp_not_allowed", "X-OTP", service);
        return -1;
    }
    return 0;
}

int qz_confirm_check(qz_req *req, qz_resp *resp, const qz_principal *p,
                     const qz_confirm_part *parts, size_t n, qz_confirmed_by *by)
{
    const char *sig = qz_req_header(req, "X-Signature");
    const char *otp = qz_req_header(req, "X-OTP");
    const char *service;
    *by = QZ_CONFIRMED_NONE;
    if (n == 0 || strcmp(parts[0].channel->code, "portal") != 0)
        return 0;
    if (sig && *sig) {
        if ((service = refusing(parts, n, QZ_CONFIRM_EDS))) {
            qz_resp_fail(req, resp, 403, "eds.not_allowed", "X-Signature", service);
            return -1;
        }
        *by = QZ_CONFIRMED_EDS;
        return eds_check(req, resp, p->iin, sig);
    }
    if (otp && *otp) {
        *by = QZ_CONFIRMED_OTP;
        return otp_check(req, resp, parts, n);
    }
    qz_resp_fail(req, resp, 401, "eds.missing", "X-Signature", NULL);
    return -1;
}

/* The refusal a one-time password deserves when qz_auth_otp_use turns it down. */
static void otp_refused(qz_req *req, qz_resp *resp, const qz_err *err)
{
    static const struct {
        const char *key, *why;
    } invalid[] = {
        {"auth.otp_format", "format"}, {"auth.failed", "wrong"}, {"auth.otp_expired", "expired"}};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        if (strcmp(err->key, invalid[i].key) == 0) {
            qz_resp_fail(req, resp, 403, "eds.otp_invalid", "X-OTP", invalid[i].why);
            return;
        }
    if (strcmp(err->key, "auth.otp_burned") == 0)
        qz_resp_fail(req, resp, 429, "eds.otp_rate_limited", "X-OTP", NULL);
    else
        qz_resp_error(req, resp, qz_http_status_for(err), err);
}

int qz_confirm_otp_use(qz_req *req, qz_resp *resp, const char *sender)
{
    qz_err err;
    const char *code = qz_req_header(req, "X-OTP");
    qz_err_clear(&err);
    if (qz_auth_otp_use(req->ctx, sender, code ? code : "", &err) == 0)
        return 0;
    otp_refused(req, resp, &err);
    return -1;
}

const char *qz_confirmed_name(qz_confirmed_by by)
{
    return by == QZ_CONFIRMED_EDS ? "eds" : by == QZ_CONFIRMED_OTP ? "otp" : NULL;
}
