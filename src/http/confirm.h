/*
 * confirm.h — how the applicant confirms a portal request (platform.md, "The portal
 * path"; "Signatures and consent"): with their EDS over the exact body (X-Signature,
 * http/eds.h) or, where every service of the request allows it (the portal channel's
 * "confirm" in the catalogue), with the one-time password sent to their registered phone
 * by POST /api/v1/otp (X-OTP). With both headers the EDS is checked and the password is
 * left unused. Desk requests need neither. Thread safe as the store is.
 */
#ifndef QZ_HTTP_CONFIRM_H
#define QZ_HTTP_CONFIRM_H

#include "core/catalog.h"
#include "http/auth.h"
#include "http/request.h"

#include <stddef.h>

typedef enum qz_confirmed_by {
    QZ_CONFIRMED_NONE, /* not a portal request */
    QZ_CONFIRMED_EDS,
    QZ_CONFIRMED_OTP, /* still to be used up: qz_confirm_otp_use */
} qz_confirmed_by;

/* A service the request asks for (its code) and the channel it came by. */
typedef struct qz_confirm_part {
    const char *service;
    const qz_channel *channel;
} qz_confirm_part;

/*
 * Checks how the request for parts[0..n) (all by one channel), sent by `p` (the applicant
 * or their representative: the person who signs), is confirmed, using nothing up: 0 with
 * *by (QZ_CONFIRMED_NONE off the portal); or -1 once answered: 401 eds.missing (neither
 * header); 403 eds.invalid (value: why), eds.not_sender (someone else signed),
 * eds.not_allowed (value: the service that takes no EDS); 403 eds.otp_not_allowed
 * (value: the service that needs the EDS).
 */
int qz_confirm_check(qz_req *req, qz_resp *resp, const qz_principal *p,
                     const qz_confirm_part *parts, size_t n, qz_confirmed_by *by);

/*
 * Uses up the X-OTP code as the one-time password of `sender`: 0, or -1 once
 * answered: 403 eds.otp_invalid (value: "format", "wrong" — none pending counts as wrong
 * — or "expired"), 429 eds.otp_rate_limited (too many wrong tries: a new code is needed),
 * or the store's error.
 */
int qz_confirm_otp_use(qz_req *req, qz_resp *resp, const char *sender);

/* "eds", "otp", or NULL for QZ_CONFIRMED_NONE (a static string). */
const char *qz_confirmed_name(qz_confirmed_by by);

#endif
