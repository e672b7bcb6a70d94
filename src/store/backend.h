/*
 * backend.h — how a database backend plugs into the store (private to src/store).
 *
 * store.c owns the public functions of store.h: it checks their input (the same
 * checks for every backend), hashes passwords, walks the audit chain, and then calls
 * the backend through a table of operations. A backend is one table of qz_store_ops
 * and the files that implement it (sqlite_*.c); adding PostgreSQL is a new table, a new
 * set of files, and one line in store.c's choice of backend by target.
 *
 * Every operation receives the backend's own handle (`impl`, made by `open`) and input
 * that store.c has already checked (required strings present, kinds and channels
 * known, the IIN valid). Every operation may be called from many threads at once
 * (store.h's thread safety is the backend's to keep), except `close`. Writes are durable
 * when they return 0. Rows read go into the caller's arena.
 */
#ifndef QZ_STORE_BACKEND_H
#define QZ_STORE_BACKEND_H

#include "store/calendar_days.h"
#include "store/outbox.h"
#include "store/pages.h"
#include "store/store.h"

/* The schema version every backend migrates to (the same tables and columns). */
enum { QZ_SCHEMA_LATEST = 14 };

/* What the backend saw of an event row beyond its columns. */
typedef struct qz_scan_flags {
    bool malformed; /* values qyzmet never writes (a text with a NUL byte, a number where
                       text belongs, a hash that is not 32 bytes): counted as a row whose
                       contents do not match its hash */
    bool orphan;    /* its case does not exist */
} qz_scan_flags;

/* Called for each event in id order; returns 0 to go on, 1 to stop, -1 with err.
 * The row is valid during the call only. */
typedef int (*qz_event_scan_fn)(void *ctx, const qz_event_row *row, qz_scan_flags flags,
                                qz_err *err);

/* What audit.c compares of a case: its row's columns, the same fields in its document
 * (the JSON the engine wrote), and the state its events last moved it to. NULL where
 * absent. Valid during the call only. */
typedef struct qz_case_facts {
    int64_t id;
    const char *state, *status, *service, *applicant, *subject;
    const char *doc_state, *doc_status, *doc_service, *doc_applicant, *doc_subject;
    const char *event_state; /* the to_state of its last event that has one */
} qz_case_facts;

typedef int (*qz_case_scan_fn)(void *ctx, const qz_case_facts *c, qz_err *err);

