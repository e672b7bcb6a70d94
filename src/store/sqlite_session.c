/*
 * sqlite_session.c — sessions, one-time passwords and sign-in attempts. Every change is
 * a write on the writer; what must be atomic (a one-time password's tries, an attempt
 * counter) is read and decided inside that write. Sessions are read from a read
 * connection.
 */
#include "store/sqlite_int.h"

#include <openssl/crypto.h>
#include <string.h>

static const char SQL_SESSION_ADD[] =
    "INSERT INTO sessions(token_hash, user_id, login, role, unit, iin, region, created_at,"
    " expires_at) VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_SESSION_FORGET[] = "DELETE FROM sessions WHERE expires_at <= ?1";
static const char SQL_SESSION_GET[] =
    "SELECT user_id, login, role, unit, iin, region, created_at, expires_at FROM sessions"
    " WHERE token_hash = ?1";
static const char SQL_SESSION_DELETE[] = "DELETE FROM sessions WHERE token_hash = ?1";
static const char SQL_OTP_PUT[] =
    "INSERT OR REPLACE INTO otps(iin, region, code_hash, expires_at, attempts, sent_at)"
    " VALUES (?1, ?2, ?3, ?4, 0, ?5)";
static const char SQL_OTP_GET[] = "SELECT code_hash, expires_at, attempts FROM otps WHERE iin = ?1";
static const char SQL_OTP_TRIED[] = "UPDATE otps SET attempts = attempts + 1 WHERE iin = ?1";
static const char SQL_OTP_USED[] = "DELETE FROM otps WHERE iin = ?1";
static const char SQL_ATTEMPTS_FORGET[] = "DELETE FROM login_attempts WHERE window_start <= ?1";
static const char SQL_ATTEMPTS_GET[] =
    "SELECT window_start, count FROM login_attempts WHERE key = ?1";
static const char SQL_ATTEMPTS_PUT[] =
    "INSERT OR REPLACE INTO login_attempts(key, window_start, count) VALUES (?1, ?2, ?3)";

/* ---- sessions ---- */

static int apply_session_add(sq_batch *b, void *arg, qz_err *err)
{
    const qz_session_row *r = arg;
    sqlite3_stmt *s = NULL;
    if (sq_stmt(b->c, SQL_SESSION_FORGET, &s, err) ||
        sq_bind(b->c, s, err, "T", r->created_at - QZ_SESSION_KEEP_S) ||
        sq_run(b->c, s, NULL, NULL, err))
        return -1;
    return sq_stmt(b->c, SQL_SESSION_ADD, &s, err) ||
                   sq_bind(b->c, s, err, "hitttttTT", r->token_hash, r->user_id, r->login, r->role,
                           r->unit, r->iin, r->region, r->created_at, r->expires_at) ||
                   sq_run(b->c, s, "store.session_exists", r->login, err)
               ? -1
               : 0;
}

int sq_session_add(void *impl, const qz_session_row *s, qz_err *err)
{
    return sq_submit(impl, apply_session_add, (void *)s, err);
}

static int read_session(sqlite3_stmt *s, qz_arena *a, qz_session_row *out, qz_err *err)
{
    bool oom = false;
    out->user_id = sqlite3_column_int64(s, 0); /* NULL reads as 0: no account */
    out->login = sq_text(a, s, 1, &oom);
    out->role = sq_text(a, s, 2, &oom);
    out->unit = sq_text(a, s, 3, &oom);
    out->iin = sq_text(a, s, 4, &oom);
    out->region = sq_text(a, s, 5, &oom);
    out->created_at = sqlite3_column_int64(s, 6);
    out->expires_at = sqlite3_column_int64(s, 7);
    return oom ? sq_oom(err) : 0;
}

