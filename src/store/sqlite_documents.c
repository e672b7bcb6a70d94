/*
 * sqlite_documents.c — documents.h on SQLite: the table of migration 10; adding on the
 * writer (a case's second document of a kind keeps the first), reading from the pool.
 */
#include "store/documents_backend.h"
#include "store/sqlite_int.h"

#include <string.h>

static const char SQL_ADD[] =
    "INSERT INTO documents(region, case_id, kind, number, lang, created_at, sha256, pdf)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(case_id, kind) DO NOTHING";
static const char SQL_ID_OF[] = "SELECT id FROM documents WHERE case_id = ?1 AND kind = ?2";
static const char SQL_ID_NUMBER[] = "SELECT id FROM documents WHERE number = ?1";
static const char SQL_GET[] =
    "SELECT id, case_id, region, kind, number, lang, created_at, sha256, pdf FROM documents"
    " WHERE id = ?1";
static const char SQL_LIST[] =
    "SELECT id, case_id, region, kind, number, lang, created_at, sha256, NULL FROM documents"
    " WHERE case_id = ?1 ORDER BY id";
static const char SQL_FIND[] =
    "SELECT id, case_id, region, kind, number, lang, created_at, sha256, NULL FROM documents"
    " WHERE number = ?1";
/* Reads by staff of the person's cases: the events "read" (http/case_access.h). */
static const char SQL_ACCESS[] =
    "SELECT e.case_id, c.number, c.service, e.unit, e.role, e.at FROM events e"
    " JOIN cases c ON c.id = e.case_id"
    " WHERE e.action = 'read' AND e.case_id IN"
    " (SELECT id FROM cases WHERE applicant = ?1 UNION SELECT id FROM cases WHERE subject = ?1)"
    " ORDER BY e.id DESC LIMIT ?2";

typedef struct add_req {
    const qz_document_row *d;
    int64_t id;
} add_req;

static int apply_add(sq_batch *b, void *arg, qz_err *err)
{
    add_req *r = arg;
    const qz_document_row *d = r->d;
    sqlite3_stmt *s = NULL;
    if (sq_stmt(b->c, SQL_ADD, &s, err))
        return -1;
    int rc = sqlite3_bind_text(s, 1, d->region, -1, SQLITE_STATIC);
    rc = rc ? rc : d->case_id ? sqlite3_bind_int64(s, 2, d->case_id) : sqlite3_bind_null(s, 2);
    rc = rc ? rc : sqlite3_bind_text(s, 3, d->kind, -1, SQLITE_STATIC);
    rc = rc ? rc : sqlite3_bind_text(s, 4, d->number, -1, SQLITE_STATIC);
    rc = rc ? rc : sqlite3_bind_text(s, 5, d->lang, -1, SQLITE_STATIC);
    rc = rc ? rc : sqlite3_bind_int64(s, 6, d->created_at);
    rc = rc ? rc : sqlite3_bind_blob(s, 7, d->sha256, 32, SQLITE_STATIC);
    rc = rc ? rc : sqlite3_bind_blob64(s, 8, d->pdf, d->pdf_len, SQLITE_STATIC);
    if (rc != SQLITE_OK)
        return sq_fail(b->c, rc, err);
    if (sq_run(b->c, s, "store.document_exists", d->number, err))
        return -1;
    /* The row just added, or the case's document of that kind added before. */
    if (d->case_id ? sq_stmt(b->c, SQL_ID_OF, &s, err) ||
                         sq_bind(b->c, s, err, "it", (int64_t)d->case_id, d->kind)
                   : sq_stmt(b->c, SQL_ID_NUMBER, &s, err) || sq_bind(b->c, s, err, "t", d->number))
        return -1;
    int got = sq_row(b->c, s, err);
    if (got == 1) {
        r->id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    }
    return got == 1  ? 0
           : got < 0 ? -1
                     : sq_fail_key(b->c, QZ_EINTERNAL, "store.sqlite_error", "document", err);
}

