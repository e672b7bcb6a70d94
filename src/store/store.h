/*
 * store.h — qyzmet's durable state, behind one interface that every backend
 * implements (an embedded SQLite file now, PostgreSQL later; backend.h says how a
 * backend plugs in). Nothing here is any one database's.
 *
 * A target names the database: a file path (created when missing), or a
 * "postgres://" / "postgresql://" URL (not yet available: store.backend_unavailable).
 * Opening brings the schema up to date (numbered migrations, each applied once, in
 * order, in a transaction) and refuses, without changing it, a file that is not a
 * database (store.not_database), a damaged one (store.corrupt), another program's
 * database (store.foreign_database) or one written by a newer qyzmet
 * (store.schema_too_new).
 *
 * Durability: every write is acknowledged (its function returns 0) only after the
 * transaction holding it is durable on disk. Writes from all threads go to one writer
 * per open store, which commits many of them in one transaction and one fsync (group
 * commit); each write is applied inside its own savepoint, so one that fails (a stale
 * version, a duplicate key) is undone alone and gets its own error while the others
 * commit. Several processes may use the same database at once; a call waits for a
 * busy database a few seconds before failing with store.busy.
 *
 * Thread safety: a qz_store may be shared by any number of threads; every function
 * below may be called concurrently, except qz_store_close, which must come after every
 * other call on that store has returned.
 *
 * Ownership: inputs are borrowed for the duration of the call. Rows read back are
 * allocated in the caller's arena (arena.h) and live until the caller frees it; an
 * arena is not thread safe, so each thread passes its own. Errors are qz_err with keys
 * "store.*" (catalog/strings/store.json).
 *
 * Every table carries a `region` column, the code of one of Kazakhstan's regions
 * (ISO 3166-2:KZ, e.g. "KZ-71" Astana; catalog/regions.json), as the future
 * distribution key of a sharded PostgreSQL. Times are qz_instant (UTC seconds).
 */
#ifndef QZ_STORE_H
#define QZ_STORE_H

#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "core/iin.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct qz_store qz_store;

enum { QZ_HASH_LEN = 32 };        /* SHA-256 */
enum { QZ_CASE_NUMBER_MAX = 64 }; /* a case number and its NUL */
enum { QZ_PASSWORD_MAX = 1024 };  /* longest password accepted, in bytes */
#define QZ_NO_TIME INT64_MIN      /* a qz_instant that is not set (a step not done) */

/* ---- opening ---------------------------------------------------------------- */

/* Opens (creating and migrating as needed) the database `target`; 0 and *out, which the
 * caller frees with qz_store_close, or -1 with err and *out NULL. */
int qz_store_open(const char *target, qz_store **out, qz_err *err);

/* Finishes the writes in flight, closes the database and frees `st`; NULL is allowed. */
void qz_store_close(qz_store *st);

/* Returns the schema version of the open database (the number of the last migration). */
int qz_store_schema_version(const qz_store *st);

/* Returns the schema version this build of qyzmet migrates to. */
int qz_store_schema_latest(void);

/* Counters of the writer since open: writes acknowledged or refused, transactions
 * committed, and the most writes one transaction carried. */
typedef struct qz_store_stats {
    uint64_t writes, commits, largest_batch;
} qz_store_stats;

/* Fills *out with the writer's counters (a consistent snapshot). */
void qz_store_stats_get(qz_store *st, qz_store_stats *out);

/* ---- issued IINs ------------------------------------------------------------------ */

/* Records `iin` (a valid IIN) as issued at `now`: 0 when newly recorded, -1 with
 * QZ_ECONFLICT store.iin_taken when it was issued before, or another error. */
int qz_store_iin_claim(qz_store *st, const char *iin, qz_instant now, qz_err *err);

/*
 * Issues a new IIN for `birth` and `sex`: tries every serial once, in an order drawn
 * from `seed` (pass random bits), skipping unissuable serials and those already
 * claimed, and claims the first free one at `now`. 0 and the IIN in out (QZ_IIN_STR
 * bytes), or -1 with QZ_ECONFLICT store.iin_exhausted when none is left, or the error
 * of qz_iin_compose (a birth date outside 1800–2099) or of the database.
 */
