/*
 * cases.h — cases: written with their steps, events and messages as one
 * unit, read back, the inbox, the timers (sqlite_case.c, sqlite_case_read.c).
 * Part of the store's interface: store.h says what holds for all of it (durability,
 * threads, ownership, errors). One header per domain, as the backend's sqlite_*.c files.
 */
#ifndef QZ_STORE_CASES_H
#define QZ_STORE_CASES_H

#include "store/outbox_rows.h"
#include "store/store_open.h"

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
    /* What the change sets off, written in the same transaction — all or none with the
     * case. This is the write's extension point: a later kind of row that must stand or
     * fall with the case (a register's effect, a document issued, a hand-over event) is a
     * new pair of members here and a few lines in the backend's case write. */
    const qz_outbox_row *messages; /* notifications (the transactional outbox), or NULL */
    size_t n_messages;
    /* With idem_key: QZ_HASH_LEN bytes that identify the request (a hash of its body),
     * kept with the key; the same key with another fingerprint is refused. NULL: none. */
    const unsigned char *fingerprint;
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

/*
 * Fills in what depends on the ids of the cases being written, once each has its id and
 * number (outs[k]; a case created gets them inside the write): the docs, the messages,
 * the response kept with ws[n - 1].idem_key. Runs on the writer, inside the transaction: it
 * must be quick and must not call the store. 0, or -1 with err (nothing is written).
 */
typedef int (*qz_cases_bind_fn)(void *ctx, qz_case_write *ws, const qz_case_written *outs, size_t n,
                                qz_err *err);

/*
 * Writes n cases as one atomic, durable unit (a "one application" bundle, a change and the
 * changes it takes along): all of them, their steps, events and messages, or none. Ids are
 * assigned inside the write; `bind` (may be NULL) then fills in what needs them (a case's
 * doc may be NULL until bind sets it), in the order of ws. Only the last case may carry an
 * idem_key (the main case of a bundle, numbered after the cases it takes along): seen
 * before, the write is a replay (outs[n - 1] as in qz_case_write, nothing written; QZ_EINPUT
 * idempotency.key_reused when its fingerprint differs). 0 and outs[0..n), or -1 with the
 * first error (the errors of qz_case_write, naming the case by field "cases[k]").
 */
int qz_store_cases_write(qz_store *st, qz_case_write *ws, size_t n, qz_cases_bind_fn bind,
                         void *ctx, qz_case_written *outs, qz_err *err);

/* Like qz_store_idem_get, and *fingerprint (QZ_HASH_LEN bytes, in `a`) kept with the key,
 * or NULL when none was. */
int qz_store_idem_find(qz_store *st, const char *key, qz_arena *a, const char **response,
                       const unsigned char **fingerprint, qz_err *err);

/* Makes the next case write fail at `point` (a test build's fault injection: "messages" fails
 * after the case's row, steps and events and before its messages), or NULL to stop. Test
 * builds only; a store never does it by itself. */
void qz_store_fault(qz_store *st, const char *point);

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

/* Like qz_store_case_event_add without waiting: the event (copied) is queued to the writer
 * and appended to the chain with the next group commit, so the caller waits for no fsync
 * (a staff read, recorded before its answer leaves). 0 once queued, or -1 with the input's
 * errors or store.closed. A failure of the write itself (the case gone, the disk full) is
 * reported on stderr. Queued events are written before the store closes; a crash can lose
 * those of the one batch not yet committed (docs/performance.md). */
int qz_store_case_event_record(qz_store *st, int64_t case_id, const qz_event_in *e, qz_err *err);

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

/* ---- timers ---- */

/* The timers of a run of a step (http/sweeper.h), each recorded once per run. */
enum { QZ_TIMER_OVERDUE = 1, QZ_TIMER_AT_RISK = 2 };

/* An open step a timer may concern, with its case and the timers already recorded. */
typedef struct qz_timer_row {
    qz_step_row step;
    const char *region, *service, *standard_version; /* the case's */
    unsigned marked; /* the QZ_TIMER_* already recorded on this run of the step */
    int64_t n;       /* the step's place in its case: with step.case_id, the page's cursor */
} qz_timer_row;

/* Where a page of timer steps starts: after (case_id, n) of the last row of the page
 * before; {0, 0} for the first page. */
typedef struct qz_timer_cursor {
    int64_t case_id, n;
} qz_timer_cursor;

/* Like qz_store_timer_steps, a page at a time: at most `limit` rows after `after`, from
 * the index of open steps by the start of their last quarter (case_steps_risk), so a page
 * costs what it returns, not the number of open steps. */
int qz_store_timer_steps_page(qz_store *st, qz_instant now, const qz_timer_cursor *after,
                              size_t limit, qz_arena *a, qz_timer_row **out, size_t *n,
                              qz_err *err);

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

#endif
