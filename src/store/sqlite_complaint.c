/*
 * sqlite_complaint.c — complaints (store.h): registered and moved on the writer, each
 * with its event appended to its case's hash chain in the same savepoint (the moves have
 * no table of their own); read and listed from a read connection by complainant, unit
 * (complained about or holding) or addressee, the open ones soonest due first.
 */
#include "store/sqlite_int.h"

#include <stdio.h>

static const char SQL_ADD[] =
    "INSERT INTO complaints(region, case_id, case_number, service, complainant, against,"
    " addressed_to, unit, text, registered_at, forward_by, decide_by, state, holder_unit,"
    " due_at, version)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1)";
#define COLUMNS                                                                                    \
    "SELECT id, region, case_id, case_number, service, complainant, against, addressed_to,"        \
    " unit, text, registered_at, forward_by, decide_by, state, holder_unit, version, outcome,"     \
    " resolution, due_at, closed_at FROM complaints"
static const char SQL_GET[] = COLUMNS " WHERE id = ?1";
static const char SQL_LIST[] =
    COLUMNS " WHERE (?1 IS NULL OR complainant = ?1) AND (?2 IS NULL OR unit = ?2"
            " OR holder_unit = ?2) AND (?3 IS NULL OR addressed_to = ?3)"
            " AND (?5 IS NULL OR region = ?5)"
            " ORDER BY due_at IS NULL, due_at, decide_by, id LIMIT ?4";
/* The open complaints a unit holds (the one complained about until forwarded): the
 * partial index complaints_held. */
static const char SQL_HELD[] =
    COLUMNS " INDEXED BY complaints_held"
            " WHERE closed_at IS NULL AND coalesce(holder_unit, unit) = ?1"
            " ORDER BY due_at, id LIMIT ?2";
static const char SQL_HEAD[] = "SELECT version, case_id FROM complaints WHERE id = ?1";
static const char SQL_MOVE[] =
    "UPDATE complaints SET state = ?2, holder_unit = ?3, due_at = ?4, outcome = ?5,"
    " resolution = ?6, closed_at = ?7, version = ?8 WHERE id = ?1";

typedef struct add_req {
    const qz_complaint_row *c;
    const qz_event_in *event;
    int64_t id;
} add_req;

/* Appends the registration event with {"complaint": id} as its data. */
static int add_event(sq_batch *b, const add_req *r, qz_err *err)
{
    char data[48];
    qz_event_in e = *r->event;
    snprintf(data, sizeof data, "{\"complaint\":%lld}", (long long)r->id);
    e.data = data;
    return sq_case_event_append(b, r->c->case_id, &e, err);
}

static int apply_add(sq_batch *b, void *arg, qz_err *err)
{
    add_req *r = arg;
    const qz_complaint_row *c = r->c;
    sqlite3_stmt *s = NULL;
    if (sq_stmt(b->c, SQL_ADD, &s, err) ||
        sq_bind(b->c, s, err, "titttttttTTTttT", c->region, c->case_id, c->case_number, c->service,
                c->complainant, c->against, c->addressed_to, c->unit, c->text, c->registered_at,
                c->forward_by, c->decide_by, c->state, c->holder_unit, c->due_at) ||
        sq_run(b->c, s, NULL, NULL, err))
        return -1;
    r->id = sqlite3_last_insert_rowid(b->c->db);
    return r->event ? add_event(b, r, err) : 0;
}

int sq_complaint_add(void *impl, const qz_complaint_row *c, const qz_event_in *event, int64_t *id,
                     qz_err *err)
{
    add_req r = {c, event, 0};
    if (sq_submit(impl, apply_add, &r, err))
        return -1;
    if (id)
        *id = r.id;
    return 0;
}

typedef struct move_req {
    const qz_complaint_move *m;
    int64_t version;
} move_req;

