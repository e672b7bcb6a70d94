/*
 * sqlite_registry.c — the registers on SQLite (registry.h): importing rows as upserts on
 * each register's natural key (a row changes only where its values differ, so a repeat
 * changes nothing), on the writer in one transaction per call; and reading a person's
 * rows from a read connection.
 */
#include "store/registry_backend.h"
#include "store/sqlite_int.h"

#include <string.h>

/* ?1.. are the fields in qz_registry_columns' order; the last two the region's default
 * and the time. Optional values already known are kept when a file leaves them empty. */
static const char SQL_PERSONS[] =
    "INSERT INTO persons(iin, surname, name, patronymic, birth, sex, phone, surname_latin,"
    " name_latin, birth_place, citizenship, region, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, coalesce(?12, ?13), ?14)"
    " ON CONFLICT(iin) DO UPDATE SET surname = excluded.surname, name = excluded.name,"
    " patronymic = coalesce(excluded.patronymic, patronymic), birth = excluded.birth,"
    " sex = excluded.sex, phone = coalesce(excluded.phone, phone),"
    " surname_latin = coalesce(excluded.surname_latin, surname_latin),"
    " name_latin = coalesce(excluded.name_latin, name_latin),"
    " birth_place = coalesce(excluded.birth_place, birth_place),"
    " citizenship = coalesce(excluded.citizenship, citizenship)"
    " WHERE (surname, name, patronymic, birth, sex, phone, surname_latin, name_latin,"
    " birth_place, citizenship) IS NOT (excluded.surname, excluded.name,"
    " coalesce(excluded.patronymic, patronymic), excluded.birth, excluded.sex,"
    " coalesce(excluded.phone, phone), coalesce(excluded.surname_latin, surname_latin),"
    " coalesce(excluded.name_latin, name_latin), coalesce(excluded.birth_place, birth_place),"
    " coalesce(excluded.citizenship, citizenship))";
static const char SQL_CONVICTIONS[] =
    "INSERT INTO convictions(iin, article, sentenced_on, expunged_on, region)"
    " VALUES (?1, ?2, ?3, ?4, coalesce(?5, ?6))"
    " ON CONFLICT(iin, article, sentenced_on) DO UPDATE SET expunged_on = excluded.expunged_on"
    " WHERE expunged_on IS NOT excluded.expunged_on";
static const char SQL_WANTED[] =
    "INSERT INTO wanted(iin, since, region) VALUES (?1, ?2, coalesce(?3, ?4))"
    " ON CONFLICT(iin) DO UPDATE SET since = excluded.since WHERE since IS NOT excluded.since";
static const char SQL_REGISTRATIONS[] =
    "INSERT INTO registrations(iin, kind, address, from_on, until_on, region)"
    " VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, ?7))"
    " ON CONFLICT(iin, kind, address, from_on) DO UPDATE SET until_on = excluded.until_on"
    " WHERE until_on IS NOT excluded.until_on";
static const char SQL_SETTLERS[] =
    "INSERT INTO settlers(surname, name, patronymic, birth_date, relocated_on, from_place,"
    " to_place, region) VALUES (?1, ?2, coalesce(?3, ''), ?4, ?5, ?6, ?7, coalesce(?8, ?9))"
    " ON CONFLICT(surname, name, patronymic, birth_date, relocated_on) DO UPDATE SET"
    " from_place = excluded.from_place, to_place = excluded.to_place"
    " WHERE (from_place, to_place) IS NOT (excluded.from_place, excluded.to_place)";
static const char SQL_DOCUMENTS[] =
    "INSERT INTO identity_documents(number, iin, kind, issued_on, valid_until, status, region)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, ?8))"
    " ON CONFLICT(number) DO UPDATE SET iin = excluded.iin, kind = excluded.kind,"
    " issued_on = excluded.issued_on, valid_until = excluded.valid_until,"
    " status = excluded.status"
    " WHERE (iin, kind, issued_on, valid_until, status) IS NOT (excluded.iin, excluded.kind,"
    " excluded.issued_on, excluded.valid_until, excluded.status)";
static const char SQL_LEGAL_ENTITIES[] =
    "INSERT INTO legal_entities(bin, name_kk, name_ru, registered_on, region)"
    " VALUES (?1, ?2, ?3, ?4, coalesce(?5, ?6))"
    " ON CONFLICT(bin) DO UPDATE SET name_kk = excluded.name_kk, name_ru = excluded.name_ru,"
    " registered_on = excluded.registered_on"
    " WHERE (name_kk, name_ru, registered_on) IS NOT (excluded.name_kk, excluded.name_ru,"
    " excluded.registered_on)";

static const char SQL_FOREIGNERS[] =
    "INSERT INTO foreigners(iin, citizenship, document_number, surname, name, birth, issued_on,"
    " region) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, ?9))"
    " ON CONFLICT(iin) DO UPDATE SET citizenship = excluded.citizenship,"
    " document_number = excluded.document_number, surname = excluded.surname,"
    " name = excluded.name, birth = excluded.birth, issued_on = excluded.issued_on"
    " WHERE (citizenship, document_number, surname, name, birth, issued_on) IS NOT"
    " (excluded.citizenship, excluded.document_number, excluded.surname, excluded.name,"
    " excluded.birth, excluded.issued_on)";

