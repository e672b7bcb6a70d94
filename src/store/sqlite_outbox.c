/*
 * sqlite_outbox.c — the notifications sent to people (SMS, portal cabinet): appended
 * on the writer, listed from a read connection.
 */
#include "store/outbox.h"
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

int sq_outbox_insert(sq_batch *b, const qz_outbox_row *m, int64_t *id, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sq_stmt(b->c, SQL_APPEND, &s, err) ||
        sq_bind(b->c, s, err, "tttttTi", m->region, m->to_iin, m->channel, m->lang, m->text,
                m->created_at, (int64_t)m->secret) ||
        sq_run(b->c, s, NULL, NULL, err))
        return -1;
    if (id)
        *id = sqlite3_last_insert_rowid(b->c->db);
    return 0;
}

static int apply_append(sq_batch *b, void *arg, qz_err *err)
{
    append_req *r = arg;
    return sq_outbox_insert(b, r->m, &r->id, err);
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

const char SQ_SQL_OUTBOX_DUE[] =
    "SELECT o.id, o.region, o.to_iin, o.channel, o.lang, o.text, o.created_at, o.secret,"
    " o.tries, o.next_at, p.phone FROM outbox o LEFT JOIN persons p ON p.iin = o.to_iin"
    " WHERE o.channel = 'sms' AND o.sent_at IS NULL AND o.failed_at IS NULL"
    " ORDER BY o.id LIMIT ?1";
static const char SQL_SENT[] = "UPDATE outbox SET sent_at = ?2, tries = tries + 1,"
                               " last_error = NULL WHERE id = ?1";
static const char SQL_RETRY[] = "UPDATE outbox SET tries = tries + 1, next_at = ?2,"
                                " last_error = ?3 WHERE id = ?1";
static const char SQL_GIVE_UP[] = "UPDATE outbox SET tries = tries + 1, failed_at = ?2,"
                                  " last_error = ?3 WHERE id = ?1";

static int read_due(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_outbox_due *d = row;
    bool oom = false;
    if (read_message(s, a, &d->m, err))
        return -1;
    d->tries = sqlite3_column_int64(s, 8);
    d->next_at = sqlite3_column_type(s, 9) == SQLITE_NULL ? QZ_NO_TIME : sqlite3_column_int64(s, 9);
    d->phone = sq_text(a, s, 10, &oom);
    return oom ? sq_oom(err) : 0;
}

int sq_outbox_due(void *impl, size_t limit, qz_arena *a, qz_outbox_due **out, size_t *n,
                  qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r =
        sq_stmt(c, SQ_SQL_OUTBOX_DUE, &s, err) || sq_bind(c, s, err, "i", (int64_t)limit) ? -1 : 1;
    if (r == 1)
        r = sq_read_all(c, s, a, read_due, sizeof **out, (void **)out, n, err);
    sqlite3_reset(s);
    sq_read_release(impl, c);
    return r < 0 ? -1 : 0;
}

static int apply_tried(sq_batch *b, void *arg, qz_err *err)
{
    const qz_outbox_try *t = arg;
    sqlite3_stmt *s = NULL;
    const char *sql = t->sent ? SQL_SENT : t->next_at != QZ_NO_TIME ? SQL_RETRY : SQL_GIVE_UP;
    qz_instant when = t->sent || t->next_at == QZ_NO_TIME ? t->at : t->next_at;
    int rc = sq_stmt(b->c, sql, &s, err) ||
                     (t->sent ? sq_bind(b->c, s, err, "iT", t->id, when)
                              : sq_bind(b->c, s, err, "iTt", t->id, when, t->error)) ||
                     sq_run(b->c, s, NULL, NULL, err)
                 ? -1
                 : 0;
    if (rc == 0 && sqlite3_changes(b->c->db) == 0)
        return qz_err_setf(err, QZ_ENOTFOUND, "store.message_not_found", "id", "%lld",
                           (long long)t->id);
    return rc;
}

int sq_outbox_tried(void *impl, const qz_outbox_try *t, qz_err *err)
{
    return sq_submit(impl, apply_tried, (void *)t, err);
}

const char SQ_SQL_OUTBOX_PAGE[] =
    "SELECT id, region, to_iin, channel, lang, text, created_at, secret FROM outbox"
    " WHERE to_iin = ?1 AND id < ?3 AND secret = 0 ORDER BY id DESC LIMIT ?2";

int sq_outbox_page(void *impl, const char *iin, int64_t before, size_t limit, qz_arena *a,
                   qz_outbox_row **out, size_t *n, qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQ_SQL_OUTBOX_PAGE, &s, err) ||
                    sq_bind(c, s, err, "tii", iin, (int64_t)limit, before > 0 ? before : INT64_MAX)
                ? -1
                : 0;
    if (r == 0)
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