int qz_store_iin_issue(qz_store *st, qz_date birth, qz_sex sex, uint64_t seed, qz_instant now,
                       char *out, qz_err *err);

/* ---- units ------------------------------------------------------------------------ */

/* A unit: a PSC department, a provider's office, or an authority. */
typedef struct qz_unit_row {
    const char *code;       /* unique, e.g. "psc-astana-1" */
    const char *kind;       /* "psc", "provider" or "authority" */
    const char *department; /* a PSC's: "regional", "other" or "duty"; NULL otherwise */
    const char *name_kk, *name_ru;
    const char *region;
    const char *parent;   /* the code of the unit above it, or NULL */
    const char *acts_as;  /* the unit kinds of catalog/roles.json it acts as in cases,
                             comma-separated ("regional,migration-service"); NULL: none. A
                             PSC acts as "psc" without saying so (store/routing.h) */
    const char *schedule; /* its hours (catalog/schedules.json); NULL: its kind's default */
    const char *area;     /* "region" (its own; the default when NULL) or "country" */
} qz_unit_row;

/* Adds a unit: 0, or -1 with QZ_EINPUT (store.unit_kind, store.unit_department,
 * store.unit_acts_as, store.unit_area, store.field_missing), QZ_ECONFLICT
 * store.unit_exists, or a database error. */
int qz_store_unit_add(qz_store *st, const qz_unit_row *u, qz_err *err);

/* Reads the unit `code` into *out (strings in `a`): 0, or -1 with QZ_ENOTFOUND
 * store.unit_not_found. */
int qz_store_unit_get(qz_store *st, const char *code, qz_arena *a, qz_unit_row *out, qz_err *err);

/* Lists the units of `region` (NULL: all), by code, as an array of *n rows in `a`. */
int qz_store_unit_list(qz_store *st, const char *region, qz_arena *a, qz_unit_row **out, size_t *n,
                       qz_err *err);

/* ---- users ------------------------------------------------------------------------ */

/* A staff or citizen account. The password is never stored: only its argon2id hash. */
typedef struct qz_user_row {
    int64_t id;
    const char *login;
    const char *role;   /* one of DESIGN.md's roles; the caller checks it against the catalogue */
    const char *unit;   /* the unit's code; NULL for an account without one (an applicant) */
    const char *region; /* read back: the unit's region; on add, used only when unit is NULL */
    qz_instant created_at;
} qz_user_row;

/* Adds a user with the argon2id hash of `password` (1..QZ_PASSWORD_MAX bytes): 0 and *id,
 * or -1 with QZ_ENOTFOUND store.unit_not_found, QZ_ECONFLICT store.login_taken,
 * QZ_EINPUT store.password_empty / store.password_too_long / store.field_missing. Hashing
 * takes tens of milliseconds on the calling thread, not on the writer. */
int qz_store_user_add(qz_store *st, const qz_user_row *u, const char *password, int64_t *id,
                      qz_err *err);

/* Checks `password` against the stored hash of `login`: 0 and *out (strings in `a`) when
 * it matches, or -1 with QZ_EINPUT store.login_failed whether the login is unknown or the
 * password wrong (the same answer and about the same time for both). */
int qz_store_user_verify(qz_store *st, const char *login, const char *password, qz_arena *a,
                         qz_user_row *out, qz_err *err);

/* Reads the account `login` into *out (strings in `a`) without checking a password: 0, or
 * -1 with QZ_ENOTFOUND store.user_not_found. */
int qz_store_user_get(qz_store *st, const char *login, qz_arena *a, qz_user_row *out, qz_err *err);

/* ---- persons ---------------------------------------------------------------------- */

typedef struct qz_person_row {
    const char *iin; /* a valid IIN */
    const char *surname, *name;
    const char *patronymic, *phone; /* NULL when unknown */
    const char *lang;               /* the language of messages to them: "kk", "ru" or "en";
                                       NULL when not said (messages then go in Kazakh) */
    bool has_birth;
    qz_date birth; /* when has_birth; must be the date the IIN encodes */
    const char *region;
    qz_instant created_at;
} qz_person_row;

