/*
 * auth.h — who is calling. Every request but /healthz, the catalogue's GETs, POST
 * /api/v1/sessions and POST /api/v1/otp carries "Authorization: Bearer TOKEN"; a
 * token is issued by POST /api/v1/sessions (staff: login and password; citizens: IIN
 * or BIN with a password or a one-time password sent to their registered phone),
 * stored only as a hash, and expires. A principal is the account behind a token.
 */
#ifndef QZ_HTTP_AUTH_H
#define QZ_HTTP_AUTH_H

#include "app/principal.h"
#include "core/engine.h"
#include "http/request.h"

#include <stdint.h>

/*
 * Resolves the request's bearer token: 0 with *out; or -1 after answering 401 with
 * auth.missing (no token), auth.invalid (unknown or malformed) or auth.expired.
 * (When the database cannot be read it answers 503 with the store's error.)
 */
int qz_http_principal(qz_req *req, qz_resp *resp, qz_principal *out);

/* ---- signing in (POST /api/v1/sessions, POST /api/v1/otp, DELETE /api/v1/sessions) ---- */

/*
 * How long things last, in seconds. Fixed here for now (configurable later): a staff
 * session covers a working day; a citizen's is short, as on the e-government portal; a
 * one-time password lives 5 minutes and 3 wrong tries use it up. Rate limits, each in a
 * window of 15 minutes that opens at the first attempt: 5 failed passwords per login
 * (the 6th attempt is refused whatever the password), 3 one-time passwords per IIN.
 */
enum {
    QZ_SESSION_STAFF_S = 8 * 3600,
    QZ_SESSION_CITIZEN_S = 30 * 60,
    QZ_OTP_TTL_S = 5 * 60,
    QZ_OTP_MAX_TRIES = 3,
    QZ_OTP_MAX_SENDS = 3,
    QZ_AUTH_WINDOW_S = 15 * 60,
};

enum { QZ_TOKEN_BYTES = 32, QZ_TOKEN_STR = 2 * QZ_TOKEN_BYTES + 1 }; /* random bytes, in hex */
enum { QZ_OTP_DIGITS = 6 };

/* A session just opened: the token (shown once, to the caller only), when it expires and
 * whose it is. */
typedef struct qz_session {
    char token[QZ_TOKEN_STR];
    qz_instant expires_at;
    qz_principal who;
} qz_session;

/*
 * Signs in with an account's login and password (a citizen's login is their IIN; with
 * `citizen` the account must be an applicant's): 0 and *out, or -1 with auth.failed (the
 * same for an unknown login and a wrong password), auth.rate_limited (value: minutes
 * until the window closes), auth.too_long (a login that no principal can hold), or the
 * store's error.
 */
int qz_auth_password(const qz_http_ctx *ctx, const char *login, const char *password, bool citizen,
                     qz_session *out, qz_err *err);

/*
 * Sends a new one-time password to the registered phone of the person `iin`, by SMS
 * through the outbox, in the person's language (Kazakh when not known), replacing any
 * sent before: 0, or -1 with the IIN's error (iin.*), auth.rate_limited, or the store's
 * error. A person without a phone, or an IIN of nobody, gets 0 all the same (a code is
 * kept that nobody receives): the answer does not tell who has a phone.
 */
int qz_auth_otp_send(const qz_http_ctx *ctx, const char *iin, qz_err *err);

/*
 * Signs a citizen in with the one-time password `code` sent to them: 0 and *out, or -1
 * with the IIN's error, auth.otp_format (not 6 digits), auth.failed (wrong, or none
 * pending), auth.otp_expired, auth.otp_burned (too many wrong tries), or the store's.
 */
int qz_auth_otp(const qz_http_ctx *ctx, const char *iin, const char *code, qz_session *out,
                qz_err *err);

/*
 * Uses up the one-time password `code` sent to `iin` without opening a session (it
 * confirms a portal request instead of an EDS): 0 when it is the one pending and has not
 * expired, or -1 with the errors of qz_auth_otp. Wrong tries count as at signing in.
 */
int qz_auth_otp_use(const qz_http_ctx *ctx, const char *iin, const char *code, qz_err *err);

/* Ends the session of the request's bearer token, expired or not: 0, or -1 after
 * answering 401 auth.missing or auth.invalid (503 when the database fails). */
int qz_http_sign_out(qz_req *req, qz_resp *resp);

/* The status an error of the functions above deserves: qz_http_status_for, as their
 * errors carry their class (QZ_EUNAUTH 401, QZ_ELIMITED 429, QZ_EINPUT 422). Kept so
 * that callers need not change. */
unsigned qz_auth_status(const qz_err *err);

#endif
