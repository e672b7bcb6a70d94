/*
 * sqlite_case.c — writing a case: its row, its steps and its events in one savepoint
 * of the writer's batch (sqlite_writer.c), with optimistic concurrency by version and
 * idempotency by the client's key. Events get the next ids of the chain and their
 * hash (chain.h) from the batch's tail, which the writer keeps across the batch.
 */
#include "store/chain.h"
#include "store/sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_IDEM_GET[] =
    "SELECT i.case_id, i.response, c.version, c.number, i.fingerprint FROM idempotency i"
    " LEFT JOIN cases c ON c.id = i.case_id WHERE i.key = ?1";
static const char SQL_IDEM_PUT[] =
    "INSERT INTO idempotency(key, region, case_id, response, created_at, fingerprint)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_NEXT_ID[] = "SELECT coalesce(max(id), 0) + 1 FROM cases";
static const char SQL_INSERT[] =
    "INSERT INTO cases(id, region, number, service, version_of_standard, state, status, branch,"
    " applicant, subject, due_at, created_at, updated_at, version, doc)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, 1, ?13)";
static const char SQL_HEAD[] = "SELECT version, region, number FROM cases WHERE id = ?1";
static const char SQL_UPDATE[] =
    "UPDATE cases SET state = ?2, status = ?3, branch = ?4, due_at = ?5, updated_at = ?6,"
    " version = ?7, doc = ?8 WHERE id = ?1";
static const char SQL_STEPS_DELETE[] = "DELETE FROM case_steps WHERE case_id = ?1";
static const char SQL_STEP_INSERT[] =
    "INSERT INTO case_steps(region, case_id, n, step, role, unit, started_at, due_at, done_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_TIMER_INSERT[] =
    "INSERT INTO case_timers(region, case_id, step, started_at, kind, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_LAST_SEQ[] = "SELECT coalesce(max(seq), 0) FROM events WHERE case_id = ?1";
static const char SQL_EVENT_INSERT[] =
    "INSERT INTO events(id, region, case_id, seq, at, actor, role, unit, action, from_state,"
    " to_state, data, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
    " ?13, ?14)";

typedef struct case_req {
    const qz_case_write *w;
    qz_case_written *out;
    char region[128]; /* the case's region (an update reads it from the row) */
} case_req;

static void set_number(qz_case_written *out, const char *number)
{
    snprintf(out->number, sizeof out->number, "%s", number ? number : "");
}

/* Looks the key up: 1 when seen before (out filled from the original), 0 when new; -1
 * with idempotency.key_reused when it was kept with another request's fingerprint. */
static int replay(sq_batch *b, case_req *r, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sq_stmt(b->c, SQL_IDEM_GET, &s, err) || sq_bind(b->c, s, err, "t", r->w->idem_key))
        return -1;
    int found = sq_row(b->c, s, err);
    if (found != 1)
        return found;
    const void *kept = sqlite3_column_blob(s, 4);
    if (r->w->fingerprint && kept && sqlite3_column_bytes(s, 4) == QZ_HASH_LEN &&
        memcmp(kept, r->w->fingerprint, QZ_HASH_LEN) != 0) {
        sqlite3_reset(s);
        return qz_err_set(err, QZ_EINPUT, "idempotency.key_reused", "Idempotency-Key",
                          r->w->idem_key);
    }
    const char *response = (const char *)sqlite3_column_text(s, 1);
    r->out->id = sqlite3_column_int64(s, 0);
    r->out->version = sqlite3_column_int64(s, 2);
    set_number(r->out, (const char *)sqlite3_column_text(s, 3));
    r->out->replayed = true;
    r->out->response = strdup(response ? response : "");
    sqlite3_reset(s);
    return r->out->response ? 1 : sq_oom(err);
}

/* Gives the case to be created its id and number (the ids of one write follow each
 * other: the writer is the only one, inside its transaction). */
static void assign_id(case_req *r, int64_t id)
{
    const qz_case_write *w = r->w;
    if (w->number)
        set_number(r->out, w->number);
    else
        snprintf(r->out->number, sizeof r->out->number, "%s-%08lld", w->region, (long long)id);
    snprintf(r->region, sizeof r->region, "%s", w->region);
    r->out->id = id;
    r->out->version = 1;
}