static const char *const SQL_IMPORT[QZ_REG_COUNT] = {
    [QZ_REG_PERSONS] = SQL_PERSONS,
    [QZ_REG_CONVICTIONS] = SQL_CONVICTIONS,
    [QZ_REG_WANTED] = SQL_WANTED,
    [QZ_REG_REGISTRATIONS] = SQL_REGISTRATIONS,
    [QZ_REG_SETTLERS] = SQL_SETTLERS,
    [QZ_REG_DOCUMENTS] = SQL_DOCUMENTS,
    [QZ_REG_LEGAL_ENTITIES] = SQL_LEGAL_ENTITIES,
    [QZ_REG_FOREIGNERS] = SQL_FOREIGNERS,
};

static const char *const SQL_COUNT[QZ_REG_COUNT] = {
    [QZ_REG_PERSONS] = "SELECT count(*) FROM persons",
    [QZ_REG_CONVICTIONS] = "SELECT count(*) FROM convictions",
    [QZ_REG_WANTED] = "SELECT count(*) FROM wanted",
    [QZ_REG_REGISTRATIONS] = "SELECT count(*) FROM registrations",
    [QZ_REG_SETTLERS] = "SELECT count(*) FROM settlers",
    [QZ_REG_DOCUMENTS] = "SELECT count(*) FROM identity_documents",
    [QZ_REG_LEGAL_ENTITIES] = "SELECT count(*) FROM legal_entities",
    [QZ_REG_FOREIGNERS] = "SELECT count(*) FROM foreigners",
};

/* cache_size may change inside the writer's transaction (temp_store may not) */
static const char SQL_CACHE[] = "PRAGMA cache_size = -65536"; /* KiB: 64 MiB */

static const char DEFAULT_REGION[] = "KZ-71"; /* not in the seeds: the demo's region */

typedef struct import_req {
    qz_register kind;
    const qz_reg_row *rows;
    size_t n;
    qz_instant now;
    int64_t changed;
} import_req;

static int apply_import(sq_batch *b, void *arg, qz_err *err)
{
    import_req *r = arg;
    size_t ncols;
    qz_registry_columns(r->kind, &ncols);
    sqlite3_stmt *s = NULL;
    /* A register's key index is written in random order: a page cache that holds it
     * keeps each page from being spilled to the log and read back many times over. */
    if (sq_exec(b->c, SQL_CACHE, err) || sq_stmt(b->c, SQL_IMPORT[r->kind], &s, err))
        return -1;
    for (size_t i = 0; i < r->n; i++) {
        int p = 1;
        for (size_t k = 0; k < ncols; k++, p++) {
            const char *v = r->rows[i].f[k];
            int rc = v ? sqlite3_bind_text(s, p, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, p);
            if (rc != SQLITE_OK)
                return sq_fail(b->c, rc, err);
        }
        if (sqlite3_bind_text(s, p++, DEFAULT_REGION, -1, SQLITE_STATIC) != SQLITE_OK ||
            (r->kind == QZ_REG_PERSONS && sqlite3_bind_int64(s, p, r->now) != SQLITE_OK))
            return sq_fail(b->c, SQLITE_ERROR, err);
        if (sq_run(b->c, s, "registry.duplicate", r->rows[i].f[0], err))
            return -1;
        r->changed += sqlite3_changes(b->c->db);
    }
    return 0;
}

static int sq_registry_import(void *impl, qz_register kind, const qz_reg_row *rows, size_t n,
                              qz_instant now, int64_t *changed, qz_err *err)
{
    import_req r = {.kind = kind, .rows = rows, .n = n, .now = now};
    if (sq_submit(impl, apply_import, &r, err))
        return -1;
    *changed = r.changed;
    return 0;
}

/* ---- reading ---- */

static const char SQL_CONVICTIONS_OF[] =
    "SELECT iin, article, sentenced_on, expunged_on FROM convictions WHERE iin = ?1"
    " ORDER BY sentenced_on, id";
static const char SQL_WANTED_OF[] = "SELECT since FROM wanted WHERE iin = ?1";
static const char SQL_REGISTRATIONS_OF[] =
    "SELECT iin, kind, address, from_on, until_on, ended_on, end_ground FROM registrations"
    " WHERE iin = ?1 ORDER BY ended_on IS NOT NULL, from_on DESC, id DESC";
static const char SQL_SETTLERS_OF[] =
    "SELECT surname, name, patronymic, birth_date, relocated_on, from_place, to_place"
    " FROM settlers WHERE surname = ?1 AND name = ?2 AND (?3 IS NULL OR birth_date = ?3)"
    " ORDER BY relocated_on, id";

static int read_conviction(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_conviction_row *c = row;
    bool oom = false;
    c->iin = sq_text(a, s, 0, &oom);
    c->article = sq_text(a, s, 1, &oom);
    c->sentenced_on = sq_text(a, s, 2, &oom);
    c->expunged_on = sq_text(a, s, 3, &oom);
    return oom ? sq_oom(err) : 0;
}

