/*
 * auth.c — bearer tokens and signing in (auth.h). A token is 32 random bytes from the
 * kernel in lowercase hex; the store keeps only its SHA-256, and a one-time password
 * only the SHA-256 of "IIN:code". Rate limits count in the store, so that every thread
 * and every process serving the same database shares them.
 */
#include "http/auth.h"

#include "store/entropy.h"
#include "store/settings.h"
#include "store/store.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char APPLICANT[] = "applicant";

/* ---- hashing and tokens ---- */

static int sha256(const void *data, size_t n, unsigned char out[QZ_HASH_LEN], qz_err *err)
{
    unsigned int len = 0;
    if (EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) != 1 || len != QZ_HASH_LEN)
        return qz_err_set(err, QZ_EINTERNAL, "store.digest_failed", NULL, "SHA-256");
    return 0;
}

static void hex(const unsigned char *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

/* True when s is exactly `len` characters of `set`. */
static bool all_of(const char *s, const char *set, size_t len)
{
    return strlen(s) == len && strspn(s, set) == len;
}

/*
 * Reads "Authorization: Bearer TOKEN" (the scheme in any case) and hashes the token:
 * 0 with hash, or -1 with auth.missing (no header) or auth.invalid (another scheme, or
 * not a token qyzmet could have issued).
 */
static int bearer_hash(const qz_req *req, unsigned char hash[QZ_HASH_LEN], qz_err *err)
{
    const char *h = qz_req_header(req, "Authorization");
    if (!h || !*h)
        return qz_err_set(err, QZ_EUNAUTH, "auth.missing", NULL, NULL);
    if (strncasecmp(h, "Bearer ", 7) != 0)
        return qz_err_set(err, QZ_EUNAUTH, "auth.invalid", NULL, NULL);
    const char *token = h + 7 + strspn(h + 7, " ");
    if (!all_of(token, "0123456789abcdef", 2 * QZ_TOKEN_BYTES))
        return qz_err_set(err, QZ_EUNAUTH, "auth.invalid", NULL, NULL);
    return sha256(token, 2 * QZ_TOKEN_BYTES, hash, err);
}

/* Copies src into dst (cap bytes), or -1 with auth.too_long naming `field`. */
static int copy(char *dst, size_t cap, const char *src, const char *field, qz_err *err)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= cap)
        return qz_err_set(err, QZ_EINPUT, "auth.too_long", field, NULL);
    memcpy(dst, src ? src : "", n + 1);
    return 0;
}

/* Fills a principal; -1 with auth.too_long when a value does not fit. */
static int principal_set(qz_principal *p, int64_t user_id, const char *login, const char *role,
                         const char *unit, const char *iin, const char *region, qz_err *err)
{
    memset(p, 0, sizeof *p);
    p->user_id = user_id;
    return copy(p->login, sizeof p->login, login, "login", err) ||
                   copy(p->role, sizeof p->role, role, "role", err) ||
                   copy(p->unit, sizeof p->unit, unit, "unit", err) ||
                   copy(p->iin, sizeof p->iin, iin, "iin", err) ||
                   copy(p->region, sizeof p->region, region, "region", err)
               ? -1
               : 0;
}

/* Opens a session for p at now: a new token, its hash stored with the principal. */
static int session_open(const qz_http_ctx *ctx, const qz_principal *p, qz_instant now,
                        qz_session *out, qz_err *err)
{
    unsigned char bytes[QZ_TOKEN_BYTES];
    bool citizen = strcmp(p->role, APPLICANT) == 0;
    qz_session_row row = {.user_id = p->user_id,
                          .login = p->login,
                          .role = p->role,
                          .unit = p->unit[0] ? p->unit : NULL,
                          .iin = p->iin[0] ? p->iin : NULL,
                          .region = p->region,
                          .created_at = now,
                          .expires_at =
                              now + (citizen ? QZ_SESSION_CITIZEN_S : QZ_SESSION_STAFF_S)};
    if (qz_random_bytes(bytes, sizeof bytes, err))
        return -1;
    hex(bytes, sizeof bytes, out->token);
    if (sha256(out->token, 2 * QZ_TOKEN_BYTES, row.token_hash, err) ||
        qz_store_session_add(ctx->store, &row, err))
        return -1;
    out->expires_at = row.expires_at;
    out->who = *p;
    return 0;
}