static int create_case(sq_batch *b, case_req *r, qz_err *err)
{
    const qz_case_write *w = r->w;
    sqlite3_stmt *s = NULL;
    return sq_stmt(b->c, SQL_INSERT, &s, err) ||
                   sq_bind(b->c, s, err, "itttttttttTTt", r->out->id, w->region, r->out->number,
                           w->service, w->standard_version, w->state, w->status, w->branch,
                           w->applicant, w->subject, w->due_at, w->now, w->doc) ||
                   sq_run(b->c, s, "store.case_number_taken", r->out->number, err)
               ? -1
               : 0;
}

/* Reads the head of the existing case r->w->id: its region into r->region, and, when
 * asked, its version and its number (into r->out). */
static int read_head(sq_batch *b, case_req *r, int64_t *version, bool number, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sq_stmt(b->c, SQL_HEAD, &s, err) || sq_bind(b->c, s, err, "i", r->w->id))
        return -1;
    int found = sq_row(b->c, s, err);
    if (found == 0)
        return qz_err_setf(err, QZ_ENOTFOUND, "store.case_not_found", "id", "%lld",
                           (long long)r->w->id);
    if (found < 0)
        return -1;
    if (version)
        *version = sqlite3_column_int64(s, 0);
    const char *region = (const char *)sqlite3_column_text(s, 1);
    snprintf(r->region, sizeof r->region, "%s", region ? region : "");
    if (number)
        set_number(r->out, (const char *)sqlite3_column_text(s, 2));
    sqlite3_reset(s);
    return 0;
}

/* Reads the case's version, region and number; checks the caller's version. */
static int check_head(sq_batch *b, case_req *r, int64_t *version, qz_err *err)
{
    if (read_head(b, r, version, true, err))
        return -1;
    if (*version != r->w->expected_version)
        return qz_err_setf(err, QZ_ECONFLICT, "store.stale_version", "version", "%lld",
                           (long long)*version);
    return 0;
}

/* Checks the version of the case to be updated and gives it its next one. */
static int claim_update(sq_batch *b, case_req *r, qz_err *err)
{
    int64_t version = 0;
    if (check_head(b, r, &version, err))
        return -1;
    r->out->id = r->w->id;
    r->out->version = version + 1;
    return 0;
}

static int update_case(sq_batch *b, case_req *r, qz_err *err)
{
    const qz_case_write *w = r->w;
    sqlite3_stmt *s = NULL;
    return sq_stmt(b->c, SQL_UPDATE, &s, err) ||
                   sq_bind(b->c, s, err, "itttTTit", w->id, w->state, w->status, w->branch,
                           w->due_at, w->now, r->out->version, w->doc) ||
                   sq_run(b->c, s, NULL, NULL, err) || sq_stmt(b->c, SQL_STEPS_DELETE, &s, err) ||
                   sq_bind(b->c, s, err, "i", w->id) || sq_run(b->c, s, NULL, NULL, err)
               ? -1
               : 0;
}

static int insert_steps(sq_batch *b, case_req *r, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    for (size_t i = 0; i < r->w->n_steps; i++) {
        const qz_step_row *st = &r->w->steps[i];
        if (sq_stmt(b->c, SQL_STEP_INSERT, &s, err) ||
            sq_bind(b->c, s, err, "tiitttTTT", r->region, r->out->id, (int64_t)i + 1, st->step,
                    st->role, st->unit, st->started_at, st->due_at, st->done_at) ||
            sq_run(b->c, s, NULL, NULL, err))
            return -1;
    }
    return 0;
}

