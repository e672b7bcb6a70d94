/*
 * sqlite_audit.c — streaming every event in id order, in one read transaction (one
 * snapshot), for audit.c's walk. A row holding values qyzmet never writes (a text
 * with a NUL byte inside, a number where text belongs, a hash not 32 bytes) is
 * reported as malformed rather than silently read another way.
 */
#include "store/sqlite_int.h"

#include <string.h>

static const char SQL_SCAN[] =
    "SELECT e.id, e.region, e.case_id, e.seq, e.at, e.actor, e.role, e.unit, e.action,"
    " e.from_state, e.to_state, e.data, e.prev_hash, e.hash, c.id IS NULL"
    " FROM events e LEFT JOIN cases c ON c.id = e.case_id ORDER BY e.id";

/* Text column: NULL or TEXT without an inner NUL; sets *bad otherwise. */
static const char *text(sqlite3_stmt *s, int col, bool *bad)
{
    int type = sqlite3_column_type(s, col);
    const char *t = (const char *)sqlite3_column_text(s, col);
    if (type == SQLITE_NULL)
        return NULL;
    if (type != SQLITE_TEXT || !t || strlen(t) != (size_t)sqlite3_column_bytes(s, col))
        *bad = true;
    return t ? t : "";
}

static int64_t integer(sqlite3_stmt *s, int col, bool *bad)
{
    if (sqlite3_column_type(s, col) != SQLITE_INTEGER)
        *bad = true;
    return sqlite3_column_int64(s, col);
}

static void hash(sqlite3_stmt *s, int col, unsigned char *out, bool *bad)
{
    const void *h = sqlite3_column_blob(s, col);
    memset(out, 0, QZ_HASH_LEN);
    if (sqlite3_column_type(s, col) != SQLITE_BLOB || sqlite3_column_bytes(s, col) != QZ_HASH_LEN)
        *bad = true;
    else if (h)
        memcpy(out, h, QZ_HASH_LEN);
}

/* Reads the current row; *bad when it holds values qyzmet never writes. */
static void read_row(sqlite3_stmt *s, qz_event_row *e, bool *bad)
{
    e->id = integer(s, 0, bad);
    e->region = text(s, 1, bad);
    e->case_id = integer(s, 2, bad);
    e->seq = integer(s, 3, bad);
    e->at = integer(s, 4, bad);
    e->actor = text(s, 5, bad);
    e->role = text(s, 6, bad);
    e->unit = text(s, 7, bad);
    e->action = text(s, 8, bad);
    e->from_state = text(s, 9, bad);
    e->to_state = text(s, 10, bad);
    e->data = text(s, 11, bad);
    hash(s, 12, e->prev_hash, bad);
    hash(s, 13, e->hash, bad);
}

static int scan(sq_conn *c, qz_event_scan_fn fn, void *ctx, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    int r = sq_stmt(c, SQL_SCAN, &s, err);
    while (r == 0 && (r = sq_row(c, s, err)) == 1) {
        qz_event_row e;
        qz_scan_flags flags = {.orphan = sqlite3_column_int(s, 14) != 0};
        read_row(s, &e, &flags.malformed);
        r = fn(ctx, &e, flags, err);
    }
    sqlite3_reset(s);
    return r < 0 ? -1 : 0;
}

int sq_events_scan(void *impl, qz_event_scan_fn fn, void *ctx, qz_err *err)
{
    sq_conn *c;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_exec(c, "BEGIN", err);
    if (r == 0)
        r = scan(c, fn, ctx, err);
    if (r == 0)
        r = sq_exec(c, "COMMIT", err);
    sq_read_release(impl, c); /* rolls back a transaction left open */
    return r;
}

/* ---- cases (audit.c compares their rows) ---- */

static const char SQL_CASES[] =
    "SELECT c.id, c.state, c.status, c.service, c.applicant, c.subject,"
    " json_extract(c.doc, '$.state'), json_extract(c.doc, '$.status'),"
    " json_extract(c.doc, '$.service'), json_extract(c.doc, '$.applicant'),"
    " json_extract(c.doc, '$.subject'),"
    " (SELECT e.to_state FROM events e WHERE e.case_id = c.id AND e.to_state IS NOT NULL"
    "  ORDER BY e.seq DESC LIMIT 1)"
    " FROM cases c ORDER BY c.id";

static const char *col(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? NULL
                                                    : (const char *)sqlite3_column_text(s, i);
}

int sq_cases_scan(void *impl, qz_case_scan_fn fn, void *ctx, qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_exec(c, "BEGIN", err);
    if (r == 0)
        r = sq_stmt(c, SQL_CASES, &s, err);
    while (r == 0 && (r = sq_row(c, s, err)) == 1) {
        qz_case_facts f = {.id = sqlite3_column_int64(s, 0),
                           .state = col(s, 1),
                           .status = col(s, 2),
                           .service = col(s, 3),
                           .applicant = col(s, 4),
                           .subject = col(s, 5),
                           .doc_state = col(s, 6),
                           .doc_status = col(s, 7),
                           .doc_service = col(s, 8),
                           .doc_applicant = col(s, 9),
                           .doc_subject = col(s, 10),
                           .event_state = col(s, 11)};
        r = fn(ctx, &f, err);
    }
    if (s)
        sqlite3_reset(s);
    if (r >= 0 && sq_exec(c, "COMMIT", err))
        r = -1;
    sq_read_release(impl, c);
    return r < 0 ? -1 : 0;
}
