/*
 * sqlite_int.h — the SQLite backend's insides, shared by its files (private).
 *
 *   store_sqlite.c   opening a file: inspect, WAL, migrations; the ops table
 *   sqlite_schema.c  the migrations
 *   sqlite_util.c    a connection with a cache of prepared statements; binding,
 *                    stepping, error mapping, reading columns into an arena
 *   sqlite_writer.c  the one writer thread and its group commit
 *   sqlite_reader.c  a pool of read connections
 *   sqlite_iin.c, sqlite_people.c, sqlite_outbox.c, sqlite_complaint.c, sqlite_case.c,
 * sqlite_case_read.c, sqlite_session.c, sqlite_audit.c   the operations
 *
 * Threads: a sq_conn is used by one thread at a time — the writer's by the writer
 * thread only (after open), a reader's by whoever holds it from the pool.
 */
#ifndef QZ_STORE_SQLITE_INT_H
#define QZ_STORE_SQLITE_INT_H

#include "store/backend.h"
#include "store/registry.h"

#include <pthread.h>
#include <sqlite3.h>

enum { SQ_CACHE = 96, SQ_READERS = 8, SQ_BUSY_TIMEOUT_MS = 5000, SQ_PENDING = 256 };

/* A connection and its prepared statements, found by the address of their SQL text
 * (each SQL is a static string of the file that uses it). */
typedef struct sq_conn {
    sqlite3 *db;
    const char *target; /* borrowed from the store: errors name it as their file */
    size_t n_cached;
    struct {
        const char *sql;
        sqlite3_stmt *stmt;
    } cache[SQ_CACHE];
} sq_conn;

/* What the writer hands each request of a batch: its connection, and the end of the
 * event chain as the batch has made it so far. */
typedef struct sq_batch {
    struct sq_store *store;
    sq_conn *c;
    int64_t tail_id; /* the last event's id (0: no events yet) */
    unsigned char tail_hash[QZ_HASH_LEN];
} sq_batch;

/* A write: runs on the writer thread inside its own savepoint; 0, or -1 with err (the
 * savepoint is then rolled back). It must reset every statement it steps. */
typedef int (*sq_apply_fn)(sq_batch *b, void *arg, qz_err *err);

typedef struct sq_req {
    sq_apply_fn fn;
    void *arg;
    qz_err err;
    int rc;
    bool done;
    pthread_cond_t cv; /* its caller waits on it (with the store's mu), alone */
    /* a detached request (sq_submit_detached): nobody waits; the writer releases it */
    void (*release)(void *arg, int rc, const qz_err *err);
    struct sq_req *next;
} sq_req;

typedef struct sq_store {
    char *target; /* owned, as given */
    char *path;   /* owned: what SQLite opens (a memdb URI for ":memory:") */
    int flags;    /* for sqlite3_open_v2 */
    int version;
    sq_conn w; /* the writer's connection */

    pthread_mutex_t mu;  /* guards the queue, stopping, stats and each request's done */
    pthread_cond_t work; /* the writer waits for requests */
    sq_req *head, *tail;
    bool stopping, running, sync_ready;
    pthread_t thread;
    qz_store_stats stats;
    char fault[32]; /* qz_store_fault's point, "" when none (guarded by mu) */
    /* Cases with access events queued and not yet committed (sq_case_event_record), so
     * that a read of a case's events waits for them: what one request recorded the next
     * one sees. Guarded by mu; `recorded` is broadcast when a count falls to 0. */
    struct {
        int64_t case_id;
        int n;
    } pending[SQ_PENDING];
    pthread_cond_t recorded;

    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv;
    bool pool_ready;
    sq_conn readers[SQ_READERS];
    bool reader_busy[SQ_READERS];
    int n_readers;
} sq_store;

/* The reads whose plans tests check (tests/unit/test_store_plans.c): each must use an
 * index, never scan its table. */
extern const char SQ_SQL_PERSON_CASES[], SQ_SQL_OUTBOX_PAGE[], SQ_SQL_OUTBOX_DUE[], SQ_SQL_INBOX[],
    SQ_SQL_TIMER_STEPS[];