/* Appends one event at the end of the chain and moves the batch's tail to it. */
static int insert_event(sq_batch *b, qz_event_row *row, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    row->id = b->tail_id + 1;
    memcpy(row->prev_hash, b->tail_hash, QZ_HASH_LEN);
    if (qz_chain_hash(row, row->hash, err) || sq_stmt(b->c, SQL_EVENT_INSERT, &s, err) ||
        sq_bind(b->c, s, err, "itiiittttttthh", row->id, row->region, row->case_id, row->seq,
                row->at, row->actor, row->role, row->unit, row->action, row->from_state,
                row->to_state, row->data, row->prev_hash, row->hash) ||
        sq_run(b->c, s, "store.event_exists", NULL, err))
        return -1;
    b->tail_id = row->id;
    memcpy(b->tail_hash, row->hash, QZ_HASH_LEN);
    return 0;
}

static int append_events(sq_batch *b, case_req *r, qz_err *err)
{
    int64_t seq = 0;
    sqlite3_stmt *s = NULL;
    if (r->w->id != 0) { /* a new case has no events yet */
        if (sq_stmt(b->c, SQL_LAST_SEQ, &s, err) || sq_bind(b->c, s, err, "i", r->out->id) ||
            sq_row(b->c, s, err) != 1)
            return -1;
        seq = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    }
    for (size_t i = 0; i < r->w->n_events; i++) {
        const qz_event_in *e = &r->w->events[i];
        seq++;
        qz_event_row row = {.region = r->region,
                            .case_id = r->out->id,
                            .seq = seq,
                            .at = e->at,
                            .actor = e->actor,
                            .role = e->role,
                            .unit = e->unit,
                            .action = e->action,
                            .from_state = e->from_state,
                            .to_state = e->to_state,
                            .data = e->data};
        if (insert_event(b, &row, err))
            return -1;
    }
    return 0;
}

/* Keeps the response with the key, and hands a copy back in out->response. */
static int keep_response(sq_batch *b, case_req *r, qz_err *err)
{
    const qz_case_write *w = r->w;
    sqlite3_stmt *s = NULL;
    r->out->response = w->respond ? w->respond(w->respond_ctx, r->out) : strdup(w->response);
    if (!r->out->response)
        return sq_oom(err);
    return sq_stmt(b->c, SQL_IDEM_PUT, &s, err) ||
                   sq_bind(b->c, s, err, "ttitTb", w->idem_key, r->region, r->out->id,
                           r->out->response, w->now, w->fingerprint) ||
                   sq_run(b->c, s, "store.idem_key_taken", w->idem_key, err)
               ? -1
               : 0;
}

/* Fails the write when the test build asked for a fault at `point` (once). */
static int fault_at(sq_batch *b, const char *point, qz_err *err)
{
    sq_store *st = b->store;
    bool hit = false;
    sq_lock(&st->mu);
    if (st->fault[0] && strcmp(st->fault, point) == 0) {
        st->fault[0] = '\0';
        hit = true;
    }
    sq_unlock(&st->mu);
    return hit ? qz_err_set(err, QZ_EIO, "store.fault_injected", NULL, point) : 0;
}

void sq_fault(void *impl, const char *point)
{
    sq_store *st = impl;
    sq_lock(&st->mu);
    snprintf(st->fault, sizeof st->fault, "%s", point ? point : "");
    sq_unlock(&st->mu);
}

static int insert_messages(sq_batch *b, case_req *r, qz_err *err)
{
    if (r->w->n_messages && fault_at(b, "messages", err))
        return -1;
    for (size_t i = 0; i < r->w->n_messages; i++)
        if (sq_outbox_insert(b, &r->w->messages[i], NULL, err))
            return -1;
    return 0;
}

/* The writes of one sq_cases_write, as the writer runs them. */
typedef struct cases_req {
    qz_case_write *ws;
    qz_case_written *outs;
    case_req *r;
    size_t n;
    qz_cases_bind_fn bind;
    void *ctx;
    int (*check)(const qz_case_write *w, qz_err *err);
} cases_req;

/* Names case k of a write of several in err's field: "cases[1].doc". */
static int at_case(const cases_req *q, size_t k, qz_err *err)
{
    char at[32];
    if (q->n > 1) {
        snprintf(at, sizeof at, "cases[%zu]", k);
        qz_err_prefix_field(err, at);
    }
    return -1;
}