/* ---- rate limits ---- */

/* Counts one attempt under "<kind>:<who>"; -1 with auth.rate_limited (value: the minutes
 * until the window closes) when it is more than `limit` in the window. */
static int count_attempt(const qz_http_ctx *ctx, const char *kind, const char *who, int64_t limit,
                         qz_instant now, qz_err *err)
{
    char key[128];
    qz_attempts att;
    snprintf(key, sizeof key, "%s:%s", kind, who); /* who is checked to be short */
    if (qz_store_attempts_add(ctx->store, key, 1, now, QZ_AUTH_WINDOW_S, &att, err))
        return -1;
    if (att.count <= limit)
        return 0;
    qz_instant left = att.window_start + QZ_AUTH_WINDOW_S - now;
    return qz_err_setf(err, QZ_ELIMITED, "auth.rate_limited", NULL, "%lld",
                       (long long)((left + 59) / 60));
}

/* ---- the interface ---- */

/* Finds the live session of the request's token and its principal; -1 with err. */
static int resolve(qz_req *req, qz_principal *out, qz_err *err)
{
    unsigned char hash[QZ_HASH_LEN];
    qz_session_row row;
    if (bearer_hash(req, hash, err))
        return -1;
    if (qz_store_session_get(req->ctx->store, hash, &req->arena, &row, err))
        return err->code == QZ_ENOTFOUND ? qz_err_set(err, QZ_EUNAUTH, "auth.invalid", NULL, NULL)
                                         : -1;
    if (row.expires_at <= qz_clock_now(req->ctx->clock))
        return qz_err_set(err, QZ_EUNAUTH, "auth.expired", NULL, NULL);
    return principal_set(out, row.user_id, row.login, row.role, row.unit, row.iin, row.region, err);
}

int qz_http_principal(qz_req *req, qz_resp *resp, qz_principal *out)
{
    qz_err err;
    qz_err_clear(&err);
    if (resolve(req, out, &err) == 0)
        return 0;
    memset(out, 0, sizeof *out);
    qz_resp_error(req, resp, qz_http_status_for(&err), &err);
    return -1;
}

/* Parses an IIN given in the field "iin"; -1 with the IIN's error naming the field. */
static int parse_iin(const char *iin, qz_err *err)
{
    qz_iin parsed;
    if (qz_iin_parse(iin, &parsed, err) == 0)
        return 0;
    qz_err_prefix_field(err, "iin");
    return -1;
}

/* Checks an account's password; -1 with auth.failed for an unknown login, a wrong
 * password or, when `citizen`, an account that is not an applicant's. */
static int verify(const qz_http_ctx *ctx, const char *login, const char *password, bool citizen,
                  qz_arena *a, qz_user_row *u, qz_err *err)
{
    int r = qz_store_user_verify(ctx->store, login, password, a, u, err);
    if (r && strcmp(err->key, "store.login_failed") != 0)
        return -1; /* the database failed */
    if (r || (citizen && strcmp(u->role, APPLICANT) != 0))
        return qz_err_set(err, QZ_EUNAUTH, "auth.failed", NULL, NULL);
    return 0;
}

/* The principal of an account: an applicant's login is their IIN, and they have no unit. */
static int account_principal(const qz_user_row *u, qz_principal *p, qz_err *err)
{
    bool applicant = strcmp(u->role, APPLICANT) == 0;
    return principal_set(p, u->id, u->login, u->role, applicant ? NULL : u->unit,
                         applicant ? u->login : NULL, u->region, err);
}