/* Reads the complaint's version and case, checking the caller's version. */
static int check_head(sq_batch *b, const qz_complaint_move *m, int64_t *version, int64_t *case_id,
                      qz_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sq_stmt(b->c, SQL_HEAD, &s, err) || sq_bind(b->c, s, err, "i", m->id))
        return -1;
    int found = sq_row(b->c, s, err);
    if (found == 0)
        return qz_err_setf(err, QZ_ENOTFOUND, "store.complaint_not_found", "id", "%lld",
                           (long long)m->id);
    if (found < 0)
        return -1;
    *version = sqlite3_column_int64(s, 0);
    *case_id = sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    if (*version != m->expected_version)
        return qz_err_setf(err, QZ_ECONFLICT, "store.stale_version", "version", "%lld",
                           (long long)*version);
    return 0;
}

static int apply_move(sq_batch *b, void *arg, qz_err *err)
{
    move_req *r = arg;
    const qz_complaint_move *m = r->m;
    sqlite3_stmt *s = NULL;
    int64_t version = 0, case_id = 0;
    if (check_head(b, m, &version, &case_id, err) || sq_stmt(b->c, SQL_MOVE, &s, err) ||
        sq_bind(b->c, s, err, "ittTttTi", m->id, m->state, m->holder_unit, m->due_at, m->outcome,
                m->resolution, m->closed_at, version + 1) ||
        sq_run(b->c, s, NULL, NULL, err) || sq_case_event_append(b, case_id, &m->event, err))
        return -1;
    r->version = version + 1;
    return 0;
}

int sq_complaint_move(void *impl, const qz_complaint_move *m, int64_t *version, qz_err *err)
{
    move_req r = {m, 0};
    if (sq_submit(impl, apply_move, &r, err))
        return -1;
    if (version)
        *version = r.version;
    return 0;
}

static int read_complaint(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_complaint_row *c = row;
    bool oom = false;
    c->id = sqlite3_column_int64(s, 0);
    c->region = sq_text(a, s, 1, &oom);
    c->case_id = sqlite3_column_int64(s, 2);
    c->case_number = sq_text(a, s, 3, &oom);
    c->service = sq_text(a, s, 4, &oom);
    c->complainant = sq_text(a, s, 5, &oom);
    c->against = sq_text(a, s, 6, &oom);
    c->addressed_to = sq_text(a, s, 7, &oom);
    c->unit = sq_text(a, s, 8, &oom);
    c->text = sq_text(a, s, 9, &oom);
    c->registered_at = sqlite3_column_int64(s, 10);
    c->forward_by = sqlite3_column_int64(s, 11);
    c->decide_by = sqlite3_column_int64(s, 12);
    c->state = sq_text(a, s, 13, &oom);
    c->holder_unit = sq_text(a, s, 14, &oom);
    c->version = sqlite3_column_int64(s, 15);
    c->outcome = sq_text(a, s, 16, &oom);
    c->resolution = sq_text(a, s, 17, &oom);
    c->due_at = sq_time(s, 18);
    c->closed_at = sq_time(s, 19);
    return oom ? sq_oom(err) : 0;
}

int sq_complaint_get(void *impl, int64_t id, qz_arena *a, qz_complaint_row *out, qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQL_GET, &s, err) || sq_bind(c, s, err, "i", id) ? -1 : sq_row(c, s, err);
    if (r == 1)
        r = read_complaint(s, a, out, err) ? -1 : 1;
    else if (r == 0)
        qz_err_setf(err, QZ_ENOTFOUND, "store.complaint_not_found", "id", "%lld", (long long)id);
    sqlite3_reset(s);
    sq_read_release(impl, c);
    return r == 1 ? 0 : -1;
}

int sq_complaint_list(void *impl, const qz_complaint_filter *f, size_t limit, qz_arena *a,
                      qz_complaint_row **out, size_t *n, qz_err *err)
{
    int64_t lim = limit == 0 || limit > INT64_MAX ? -1 : (int64_t)limit; /* -1: no limit */
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = (f->held_by ? sq_stmt(c, SQL_HELD, &s, err) || sq_bind(c, s, err, "ti", f->held_by, lim)
                        : sq_stmt(c, SQL_LIST, &s, err) ||
                              sq_bind(c, s, err, "tttit", f->complainant, f->unit, f->addressed_to,
                                      lim, f->region))
                ? -1
                : 1;
    if (r == 1)
        r = sq_read_all(c, s, a, read_complaint, sizeof **out, (void **)out, n, err);
    sqlite3_reset(s);
    sq_read_release(impl, c);
    return r < 0 ? -1 : 0;
}