/* Every case gets its id (a new one) or its next version (an update), then bind fills in
 * what needs them, then each is checked. */
static int claim_all(sq_batch *b, cases_req *q, qz_err *err)
{
    int64_t next = 0;
    for (size_t k = 0; k < q->n; k++) {
        if (q->ws[k].id != 0) {
            if (claim_update(b, &q->r[k], err))
                return at_case(q, k, err);
            continue;
        }
        if (next == 0 && sq_query_int(b->c, SQL_NEXT_ID, &next, err))
            return -1;
        assign_id(&q->r[k], next++);
    }
    if (q->bind && q->bind(q->ctx, q->ws, q->outs, q->n, err))
        return -1;
    for (size_t k = 0; q->check && k < q->n; k++)
        if (q->check(&q->ws[k], err))
            return at_case(q, k, err);
    return 0;
}

static int apply_cases(sq_batch *b, void *arg, qz_err *err)
{
    cases_req *q = arg;
    case_req *keyed = &q->r[q->n - 1];
    int seen = keyed->w->idem_key ? replay(b, keyed, err) : 0;
    if (seen)
        return seen < 0 ? -1 : 0;
    if (claim_all(b, q, err))
        return -1;
    for (size_t k = 0; k < q->n; k++) {
        case_req *r = &q->r[k];
        if ((r->w->id == 0 ? create_case(b, r, err) : update_case(b, r, err)) ||
            insert_steps(b, r, err) || append_events(b, r, err) || insert_messages(b, r, err))
            return at_case(q, k, err);
    }
    return keyed->w->idem_key ? keep_response(b, keyed, err) : 0;
}

int sq_cases_write(void *impl, qz_case_write *ws, size_t n, qz_cases_bind_fn bind, void *ctx,
                   int (*check)(const qz_case_write *w, qz_err *err), qz_case_written *outs,
                   qz_err *err)
{
    case_req *r = calloc(n, sizeof *r);
    if (!r)
        return sq_oom(err);
    for (size_t k = 0; k < n; k++)
        r[k] = (case_req){.w = &ws[k], .out = &outs[k]};
    cases_req q = {ws, outs, r, n, bind, ctx, check};
    int rc = sq_submit(impl, apply_cases, &q, err);
    free(r);
    return rc;
}

/* Appends the events of r->w to an existing case, leaving its row and steps alone. */
static int apply_event_add(sq_batch *b, void *arg, qz_err *err)
{
    case_req *r = arg;
    return read_head(b, r, NULL, false, err) || append_events(b, r, err) ? -1 : 0;
}

int sq_case_event_append(sq_batch *b, int64_t case_id, const qz_event_in *e, qz_err *err)
{
    qz_case_write w = {.id = case_id, .events = e, .n_events = 1};
    qz_case_written out = {.id = case_id};
    case_req r = {.w = &w, .out = &out};
    return apply_event_add(b, &r, err);
}

int sq_case_event_add(void *impl, int64_t case_id, const qz_event_in *e, qz_err *err)
{
    qz_case_write w = {.id = case_id, .events = e, .n_events = 1};
    qz_case_written out = {.id = case_id};
    case_req r = {.w = &w, .out = &out};
    return sq_submit(impl, apply_event_add, &r, err);
}

/* An access event queued without waiting (sq_case_event_record): the write and a copy of
 * the event's strings, owned until the writer releases it. */
typedef struct recorded {
    case_req r; /* first: the writer's argument is the whole */
    sq_store *st;
    qz_case_write w;
    qz_case_written out;
    qz_event_in e;
    char text[]; /* the event's strings, one after another */
} recorded;

/* The slot of case_id among the pending (mu held): its own, else a free one when `take`,
 * else NULL. */
static int pending_slot(sq_store *st, int64_t case_id, bool take)
{
    int free_slot = -1;
    for (int i = 0; i < SQ_PENDING; i++) {
        if (st->pending[i].n > 0 && st->pending[i].case_id == case_id)
            return i;
        if (free_slot < 0 && st->pending[i].n == 0)
            free_slot = i;
    }
    return take ? free_slot : -1;
}