/* Adds a person: 0, or -1 with the IIN's error, QZ_EINPUT store.birth_mismatch,
 * store.field_missing, store.phone_invalid, store.person_lang, QZ_ECONFLICT
 * store.person_exists, or a database error. */
int qz_store_person_add(qz_store *st, const qz_person_row *p, qz_err *err);

/* Reads the person `iin` into *out (strings in `a`): 0, or -1 with QZ_ENOTFOUND
 * store.person_not_found. */
int qz_store_person_get(qz_store *st, const char *iin, qz_arena *a, qz_person_row *out,
                        qz_err *err);

/* ---- outbox ----------------------------------------------------------------------- */

/* Whether a message carries a secret (a one-time password, a password), and so where it
 * may be shown: the SMS channel delivers it; the cabinet never shows it; `qyzmet outbox`
 * shows it only when it was sent in demo or test mode. */
typedef enum qz_secret {
    QZ_SECRET_NONE = 0,
    QZ_SECRET_TEST = 1, /* sent in demo or test mode: `qyzmet outbox` shows it */
    QZ_SECRET_PROD = 2, /* sent in production: only the SMS channel ever has it */
} qz_secret;

/* A notification sent to a person: an SMS or a message in their portal cabinet. */
typedef struct qz_outbox_row {
    int64_t id;
    const char *region;
    const char *to_iin;
    const char *channel; /* "sms" or "cabinet" */
    const char *lang;    /* "kk", "ru" or "en" */
    const char *text;
    qz_instant created_at;
    qz_secret secret; /* whether the text carries a one-time password or a password */
} qz_outbox_row;

/* Appends a notification (m->id is ignored): 0 and *id (may be NULL), or -1 with
 * QZ_EINPUT store.outbox_channel / store.field_missing, or a database error. */
int qz_store_outbox_append(qz_store *st, const qz_outbox_row *m, int64_t *id, qz_err *err);

/* Lists notifications to `to_iin` (NULL: all) in the order sent, as *n rows in `a`. */
int qz_store_outbox_list(qz_store *st, const char *to_iin, qz_arena *a, qz_outbox_row **out,
                         size_t *n, qz_err *err);

/* ---- sessions, one-time passwords, attempts -------------------------------------- */

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

/* ---- cases ------------------------------------------------------------------------ */

/* One step of a case, open (done_at == QZ_NO_TIME) or finished. */
typedef struct qz_step_row {
    int64_t case_id; /* read back; ignored on write */
    const char *step, *role, *unit;
    qz_instant started_at, due_at, done_at;
} qz_step_row;

/* An event to append to a case. `data` is JSON text (NULL: none); from_state is NULL
 * for the event that creates the case; to_state and unit may be NULL. */
typedef struct qz_event_in {
    qz_instant at;
    const char *actor, *role, *unit, *action;
    const char *from_state, *to_state;
    const char *data;
} qz_event_in;

typedef struct qz_case_written qz_case_written;

/* Builds the response to keep with an idempotency key once the case's id, number and new
 * version are known (in *w): a malloc'd string, which the store keeps and hands to the
 * caller in qz_case_written.response, or NULL when memory ran out (the write then
 * fails). Runs on the writer thread, inside the transaction: it must be quick and must
 * not call the store. */
typedef char *(*qz_case_respond_fn)(void *ctx, const qz_case_written *w);

/*
 * A write of one case: its creation (id 0) or an update (id and the version the caller
 * read), with everything that changes together in one atomic unit: the case row, the
 * whole list of its steps (replacing those stored), and events appended to the chain.
 * On an update only state, status, branch, due_at and doc are written; the other
 * columns stay as created.
 */
typedef struct qz_case_write {
    int64_t id;                 /* 0 creates a case */
    int64_t expected_version;   /* an update's: the version read; ignored on create */
    const char *idem_key;       /* the client's idempotency key, or NULL; keys share one space
                                   in the store, so callers prefix them (with the user's id) */
    const char *response;       /* kept with idem_key (when respond is NULL) */
    qz_case_respond_fn respond; /* or builds it once the id is known; NULL: use response */
    void *respond_ctx;
    const char *region;
    const char *number; /* unique; NULL on create: "<region>-<id, 8 digits>" */
    const char *service, *standard_version;
    const char *state, *status, *branch;
    const char *applicant, *subject; /* IIN or BIN; subject may be NULL */
    qz_instant due_at, now;          /* now: created_at on create, updated_at always */
    const char *doc;                 /* the whole case as JSON text */
    const qz_step_row *steps;
    size_t n_steps;
    const qz_event_in *events;
    size_t n_events;
} qz_case_write;