typedef struct qz_store_ops {
    const char *name; /* "sqlite" */

    int (*open)(const char *target, void **impl, qz_err *err);
    void (*close)(void *impl);
    int (*schema_version)(const void *impl);
    void (*stats)(void *impl, qz_store_stats *out);

    int (*iin_claim)(void *impl, const char *iin, qz_instant now, qz_err *err);
    int (*iin_issue)(void *impl, qz_date birth, qz_sex sex, uint64_t seed, qz_instant now,
                     char *out, qz_err *err);

    int (*unit_add)(void *impl, const qz_unit_row *u, qz_err *err);
    int (*unit_get)(void *impl, const char *code, qz_arena *a, qz_unit_row *out, qz_err *err);
    int (*unit_list)(void *impl, const char *region, qz_arena *a, qz_unit_row **out, size_t *n,
                     qz_err *err);

    /* Adds a user whose password is already hashed (`hash`, an argon2id encoding). */
    int (*user_add)(void *impl, const qz_user_row *u, const char *hash, int64_t *id, qz_err *err);
    /* Finds a user by login: 0 with *out and *hash (in `a`), 1 when there is none. */
    int (*user_find)(void *impl, const char *login, qz_arena *a, qz_user_row *out,
                     const char **hash, qz_err *err);

    /* Reads a user by login: 0 with *out (in `a`), or -1 with store.user_not_found. */
    int (*user_get)(void *impl, const char *login, qz_arena *a, qz_user_row *out, qz_err *err);

    int (*person_add)(void *impl, const qz_person_row *p, qz_err *err);
    int (*person_get)(void *impl, const char *iin, qz_arena *a, qz_person_row *out, qz_err *err);

    int (*outbox_append)(void *impl, const qz_outbox_row *m, int64_t *id, qz_err *err);
    /* store/outbox.h */
    int (*outbox_due)(void *impl, size_t limit, qz_arena *a, qz_outbox_due **out, size_t *n,
                      qz_err *err);
    int (*outbox_tried)(void *impl, const qz_outbox_try *t, qz_err *err);
    int (*outbox_list)(void *impl, const char *to_iin, qz_arena *a, qz_outbox_row **out, size_t *n,
                       qz_err *err);

    /* The database's settings (store/settings.h): get gives 1 and *value NULL when unset. */
    int (*setting_get)(void *impl, const char *key, qz_arena *a, const char **value, qz_err *err);
    int (*setting_put)(void *impl, const char *key, const char *value, qz_err *err);

    /* Sessions, one-time passwords and attempts: as store.h says, input checked. */
    int (*session_add)(void *impl, const qz_session_row *s, qz_err *err);
    int (*session_get)(void *impl, const unsigned char *token_hash, qz_arena *a,
                       qz_session_row *out, qz_err *err);
    int (*session_delete)(void *impl, const unsigned char *token_hash, qz_err *err);
    int (*otp_put)(void *impl, const qz_otp_row *o, qz_err *err);
    int (*otp_use)(void *impl, const char *iin, const unsigned char *code_hash, qz_instant now,
                   int max_tries, qz_err *err);
    int (*attempts_add)(void *impl, const char *key, int delta, qz_instant now, int64_t window_s,
                        qz_attempts *out, qz_err *err);

    /* Writes ws[0..n) atomically, ids assigned inside; bind (may be NULL) runs once they are
     * known and before anything is written, then `check` (store.c's checks, may be NULL)
     * on every case. */
    int (*cases_write)(void *impl, qz_case_write *ws, size_t n, qz_cases_bind_fn bind, void *ctx,
                       int (*check)(const qz_case_write *w, qz_err *err), qz_case_written *outs,
                       qz_err *err);
    /* The response kept with an idempotency key: 0 with *response (in `a`) or NULL, and
     * its fingerprint (in `a`) or NULL. */
    int (*idem_get)(void *impl, const char *key, qz_arena *a, const char **response,
                    const unsigned char **fingerprint, qz_err *err);
    /* qz_store_fault. */
    void (*fault)(void *impl, const char *point);
    /* Appends one event to an existing case's chain; the case itself is not changed. */
    int (*case_event_add)(void *impl, int64_t case_id, const qz_event_in *e, qz_err *err);
    /* The same, queued: 0 once queued; written with the next group commit. */
    int (*case_event_record)(void *impl, int64_t case_id, const qz_event_in *e, qz_err *err);
    int (*case_get)(void *impl, int64_t id, qz_arena *a, qz_case_row *out, qz_err *err);
    int (*case_events)(void *impl, int64_t case_id, qz_arena *a, qz_event_row **out, size_t *n,
                       qz_err *err);
    int (*case_steps)(void *impl, int64_t case_id, qz_arena *a, qz_step_row **out, size_t *n,
                      qz_err *err);
    int (*inbox)(void *impl, const char *unit, size_t limit, qz_arena *a, qz_inbox_row **out,
                 size_t *n, qz_err *err);

    /* The open steps the timers may concern at `now`, and recording one timer. */
    int (*timer_steps)(void *impl, qz_instant now, const qz_timer_cursor *after, size_t limit,
                       qz_arena *a, qz_timer_row **out, size_t *n, qz_err *err);
    int (*timer_mark)(void *impl, const qz_timer_mark *m, qz_err *err);

    /* store/pages.h; before 0: from the newest */
    int (*outbox_page)(void *impl, const char *iin, int64_t before, size_t limit, qz_arena *a,
                       qz_outbox_row **out, size_t *n, qz_err *err);
    int (*person_cases)(void *impl, const char *iin, int64_t before, size_t limit, qz_arena *a,
                        qz_case_row **out, size_t *n, qz_err *err);
    /* The event (may be NULL) gets {"complaint": id} as its data. */
    int (*complaint_add)(void *impl, const qz_complaint_row *c, const qz_event_in *event,
                         int64_t *id, qz_err *err);
    int (*complaint_get)(void *impl, int64_t id, qz_arena *a, qz_complaint_row *out, qz_err *err);
    int (*complaint_move)(void *impl, const qz_complaint_move *m, int64_t *version, qz_err *err);
    int (*complaint_list)(void *impl, const qz_complaint_filter *f, size_t limit, qz_arena *a,
                          qz_complaint_row **out, size_t *n, qz_err *err);

    /* Calls fn for every event in id order, all from one consistent snapshot. */
    int (*events_scan)(void *impl, qz_event_scan_fn fn, void *ctx, qz_err *err);

    /* The calendar the dues were counted with, and the cases not ended (calendar_days.h). */
    int (*calendar_days)(void *impl, qz_arena *a, qz_calendar_days_row **out, size_t *n,
                         qz_err *err);
    int (*calendar_days_put)(void *impl, const qz_calendar_days_row *rows, size_t n, qz_instant now,
                             qz_err *err);
    int (*unended_case_ids)(void *impl, qz_arena *a, int64_t **out, size_t *n, qz_err *err);
    /* The registers (store/registry.h; registry_backend.h). */
    const struct qz_registry_ops *registry;
    /* The documents issued (store/documents.h; documents_backend.h). */
    const struct qz_documents_ops *documents;

    /* Calls fn for every case in id order with what its row, its document and its
     * events say (qz_case_facts), from one snapshot. */
    int (*cases_scan)(void *impl, qz_case_scan_fn fn, void *ctx, qz_err *err);
} qz_store_ops;

extern const qz_store_ops qz_store_sqlite_ops;

/* The backend of an open store: its table of operations, and its handle in *impl. */
const qz_store_ops *qz_store_backend(qz_store *st, void **impl);

/* Walks the event chain through ops->events_scan (audit.c); returns as
 * qz_store_audit_verify. */
int qz_store_audit_walk(const qz_store_ops *ops, void *impl, uint64_t *n_events,
                        qz_audit_break *first_break, qz_err *err);

/* Compares every case's row with its document and its events (audit.c): 0 when all
 * agree, 1 with *first_break (QZ_AUDIT_CASE_ROW, the case, the field) at the first that
 * does not, or -1 with err. */
int qz_store_audit_cases(const qz_store_ops *ops, void *impl, qz_audit_break *first_break,
                         qz_err *err);

#endif
