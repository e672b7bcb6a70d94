/*
 * sqlite_case_read.c — reading cases back: one case, its events, its steps, a unit's
 * inbox (the open steps, soonest due first, from the partial index case_steps_inbox),
 * and the answer kept with an idempotency key. Each is one statement on a read
 * connection of the pool.
 */
#include "store/sqlite_int.h"

#include <string.h>

static const char SQL_CASE[] =
    "SELECT id, version, region, number, service, version_of_standard, state, status, branch,"
    " applicant, subject, due_at, created_at, updated_at, doc FROM cases WHERE id = ?1";
/* By the primary key of idempotency (its autoindex). */
static const char SQL_IDEM[] =
    "SELECT response, fingerprint FROM idempotency WHERE key = ?1 LIMIT ?2";
static const char SQL_EVENTS[] =
    "SELECT id, region, case_id, seq, at, actor, role, unit, action, from_state, to_state, data,"
    " prev_hash, hash FROM events WHERE case_id = ?1 ORDER BY seq";
static const char SQL_STEPS[] =
    "SELECT case_id, step, role, unit, started_at, due_at, done_at FROM case_steps"
    " WHERE case_id = ?1 ORDER BY n";
const char SQ_SQL_INBOX[] =
    "SELECT s.case_id, s.step, s.role, s.unit, s.started_at, s.due_at, s.done_at,"
    " c.number, c.service, c.state, c.version, c.due_at,"
    " coalesce(json_extract(c.doc, '$.at_risk'), 0),"
    " json_extract(c.doc, '$.data.assigned.\"' || s.role || '\"')"
    " FROM case_steps s JOIN cases c ON c.id = s.case_id"
    " WHERE s.unit = ?1 AND s.done_at IS NULL ORDER BY s.due_at, s.case_id LIMIT ?2";
/* The open steps (read from the inbox's partial index) in their last quarter or overdue,
 * with the timers recorded on each run. */
/* risk_at (migration 10) is where the last quarter begins, rounded up: the index range
 * risk_at <= now holds every step the exact condition after it keeps. */
const char SQ_SQL_TIMER_STEPS[] =
    "SELECT s.case_id, s.step, s.role, s.unit, s.started_at, s.due_at, s.done_at,"
    " c.region, c.service, c.version_of_standard,"
    " (SELECT coalesce(sum(m.kind), 0) FROM case_timers m WHERE m.case_id = s.case_id"
    "  AND m.step = s.step AND m.started_at = s.started_at), s.n"
    " FROM case_steps s INDEXED BY case_steps_risk JOIN cases c ON c.id = s.case_id"
    " WHERE s.done_at IS NULL AND s.due_at > 0 AND s.risk_at <= ?1"
    " AND 4 * (s.due_at - ?1) < s.due_at - s.started_at AND (s.case_id, s.n) > (?2, ?3)"
    " ORDER BY s.case_id, s.n LIMIT ?4";

/* Three indexed lookups, each newest first and cut at the page's size, merged: the
 * applicant (cases_applicant), the subject (cases_subject), the representative, who is
 * only in the doc (the expression index cases_representative). ?3 is the id the page
 * starts below. */
const char SQ_SQL_PERSON_CASES[] =
    "SELECT id, version, region, number, service, version_of_standard, state, status, branch,"
    " applicant, subject, due_at, created_at, updated_at, NULL FROM cases WHERE id IN ("
    " SELECT id FROM (SELECT id FROM cases WHERE applicant = ?1 AND id < ?3"
    "  ORDER BY id DESC LIMIT ?2)"
    " UNION SELECT id FROM (SELECT id FROM cases WHERE subject = ?1 AND id < ?3"
    "  ORDER BY id DESC LIMIT ?2)"
    " UNION SELECT id FROM (SELECT id FROM cases"
    "  WHERE json_extract(doc, '$.representative') = ?1 AND id < ?3 ORDER BY id DESC LIMIT ?2))"
    " ORDER BY id DESC LIMIT ?2";