int sq_session_get(void *impl, const unsigned char *token_hash, qz_arena *a, qz_session_row *out,
                   qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQL_SESSION_GET, &s, err) || sq_bind(c, s, err, "h", token_hash)
                ? -1
                : sq_row(c, s, err);
    if (r == 1) {
        memcpy(out->token_hash, token_hash, QZ_HASH_LEN);
        r = read_session(s, a, out, err);
    } else if (r == 0) {
        r = qz_err_set(err, QZ_ENOTFOUND, "store.session_not_found", NULL, NULL);
    }
    sqlite3_reset(s);
    sq_read_release(impl, c);
    return r;
}

static int apply_session_delete(sq_batch *b, void *arg, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sq_stmt(b->c, SQL_SESSION_DELETE, &s, err) || sq_bind(b->c, s, err, "h", arg) ||
        sq_run(b->c, s, NULL, NULL, err))
        return -1;
    if (sqlite3_changes(b->c->db) == 0)
        return qz_err_set(err, QZ_ENOTFOUND, "store.session_not_found", NULL, NULL);
    return 0;
}

int sq_session_delete(void *impl, const unsigned char *token_hash, qz_err *err)
{
    return sq_submit(impl, apply_session_delete, (void *)token_hash, err);
}

/* ---- one-time passwords ---- */

static int apply_otp_put(sq_batch *b, void *arg, qz_err *err)
{
    const qz_otp_row *o = arg;
    sqlite3_stmt *s = NULL;
    return sq_stmt(b->c, SQL_OTP_PUT, &s, err) ||
                   sq_bind(b->c, s, err, "tthTT", o->iin, o->region, o->code_hash, o->expires_at,
                           o->sent_at) ||
                   sq_run(b->c, s, NULL, NULL, err)
               ? -1
               : 0;
}

int sq_otp_put(void *impl, const qz_otp_row *o, qz_err *err)
{
    return sq_submit(impl, apply_otp_put, (void *)o, err);
}

/* What a try of a one-time password came to. The write succeeds in every case (so that
 * a counted wrong try is kept); the caller turns the outcome into an error. */
typedef enum otp_outcome { OTP_OPENED, OTP_NONE, OTP_EXPIRED, OTP_BURNED, OTP_WRONG } otp_outcome;

typedef struct otp_use_req {
    const char *iin;
    const unsigned char *code_hash;
    qz_instant now;
    int max_tries;
    otp_outcome outcome;
    int left; /* OTP_WRONG: the tries left */
} otp_use_req;

/* Reads the pending password of `iin`: 1 with its hash, expiry and tries, 0 when there is
 * none, -1 with err. */
static int otp_read(sq_conn *c, const char *iin, unsigned char hash[QZ_HASH_LEN],
                    qz_instant *expires_at, int64_t *tries, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sq_stmt(c, SQL_OTP_GET, &s, err) || sq_bind(c, s, err, "t", iin))
        return -1;
    int r = sq_row(c, s, err);
    if (r != 1)
        return r;
    memset(hash, 0, QZ_HASH_LEN);
    if (sqlite3_column_bytes(s, 0) == QZ_HASH_LEN) /* the table's CHECK keeps it so */
        memcpy(hash, sqlite3_column_blob(s, 0), QZ_HASH_LEN);
    *expires_at = sqlite3_column_int64(s, 1);
    *tries = sqlite3_column_int64(s, 2);
    sqlite3_reset(s);
    return 1;
}

static int otp_change(sq_conn *c, const char *sql, const char *iin, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    return sq_stmt(c, sql, &s, err) || sq_bind(c, s, err, "t", iin) || sq_run(c, s, NULL, NULL, err)
               ? -1
               : 0;
}