int qz_auth_password(const qz_http_ctx *ctx, const char *login, const char *password, bool citizen,
                     qz_session *out, qz_err *err)
{
    qz_principal p;
    qz_user_row u;
    qz_arena a = QZ_ARENA_INIT;
    qz_instant now = qz_clock_now(ctx->clock);
    if (citizen && parse_iin(login, err))
        return -1;
    if (strlen(login) >= sizeof p.login)
        return qz_err_set(err, QZ_EINPUT, "auth.too_long", citizen ? "iin" : "login", NULL);
    /* Guessing is slowed by the caller (http/throttle.h: per login and address, and per
     * address), never by locking the login: a stranger's failures must not keep its
     * owner out. */
    int r = verify(ctx, login, password, citizen, &a, &u, err) || account_principal(&u, &p, err) ||
            session_open(ctx, &p, now, out, err);
    qz_arena_free(&a);
    return r ? -1 : 0;
}

/* Hashes the one-time password `code` of `iin`. */
static int otp_hash(const char *iin, const char *code, unsigned char out[QZ_HASH_LEN], qz_err *err)
{
    char text[64];
    int n = snprintf(text, sizeof text, "%s:%s", iin, code);
    if (n < 0 || (size_t)n >= sizeof text)
        return qz_err_set(err, QZ_EINPUT, "auth.otp_format", "otp", NULL);
    return sha256(text, (size_t)n, out, err);
}

/* Draws a code of QZ_OTP_DIGITS digits, every one equally likely. */
static int otp_draw(char out[QZ_OTP_DIGITS + 1], qz_err *err)
{
    /* 10^6 codes; values from `below` up are redrawn, so that none is more likely */
    const uint32_t range = 1000000, below = UINT32_MAX - UINT32_MAX % range;
    uint32_t v;
    do {
        if (qz_random_bytes(&v, sizeof v, err))
            return -1;
    } while (v >= below);
    snprintf(out, QZ_OTP_DIGITS + 1, "%06u", (unsigned)(v % range));
    return 0;
}

/* Where the code may be read besides the SMS: in demo and test mode (a demo database, or
 * a server whose clock the tests move), `qyzmet outbox` shows it; in production nothing
 * but the SMS channel does. */
static qz_secret otp_visibility(const qz_http_ctx *ctx)
{
    return qz_clock_settable(ctx->clock) || qz_store_is_demo(ctx->store) ? QZ_SECRET_TEST
                                                                         : QZ_SECRET_PROD;
}

/* Sends the SMS carrying `code` to person p in their language. */
static int otp_tell(const qz_http_ctx *ctx, const qz_person_row *p, const char *code,
                    qz_instant now, qz_err *err)
{
    char text[256], minutes[16];
    const char *lang = p->lang ? p->lang : "kk";
    snprintf(minutes, sizeof minutes, "%d", QZ_OTP_TTL_S / 60);
    const char *args[] = {code, minutes};
    qz_strings_format(ctx->strings, qz_lang_from_tag(lang), "notify.otp", NULL, args, 2, text,
                      sizeof text);
    qz_outbox_row m = {.region = p->region,
                       .to_iin = p->iin,
                       .channel = "sms",
                       .lang = lang,
                       .text = text,
                       .created_at = now,
                       .secret = otp_visibility(ctx)};
    return qz_store_outbox_append(ctx->store, &m, NULL, err);
}

int qz_auth_otp_send(const qz_http_ctx *ctx, const char *iin, qz_err *err)
{
    qz_arena a = QZ_ARENA_INIT;
    qz_person_row p = {0};
    char code[QZ_OTP_DIGITS + 1];
    qz_instant now = qz_clock_now(ctx->clock);
    if (parse_iin(iin, err) || count_attempt(ctx, "otp", iin, QZ_OTP_MAX_SENDS, now, err))
        return -1;
    int r = qz_store_person_get(ctx->store, iin, &a, &p, err);
    bool reachable = r == 0 && p.phone;
    if (r && err->code == QZ_ENOTFOUND) {
        qz_err_clear(err);
        r = 0;
    }
    /* A person without a phone gets a code drawn and kept all the same (nobody can read
     * it), so that the answer and the work behind it do not tell who has a phone; an IIN
     * of nobody gets the same answer (no code: there is no one to sign in). */
    qz_otp_row o = {
        .iin = iin, .region = p.region, .sent_at = now, .expires_at = now + QZ_OTP_TTL_S};
    r = r || otp_draw(code, err) || otp_hash(iin, code, o.code_hash, err) ||
        (p.region && qz_store_otp_put(ctx->store, &o, err)) ||
        (reachable && otp_tell(ctx, &p, code, now, err));
    qz_arena_free(&a);
    return r ? -1 : 0;
}

