/*
 * sqlite_writer.c — the one writer of an open store, and its group commit.
 *
 * Callers put a request (a function and its argument, on their own stack) on a queue
 * and sleep. The writer takes everything queued, opens one transaction (BEGIN
 * IMMEDIATE), runs each request inside its own SAVEPOINT — a failing one is rolled back
 * to its savepoint alone and keeps its error — and COMMITs once: with synchronous =
 * FULL that is one fsync of the log for the whole batch. Only then does it mark the
 * requests done and wake their callers, so no write is acknowledged before it is
 * durable. While the writer waits for the disk, new requests pile up and form the next
 * batch, so the busier the store, the more each fsync carries.
 *
 * If the transaction itself fails (the disk is full, the file is locked by another
 * process for too long, SQLite rolled everything back), every request of the batch
 * that had succeeded fails with that error: nothing of the batch was written.
 */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_TAIL[] = "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1";
static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_SAVE[] = "SAVEPOINT w";
static const char SQL_UNDO[] = "ROLLBACK TO w";
static const char SQL_RELEASE[] = "RELEASE w";

static int run_cached(sq_conn *c, const char *sql, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    return sq_stmt(c, sql, &s, err) || sq_run(c, s, NULL, NULL, err);
}

/* Reads the end of the event chain, as this transaction sees it. */
static int load_tail(sq_batch *b, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    b->tail_id = 0;
    memset(b->tail_hash, 0, sizeof b->tail_hash);
    if (sq_stmt(b->c, SQL_TAIL, &s, err))
        return -1;
    int r = sq_row(b->c, s, err);
    if (r == 1) {
        b->tail_id = sqlite3_column_int64(s, 0);
        const void *h = sqlite3_column_blob(s, 1);
        if (h && sqlite3_column_bytes(s, 1) == QZ_HASH_LEN)
            memcpy(b->tail_hash, h, QZ_HASH_LEN);
        /* else a damaged tail: new events link to zeros and audit verify says so */
        sqlite3_reset(s);
    }
    return r < 0 ? -1 : 0;
}

/* Fails every request of the batch that had not failed on its own. */
static void fail_all(sq_req *batch, const qz_err *why)
{
    for (sq_req *r = batch; r; r = r->next)
        if (r->rc == 0) {
            r->rc = -1;
            r->err = *why;
        }
}

/* Runs one request inside its savepoint; returns -1 only when the whole transaction
 * is lost (the request's own failure is kept in it). */
static int run_one(sq_batch *b, sq_req *r, qz_err *fatal)
{
    sq_batch before = *b;
    if (run_cached(b->c, SQL_SAVE, fatal))
        return -1;
    r->rc = r->fn(b, r->arg, &r->err);
    if (r->rc == 0)
        return run_cached(b->c, SQL_RELEASE, fatal);
    *b = before;
    if (sqlite3_get_autocommit(b->c->db)) { /* SQLite rolled the transaction back */
        *fatal = r->err;
        return -1;
    }
    return run_cached(b->c, SQL_UNDO, fatal) || run_cached(b->c, SQL_RELEASE, fatal) ? -1 : 0;
}

/* Runs a batch in one transaction; every request ends with rc and err set. */
static uint64_t run_batch(sq_store *s, sq_req *batch)
{
    qz_err fatal;
    sq_batch b = {.store = s, .c = &s->w};
    qz_err_clear(&fatal);
    for (sq_req *r = batch; r; r = r->next)
        r->rc = 0;
    if (run_cached(b.c, SQL_BEGIN, &fatal) || load_tail(&b, &fatal)) {
        fail_all(batch, &fatal);
        if (!sqlite3_get_autocommit(b.c->db))
            (void)sqlite3_exec(b.c->db, "ROLLBACK", NULL, NULL, NULL);
        return 0;
    }
    int lost = 0;
    for (sq_req *r = batch; r && !lost; r = r->next)
        lost = run_one(&b, r, &fatal);
    if (!lost && run_cached(b.c, SQL_COMMIT, &fatal) == 0)
        return 1;
    fail_all(batch, &fatal);
    if (!sqlite3_get_autocommit(b.c->db))
        (void)sqlite3_exec(b.c->db, "ROLLBACK", NULL, NULL, NULL);
    return 0;
}