static int read_registration(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_registration_row *r = row;
    bool oom = false;
    r->iin = sq_text(a, s, 0, &oom);
    r->kind = sq_text(a, s, 1, &oom);
    r->address = sq_text(a, s, 2, &oom);
    r->from_on = sq_text(a, s, 3, &oom);
    r->until_on = sq_text(a, s, 4, &oom);
    r->ended_on = sq_text(a, s, 5, &oom);
    r->end_ground = sq_text(a, s, 6, &oom);
    return oom ? sq_oom(err) : 0;
}

static int read_settler(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_settler_row *r = row;
    bool oom = false;
    r->surname = sq_text(a, s, 0, &oom);
    r->name = sq_text(a, s, 1, &oom);
    r->patronymic = sq_text(a, s, 2, &oom);
    r->birth_date = sq_text(a, s, 3, &oom);
    r->relocated_on = sq_text(a, s, 4, &oom);
    r->from_place = sq_text(a, s, 5, &oom);
    r->to_place = sq_text(a, s, 6, &oom);
    return oom ? sq_oom(err) : 0;
}

/* Runs `sql` bound with `types` and the texts, reading every row with fn. */
static int read_rows(void *impl, const char *sql, const char *a1, const char *a2, const char *a3,
                     qz_arena *a, sq_read_fn fn, size_t size, void **out, size_t *n, qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, sql, &s, err) || sq_bind(c, s, err, a2 ? "ttt" : "t", a1, a2, a3) ||
                    sq_read_all(c, s, a, fn, size, out, n, err)
                ? -1
                : 0;
    sq_read_release(impl, c);
    return r;
}

static int sq_registry_convictions(void *impl, const char *iin, qz_arena *a,
                                   qz_conviction_row **out, size_t *n, qz_err *err)
{
    return read_rows(impl, SQL_CONVICTIONS_OF, iin, NULL, NULL, a, read_conviction, sizeof **out,
                     (void **)out, n, err);
}

static int sq_registry_registrations(void *impl, const char *iin, qz_arena *a,
                                     qz_registration_row **out, size_t *n, qz_err *err)
{
    return read_rows(impl, SQL_REGISTRATIONS_OF, iin, NULL, NULL, a, read_registration,
                     sizeof **out, (void **)out, n, err);
}

static int sq_registry_settlers(void *impl, const char *surname, const char *name,
                                const char *birth_date, qz_arena *a, qz_settler_row **out,
                                size_t *n, qz_err *err)
{
    return read_rows(impl, SQL_SETTLERS_OF, surname, name, birth_date, a, read_settler,
                     sizeof **out, (void **)out, n, err);
}

static int sq_registry_wanted(void *impl, const char *iin, qz_arena *a, const char **since,
                              qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    bool oom = false;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r =
        sq_stmt(c, SQL_WANTED_OF, &s, err) || sq_bind(c, s, err, "t", iin) ? -1 : sq_row(c, s, err);
    if (r == 1) {
        *since = sq_text(a, s, 0, &oom);
        sqlite3_reset(s);
        r = oom ? sq_oom(err) : 0;
    }
    sq_read_release(impl, c);
    return r < 0 ? -1 : 0;
}

static int sq_registry_count(void *impl, qz_register kind, int64_t *out, qz_err *err)
{
    sq_conn *c;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_query_int(c, SQL_COUNT[kind], out, err);
    sq_read_release(impl, c);
    return r;
}

static const char SQL_PERSON[] =
    "SELECT iin, surname, name, patronymic, birth, sex, birth_place, citizenship FROM persons"
    " WHERE iin = ?1";

static int sq_registry_person(void *impl, const char *iin, qz_arena *a, qz_person_record *out,
                              qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    bool oom = false;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r =
        sq_stmt(c, SQL_PERSON, &s, err) || sq_bind(c, s, err, "t", iin) ? -1 : sq_row(c, s, err);
    if (r == 1) {
        out->iin = sq_text(a, s, 0, &oom);
        out->surname = sq_text(a, s, 1, &oom);
        out->name = sq_text(a, s, 2, &oom);
        out->patronymic = sq_text(a, s, 3, &oom);
        out->birth = sq_text(a, s, 4, &oom);
        out->sex = sq_text(a, s, 5, &oom);
        out->birth_place = sq_text(a, s, 6, &oom);
        out->citizenship = sq_text(a, s, 7, &oom);
        sqlite3_reset(s);
        r = oom ? sq_oom(err) : 1;
    }
    sq_read_release(impl, c);
    if (r == 0)
        return qz_err_set(err, QZ_ENOTFOUND, "store.person_not_found", "iin", iin);
    return r < 0 ? -1 : 0;
}

const qz_registry_ops qz_registry_sqlite_ops = {
    .apply = sq_registry_apply,
    .person = sq_registry_person,
    .import = sq_registry_import,
    .convictions = sq_registry_convictions,
    .wanted = sq_registry_wanted,
    .registrations = sq_registry_registrations,
    .settlers = sq_registry_settlers,
    .count = sq_registry_count,
};