struct qz_case_written {
    int64_t id;      /* the case's id (the original one when replayed) */
    int64_t version; /* its version now */
    char number[QZ_CASE_NUMBER_MAX];
    bool replayed;  /* the idempotency key was seen before: nothing was written */
    char *response; /* with a key: the response kept with it (the original when replayed),
                       malloc'd, the caller frees it; NULL without a key */
};

/*
 * Writes a case durably. 0 and *out, or -1 with: QZ_ECONFLICT store.stale_version (the
 * case's version is not expected_version; value = the current version; nothing changed),
 * QZ_ENOTFOUND store.case_not_found, QZ_ECONFLICT store.case_number_taken, QZ_EINPUT
 * store.field_missing / store.invalid_json, or a database error. A key seen before
 * returns the original case and stored response, replayed = true, and writes nothing.
 */
int qz_store_case_write(qz_store *st, const qz_case_write *w, qz_case_written *out, qz_err *err);

/* Reads the response kept with idempotency key `key` (as qz_case_write's idem_key, its
 * caller's prefix included), without writing or waiting for the writer: 0 with
 * *response (in `a`), or *response NULL when the key was never used; -1 with QZ_EINPUT
 * store.idem_key_invalid (empty or longer than 255), or a database error. A key used by
 * a write that is still in flight reads as unused. */
int qz_store_idem_get(qz_store *st, const char *key, qz_arena *a, const char **response,
                      qz_err *err);

/* Appends one event `e` to the chain of case `case_id` without changing the case: its
 * row, version and steps stay as they are (an access event: staff read the case). 0, or
 * -1 with QZ_ENOTFOUND store.case_not_found, QZ_EINPUT store.field_missing, or a database
 * error. */
int qz_store_case_event_add(qz_store *st, int64_t case_id, const qz_event_in *e, qz_err *err);

/* A case as stored. */
typedef struct qz_case_row {
    int64_t id, version;
    const char *region, *number, *service, *standard_version;
    const char *state, *status, *branch, *applicant, *subject;
    qz_instant due_at, created_at, updated_at;
    const char *doc;
} qz_case_row;

/* Reads case `id` into *out (strings in `a`): 0, or -1 with QZ_ENOTFOUND store.case_not_found. */
int qz_store_case_get(qz_store *st, int64_t id, qz_arena *a, qz_case_row *out, qz_err *err);

/* An event as stored, with its place in the hash chain. */
typedef struct qz_event_row {
    int64_t id, case_id, seq;
    const char *region;
    qz_instant at;
    const char *actor, *role, *unit, *action, *from_state, *to_state, *data;
    unsigned char prev_hash[QZ_HASH_LEN], hash[QZ_HASH_LEN];
} qz_event_row;

/* Lists the events of case `case_id` in order (seq 1, 2, …) as *n rows in `a`. */
int qz_store_case_events(qz_store *st, int64_t case_id, qz_arena *a, qz_event_row **out, size_t *n,
                         qz_err *err);

/* The steps of a case, in the order they were written, as *n rows in `a`. */
int qz_store_case_steps(qz_store *st, int64_t case_id, qz_arena *a, qz_step_row **out, size_t *n,
                        qz_err *err);

/* One line of a unit's inbox: an open step and the case it belongs to. */
typedef struct qz_inbox_row {
    qz_step_row step;
    const char *number, *service, *state;
    int64_t version;
    qz_instant case_due_at;
    bool at_risk;         /* the case's flag as last written ("at_risk" in its doc) */
    const char *assignee; /* who was assigned the step's role on the case, or NULL */
} qz_inbox_row;

/* Lists the open steps of `unit`, soonest due first (then by case id), at most `limit`
 * (0: no limit), as *n rows in `a`. One indexed query. */
int qz_store_inbox(qz_store *st, const char *unit, size_t limit, qz_arena *a, qz_inbox_row **out,
                   size_t *n, qz_err *err);

