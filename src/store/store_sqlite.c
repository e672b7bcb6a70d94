/*
 * store_sqlite.c — the store (store.h) on an embedded SQLite file.
 *
 * A qyzmet file carries PRAGMA application_id = QZ_APP_ID and a schema_version
 * table with one row per applied migration. Opening first looks without writing:
 * an empty file is new; a file with our application id is ours; anything else
 * with tables in it belongs to another program and is left untouched. Then WAL
 * mode, then the missing migrations under BEGIN IMMEDIATE, re-checking inside the
 * transaction so that two processes creating the same file do not both migrate.
 */
#include "store/store.h"

#include <sqlite3.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { QZ_APP_ID = 0x515A4D54 }; /* "QZMT" */
enum { BUSY_TIMEOUT_MS = 5000 };

/* Migration N is migrations[N - 1]; append only, never edit one that has shipped. */
static const char *const migrations[] = {
    /* 1 */ "CREATE TABLE issued_iin(iin TEXT PRIMARY KEY, issued_at INTEGER NOT NULL);",
};
enum { LATEST = sizeof migrations / sizeof migrations[0] };

struct qz_store {
    sqlite3 *db;
    sqlite3_stmt *claim; /* INSERT INTO issued_iin */
    int version;
    char *target; /* owned; errors name it as their file */
};

typedef enum db_kind { DB_NEW, DB_OURS, DB_FOREIGN } db_kind;

/* Fills err from a SQLite result code; returns -1. */
static int fail(const qz_store *st, int rc, qz_err *err)
{
    const char *detail = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    int r;
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        r = qz_err_set(err, QZ_EDATA, "store.not_database", NULL, detail);
        break;
    case SQLITE_CORRUPT:
        r = qz_err_set(err, QZ_EDATA, "store.corrupt", NULL, detail);
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        r = qz_err_set(err, QZ_EIO, "store.busy", NULL, detail);
        break;
    case SQLITE_READONLY:
        r = qz_err_set(err, QZ_EIO, "store.readonly", NULL, detail);
        break;
    case SQLITE_CANTOPEN:
        r = qz_err_set(err, QZ_EIO, "store.cannot_open", NULL, detail);
        break;
    case SQLITE_NOMEM:
        r = qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        break;
    default:
        r = qz_err_set(err, QZ_EIO, "store.sqlite_error", NULL, detail);
        break;
    }
    qz_err_set_file(err, st->target);
    return r;
}

/* Sets a store error that concerns the database file; returns -1. */
static int fail_key(const qz_store *st, qz_code code, const char *key, const char *value,
                    qz_err *err)
{
    qz_err_set(err, code, key, NULL, value);
    qz_err_set_file(err, st->target);
    return -1;
}

static int exec(qz_store *st, const char *sql, qz_err *err)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : fail(st, rc, err);
}

/* Ends an open transaction after a failure; the first error is the one reported. */
static void rollback(qz_store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        (void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs a query whose first row's first column is an integer. */
static int query_int(qz_store *st, const char *sql, int64_t *out, qz_err *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return fail(st, rc, err);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt); /* returns the step's error again, handled below */
    if (rc == SQLITE_ROW)
        return 0;
    if (rc == SQLITE_DONE)
        return fail_key(st, QZ_EINTERNAL, "store.sqlite_error", sql, err);
    return fail(st, rc, err);
}

/* Says whose database this is, reading only. */
static int inspect(qz_store *st, db_kind *kind, qz_err *err)
{
    int64_t app_id = 0, objects = 0, has_version = 0;
    if (query_int(st, "PRAGMA application_id", &app_id, err) ||
        query_int(st, "SELECT count(*) FROM sqlite_master", &objects, err) ||
        query_int(st,
                  "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                  "'schema_version'",
                  &has_version, err))
        return -1;
    if (app_id == QZ_APP_ID && !has_version)
        return fail_key(st, QZ_EDATA, "store.schema_broken", "schema_version", err);
    if (app_id == QZ_APP_ID)
        *kind = DB_OURS;
    else if (app_id == 0 && objects == 0)
        *kind = DB_NEW;
    else
        *kind = DB_FOREIGN;
    return 0;
}

static int read_version(qz_store *st, qz_err *err)
{
    int64_t v = 0;
    if (query_int(st, "SELECT coalesce(max(version), 0) FROM schema_version", &v, err))
        return -1;
    if (v < 0 || v > LATEST) {
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)v);
        return fail_key(st, v < 0 ? QZ_EDATA : QZ_ERANGE,
                        v < 0 ? "store.schema_broken" : "store.schema_too_new", num, err);
    }
    st->version = (int)v;
    return 0;
}