void sq_case_recorded_wait(sq_store *st, int64_t case_id)
{
    sq_lock(&st->mu);
    while (pending_slot(st, case_id, false) >= 0)
        sq_wait(&st->recorded, &st->mu);
    sq_unlock(&st->mu);
}

static void release_recorded(void *arg, int rc, const qz_err *err)
{
    recorded *x = arg;
    sq_lock(&x->st->mu);
    int i = pending_slot(x->st, x->w.id, false);
    if (i >= 0 && --x->st->pending[i].n == 0)
        pthread_cond_broadcast(&x->st->recorded);
    sq_unlock(&x->st->mu);
    if (rc != 0) /* the answer has gone: the failure can only be reported */
        fprintf(stderr, "qyzmet: recording %s of case %lld by %s failed: %s %s\n", x->e.action,
                (long long)x->w.id, x->e.actor, err->key, err->value);
    free(x);
}

/* Copies s to *at and moves *at past it; NULL stays NULL. */
static const char *keep_str(const char *s, char **at)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    memcpy(*at, s, n);
    const char *kept = *at;
    *at += n;
    return kept;
}

int sq_case_event_record(void *impl, int64_t case_id, const qz_event_in *e, qz_err *err)
{
    const char *parts[] = {e->actor,      e->role,     e->unit, e->action,
                           e->from_state, e->to_state, e->data};
    size_t n = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        n += parts[i] ? strlen(parts[i]) + 1 : 0;
    recorded *x = calloc(1, sizeof *x + n);
    if (!x)
        return sq_oom(err);
    char *at = x->text;
    x->e = (qz_event_in){.at = e->at,
                         .actor = keep_str(e->actor, &at),
                         .role = keep_str(e->role, &at),
                         .unit = keep_str(e->unit, &at),
                         .action = keep_str(e->action, &at),
                         .from_state = keep_str(e->from_state, &at),
                         .to_state = keep_str(e->to_state, &at),
                         .data = keep_str(e->data, &at)};
    x->w = (qz_case_write){.id = case_id, .events = &x->e, .n_events = 1};
    x->out.id = case_id;
    x->r = (case_req){.w = &x->w, .out = &x->out};
    x->st = impl;
    sq_lock(&x->st->mu);
    int slot = pending_slot(x->st, case_id, true);
    if (slot >= 0) {
        x->st->pending[slot].case_id = case_id;
        x->st->pending[slot].n++;
    }
    sq_unlock(&x->st->mu);
    if (slot < 0) { /* too many cases pending at once: this one waits for its commit */
        free(x);
        return sq_case_event_add(impl, case_id, e, err);
    }
    if (sq_submit_detached(impl, apply_event_add, x, release_recorded, err)) {
        qz_err why = *err;
        release_recorded(x, 0, &why); /* undoes the count and frees */
        return -1;
    }
    return 0;
}

typedef struct timer_req {
    case_req r;
    const qz_timer_mark *m;
} timer_req;

/* Records the timer (a second time is QZ_ECONFLICT store.timer_marked), then its event. */
static int apply_timer_mark(sq_batch *b, void *arg, qz_err *err)
{
    timer_req *t = arg;
    const qz_timer_mark *m = t->m;
    sqlite3_stmt *s = NULL;
    if (read_head(b, &t->r, NULL, false, err) || sq_stmt(b->c, SQL_TIMER_INSERT, &s, err) ||
        sq_bind(b->c, s, err, "titTiT", t->r.region, m->case_id, m->step, m->started_at,
                (int64_t)m->kind, m->event.at) ||
        sq_run(b->c, s, "store.timer_marked", m->step, err))
        return -1;
    return append_events(b, &t->r, err);
}

int sq_timer_mark(void *impl, const qz_timer_mark *m, qz_err *err)
{
    qz_case_write w = {.id = m->case_id, .events = &m->event, .n_events = 1};
    qz_case_written out = {.id = m->case_id};
    timer_req t = {.r = {.w = &w, .out = &out}, .m = m};
    return sq_submit(impl, apply_timer_mark, &t, err);
}