/* ---- sqlite_util.c ---- */

/* Fills err from a SQLite result code (store.busy, store.corrupt, …); returns -1. */
int sq_fail(const sq_conn *c, int rc, qz_err *err);

/* Sets a store error naming the database file; returns -1. */
int sq_fail_key(const sq_conn *c, qz_code code, const char *key, const char *value, qz_err *err);

/* Opens c on `path`: extended result codes, the busy timeout. -1 with err on failure
 * (c is then closed by sq_conn_close, which the caller still calls). */
int sq_conn_open(sq_conn *c, const char *path, int flags, const char *target, qz_err *err);

/* Finalizes the cached statements and closes the connection; a closed c is a no-op. */
void sq_conn_close(sq_conn *c);

/* Runs SQL text of one or more statements without results. */
int sq_exec(sq_conn *c, const char *sql, qz_err *err);

/* Returns in *out the cached statement of `sql` (prepared on first use), reset and with
 * its bindings cleared. */
int sq_stmt(sq_conn *c, const char *sql, sqlite3_stmt **out, qz_err *err);

/* Binds parameters 1.. from the variadic arguments, one per letter of `types`:
 * 't' const char * (NULL binds NULL), 'i' int64_t, 'T' qz_instant (QZ_NO_TIME binds
 * NULL), 'h' a QZ_HASH_LEN-byte blob, 'b' the same or NULL. */
int sq_bind(sq_conn *c, sqlite3_stmt *s, qz_err *err, const char *types, ...);

/* Steps s to its end and resets it. A uniqueness violation becomes QZ_ECONFLICT
 * `conflict_key` with `conflict_value`; a CHECK violation QZ_EINPUT store.invalid_row. */
int sq_run(sq_conn *c, sqlite3_stmt *s, const char *conflict_key, const char *conflict_value,
           qz_err *err);

/* Steps s: 1 with a row, 0 at the end (s is reset), -1 with err (s is reset). */
int sq_row(sq_conn *c, sqlite3_stmt *s, qz_err *err);

/* Runs a query (no parameters) whose first row's first column is an integer. */
int sq_query_int(sq_conn *c, const char *sql, int64_t *out, qz_err *err);

/* Copies text column `col` into the arena: NULL for SQL NULL; sets *oom when out of memory. */
const char *sq_text(qz_arena *a, sqlite3_stmt *s, int col, bool *oom);

/* Returns integer column `col`, or QZ_NO_TIME for SQL NULL. */
qz_instant sq_time(sqlite3_stmt *s, int col);

/* Makes room for one more element of `size` bytes in an arena array of *n elements:
 * returns the (possibly moved) array, or NULL when out of memory. */
void *sq_grow(qz_arena *a, void *v, size_t n, size_t *cap, size_t size);

/* Reads one result row into `row` (strings into the arena). */
typedef int (*sq_read_fn)(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err);

/* Steps a bound statement to its end, reading every row into an arena array of
 * `size`-byte rows (*out, *n); returns 0 at the end, -1 with err. */
int sq_read_all(sq_conn *c, sqlite3_stmt *s, qz_arena *a, sq_read_fn fn, size_t size, void **out,
                size_t *n, qz_err *err);

/* The error of running out of memory while reading rows. */
int sq_oom(qz_err *err);

/* pthread calls on the store's own, correctly initialised mutexes and conditions cannot
 * fail; if one does, memory is corrupt, and these stop the process with a message
 * rather than go on without mutual exclusion. */
void sq_lock(pthread_mutex_t *m);
void sq_unlock(pthread_mutex_t *m);
void sq_wait(pthread_cond_t *c, pthread_mutex_t *m);
void sq_wake(pthread_cond_t *c, bool all);

/* ---- sqlite_writer.c ---- */

/* Starts the writer thread (after the schema is ready). */
int sq_writer_start(sq_store *s, qz_err *err);

