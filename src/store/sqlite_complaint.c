/*
 * sqlite_complaint.c — complaints (store.h): registered on the writer, listed from a
 * read connection by complainant, unit or addressee, soonest decision first.
 */
#include "store/sqlite_int.h"

static const char SQL_ADD[] =
    "INSERT INTO complaints(region, case_id, case_number, service, complainant, against,"
    " addressed_to, unit, text, registered_at, forward_by, decide_by)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char SQL_LIST[] =
    "SELECT id, region, case_id, case_number, service, complainant, against, addressed_to,"
    " unit, text, registered_at, forward_by, decide_by FROM complaints"
    " WHERE (?1 IS NULL OR complainant = ?1) AND (?2 IS NULL OR unit = ?2)"
    " AND (?3 IS NULL OR addressed_to = ?3) AND (?5 IS NULL OR region = ?5)"
    " ORDER BY decide_by, id LIMIT ?4";

typedef struct add_req {
    const qz_complaint_row *c;
    int64_t id;
} add_req;

static int apply_add(sq_batch *b, void *arg, qz_err *err)
{
    add_req *r = arg;
    const qz_complaint_row *c = r->c;
    sqlite3_stmt *s = NULL;
    if (sq_stmt(b->c, SQL_ADD, &s, err) ||
        sq_bind(b->c, s, err, "titttttttTTT", c->region, c->case_id, c->case_number, c->service,
                c->complainant, c->against, c->addressed_to, c->unit, c->text, c->registered_at,
                c->forward_by, c->decide_by) ||
        sq_run(b->c, s, NULL, NULL, err))
        return -1;
    r->id = sqlite3_last_insert_rowid(b->c->db);
    return 0;
}

int sq_complaint_add(void *impl, const qz_complaint_row *c, int64_t *id, qz_err *err)
{
    add_req r = {c, 0};
    if (sq_submit(impl, apply_add, &r, err))
        return -1;
    if (id)
        *id = r.id;
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
    return oom ? sq_oom(err) : 0;
}

int sq_complaint_list(void *impl, const qz_complaint_filter *f, size_t limit, qz_arena *a,
                      qz_complaint_row **out, size_t *n, qz_err *err)
{
    int64_t lim = limit == 0 || limit > INT64_MAX ? -1 : (int64_t)limit; /* -1: no limit */
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQL_LIST, &s, err) || sq_bind(c, s, err, "tttit", f->complainant, f->unit,
                                                     f->addressed_to, lim, f->region)
                ? -1
                : 1;
    if (r == 1)
        r = sq_read_all(c, s, a, read_complaint, sizeof **out, (void **)out, n, err);
    sqlite3_reset(s);
    sq_read_release(impl, c);
    return r < 0 ? -1 : 0;
}
