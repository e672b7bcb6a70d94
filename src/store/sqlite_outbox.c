/*
 * sqlite_outbox.c — the notifications sent to people (SMS, portal cabinet): appended
 * on the writer, listed from a read connection.
 */
#include "store/sqlite_int.h"

static const char SQL_APPEND[] =
    "INSERT INTO outbox(region, to_iin, channel, lang, text, created_at, secret)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_LIST[] =
    "SELECT id, region, to_iin, channel, lang, text, created_at, secret FROM outbox"
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
        sq_bind(b->c, s, err, "tttttTi", m->region, m->to_iin, m->channel, m->lang, m->text,
                m->created_at, (int64_t)m->secret) ||
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
    m->secret = (qz_secret)sqlite3_column_int(s, 7);
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

/* ---- settings (store/settings.h) ---- */

static const char SQL_SETTING_GET[] = "SELECT value FROM settings WHERE key = ?1";
static const char SQL_SETTING_PUT[] = "INSERT INTO settings(key, value) VALUES (?1, ?2)"
                                      " ON CONFLICT(key) DO UPDATE SET value = excluded.value";

typedef struct setting_req {
    const char *key, *value;
} setting_req;

static int apply_setting(sq_batch *b, void *arg, qz_err *err)
{
    setting_req *r = arg;
    sqlite3_stmt *s = NULL;
    return sq_stmt(b->c, SQL_SETTING_PUT, &s, err) ||
                   sq_bind(b->c, s, err, "tt", r->key, r->value) || sq_run(b->c, s, NULL, NULL, err)
               ? -1
               : 0;
}

int sq_setting_put(void *impl, const char *key, const char *value, qz_err *err)
{
    setting_req r = {key, value};
    return sq_submit(impl, apply_setting, &r, err);
}

static int read_setting(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    bool oom = false;
    *(const char **)row = sq_text(a, s, 0, &oom);
    return oom ? sq_oom(err) : 0;
}

int sq_setting_get(void *impl, const char *key, qz_arena *a, const char **value, qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    const char **rows = NULL;
    size_t n = 0;
    *value = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQL_SETTING_GET, &s, err) || sq_bind(c, s, err, "t", key) ? -1 : 1;
    if (r == 1)
        r = sq_read_all(c, s, a, read_setting, sizeof *rows, (void **)&rows, &n, err);
    sqlite3_reset(s);
    sq_read_release(impl, c);
    if (r < 0)
        return -1;
    if (n == 0)
        return 1;
    *value = rows[0];
    return 0;
}