static int read_case(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_case_row *k = row;
    bool oom = false;
    k->id = sqlite3_column_int64(s, 0);
    k->version = sqlite3_column_int64(s, 1);
    k->region = sq_text(a, s, 2, &oom);
    k->number = sq_text(a, s, 3, &oom);
    k->service = sq_text(a, s, 4, &oom);
    k->standard_version = sq_text(a, s, 5, &oom);
    k->state = sq_text(a, s, 6, &oom);
    k->status = sq_text(a, s, 7, &oom);
    k->branch = sq_text(a, s, 8, &oom);
    k->applicant = sq_text(a, s, 9, &oom);
    k->subject = sq_text(a, s, 10, &oom);
    k->due_at = sqlite3_column_int64(s, 11);
    k->created_at = sqlite3_column_int64(s, 12);
    k->updated_at = sqlite3_column_int64(s, 13);
    k->doc = sq_text(a, s, 14, &oom);
    return oom ? sq_oom(err) : 0;
}

static void copy_hash(sqlite3_stmt *s, int col, unsigned char *out)
{
    const void *h = sqlite3_column_blob(s, col);
    int n = sqlite3_column_bytes(s, col);
    memset(out, 0, QZ_HASH_LEN);
    if (h)
        memcpy(out, h, n < QZ_HASH_LEN ? (size_t)n : QZ_HASH_LEN);
}

static int read_event(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_event_row *e = row;
    bool oom = false;
    e->id = sqlite3_column_int64(s, 0);
    e->region = sq_text(a, s, 1, &oom);
    e->case_id = sqlite3_column_int64(s, 2);
    e->seq = sqlite3_column_int64(s, 3);
    e->at = sqlite3_column_int64(s, 4);
    e->actor = sq_text(a, s, 5, &oom);
    e->role = sq_text(a, s, 6, &oom);
    e->unit = sq_text(a, s, 7, &oom);
    e->action = sq_text(a, s, 8, &oom);
    e->from_state = sq_text(a, s, 9, &oom);
    e->to_state = sq_text(a, s, 10, &oom);
    e->data = sq_text(a, s, 11, &oom);
    copy_hash(s, 12, e->prev_hash);
    copy_hash(s, 13, e->hash);
    return oom ? sq_oom(err) : 0;
}

static int read_step(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_step_row *st = row;
    bool oom = false;
    st->case_id = sqlite3_column_int64(s, 0);
    st->step = sq_text(a, s, 1, &oom);
    st->role = sq_text(a, s, 2, &oom);
    st->unit = sq_text(a, s, 3, &oom);
    st->started_at = sqlite3_column_int64(s, 4);
    st->due_at = sqlite3_column_int64(s, 5);
    st->done_at = sq_time(s, 6);
    return oom ? sq_oom(err) : 0;
}

static int read_inbox(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_inbox_row *in = row;
    bool oom = false;
    if (read_step(s, a, &in->step, err))
        return -1;
    in->number = sq_text(a, s, 7, &oom);
    in->service = sq_text(a, s, 8, &oom);
    in->state = sq_text(a, s, 9, &oom);
    in->version = sqlite3_column_int64(s, 10);
    in->case_due_at = sqlite3_column_int64(s, 11);
    in->at_risk = sqlite3_column_int(s, 12) != 0;
    in->assignee = sq_text(a, s, 13, &oom);
    return oom ? sq_oom(err) : 0;
}

static int read_timer(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_timer_row *t = row;
    bool oom = false;
    if (read_step(s, a, &t->step, err))
        return -1;
    t->region = sq_text(a, s, 7, &oom);
    t->service = sq_text(a, s, 8, &oom);
    t->standard_version = sq_text(a, s, 9, &oom);
    t->marked = (unsigned)sqlite3_column_int64(s, 10);
    t->n = sqlite3_column_int64(s, 11);
    return oom ? sq_oom(err) : 0;
}

/* Runs `sql` with (id or text, limit) on a reader and reads all rows. */
static int query(sq_store *st, const char *sql, const char *types, int64_t id, const char *text,
                 int64_t limit, qz_arena *a, sq_read_fn fn, size_t size, void **out, size_t *n,
                 qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(st, &c, err))
        return -1;
    int r = sq_stmt(c, sql, &s, err);
    if (r == 0)
        r = types[0] == 'i' ? sq_bind(c, s, err, "i", id) : sq_bind(c, s, err, "ti", text, limit);
    if (r == 0)
        r = sq_read_all(c, s, a, fn, size, out, n, err);
    sqlite3_reset(s);
    sq_read_release(st, c);
    return r < 0 ? -1 : 0;
}

