/*
 * sqlite_util.c — connections, cached statements, binding, stepping and error mapping
 * for the SQLite backend (sqlite_int.h).
 */
#include "store/sqlite_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sq_fail(const sq_conn *c, int rc, qz_err *err)
{
    const char *detail = c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc);
    static const struct {
        int rc;
        qz_code code;
        const char *key;
    } map[] = {
        {SQLITE_NOTADB, QZ_EDATA, "store.not_database"},
        {SQLITE_CORRUPT, QZ_EDATA, "store.corrupt"},
        {SQLITE_BUSY, QZ_EIO, "store.busy"},
        {SQLITE_LOCKED, QZ_EIO, "store.busy"},
        {SQLITE_READONLY, QZ_EIO, "store.readonly"},
        {SQLITE_CANTOPEN, QZ_EIO, "store.cannot_open"},
        {SQLITE_FULL, QZ_EIO, "store.disk_full"},
    };
    if ((rc & 0xff) == SQLITE_NOMEM)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    size_t i = 0;
    while (i < sizeof map / sizeof map[0] && map[i].rc != (rc & 0xff))
        i++;
    if (i < sizeof map / sizeof map[0])
        qz_err_set(err, map[i].code, map[i].key, NULL, detail);
    else
        qz_err_set(err, QZ_EIO, "store.sqlite_error", NULL, detail);
    qz_err_set_file(err, c->target);
    return -1;
}

int sq_fail_key(const sq_conn *c, qz_code code, const char *key, const char *value, qz_err *err)
{
    qz_err_set(err, code, key, NULL, value);
    qz_err_set_file(err, c->target);
    return -1;
}

int sq_conn_open(sq_conn *c, const char *path, int flags, const char *target, qz_err *err)
{
    memset(c, 0, sizeof *c);
    c->target = target;
    int rc = sqlite3_open_v2(path, &c->db, flags, NULL);
    if (rc != SQLITE_OK)
        return sq_fail(c, rc, err);
    if ((rc = sqlite3_extended_result_codes(c->db, 1)) != SQLITE_OK ||
        (rc = sqlite3_busy_timeout(c->db, SQ_BUSY_TIMEOUT_MS)) != SQLITE_OK)
        return sq_fail(c, rc, err);
    return 0;
}

void sq_conn_close(sq_conn *c)
{
    for (size_t i = 0; i < c->n_cached; i++)
        sqlite3_finalize(c->cache[i].stmt);
    c->n_cached = 0;
    sqlite3_close_v2(c->db); /* NULL is a no-op; with every statement finalized it closes */
    c->db = NULL;
}

int sq_exec(sq_conn *c, const char *sql, qz_err *err)
{
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : sq_fail(c, rc, err);
}

int sq_stmt(sq_conn *c, const char *sql, sqlite3_stmt **out, qz_err *err)
{
    for (size_t i = 0; i < c->n_cached; i++)
        if (c->cache[i].sql == sql) {
            *out = c->cache[i].stmt;
            sqlite3_reset(*out); /* repeats an old step's error, which was reported then */
            sqlite3_clear_bindings(*out);
            return 0;
        }
    if (c->n_cached == SQ_CACHE)
        return sq_fail_key(c, QZ_EINTERNAL, "store.sqlite_error", "statement cache full", err);
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
    if (rc != SQLITE_OK)
        return sq_fail(c, rc, err);
    c->cache[c->n_cached].sql = sql;
    c->cache[c->n_cached++].stmt = *out;
    return 0;
}