/* Lists the cases person `iin` is in (as applicant, subject or representative), newest
 * first, at most `limit` (0: no limit), as *n rows in `a` (doc left NULL). */
int qz_store_person_cases(qz_store *st, const char *iin, size_t limit, qz_arena *a,
                          qz_case_row **out, size_t *n, qz_err *err);

/* ---- timers ----------------------------------------------------------------------- */

/* The timers of a run of a step (http/sweeper.h), each recorded once per run. */
enum { QZ_TIMER_OVERDUE = 1, QZ_TIMER_AT_RISK = 2 };

/* An open step a timer may concern, with its case and the timers already recorded. */
typedef struct qz_timer_row {
    qz_step_row step;
    const char *region, *service, *standard_version; /* the case's */
    unsigned marked; /* the QZ_TIMER_* already recorded on this run of the step */
} qz_timer_row;

/*
 * Lists, in one query over the open steps (the partial index of the inbox), those a
 * timer may concern at `now`: a step with a due time whose last quarter of its term has
 * begun (due_at - now < (due_at - started_at) / 4, overdue included; a result's storage
 * term is such a due). By case id, then step order, as
 * *n rows in `a`. Steps already marked with every timer are still listed (marked says
 * so); the caller skips them.
 */
int qz_store_timer_steps(qz_store *st, qz_instant now, qz_arena *a, qz_timer_row **out, size_t *n,
                         qz_err *err);

/* One timer to record: `kind` on the run of `step` started at `started_at` of case
 * `case_id`, with the event that says so. */
typedef struct qz_timer_mark {
    int64_t case_id;
    const char *step;
    qz_instant started_at;
    unsigned kind; /* one QZ_TIMER_* */
    qz_event_in event;
} qz_timer_mark;

/* Records m->kind on the run and appends m->event to the case's chain, atomically and
 * without changing the case (its row, version and steps stay): 0 when recorded, 1 when
 * that timer was recorded on that run before (nothing is written), or -1 with QZ_ENOTFOUND
 * store.case_not_found, QZ_EINPUT store.field_missing / store.timer_kind, or a database
 * error. */
int qz_store_timer_mark(qz_store *st, const qz_timer_mark *m, qz_err *err);

/* ---- complaints ------------------------------------------------------------------- */

/*
 * A complaint about a case's service (platform.md, "Complaints"), with the state of its
 * workflow (catalog/complaints.json; core/complaint.h). Its moves are recorded in the
 * hash-chained events of its case (no table of their own): action "complaint.<name>"
 * ("complaint.register" when filed, then "complaint.forward", …), from_state and
 * to_state the complaint's states, data a JSON object whose "complaint" is its id.
 */
typedef struct qz_complaint_row {
    int64_t id; /* read back; ignored on add */
    int64_t case_id;
    const char *region;       /* the case's */
    const char *case_number;  /* the case's number */
    const char *service;      /* the case's service code */
    const char *complainant;  /* IIN */
    const char *against;      /* "provider" or "psc" */
    const char *addressed_to; /* "provider" or "quality-authority" */
    const char *unit;         /* the unit complained about (the provider's, or the branch) */
    const char *text;
    qz_instant registered_at, forward_by, decide_by;
    const char *state;       /* a state of the workflow */
    const char *holder_unit; /* the unit holding it now; NULL: `unit` (or nobody, closed) */
    int64_t version;         /* 1 when registered, +1 on each move */
    const char *outcome;     /* the reviewing body's ("upheld", "rejected"), or NULL */
    const char *resolution;  /* the text of the decision that closed it, or NULL */
    qz_instant due_at;       /* what is due in its state (forward_by, decide_by): the
                                caller's choice (core/complaint.h); QZ_NO_TIME when closed */
    qz_instant closed_at;    /* QZ_NO_TIME while open */
} qz_complaint_row;

/*
 * Registers a complaint in state c->state (version 1) and appends `event` (may be NULL;
 * its data is replaced by {"complaint": the new id}) to its case's chain, atomically: 0
 * and *id (may be NULL), or -1 with the IIN's error, QZ_EINPUT store.field_missing,
 * store.complaint_against, store.complaint_addressee, QZ_ENOTFOUND store.case_not_found,
 * or a database error.
 */
