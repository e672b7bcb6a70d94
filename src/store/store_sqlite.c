/*
 * store_sqlite.c — the store (store.h) on an embedded SQLite file: opening, and the
 * backend's table of operations (backend.h).
 *
 * A qyzmet file carries PRAGMA application_id = QZ_APP_ID and a schema_version
 * table with one row per applied migration. Opening first looks without writing:
 * an empty file is new; a file with our application id is ours; anything else
 * with tables in it belongs to another program and is left untouched. Then WAL
 * mode, then the missing migrations under BEGIN IMMEDIATE, re-checking inside the
 * transaction so that two processes creating the same file do not both migrate.
 * Then synchronous = FULL on the writer's connection, so that a COMMIT in WAL mode
 * returns only after the log is on disk, and the writer thread starts.
 *
 * ":memory:" opens a private in-memory database shared by the store's own
 * connections (SQLite's memdb VFS); it lives until the store is closed.
 */
#include "store/documents_backend.h"
#include "store/registry_backend.h"
#include "store/sqlite_int.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { QZ_APP_ID = 0x515A4D54 }; /* "QZMT" */

typedef enum db_kind { DB_NEW, DB_OURS, DB_FOREIGN } db_kind;

/* Ends an open transaction after a failure; the first error is the one reported. */
static void rollback(sq_conn *c)
{
    if (!sqlite3_get_autocommit(c->db))
        (void)sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Says whose database this is, reading only. */
static int inspect(sq_conn *c, db_kind *kind, qz_err *err)
{
    int64_t app_id = 0, objects = 0, has_version = 0;
    if (sq_query_int(c, "PRAGMA application_id", &app_id, err) ||
        sq_query_int(c, "SELECT count(*) FROM sqlite_master", &objects, err) ||
        sq_query_int(c,
                     "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                     "'schema_version'",
                     &has_version, err))
        return -1;
    if (app_id == QZ_APP_ID && !has_version)
        return sq_fail_key(c, QZ_EDATA, "store.schema_broken", "schema_version", err);
    if (app_id == QZ_APP_ID)
        *kind = DB_OURS;
    else if (app_id == 0 && objects == 0)
        *kind = DB_NEW;
    else
        *kind = DB_FOREIGN;
    return 0;
}

static int read_version(sq_store *s, qz_err *err)
{
    int64_t v = 0;
    if (sq_query_int(&s->w, "SELECT coalesce(max(version), 0) FROM schema_version", &v, err))
        return -1;
    if (v < 0 || v > sq_n_migrations) {
        char num[24];
        snprintf(num, sizeof num, "%lld", (long long)v);
        return sq_fail_key(&s->w, v < 0 ? QZ_EDATA : QZ_ERANGE,
                           v < 0 ? "store.schema_broken" : "store.schema_too_new", num, err);
    }
    s->version = (int)v;
    return 0;
}

/* Looks at the file without writing: refuses what is not ours, reads our version. */
static int look(sq_store *s, db_kind *kind, qz_err *err)
{
    *kind = DB_NEW;
    if (sq_exec(&s->w, "BEGIN", err))
        return -1;
    if (inspect(&s->w, kind, err) || (*kind == DB_OURS && read_version(s, err))) {
        rollback(&s->w);
        return -1;
    }
    if (sq_exec(&s->w, "COMMIT", err))
        return -1;
    if (*kind == DB_FOREIGN)
        return sq_fail_key(&s->w, QZ_EDATA, "store.foreign_database", NULL, err);
    return 0;
}

/* Runs a journal_mode pragma; the mode it reports goes into mode (cap bytes). */
static int journal_mode(sq_conn *c, const char *pragma, char *mode, size_t cap, int *rc_out)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(c->db, pragma, -1, &stmt, NULL);
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
static int use_wal(sq_conn *c, qz_err *err)
{
    char mode[16] = "";
    int rc = SQLITE_OK;
    if (journal_mode(c, "PRAGMA journal_mode", mode, sizeof mode, &rc))
        return sq_fail(c, rc, err);
    for (int waited = 0; strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0;) {
        if (journal_mode(c, "PRAGMA journal_mode = WAL", mode, sizeof mode, &rc) == 0) {
            /* An in-memory database keeps its own journal. */
            if (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)
                return sq_fail_key(c, QZ_EIO, "store.wal_unavailable", mode, err);
        } else if ((rc & 0xff) != SQLITE_BUSY || waited >= SQ_BUSY_TIMEOUT_MS) {
            return sq_fail(c, rc, err);
        } else {
            int slept = sqlite3_sleep(10); /* ms actually asked of the system */
            waited += slept > 0 ? slept : 10;
        }
    }
    return 0;
}

static int apply_migrations(sq_store *s, qz_err *err)
{
    char sql[64];
    for (int i = s->version; i < sq_n_migrations; i++) { /* migration i + 1 */
        snprintf(sql, sizeof sql, "INSERT INTO schema_version(version) VALUES (%d)", i + 1);
        if (sq_exec(&s->w, sq_migrations[i], err) || sq_exec(&s->w, sql, err))
            return -1;
    }
    s->version = sq_n_migrations;
    return 0;
}

/* Creates the bookkeeping of a new file, then applies what is missing, in one transaction. */
static int migrate(sq_store *s, qz_err *err)
{
    db_kind kind = DB_NEW;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA application_id = %d", (int)QZ_APP_ID);
    if (sq_exec(&s->w, "BEGIN IMMEDIATE", err))
        return -1;
    int bad = inspect(&s->w, &kind, err);
    if (!bad && kind == DB_FOREIGN)
        bad = sq_fail_key(&s->w, QZ_EDATA, "store.foreign_database", NULL, err);
    if (!bad && kind == DB_NEW)
        bad = sq_exec(&s->w, sql, err) ||
              sq_exec(&s->w, "CREATE TABLE schema_version(version INTEGER PRIMARY KEY)", err);
    if (bad || read_version(s, err) || apply_migrations(s, err) || sq_exec(&s->w, "COMMIT", err)) {
        rollback(&s->w);
        return -1;
    }
    return 0;
}

/* Chooses what SQLite opens: the path itself, or a private shared memdb for ":memory:". */
static int choose_path(sq_store *s, qz_err *err)
{
    static atomic_uint counter;
    char uri[96];
    s->flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (strcmp(s->target, ":memory:") == 0) {
        snprintf(uri, sizeof uri, "file:/qyzmet-%ld-%u?vfs=memdb", (long)getpid(),
                 atomic_fetch_add(&counter, 1));
        s->flags |= SQLITE_OPEN_URI;
    }
    s->path = strdup(s->flags & SQLITE_OPEN_URI ? uri : s->target);
    return s->path ? 0 : sq_oom(err);
}

static int init_sync(sq_store *s, qz_err *err)
{
    if (pthread_mutex_init(&s->mu, NULL) != 0)
        return qz_err_set(err, QZ_EINTERNAL, "store.thread_failed", NULL, "mutex");
    if (pthread_cond_init(&s->work, NULL) != 0 || pthread_mutex_init(&s->pool_mu, NULL) != 0 ||
        pthread_cond_init(&s->pool_cv, NULL) != 0 || pthread_cond_init(&s->recorded, NULL) != 0)
        return qz_err_set(err, QZ_EINTERNAL, "store.thread_failed", NULL, "condition");
    s->sync_ready = s->pool_ready = true;
    return 0;
}

static int open_file(sq_store *s, qz_err *err)
{
    db_kind kind = DB_NEW;
    if (choose_path(s, err) || sq_conn_open(&s->w, s->path, s->flags, s->target, err))
        return -1;
    if (look(s, &kind, err) || use_wal(&s->w, err))
        return -1;
    if (s->version < sq_n_migrations && migrate(s, err))
        return -1;
    if (sq_exec(&s->w, "PRAGMA synchronous = FULL", err))
        return -1;
    return init_sync(s, err) || sq_writer_start(s, err);
}

static void sq_close(void *impl)
{
    sq_store *s = impl;
    if (!s)
        return;
    sq_writer_stop(s);
    sq_readers_close(s);
    sq_conn_close(&s->w);
    if (s->sync_ready) {
        pthread_cond_destroy(&s->work);
        pthread_cond_destroy(&s->recorded);
        pthread_mutex_destroy(&s->mu);
    }
    if (s->pool_ready) {
        pthread_cond_destroy(&s->pool_cv);
        pthread_mutex_destroy(&s->pool_mu);
    }
    free(s->path);
    free(s->target);
    free(s);
}

static int sq_open(const char *target, void **impl, qz_err *err)
{
    *impl = NULL;
    sq_store *s = calloc(1, sizeof *s);
    if (!s)
        return sq_oom(err);
    if (!(s->target = strdup(target))) {
        free(s);
        return sq_oom(err);
    }
    if (open_file(s, err)) {
        sq_close(s);
        return -1;
    }
    *impl = s;
    return 0;
}

static int sq_schema_version(const void *impl)
{
    return ((const sq_store *)impl)->version;
}

const qz_store_ops qz_store_sqlite_ops = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .schema_version = sq_schema_version,
    .stats = sq_stats,
    .iin_claim = sq_iin_claim,
    .iin_issue = sq_iin_issue,
    .unit_add = sq_unit_add,
    .unit_get = sq_unit_get,
    .unit_list = sq_unit_list,
    .user_add = sq_user_add,
    .user_find = sq_user_find,
    .user_get = sq_user_get,
    .person_add = sq_person_add,
    .person_get = sq_person_get,
    .outbox_append = sq_outbox_append,
    .outbox_list = sq_outbox_list,
    .outbox_due = sq_outbox_due,
    .outbox_tried = sq_outbox_tried,
    .setting_get = sq_setting_get,
    .cases_scan = sq_cases_scan,
    .setting_put = sq_setting_put,
    .session_add = sq_session_add,
    .session_get = sq_session_get,
    .session_delete = sq_session_delete,
    .otp_put = sq_otp_put,
    .otp_use = sq_otp_use,
    .attempts_add = sq_attempts_add,
    .cases_write = sq_cases_write,
    .case_event_record = sq_case_event_record,
    .idem_get = sq_idem_get,
    .fault = sq_fault,
    .case_event_add = sq_case_event_add,
    .case_get = sq_case_get,
    .case_events = sq_case_events,
    .case_steps = sq_case_steps,
    .inbox = sq_inbox,
    .timer_steps = sq_timer_steps,
    .timer_mark = sq_timer_mark,
    .person_cases = sq_person_cases,
    .outbox_page = sq_outbox_page,
    .complaint_add = sq_complaint_add,
    .complaint_get = sq_complaint_get,
    .complaint_move = sq_complaint_move,
    .complaint_list = sq_complaint_list,
    .events_scan = sq_events_scan,
    .calendar_days = sq_calendar_days,
    .calendar_days_put = sq_calendar_days_put,
    .unended_case_ids = sq_unended_case_ids,
    .registry = &qz_registry_sqlite_ops,
    .documents = &qz_documents_sqlite_ops,
};