/* Lets the writer finish the queued requests, then stops it. */
void sq_writer_stop(sq_store *s);

/* Runs fn(arg) on the writer thread in the next batch; returns when the batch holding it
 * has committed (0) or failed (-1 with err). */
int sq_submit(sq_store *s, sq_apply_fn fn, void *arg, qz_err *err);

/* Queues a write without waiting for it: the writer runs fn in its next batch and, once
 * the batch has committed (or failed), calls release(arg, rc, err) on its thread, which
 * frees arg. 0 once queued, or -1 with store.closed (release is then not called). */
int sq_submit_detached(sq_store *s, sq_apply_fn fn, void *arg,
                       void (*release)(void *arg, int rc, const qz_err *err), qz_err *err);
int sq_case_event_record(void *impl, int64_t case_id, const qz_event_in *e, qz_err *err);
/* Waits until no access event of case_id is queued uncommitted. */
void sq_case_recorded_wait(sq_store *s, int64_t case_id);

/* The writer's counters. */
void sq_stats(void *impl, qz_store_stats *out);

/* ---- sqlite_reader.c ---- */

/* Takes a read connection from the pool (opening one when none is free and there are
 * fewer than SQ_READERS; else waits). */
int sq_read_acquire(sq_store *s, sq_conn **out, qz_err *err);

/* Gives it back. */
void sq_read_release(sq_store *s, sq_conn *c);

/* Closes every read connection. */
void sq_readers_close(sq_store *s);

/* ---- sqlite_schema.c ---- */

extern const char *const sq_migrations[];
extern const int sq_n_migrations;

/* ---- operations ---- */

int sq_iin_claim(void *impl, const char *iin, qz_instant now, qz_err *err);
int sq_iin_issue(void *impl, qz_date birth, qz_sex sex, uint64_t seed, qz_instant now, char *out,
                 qz_err *err);
/* Issues a new IIN inside the writer's batch b (as sq_iin_issue, in the caller's savepoint). */
int sq_iin_issue_in(sq_batch *b, qz_date birth, qz_sex sex, uint64_t seed, qz_instant now,
                    char *out, qz_err *err);

/* Applies register effects (store/registry.h) inside the writer's batch b, in the caller's
 * savepoint: the extension point of a case's write. */
int sq_registry_effects_in(sq_batch *b, qz_reg_effect *e, size_t n, qz_instant now, qz_err *err);
/* The same in a write of its own (registry.h: qz_registry_apply). */
int sq_registry_apply(void *impl, qz_reg_effect *e, size_t n, qz_instant now, qz_err *err);

int sq_unit_add(void *impl, const qz_unit_row *u, qz_err *err);
int sq_unit_get(void *impl, const char *code, qz_arena *a, qz_unit_row *out, qz_err *err);
int sq_unit_list(void *impl, const char *region, qz_arena *a, qz_unit_row **out, size_t *n,
                 qz_err *err);
int sq_user_add(void *impl, const qz_user_row *u, const char *hash, int64_t *id, qz_err *err);
int sq_user_find(void *impl, const char *login, qz_arena *a, qz_user_row *out, const char **hash,
                 qz_err *err);
int sq_user_get(void *impl, const char *login, qz_arena *a, qz_user_row *out, qz_err *err);
int sq_person_add(void *impl, const qz_person_row *p, qz_err *err);
int sq_person_get(void *impl, const char *iin, qz_arena *a, qz_person_row *out, qz_err *err);

int sq_outbox_append(void *impl, const qz_outbox_row *m, int64_t *id, qz_err *err);
int sq_outbox_due(void *impl, size_t limit, qz_arena *a, qz_outbox_due **out, size_t *n,
                  qz_err *err);
int sq_outbox_tried(void *impl, const qz_outbox_try *t, qz_err *err);
int sq_cases_scan(void *impl, qz_case_scan_fn fn, void *ctx, qz_err *err);
int sq_setting_get(void *impl, const char *key, qz_arena *a, const char **value, qz_err *err);
int sq_setting_put(void *impl, const char *key, const char *value, qz_err *err);
int sq_outbox_list(void *impl, const char *to_iin, qz_arena *a, qz_outbox_row **out, size_t *n,
                   qz_err *err);