static int sq_document_add(void *impl, const qz_document_row *d, int64_t *id, qz_err *err)
{
    add_req r = {.d = d};
    if (sq_submit(impl, apply_add, &r, err))
        return -1;
    *id = r.id;
    return 0;
}

static int read_document(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_document_row *d = row;
    bool oom = false;
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(s, 0);
    d->case_id = sqlite3_column_int64(s, 1);
    d->region = sq_text(a, s, 2, &oom);
    d->kind = sq_text(a, s, 3, &oom);
    d->number = sq_text(a, s, 4, &oom);
    d->lang = sq_text(a, s, 5, &oom);
    d->created_at = sqlite3_column_int64(s, 6);
    if (sqlite3_column_bytes(s, 7) == 32)
        memcpy(d->sha256, sqlite3_column_blob(s, 7), 32);
    if (sqlite3_column_type(s, 8) == SQLITE_BLOB) {
        size_t len = (size_t)sqlite3_column_bytes(s, 8);
        unsigned char *p = qz_arena_alloc(a, len ? len : 1);
        if (!p)
            oom = true;
        else if (len)
            memcpy(p, sqlite3_column_blob(s, 8), len);
        d->pdf = p;
        d->pdf_len = len;
    }
    return oom ? sq_oom(err) : 0;
}

/* Reads the one row of a query bound with (id) or (number): 0, or -1 with not found. */
static int read_one(void *impl, const char *sql, int64_t id, const char *number, qz_arena *a,
                    qz_document_row *out, qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, sql, &s, err) ||
                    (number ? sq_bind(c, s, err, "t", number) : sq_bind(c, s, err, "i", id))
                ? -1
                : sq_row(c, s, err);
    if (r == 1) {
        r = read_document(s, a, out, err) ? -1 : 1;
        sqlite3_reset(s);
    }
    sq_read_release(impl, c);
    if (r == 0)
        return qz_err_set(err, QZ_ENOTFOUND, "store.document_not_found", number ? "number" : "id",
                          number);
    return r < 0 ? -1 : 0;
}

static int sq_document_get(void *impl, int64_t id, qz_arena *a, qz_document_row *out, qz_err *err)
{
    return read_one(impl, SQL_GET, id, NULL, a, out, err);
}

static int sq_document_find(void *impl, const char *number, qz_arena *a, qz_document_row *out,
                            qz_err *err)
{
    return read_one(impl, SQL_FIND, 0, number, a, out, err);
}

static int sq_document_list(void *impl, int64_t case_id, qz_arena *a, qz_document_row **out,
                            size_t *n, qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQL_LIST, &s, err) || sq_bind(c, s, err, "i", case_id) ||
                    sq_read_all(c, s, a, read_document, sizeof **out, (void **)out, n, err)
                ? -1
                : 0;
    sq_read_release(impl, c);
    return r;
}

static int read_access(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_access_row *r = row;
    bool oom = false;
    r->case_id = sqlite3_column_int64(s, 0);
    r->case_number = sq_text(a, s, 1, &oom);
    r->service = sq_text(a, s, 2, &oom);
    r->unit = sq_text(a, s, 3, &oom);
    r->role = sq_text(a, s, 4, &oom);
    r->at = sqlite3_column_int64(s, 5);
    return oom ? sq_oom(err) : 0;
}

static int sq_access_log(void *impl, const char *iin, size_t limit, qz_arena *a,
                         qz_access_row **out, size_t *n, qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQL_ACCESS, &s, err) || sq_bind(c, s, err, "ti", iin, (int64_t)limit) ||
                    sq_read_all(c, s, a, read_access, sizeof **out, (void **)out, n, err)
                ? -1
                : 0;
    sq_read_release(impl, c);
    return r;
}

const qz_documents_ops qz_documents_sqlite_ops = {
    .add = sq_document_add,
    .get = sq_document_get,
    .list = sq_document_list,
    .find = sq_document_find,
    .access_log = sq_access_log,
};
