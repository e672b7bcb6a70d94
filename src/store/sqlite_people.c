/*
 * sqlite_people.c — units, users and persons: adding them (writes on the writer) and
 * reading them back (a read connection from the pool).
 */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <string.h>

static const char SQL_UNIT_ADD[] =
    "INSERT INTO units(code, kind, department, name_kk, name_ru, region, parent, acts_as,"
    " schedule, area) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, coalesce(?10, 'region'))";
static const char SQL_UNIT_GET[] =
    "SELECT code, kind, department, name_kk, name_ru, region, parent, acts_as, schedule, area"
    " FROM units WHERE code = ?1";
static const char SQL_UNIT_LIST[] =
    "SELECT code, kind, department, name_kk, name_ru, region, parent, acts_as, schedule, area"
    " FROM units WHERE ?1 IS NULL OR region = ?1 ORDER BY code";
static const char SQL_UNIT_REGION[] = "SELECT region FROM units WHERE code = ?1";
static const char SQL_USER_ADD[] =
    "INSERT INTO users(login, password_hash, role, unit, region, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_USER_FIND[] =
    "SELECT id, login, role, unit, region, created_at, password_hash FROM users WHERE login = ?1";
static const char SQL_PERSON_ADD[] =
    "INSERT INTO persons(iin, surname, name, patronymic, phone, birth, region, created_at, lang)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_PERSON_GET[] =
    "SELECT iin, surname, name, patronymic, phone, birth, region, created_at, lang FROM persons"
    " WHERE iin = ?1";

/* ---- units ---- */

static int apply_unit_add(sq_batch *b, void *arg, qz_err *err)
{
    const qz_unit_row *u = arg;
    sqlite3_stmt *s = NULL;
    return sq_stmt(b->c, SQL_UNIT_ADD, &s, err) ||
                   sq_bind(b->c, s, err, "tttttttttt", u->code, u->kind, u->department, u->name_kk,
                           u->name_ru, u->region, u->parent, u->acts_as, u->schedule, u->area) ||
                   sq_run(b->c, s, "store.unit_exists", u->code, err)
               ? -1
               : 0;
}

int sq_unit_add(void *impl, const qz_unit_row *u, qz_err *err)
{
    return sq_submit(impl, apply_unit_add, (void *)u, err);
}

/* Reads a unit row of SQL_UNIT_GET / SQL_UNIT_LIST's columns. */
static int read_unit(sqlite3_stmt *s, qz_arena *a, void *row, qz_err *err)
{
    qz_unit_row *u = row;
    bool oom = false;
    u->code = sq_text(a, s, 0, &oom);
    u->kind = sq_text(a, s, 1, &oom);
    u->department = sq_text(a, s, 2, &oom);
    u->name_kk = sq_text(a, s, 3, &oom);
    u->name_ru = sq_text(a, s, 4, &oom);
    u->region = sq_text(a, s, 5, &oom);
    u->parent = sq_text(a, s, 6, &oom);
    u->acts_as = sq_text(a, s, 7, &oom);
    u->schedule = sq_text(a, s, 8, &oom);
    u->area = sq_text(a, s, 9, &oom);
    return oom ? sq_oom(err) : 0;
}

int sq_unit_get(void *impl, const char *code, qz_arena *a, qz_unit_row *out, qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r =
        sq_stmt(c, SQL_UNIT_GET, &s, err) || sq_bind(c, s, err, "t", code) ? -1 : sq_row(c, s, err);
    if (r == 1)
        r = read_unit(s, a, out, err);
    else if (r == 0)
        r = sq_fail_key(c, QZ_ENOTFOUND, "store.unit_not_found", code, err);
    sqlite3_reset(s);
    sq_read_release(impl, c);
    return r;
}

int sq_unit_list(void *impl, const char *region, qz_arena *a, qz_unit_row **out, size_t *n,
                 qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQL_UNIT_LIST, &s, err) || sq_bind(c, s, err, "t", region) ? -1 : 1;
    if (r == 1)
        r = sq_read_all(c, s, a, read_unit, sizeof **out, (void **)out, n, err);
    sqlite3_reset(s);
    sq_read_release(impl, c);
    return r < 0 ? -1 : 0;
}

/* ---- users ---- */

typedef struct user_req {
    const qz_user_row *u;
    const char *hash;
    int64_t id;
} user_req;

/* The region of unit `code`, copied into region (cap bytes); store.unit_not_found. */
static int unit_region(sq_conn *c, const char *code, char *region, size_t cap, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sq_stmt(c, SQL_UNIT_REGION, &s, err) || sq_bind(c, s, err, "t", code))
        return -1;
    int r = sq_row(c, s, err);
    if (r == 1) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        snprintf(region, cap, "%s", t ? t : "");
        sqlite3_reset(s);
    }
    if (r == 0)
        return sq_fail_key(c, QZ_ENOTFOUND, "store.unit_not_found", code, err);
    return r < 0 ? -1 : 0;
}