/* Takes every queued request, or NULL when stopping with nothing queued. */
static sq_req *take(sq_store *s)
{
    sq_lock(&s->mu);
    while (!s->head && !s->stopping)
        sq_wait(&s->work, &s->mu);
    sq_req *batch = s->head;
    s->head = s->tail = NULL;
    sq_unlock(&s->mu);
    return batch;
}

static void finish(sq_store *s, sq_req *batch, uint64_t committed)
{
    uint64_t n = 0;
    sq_req *detached = NULL;
    sq_lock(&s->mu);
    for (sq_req *r = batch, *next; r; r = next) {
        next = r->next; /* r belongs to its caller once done is set and mu released */
        n++;
        if (r->release) { /* nobody waits: released below, outside the lock */
            r->next = detached;
            detached = r;
            continue;
        }
        r->done = true;
        sq_wake(&r->cv, false);
    }
    s->stats.writes += n;
    s->stats.commits += committed;
    if (committed && n > s->stats.largest_batch)
        s->stats.largest_batch = n;
    sq_unlock(&s->mu);
    for (sq_req *r = detached, *next; r; r = next) {
        next = r->next;
        r->release(r->arg, r->rc, &r->err);
        free(r);
    }
}

static void *writer_main(void *arg)
{
    sq_store *s = arg;
    for (sq_req *batch; (batch = take(s));)
        finish(s, batch, run_batch(s, batch));
    return NULL;
}

int sq_writer_start(sq_store *s, qz_err *err)
{
    int rc = pthread_create(&s->thread, NULL, writer_main, s);
    if (rc != 0)
        return qz_err_set(err, QZ_EINTERNAL, "store.thread_failed", NULL, strerror(rc));
    s->running = true;
    return 0;
}

void sq_writer_stop(sq_store *s)
{
    if (!s->running)
        return;
    sq_lock(&s->mu);
    s->stopping = true;
    sq_wake(&s->work, false);
    sq_unlock(&s->mu);
    int rc = pthread_join(s->thread, NULL);
    if (rc != 0)
        fprintf(stderr, "qyzmet: pthread_join failed: %s\n", strerror(rc));
    s->running = false;
}

/* Appends r to the queue and wakes the writer; called with mu held. */
static void enqueue(sq_store *s, sq_req *r)
{
    if (s->tail)
        s->tail->next = r;
    else
        s->head = r;
    s->tail = r;
    sq_wake(&s->work, false);
}

int sq_submit(sq_store *s, sq_apply_fn fn, void *arg, qz_err *err)
{
    sq_req r = {.fn = fn, .arg = arg};
    qz_err_clear(&r.err);
    int rc = pthread_cond_init(&r.cv, NULL);
    if (rc != 0)
        return qz_err_set(err, QZ_EINTERNAL, "store.thread_failed", NULL, strerror(rc));
    sq_lock(&s->mu);
    if (s->stopping) {
        sq_unlock(&s->mu);
        pthread_cond_destroy(&r.cv);
        return qz_err_set(err, QZ_EINTERNAL, "store.closed", NULL, NULL);
    }
    enqueue(s, &r);
    while (!r.done)
        sq_wait(&r.cv, &s->mu);
    sq_unlock(&s->mu);
    pthread_cond_destroy(&r.cv);
    if (r.rc != 0 && err)
        *err = r.err;
    return r.rc == 0 ? 0 : -1;
}

int sq_submit_detached(sq_store *s, sq_apply_fn fn, void *arg,
                       void (*release)(void *arg, int rc, const qz_err *err), qz_err *err)
{
    sq_req *r = calloc(1, sizeof *r);
    if (!r)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    r->fn = fn;
    r->arg = arg;
    r->release = release;
    sq_lock(&s->mu);
    if (s->stopping) {
        sq_unlock(&s->mu);
        free(r);
        return qz_err_set(err, QZ_EINTERNAL, "store.closed", NULL, NULL);
    }
    enqueue(s, r);
    sq_unlock(&s->mu);
    return 0;
}

void sq_stats(void *impl, qz_store_stats *out)
{
    sq_store *s = impl;
    sq_lock(&s->mu);
    *out = s->stats;
    sq_unlock(&s->mu);
}