/* Turns a refused one-time password into what the caller is told. */
static int otp_refused(qz_err *err)
{
    if (strcmp(err->key, "store.otp_expired") == 0)
        return qz_err_set(err, QZ_EUNAUTH, "auth.otp_expired", "otp", NULL);
    if (strcmp(err->key, "store.otp_burned") == 0)
        return qz_err_set(err, QZ_EUNAUTH, "auth.otp_burned", "otp", NULL);
    if (strcmp(err->key, "store.otp_wrong") == 0 || strcmp(err->key, "store.otp_none") == 0)
        return qz_err_set(err, QZ_EUNAUTH, "auth.failed", NULL, NULL);
    return -1;
}

/* The principal of a citizen signed in by one-time password: their account's id when
 * they have one, their region from the register of persons. */
static int citizen_principal(const qz_http_ctx *ctx, const char *iin, qz_arena *a,
                             qz_principal *out, qz_err *err)
{
    qz_person_row p;
    qz_user_row u;
    int64_t user_id = 0;
    if (qz_store_person_get(ctx->store, iin, a, &p, err)) {
        if (err->code == QZ_ENOTFOUND) /* removed from the register since the code was sent */
            qz_err_set(err, QZ_EUNAUTH, "auth.failed", NULL, NULL);
        return -1;
    }
    if (qz_store_user_get(ctx->store, iin, a, &u, err) == 0)
        user_id = strcmp(u.role, APPLICANT) == 0 ? u.id : 0;
    else if (err->code != QZ_ENOTFOUND)
        return -1;
    return principal_set(out, user_id, iin, APPLICANT, NULL, iin, p.region, err);
}

int qz_auth_otp_use(const qz_http_ctx *ctx, const char *iin, const char *code, qz_err *err)
{
    unsigned char hash[QZ_HASH_LEN];
    if (parse_iin(iin, err))
        return -1;
    if (!all_of(code, "0123456789", QZ_OTP_DIGITS))
        return qz_err_set(err, QZ_EINPUT, "auth.otp_format", "otp", NULL);
    if (otp_hash(iin, code, hash, err))
        return -1;
    if (qz_store_otp_use(ctx->store, iin, hash, qz_clock_now(ctx->clock), QZ_OTP_MAX_TRIES, err))
        return otp_refused(err);
    return 0;
}

int qz_auth_otp(const qz_http_ctx *ctx, const char *iin, const char *code, qz_session *out,
                qz_err *err)
{
    qz_arena a = QZ_ARENA_INIT;
    qz_principal p;
    qz_instant now = qz_clock_now(ctx->clock);
    if (qz_auth_otp_use(ctx, iin, code, err))
        return -1;
    int r = citizen_principal(ctx, iin, &a, &p, err) || session_open(ctx, &p, now, out, err);
    qz_arena_free(&a);
    return r ? -1 : 0;
}

/* Deletes the session of the request's token, expired or not; -1 with err. */
static int sign_out(const qz_req *req, qz_err *err)
{
    unsigned char hash[QZ_HASH_LEN];
    if (bearer_hash(req, hash, err))
        return -1;
    if (qz_store_session_delete(req->ctx->store, hash, err))
        return err->code == QZ_ENOTFOUND ? qz_err_set(err, QZ_EUNAUTH, "auth.invalid", NULL, NULL)
                                         : -1;
    return 0;
}

int qz_http_sign_out(qz_req *req, qz_resp *resp)
{
    qz_err err;
    qz_err_clear(&err);
    if (sign_out(req, &err) == 0)
        return 0;
    qz_resp_error(req, resp, qz_http_status_for(&err), &err);
    return -1;
}

unsigned qz_auth_status(const qz_err *err)
{
    return qz_http_status_for(err); /* the class says it (QZ_EUNAUTH, QZ_ELIMITED) */
}