int sq_case_get(void *impl, int64_t id, qz_arena *a, qz_case_row *out, qz_err *err)
{
    void *rows = NULL;
    size_t n = 0;
    if (query(impl, SQL_CASE, "i", id, NULL, 0, a, read_case, sizeof *out, &rows, &n, err))
        return -1;
    if (n == 0)
        return qz_err_setf(err, QZ_ENOTFOUND, "store.case_not_found", "id", "%lld", (long long)id);
    *out = *(qz_case_row *)rows;
    return 0;
}

/* A response kept with an idempotency key, and the request's fingerprint. */
typedef struct kept {
    const char *response;
    const unsigned char *fingerprint;
} kept;

static int read_response(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    kept *k = row;
    bool oom = false;
    k->response = sq_text(a, s, 0, &oom);
    k->fingerprint = NULL;
    if (sqlite3_column_bytes(s, 1) == QZ_HASH_LEN) {
        unsigned char *f = qz_arena_alloc(a, QZ_HASH_LEN);
        if (f)
            memcpy(f, sqlite3_column_blob(s, 1), QZ_HASH_LEN);
        oom = oom || !f;
        k->fingerprint = f;
    }
    return oom ? sq_oom(err) : 0;
}

int sq_idem_get(void *impl, const char *key, qz_arena *a, const char **response,
                const unsigned char **fingerprint, qz_err *err)
{
    void *rows = NULL;
    size_t n = 0;
    *response = NULL;
    *fingerprint = NULL;
    if (query(impl, SQL_IDEM, "t", 0, key, 1, a, read_response, sizeof(kept), &rows, &n, err))
        return -1;
    if (n > 0) {
        *response = ((kept *)rows)->response;
        *fingerprint = ((kept *)rows)->fingerprint;
    }
    return 0;
}

int sq_case_events(void *impl, int64_t case_id, qz_arena *a, qz_event_row **out, size_t *n,
                   qz_err *err)
{
    sq_case_recorded_wait(impl, case_id); /* a read recorded just before is in the history */
    return query(impl, SQL_EVENTS, "i", case_id, NULL, 0, a, read_event, sizeof **out, (void **)out,
                 n, err);
}

int sq_case_steps(void *impl, int64_t case_id, qz_arena *a, qz_step_row **out, size_t *n,
                  qz_err *err)
{
    return query(impl, SQL_STEPS, "i", case_id, NULL, 0, a, read_step, sizeof **out, (void **)out,
                 n, err);
}

int sq_inbox(void *impl, const char *unit, size_t limit, qz_arena *a, qz_inbox_row **out, size_t *n,
             qz_err *err)
{
    int64_t lim = limit == 0 || limit > INT64_MAX ? -1 : (int64_t)limit; /* -1: no limit */
    return query(impl, SQ_SQL_INBOX, "t", 0, unit, lim, a, read_inbox, sizeof **out, (void **)out,
                 n, err);
}

int sq_timer_steps(void *impl, qz_instant now, const qz_timer_cursor *after, size_t limit,
                   qz_arena *a, qz_timer_row **out, size_t *n, qz_err *err)
{
    int64_t lim = limit == 0 || limit > INT64_MAX ? -1 : (int64_t)limit;
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQ_SQL_TIMER_STEPS, &s, err) ||
                    sq_bind(c, s, err, "iiii", (int64_t)now, after ? after->case_id : 0,
                            after ? after->n : 0, lim)
                ? -1
                : 0;
    if (r == 0)
        r = sq_read_all(c, s, a, read_timer, sizeof **out, (void **)out, n, err);
    sqlite3_reset(s);
    sq_read_release(impl, c);
    return r < 0 ? -1 : 0;
}

int sq_person_cases(void *impl, const char *iin, int64_t before, size_t limit, qz_arena *a,
                    qz_case_row **out, size_t *n, qz_err *err)
{
    int64_t lim = limit == 0 || limit > INT64_MAX ? -1 : (int64_t)limit;
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQ_SQL_PERSON_CASES, &s, err) ||
                    sq_bind(c, s, err, "tii", iin, lim, before > 0 ? before : INT64_MAX)
                ? -1
                : 0;
    if (r == 0)
        r = sq_read_all(c, s, a, read_case, sizeof **out, (void **)out, n, err);
    sqlite3_reset(s);
    sq_read_release(impl, c);
    return r < 0 ? -1 : 0;
}
