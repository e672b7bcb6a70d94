/*
 * sqlite_reader.c — read connections, up to SQ_READERS per store, opened when first
 * needed and kept. In WAL mode reads never wait for the writer and the writer never
 * waits for them; each statement (or each read transaction) sees one committed state.
 */
#include "store/sqlite_int.h"

static int open_reader(sq_store *s, sq_conn *c, qz_err *err)
{
    if (sq_conn_open(c, s->path, s->flags, s->target, err) ||
        sq_exec(c, "PRAGMA query_only = 1", err)) {
        sq_conn_close(c);
        return -1;
    }
    return 0;
}

/* Returns the index of a free slot (a new one if allowed); -1 when all are busy.
 * Called with pool_mu held. */
static int free_reader(sq_store *s)
{
    for (int i = 0; i < s->n_readers; i++)
        if (!s->reader_busy[i])
            return i;
    return s->n_readers < SQ_READERS ? s->n_readers++ : -1;
}

int sq_read_acquire(sq_store *s, sq_conn **out, qz_err *err)
{
    int i;
    sq_lock(&s->pool_mu);
    while ((i = free_reader(s)) < 0)
        sq_wait(&s->pool_cv, &s->pool_mu);
    s->reader_busy[i] = true;
    sq_unlock(&s->pool_mu);
    sq_conn *c = &s->readers[i];
    if (!c->db && open_reader(s, c, err)) { /* a new slot, or one whose open failed */
        sq_lock(&s->pool_mu);
        s->reader_busy[i] = false;
        sq_unlock(&s->pool_mu);
        return -1;
    }
    *out = c;
    return 0;
}

void sq_read_release(sq_store *s, sq_conn *c)
{
    if (!sqlite3_get_autocommit(c->db)) /* a read transaction left open by an error */
        (void)sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    sq_lock(&s->pool_mu);
    s->reader_busy[c - s->readers] = false;
    sq_wake(&s->pool_cv, false);
    sq_unlock(&s->pool_mu);
}

void sq_readers_close(sq_store *s)
{
    for (int i = 0; i < s->n_readers; i++)
        sq_conn_close(&s->readers[i]);
    s->n_readers = 0;
}
