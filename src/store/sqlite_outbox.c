/*
 * sqlite_outbox.c — the notifications sent to people (SMS, portal cabinet): appended
 * on the writer, listed from a read connection.
 */
#include "store/sqlite_int.h"

static const char SQL_APPEND[] =
    "INSERT INTO outbox(region, to_iin, channel, lang, text, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_LIST[] =
    "SELECT id, region, to_iin, channel, lang, text, created_at FROM outbox"
    " WHERE ?1 IS NULL OR to_iin = ?1 ORDER BY id";

typedef struct append_req {
    const qz_outbox_row *m;
    int64_t id;
} append_req;

static int apply_append(sq_batch *b, void *arg, qz_err *err)
{
    append_req *r = arg;
    const qz_outbox_row *m = r->m;
    sqlite3_stmt *s = NULL;
    if (sq_stmt(b->c, SQL_APPEND, &s, err) ||
        sq_bind(b->c, s, err, "tttttT", m->region, m->to_iin, m->channel, m->lang, m->text,
                m->created_at) ||
        sq_run(b->c, s, NULL, NULL, err))
        return -1;
    r->id = sqlite3_last_insert_rowid(b->c->db);
    return 0;
}

int sq_outbox_append(void *impl, const qz_outbox_row *m, int64_t *id, qz_err *err)
{
    append_req r = {m, 0};
    if (sq_submit(impl, apply_append, &r, err))
        return -1;
    if (id)
        *id = r.id;
    return 0;
}

static int read_message(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_outbox_row *m = row;
    bool oom = false;
    m->id = sqlite3_column_int64(s, 0);
    m->region = sq_text(a, s, 1, &oom);
    m->to_iin = sq_text(a, s, 2, &oom);
    m->channel = sq_text(a, s, 3, &oom);
    m->lang = sq_text(a, s, 4, &oom);
    m->text = sq_text(a, s, 5, &oom);
    m->created_at = sqlite3_column_int64(s, 6);
    return oom ? sq_oom(err) : 0;
}

int sq_outbox_list(void *impl, const char *to_iin, qz_arena *a, qz_outbox_row **out, size_t *n,
                   qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQL_LIST, &s, err) || sq_bind(c, s, err, "t", to_iin) ? -1 : 1;
    if (r == 1)
        r = sq_read_all(c, s, a, read_message, sizeof **out, (void **)out, n, err);
    sqlite3_reset(s);
    sq_read_release(impl, c);
    return r < 0 ? -1 : 0;
}