/* Looks at the file without writing: refuses what is not ours, reads our version. */
static int look(qz_store *st, db_kind *kind, qz_err *err)
{
    if (exec(st, "BEGIN", err))
        return -1;
    if (inspect(st, kind, err) || (*kind == DB_OURS && read_version(st, err))) {
        rollback(st);
        return -1;
    }
    if (exec(st, "COMMIT", err))
        return -1;
    if (*kind == DB_FOREIGN)
        return fail_key(st, QZ_EDATA, "store.foreign_database", NULL, err);
    return 0;
}

/* Runs a journal_mode pragma; the mode it reports goes into mode (cap bytes). */
static int journal_mode(qz_store *st, const char *pragma, char *mode, size_t cap, int *rc_out)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(st->db, pragma, -1, &stmt, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
        snprintf(mode, cap, "%s", (const char *)sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    *rc_out = rc;
    return rc == SQLITE_ROW ? 0 : -1;
}

/*
 * Puts the file in WAL mode, which lasts: most opens find it so and change nothing.
 * Switching needs an exclusive lock, and SQLite answers SQLITE_BUSY at once rather
 * than call the busy handler when another process holds a lock, so retry until the
 * busy timeout has passed.
 */
static int use_wal(qz_store *st, qz_err *err)
{
    char mode[16] = "";
    int rc = SQLITE_OK;
    if (journal_mode(st, "PRAGMA journal_mode", mode, sizeof mode, &rc))
        return fail(st, rc, err);
    for (int waited = 0; strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0;) {
        if (journal_mode(st, "PRAGMA journal_mode = WAL", mode, sizeof mode, &rc) == 0) {
            /* An in-memory database (":memory:", tests) keeps its own journal. */
            if (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)
                return fail_key(st, QZ_EIO, "store.wal_unavailable", mode, err);
        } else if ((rc & 0xff) != SQLITE_BUSY || waited >= BUSY_TIMEOUT_MS) {
            return fail(st, rc, err);
        } else {
            int slept = sqlite3_sleep(10); /* ms actually asked of the system */
            waited += slept > 0 ? slept : 10;
        }
    }
    return 0;
}

static int apply_migrations(qz_store *st, qz_err *err)
{
    char sql[64];
    for (size_t i = (size_t)st->version; i < LATEST; i++) { /* migration i + 1 */
        snprintf(sql, sizeof sql, "INSERT INTO schema_version(version) VALUES (%zu)", i + 1);
        if (exec(st, migrations[i], err) || exec(st, sql, err))
            return -1;
    }
    st->version = LATEST;
    return 0;
}

/* Creates the bookkeeping of a new file, then applies what is missing, in one transaction. */
static int migrate(qz_store *st, qz_err *err)
{
    db_kind kind;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d", (int)QZ_APP_ID);
    if (exec(st, "BEGIN IMMEDIATE", err))
        return -1;
    int bad = inspect(st, &kind, err);
    if (!bad && kind == DB_FOREIGN)
        bad = fail_key(st, QZ_EDATA, "store.foreign_database", NULL, err);
    if (!bad && kind == DB_NEW)
        bad = exec(st, sql, err) ||
              exec(st, "CREATE TABLE schema_version(version INTEGER PRIMARY KEY)", err);
    if (bad || read_version(st, err) || apply_migrations(st, err) || exec(st, "COMMIT", err)) {
        rollback(st);
        return -1;
    }
    return 0;
}

static int prepare_statements(qz_store *st, qz_err *err)
{
    int rc = sqlite3_prepare_v2(st->db, "INSERT INTO issued_iin(iin, issued_at) VALUES (?1, ?2)",
                                -1, &st->claim, NULL);
    return rc == SQLITE_OK ? 0 : fail(st, rc, err);
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int open_file(qz_store *st, qz_err *err)
{
    db_kind kind;
    int rc = sqlite3_open_v2(st->target, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK)
        return fail(st, rc, err);
    if ((rc = sqlite3_extended_result_codes(st->db, 1)) != SQLITE_OK ||
        (rc = sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS)) != SQLITE_OK)
        return fail(st, rc, err);
    if (look(st, &kind, err) || use_wal(st, err))
        return -1;
    if (st->version < LATEST && migrate(st, err))
        return -1;
    return prepare_statements(st, err);
}

int qz_store_open(const char *target, qz_store **out, qz_err *err)
{
    *out = NULL;
    if (!target || !*target)
        return qz_err_set(err, QZ_EINPUT, "store.target_empty", "--db", NULL);
    if (starts_with(target, "postgres://") || starts_with(target, "postgresql://"))
        return qz_err_set(err, QZ_EIO, "store.backend_unavailable", NULL, "PostgreSQL");
    qz_store *st = calloc(1, sizeof *st);
    if (!st)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    if (!(st->target = strdup(target))) {
        free(st);
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    if (open_file(st, err)) {
        qz_store_close(st);
        return -1;
    }
    *out = st;
    return 0;
}

void qz_store_close(qz_store *st)
{
    if (!st)
        return;
    sqlite3_finalize(st->claim);
    sqlite3_close_v2(st->db); /* NULL is a no-op; with every statement finalized it closes */
    free(st->target);
    free(st);
}

int qz_store_schema_version(const qz_store *st)
{
    return st ? st->version : 0;
}

int qz_store_schema_latest(void)
{
    return LATEST;
}

/* Inserts one issued IIN; QZ_ECONFLICT store.iin_taken when it is there already. */
static int insert_iin(qz_store *st, const char *iin, qz_instant now, qz_err *err)
{
    int rc;
    if ((rc = sqlite3_reset(st->claim)) != SQLITE_OK ||
        (rc = sqlite3_bind_text(st->claim, 1, iin, -1, SQLITE_TRANSIENT)) != SQLITE_OK ||
        (rc = sqlite3_bind_int64(st->claim, 2, now)) != SQLITE_OK)
        return fail(st, rc, err);
    rc = sqlite3_step(st->claim);
    int reset = sqlite3_reset(st->claim); /* repeats a step error; frees the statement's locks */
    if (rc == SQLITE_DONE && reset == SQLITE_OK)
        return 0;
    if (rc == SQLITE_DONE)
        return fail(st, reset, err);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return fail_key(st, QZ_ECONFLICT, "store.iin_taken", iin, err);
    return fail(st, rc, err);
}

int qz_store_iin_claim(qz_store *st, const char *iin, qz_instant now, qz_err *err)
{
    qz_iin parsed;
    if (!st)
        return qz_err_set(err, QZ_EINTERNAL, "store.closed", NULL, NULL);
    if (qz_iin_parse(iin, &parsed, err))
        return -1;
    return insert_iin(st, iin, now, err);
}

/* Returns a step in 1..9999 coprime with 10000 (odd, not a multiple of 5), so that
 * start + k * step visits every serial exactly once for k = 0..9999. */
static uint32_t serial_step(uint64_t bits)
{
    uint32_t step = (uint32_t)(bits % QZ_IIN_SERIALS) | 1u;
    if (step % 5 == 0)
        step = (step + 2) % QZ_IIN_SERIALS;
    return step;
}

/* Tries the serials in order; 0 with out filled, 1 when every one is taken, -1 on error. */
static int claim_first_free(qz_store *st, qz_date birth, qz_sex sex, uint64_t seed, qz_instant now,
                            char *out, qz_err *err)
{
    uint32_t start = (uint32_t)(seed % QZ_IIN_SERIALS), step = serial_step(seed >> 32);
    char iin[QZ_IIN_STR];
    for (uint32_t k = 0; k < QZ_IIN_SERIALS; k++) {
        int serial = (int)((start + (uint64_t)k * step) % QZ_IIN_SERIALS);
        if (qz_iin_compose(birth, sex, serial, iin, err))
            continue; /* unissuable: the caller has checked birth and sex */
        if (insert_iin(st, iin, now, err) == 0) {
            memcpy(out, iin, QZ_IIN_STR);
            return 0;
        }
        if (err->code != QZ_ECONFLICT)
            return -1;
    }
    return 1;
}

int qz_store_iin_issue(qz_store *st, qz_date birth, qz_sex sex, uint64_t seed, qz_instant now,
                       char *out, qz_err *err)
{
    qz_err local;
    char probe[QZ_IIN_STR], date[QZ_DATE_STR];
    if (!err)
        err = &local;
    if (!st)
        return qz_err_set(err, QZ_EINTERNAL, "store.closed", NULL, NULL);
    /* Refuse a bad birth date or sex up front; serial 0 being unissuable is no error. */
    if (qz_iin_compose(birth, sex, 0, probe, err) && err->code != QZ_ECONFLICT)
        return -1;
    if (exec(st, "BEGIN IMMEDIATE", err))
        return -1;
    int r = claim_first_free(st, birth, sex, seed, now, out, err);
    if (r == 0 && exec(st, "COMMIT", err) == 0)
        return 0;
    rollback(st);
    if (r == 1)
        return qz_err_setf(err, QZ_ECONFLICT, "store.iin_exhausted", NULL, "%s %s",
                           qz_date_format(birth, date), qz_iin_sex_name(sex));
    return -1;
}