static int apply_user_add(sq_batch *b, void *arg, qz_err *err)
{
    user_req *r = arg;
    const qz_user_row *u = r->u;
    char region[64];
    sqlite3_stmt *s = NULL;
    if (u->unit && unit_region(b->c, u->unit, region, sizeof region, err))
        return -1;
    if (sq_stmt(b->c, SQL_USER_ADD, &s, err) ||
        sq_bind(b->c, s, err, "ttttti", u->login, r->hash, u->role, u->unit,
                u->unit ? region : u->region, (int64_t)u->created_at) ||
        sq_run(b->c, s, "store.login_taken", u->login, err))
        return -1;
    r->id = sqlite3_last_insert_rowid(b->c->db);
    return 0;
}

int sq_user_add(void *impl, const qz_user_row *u, const char *hash, int64_t *id, qz_err *err)
{
    user_req r = {u, hash, 0};
    if (sq_submit(impl, apply_user_add, &r, err))
        return -1;
    if (id)
        *id = r.id;
    return 0;
}

int sq_user_get(void *impl, const char *login, qz_arena *a, qz_user_row *out, qz_err *err)
{
    const char *hash = NULL;
    int r = sq_user_find(impl, login, a, out, &hash, err);
    if (r == 1)
        return qz_err_set(err, QZ_ENOTFOUND, "store.user_not_found", "login", login);
    return r;
}

int sq_user_find(void *impl, const char *login, qz_arena *a, qz_user_row *out, const char **hash,
                 qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    bool oom = false;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQL_USER_FIND, &s, err) || sq_bind(c, s, err, "t", login)
                ? -1
                : sq_row(c, s, err);
    if (r == 1) {
        out->id = sqlite3_column_int64(s, 0);
        out->login = sq_text(a, s, 1, &oom);
        out->role = sq_text(a, s, 2, &oom);
        out->unit = sq_text(a, s, 3, &oom);
        out->region = sq_text(a, s, 4, &oom);
        out->created_at = sqlite3_column_int64(s, 5);
        *hash = sq_text(a, s, 6, &oom);
        r = oom || !*hash ? sq_oom(err) : 0;
    } else if (r == 0) {
        r = 1;
    }
    sqlite3_reset(s);
    sq_read_release(impl, c);
    return r;
}

/* ---- persons ---- */

static int apply_person_add(sq_batch *b, void *arg, qz_err *err)
{
    const qz_person_row *p = arg;
    char birth[QZ_DATE_STR];
    sqlite3_stmt *s = NULL;
    return sq_stmt(b->c, SQL_PERSON_ADD, &s, err) ||
                   sq_bind(b->c, s, err, "tttttttit", p->iin, p->surname, p->name, p->patronymic,
                           p->phone, p->has_birth ? qz_date_format(p->birth, birth) : NULL,
                           p->region, (int64_t)p->created_at, p->lang) ||
                   sq_run(b->c, s, "store.person_exists", p->iin, err)
               ? -1
               : 0;
}

int sq_person_add(void *impl, const qz_person_row *p, qz_err *err)
{
    return sq_submit(impl, apply_person_add, (void *)p, err);
}

static int read_person(sq_conn *c, sqlite3_stmt *s, qz_arena *a, qz_person_row *p, qz_err *err)
{
    bool oom = false;
    p->iin = sq_text(a, s, 0, &oom);
    p->surname = sq_text(a, s, 1, &oom);
    p->name = sq_text(a, s, 2, &oom);
    p->patronymic = sq_text(a, s, 3, &oom);
    p->phone = sq_text(a, s, 4, &oom);
    const char *birth = (const char *)sqlite3_column_text(s, 5);
    p->has_birth = birth != NULL;
    p->region = sq_text(a, s, 6, &oom);
    p->created_at = sqlite3_column_int64(s, 7);
    p->lang = sq_text(a, s, 8, &oom);
    if (oom)
        return sq_oom(err);
    if (birth && qz_date_parse(birth, &p->birth, err))
        return sq_fail_key(c, QZ_EDATA, "store.invalid_row", "persons.birth", err);
    return 0;
}

int sq_person_get(void *impl, const char *iin, qz_arena *a, qz_person_row *out, qz_err *err)
{
    sq_conn *c;
    sqlite3_stmt *s = NULL;
    if (sq_read_acquire(impl, &c, err))
        return -1;
    int r = sq_stmt(c, SQL_PERSON_GET, &s, err) || sq_bind(c, s, err, "t", iin) ? -1
                                                                                : sq_row(c, s, err);
    if (r == 1)
        r = read_person(c, s, a, out, err);
    else if (r == 0)
        r = sq_fail_key(c, QZ_ENOTFOUND, "store.person_not_found", iin, err);
    sqlite3_reset(s);
    sq_read_release(impl, c);
    return r;
}
