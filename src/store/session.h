/*
 * session.h — sessions, one-time passwords and sign-in attempts
 * (sqlite_session.c).
 * Part of the store's interface: store.h says what holds for all of it (durability,
 * threads, ownership, errors). One header per domain, as the backend's sqlite_*.c files.
 */
#ifndef QZ_STORE_SESSION_H
#define QZ_STORE_SESSION_H

#include "store/store_open.h"

/*
 * A signed-in session. Its bearer token is never stored, only the token's SHA-256, so a
 * copy of the database lets no one act as anyone. Expired sessions are kept a while
 * (QZ_SESSION_KEEP_S) so that their token can be told apart from an unknown one.
 */
typedef struct qz_session_row {
    unsigned char token_hash[QZ_HASH_LEN];
    int64_t user_id;    /* the account's id; 0 for a citizen without an account (OTP) */
    const char *login;  /* the account's login; a citizen's IIN */
    const char *role;   /* "applicant" for citizens */
    const char *unit;   /* the staff member's unit; NULL for citizens */
    const char *iin;    /* the citizen's IIN; NULL for staff */
    const char *region; /* the unit's or the person's */
    qz_instant created_at, expires_at;
} qz_session_row;

enum { QZ_SESSION_KEEP_S = 24 * 3600 }; /* an expired session is forgotten a day later */

/* Records a session, and forgets the sessions that expired QZ_SESSION_KEEP_S or more
 * before s->created_at: 0, or -1 with QZ_EINPUT store.field_missing (login, role,
 * region), store.session_expiry (expires_at not after created_at), QZ_ECONFLICT
 * store.session_exists, or a database error. */
int qz_store_session_add(qz_store *st, const qz_session_row *s, qz_err *err);

/* Reads the session of `token_hash` into *out (strings in `a`), expired or not: 0, or -1
 * with QZ_ENOTFOUND store.session_not_found. */
int qz_store_session_get(qz_store *st, const unsigned char token_hash[QZ_HASH_LEN], qz_arena *a,
                         qz_session_row *out, qz_err *err);

/* Ends the session of `token_hash`: 0, or -1 with QZ_ENOTFOUND store.session_not_found
 * when there is none, or a database error. */
int qz_store_session_delete(qz_store *st, const unsigned char token_hash[QZ_HASH_LEN], qz_err *err);

/* A one-time password sent to a person's phone: only a hash of it is kept. */
typedef struct qz_otp_row {
    const char *iin;
    const char *region; /* the person's */
    unsigned char code_hash[QZ_HASH_LEN];
    qz_instant sent_at, expires_at;
} qz_otp_row;

/* Keeps a new one-time password for o->iin in place of any earlier one, with no wrong
 * tries yet: 0, or -1 with the IIN's error, store.field_missing (region),
 * store.otp_expiry (expires_at not after sent_at), or a database error. */
int qz_store_otp_put(qz_store *st, const qz_otp_row *o, qz_err *err);

/*
 * Tries `code_hash` against the one-time password of `iin` at `now`, atomically: 0 when
 * it matches and has not expired (it is then used up: a second use fails), or -1 with
 * QZ_EINPUT store.otp_none (none was sent, or it was used), store.otp_expired,
 * store.otp_burned (max_tries wrong tries were made: it no longer opens, even with the
 * right code), store.otp_wrong (the try is counted; value: the tries left), or a
 * database error.
 */
int qz_store_otp_use(qz_store *st, const char *iin, const unsigned char code_hash[QZ_HASH_LEN],
                     qz_instant now, int max_tries, qz_err *err);

/* Attempts counted under one key (a login, an IIN) in a fixed window. */
typedef struct qz_attempts {
    int64_t count;           /* in the current window */
    qz_instant window_start; /* when it opened */
} qz_attempts;

enum { QZ_ATTEMPTS_WINDOW_MAX = 24 * 3600 }; /* the longest window, in seconds */

/*
 * Adds `delta` (+1 to count an attempt, -1 to take one back) to the attempts under
 * `key` at `now`, atomically, and returns the new count in *out. A window opens at the
 * first attempt and lasts window_s seconds (1..QZ_ATTEMPTS_WINDOW_MAX); after it, the
 * next attempt opens a new one. The count never goes below 0, and taking back opens no
 * window. Keys whose window opened QZ_ATTEMPTS_WINDOW_MAX or more before `now` (so
 * closed, whatever its length) are forgotten.
 * 0, or -1 with QZ_EINPUT store.field_missing (key), store.attempts_window, or a
 * database error.
 */
int qz_store_attempts_add(qz_store *st, const char *key, int delta, qz_instant now,
                          int64_t window_s, qz_attempts *out, qz_err *err);

#endif
