/*
 * sqlite_calendar_days.c — the calendar the dues were counted with (calendar_days.h):
 * reading it and the cases not ended on a read connection, replacing its years on the
 * writer.
 */
#include "store/calendar_days.h"
#include "store/sqlite_int.h"

static const char SQL_DAYS[] = "SELECT year, days FROM calendar_days ORDER BY year";
static const char SQL_PUT[] =
    "INSERT INTO calendar_days(year, days, updated_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT(year) DO UPDATE SET days = excluded.days, updated_at = excluded.updated_at";
static const char SQL_UNENDED[] =
    "SELECT id FROM cases WHERE status IN ('open', 'ready') ORDER BY id";

static int read_days(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_calendar_days_row *r = row;
    bool oom = false;
    r->year = (int)sqlite3_column_int64(s, 0);
    r->days = sq_text(a, s, 1, &oom);
    return oom ? sq_oom(err) : 0;
}

static int read_id(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    (void)a;
    (void)err;
    *(int64_t *)row = sqlite3_column_int64(s, 0);
    return 0;
}

/* Runs a query without parameters on a read connection into an arena array. */
static int read_all(void *impl, const char *sql, qz_arena *a, sq_read_fn fn, size_t size,
                    void **out, size_t *n, qz_err *err)
{
    sq_store *st = impl;
    sq_conn *c = NULL;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(st, &c, err))
        return -1;
    int r = sq_stmt(c, sql, &s, err);
    if (r == 0)
        r = sq_read_all(c, s, a, fn, size, out, n, err);
    sqlite3_reset(s);
    sq_read_release(st, c);
    return r < 0 ? -1 : 0;
}

int sq_calendar_days(void *impl, qz_arena *a, qz_calendar_days_row **out, size_t *n, qz_err *err)
{
    return read_all(impl, SQL_DAYS, a, read_days, sizeof **out, (void **)out, n, err);
}

int sq_unended_case_ids(void *impl, qz_arena *a, int64_t **out, size_t *n, qz_err *err)
{
    return read_all(impl, SQL_UNENDED, a, read_id, sizeof **out, (void **)out, n, err);
}

typedef struct put_req {
    const qz_calendar_days_row *rows;
    size_t n;
    qz_instant now;
} put_req;

static int apply_put(sq_batch *b, void *arg, qz_err *err)
{
    put_req *r = arg;
    for (size_t i = 0; i < r->n; i++) {
        sqlite3_stmt *s = NULL;
        if (sq_stmt(b->c, SQL_PUT, &s, err) ||
            sq_bind(b->c, s, err, "iti", (int64_t)r->rows[i].year, r->rows[i].days,
                    (int64_t)r->now) ||
            sq_run(b->c, s, NULL, NULL, err))
            return -1;
    }
    return 0;
}

int sq_calendar_days_put(void *impl, const qz_calendar_days_row *rows, size_t n, qz_instant now,
                         qz_err *err)
{
    put_req r = {rows, n, now};
    return sq_submit(impl, apply_put, &r, err);
}