int sq_session_add(void *impl, const qz_session_row *s, qz_err *err);
int sq_session_get(void *impl, const unsigned char *token_hash, qz_arena *a, qz_session_row *out,
                   qz_err *err);
int sq_session_delete(void *impl, const unsigned char *token_hash, qz_err *err);
int sq_otp_put(void *impl, const qz_otp_row *o, qz_err *err);
int sq_otp_use(void *impl, const char *iin, const unsigned char *code_hash, qz_instant now,
               int max_tries, qz_err *err);
int sq_attempts_add(void *impl, const char *key, int delta, qz_instant now, int64_t window_s,
                    qz_attempts *out, qz_err *err);

int sq_cases_write(void *impl, qz_case_write *ws, size_t n, qz_cases_bind_fn bind, void *ctx,
                   int (*check)(const qz_case_write *w, qz_err *err), qz_case_written *outs,
                   qz_err *err);
int sq_idem_get(void *impl, const char *key, qz_arena *a, const char **response,
                const unsigned char **fingerprint, qz_err *err);
void sq_fault(void *impl, const char *point);
/* Appends message m to the outbox inside the batch's transaction. */
int sq_outbox_insert(sq_batch *b, const qz_outbox_row *m, int64_t *id, qz_err *err);
int sq_case_event_add(void *impl, int64_t case_id, const qz_event_in *e, qz_err *err);
/* Appends event e to the chain of case `case_id` inside the writer's batch b (on the
 * writer thread, in the caller's savepoint); the case itself is not changed. */
int sq_case_event_append(sq_batch *b, int64_t case_id, const qz_event_in *e, qz_err *err);
int sq_case_get(void *impl, int64_t id, qz_arena *a, qz_case_row *out, qz_err *err);
int sq_case_events(void *impl, int64_t case_id, qz_arena *a, qz_event_row **out, size_t *n,
                   qz_err *err);
int sq_case_steps(void *impl, int64_t case_id, qz_arena *a, qz_step_row **out, size_t *n,
                  qz_err *err);
int sq_timer_steps(void *impl, qz_instant now, const qz_timer_cursor *after, size_t limit,
                   qz_arena *a, qz_timer_row **out, size_t *n, qz_err *err);
int sq_timer_mark(void *impl, const qz_timer_mark *m, qz_err *err);
int sq_inbox(void *impl, const char *unit, size_t limit, qz_arena *a, qz_inbox_row **out, size_t *n,
             qz_err *err);

int sq_outbox_page(void *impl, const char *iin, int64_t before, size_t limit, qz_arena *a,
                   qz_outbox_row **out, size_t *n, qz_err *err);
int sq_person_cases(void *impl, const char *iin, int64_t before, size_t limit, qz_arena *a,
                    qz_case_row **out, size_t *n, qz_err *err);
int sq_complaint_add(void *impl, const qz_complaint_row *c, const qz_event_in *event, int64_t *id,
                     qz_err *err);
int sq_complaint_get(void *impl, int64_t id, qz_arena *a, qz_complaint_row *out, qz_err *err);
int sq_complaint_move(void *impl, const qz_complaint_move *m, int64_t *version, qz_err *err);
int sq_complaint_list(void *impl, const qz_complaint_filter *f, size_t limit, qz_arena *a,
                      qz_complaint_row **out, size_t *n, qz_err *err);

int sq_events_scan(void *impl, qz_event_scan_fn fn, void *ctx, qz_err *err);

/* calendar_days.h */
int sq_calendar_days(void *impl, qz_arena *a, qz_calendar_days_row **out, size_t *n, qz_err *err);
int sq_calendar_days_put(void *impl, const qz_calendar_days_row *rows, size_t n, qz_instant now,
                         qz_err *err);
int sq_unended_case_ids(void *impl, qz_arena *a, int64_t **out, size_t *n, qz_err *err);

#endif