static int apply_otp_use(sq_batch *b, void *arg, qz_err *err)
{
    otp_use_req *r = arg;
    unsigned char stored[QZ_HASH_LEN];
    qz_instant expires_at = 0;
    int64_t tries = 0;
    int found = otp_read(b->c, r->iin, stored, &expires_at, &tries, err);
    if (found < 0)
        return -1;
    if (found == 0) {
        r->outcome = OTP_NONE;
        return 0;
    }
    if (tries >= r->max_tries) {
        r->outcome = OTP_BURNED;
        return 0;
    }
    if (expires_at <= r->now) {
        r->outcome = OTP_EXPIRED;
        return 0;
    }
    if (CRYPTO_memcmp(stored, r->code_hash, QZ_HASH_LEN) == 0) {
        r->outcome = OTP_OPENED;
        return otp_change(b->c, SQL_OTP_USED, r->iin, err);
    }
    r->outcome = OTP_WRONG;
    r->left = r->max_tries - (int)tries - 1;
    return otp_change(b->c, SQL_OTP_TRIED, r->iin, err);
}

int sq_otp_use(void *impl, const char *iin, const unsigned char *code_hash, qz_instant now,
               int max_tries, qz_err *err)
{
    otp_use_req r = {iin, code_hash, now, max_tries, OTP_NONE, 0};
    if (sq_submit(impl, apply_otp_use, &r, err))
        return -1;
    switch (r.outcome) {
    case OTP_OPENED:
        return 0;
    case OTP_NONE:
        return qz_err_set(err, QZ_EINPUT, "store.otp_none", "iin", iin);
    case OTP_EXPIRED:
        return qz_err_set(err, QZ_EINPUT, "store.otp_expired", "iin", iin);
    case OTP_BURNED:
        return qz_err_set(err, QZ_EINPUT, "store.otp_burned", "iin", iin);
    case OTP_WRONG:
        break;
    }
    return qz_err_setf(err, QZ_EINPUT, "store.otp_wrong", "iin", "%d", r.left);
}

/* ---- attempts ---- */

typedef struct attempts_req {
    const char *key;
    int delta;
    qz_instant now;
    int64_t window_s;
    qz_attempts *out;
} attempts_req;

/* Reads the window of r->key as it stands at r->now into *cur; *open when it is open. */
static int attempts_read(sq_conn *c, const attempts_req *r, qz_attempts *cur, bool *open,
                         qz_err *err)
{
    sqlite3_stmt *s = NULL;
    *open = false;
    if (sq_stmt(c, SQL_ATTEMPTS_GET, &s, err) || sq_bind(c, s, err, "t", r->key))
        return -1;
    int found = sq_row(c, s, err);
    if (found < 0)
        return -1;
    if (found == 1) {
        qz_instant start = sqlite3_column_int64(s, 0);
        *open = start + r->window_s > r->now;
        if (*open)
            *cur = (qz_attempts){.count = sqlite3_column_int64(s, 1), .window_start = start};
        sqlite3_reset(s);
    }
    if (!*open)
        *cur = (qz_attempts){.count = 0, .window_start = r->now};
    return 0;
}

static int apply_attempts_add(sq_batch *b, void *arg, qz_err *err)
{
    attempts_req *r = arg;
    sqlite3_stmt *s = NULL;
    qz_attempts cur;
    bool open;
    if (sq_stmt(b->c, SQL_ATTEMPTS_FORGET, &s, err) ||
        sq_bind(b->c, s, err, "T", r->now - QZ_ATTEMPTS_WINDOW_MAX) ||
        sq_run(b->c, s, NULL, NULL, err) || attempts_read(b->c, r, &cur, &open, err))
        return -1;
    *r->out = cur;
    if (!open && r->delta <= 0)
        return 0; /* nothing to take back, and taking back opens no window */
    r->out->count = cur.count + r->delta < 0 ? 0 : cur.count + r->delta;
    return sq_stmt(b->c, SQL_ATTEMPTS_PUT, &s, err) ||
                   sq_bind(b->c, s, err, "tTi", r->key, r->out->window_start, r->out->count) ||
                   sq_run(b->c, s, NULL, NULL, err)
               ? -1
               : 0;
}

int sq_attempts_add(void *impl, const char *key, int delta, qz_instant now, int64_t window_s,
                    qz_attempts *out, qz_err *err)
{
    attempts_req r = {key, delta, now, window_s, out};
    return sq_submit(impl, apply_attempts_add, &r, err);
}