int qz_store_complaint_add(qz_store *st, const qz_complaint_row *c, const qz_event_in *event,
                           int64_t *id, qz_err *err);

/* Reads complaint `id` into *out (strings in `a`): 0, or -1 with QZ_ENOTFOUND
 * store.complaint_not_found. */
int qz_store_complaint_get(qz_store *st, int64_t id, qz_arena *a, qz_complaint_row *out,
                           qz_err *err);

/* A move of a complaint: its new state and holder, what closed it, and its event. */
typedef struct qz_complaint_move {
    int64_t id;
    int64_t expected_version; /* the version the caller read */
    const char *state;
    const char *holder_unit;          /* NULL: the unit complained about, or nobody when closed */
    const char *outcome, *resolution; /* NULL when none */
    qz_instant due_at;                /* what is due now; QZ_NO_TIME when closed */
    qz_instant closed_at;             /* QZ_NO_TIME: still open */
    qz_event_in event;                /* appended to the case's chain */
} qz_complaint_move;

/* Moves a complaint and records the event, atomically: 0 and *version (the new one; may
 * be NULL), or -1 with QZ_ECONFLICT store.stale_version (value: the current version;
 * nothing changed), QZ_ENOTFOUND store.complaint_not_found, QZ_EINPUT store.field_missing,
 * or a database error. */
int qz_store_complaint_move(qz_store *st, const qz_complaint_move *m, int64_t *version,
                            qz_err *err);

/* Which complaints to list: every non-NULL member must match (all NULL: every one). With
 * held_by the others are not looked at: the open complaints that unit holds now (an
 * inbox: one indexed query). */
typedef struct qz_complaint_filter {
    const char *complainant;
    const char *unit; /* the unit complained about, or the one holding it */
    const char *addressed_to;
    const char *region;
    const char *held_by;
} qz_complaint_filter;

/* Lists the complaints that match `f`: the open ones first, soonest due_at first, then
 * the closed ones by decide_by (then by id); at most `limit`
 * (0: no limit), as *n rows in `a`. */
int qz_store_complaint_list(qz_store *st, const qz_complaint_filter *f, size_t limit, qz_arena *a,
                            qz_complaint_row **out, size_t *n, qz_err *err);

/* ---- audit ------------------------------------------------------------------------ */

typedef enum qz_audit_kind {
    QZ_AUDIT_EDITED = 1, /* a row's contents no longer match its hash */
    QZ_AUDIT_DELETED,    /* rows are missing before this one */
    QZ_AUDIT_INSERTED,   /* this row was never written by qyzmet's chain */
    QZ_AUDIT_CASE_ROW    /* a case's row disagrees with its events or its document */
} qz_audit_kind;

/* Where and how the chain first breaks. */
typedef struct qz_audit_break {
    qz_audit_kind kind;
    int64_t event_id;                 /* the first broken event (in id order) */
    int64_t case_id;                  /* its case */
    int64_t missing_from, missing_to; /* DELETED by an id gap: the ids missing; else 0 */
    char reason[24];                  /* the evidence: "hash", "prev_hash", "id_gap", "seq_gap",
                                         "seq_repeat", "fork", "skipped"; for a case row,
                                         the field that disagrees */
} qz_audit_break;

/*
 * Then, when the chain is whole, replays each case: its row's state must be the state its
 * events last moved it to, its status must agree (an ended status is its state), and its
 * row must say what its document says (state, status, service, applicant, subject);
 * the first case that disagrees is QZ_AUDIT_CASE_ROW with the field as the reason.
 *
 * Walks every event in id order, recomputing the chain: each hash must be SHA-256 of the
 * previous event's hash and the event's own columns (chain.h), ids consecutive from 1,
 * each case's seq consecutive from 1. Returns 0 with *n_events when the chain is whole,
 * 1 with *first_break filled when it is broken, or -1 with err. Removing events from the
 * very end of the chain cannot be seen from the chain alone (nothing after them refers
 * to them); an operator who records the event count detects it.
 */
int qz_store_audit_verify(qz_store *st, uint64_t *n_events, qz_audit_break *first_break,
                          qz_err *err);

#endif