int sq_bind(sq_conn *c, sqlite3_stmt *s, qz_err *err, const char *types, ...)
{
    va_list ap;
    int rc = SQLITE_OK;
    va_start(ap, types);
    for (int i = 1; types[i - 1] && rc == SQLITE_OK; i++) {
        const char *t;
        qz_instant v;
        switch (types[i - 1]) {
        case 't':
            t = va_arg(ap, const char *);
            rc = t ? sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
            break;
        case 'i':
            rc = sqlite3_bind_int64(s, i, va_arg(ap, int64_t));
            break;
        case 'T':
            v = va_arg(ap, qz_instant);
            rc = v == QZ_NO_TIME ? sqlite3_bind_null(s, i) : sqlite3_bind_int64(s, i, v);
            break;
        case 'h':
            rc = sqlite3_bind_blob(s, i, va_arg(ap, const unsigned char *), QZ_HASH_LEN,
                                   SQLITE_STATIC);
            break;
        case 'b': /* a QZ_HASH_LEN-byte blob or NULL */
            t = (const char *)va_arg(ap, const unsigned char *);
            rc = t ? sqlite3_bind_blob(s, i, t, QZ_HASH_LEN, SQLITE_STATIC)
                   : sqlite3_bind_null(s, i);
            break;
        default:
            rc = SQLITE_MISUSE;
        }
    }
    va_end(ap);
    return rc == SQLITE_OK ? 0 : sq_fail(c, rc, err);
}

int sq_run(sq_conn *c, sqlite3_stmt *s, const char *conflict_key, const char *conflict_value,
           qz_err *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return 0;
    if ((rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) && conflict_key)
        return sq_fail_key(c, QZ_ECONFLICT, conflict_key, conflict_value, err);
    if (rc == SQLITE_CONSTRAINT_CHECK || rc == SQLITE_CONSTRAINT_NOTNULL)
        return sq_fail_key(c, QZ_EINPUT, "store.invalid_row", sqlite3_errmsg(c->db), err);
    return sq_fail(c, rc, err);
}

int sq_row(sq_conn *c, sqlite3_stmt *s, qz_err *err)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        return 1;
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : sq_fail(c, rc, err);
}

int sq_query_int(sq_conn *c, const char *sql, int64_t *out, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    if (sq_stmt(c, sql, &s, err))
        return -1;
    int r = sq_row(c, s, err);
    if (r == 1)
        *out = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (r == 0)
        return sq_fail_key(c, QZ_EINTERNAL, "store.sqlite_error", sql, err);
    return r < 0 ? -1 : 0;
}

const char *sq_text(qz_arena *a, sqlite3_stmt *s, int col, bool *oom)
{
    if (sqlite3_column_type(s, col) == SQLITE_NULL)
        return NULL;
    const char *t = (const char *)sqlite3_column_text(s, col);
    char *copy = t ? qz_arena_strdup(a, t) : NULL; /* NULL text of a value: out of memory */
    if (!copy)
        *oom = true;
    return copy;
}

qz_instant sq_time(sqlite3_stmt *s, int col)
{
    return sqlite3_column_type(s, col) == SQLITE_NULL ? QZ_NO_TIME : sqlite3_column_int64(s, col);
}

void *sq_grow(qz_arena *a, void *v, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return v;
    size_t bigger = *cap ? *cap * 2 : 16;
    void *w = qz_arena_alloc(a, bigger * size);
    if (!w)
        return NULL;
    if (n)
        memcpy(w, v, n * size);
    *cap = bigger;
    return w;
}

int sq_oom(qz_err *err)
{
    return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
}

static void check_sync(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "qyzmet: %s failed: %s\n", what, strerror(rc));
        abort();
    }
}

void sq_lock(pthread_mutex_t *m)
{
    check_sync(pthread_mutex_lock(m), "pthread_mutex_lock");
}

void sq_unlock(pthread_mutex_t *m)
{
    check_sync(pthread_mutex_unlock(m), "pthread_mutex_unlock");
}

void sq_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    check_sync(pthread_cond_wait(c, m), "pthread_cond_wait");
}

void sq_wake(pthread_cond_t *c, bool all)
{
    check_sync(all ? pthread_cond_broadcast(c) : pthread_cond_signal(c), "pthread_cond_signal");
}

int sq_read_all(sq_conn *c, sqlite3_stmt *s, qz_arena *a, sq_read_fn fn, size_t size, void **out,
                size_t *n, qz_err *err)
{
    size_t cap = 0;
    int r;
    while ((r = sq_row(c, s, err)) == 1) {
        char *v = sq_grow(a, *out, *n, &cap, size);
        if (!v || fn(s, a, v + *n * size, err)) {
            sqlite3_reset(s);
            return sq_oom(err);
        }
        *out = v;
        (*n)++;
    }
    return r;
}
