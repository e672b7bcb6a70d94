/*
 * store_tmp.h — what the store's tests share: a fresh temporary folder per test, raw
 * SQL on a database file (as another program, or an attacker, would run it), and a
 * small valid case to write. Header-only (static inline), included after cmocka.h.
 */
#ifndef QZ_TEST_STORE_TMP_H
#define QZ_TEST_STORE_TMP_H

#include "store/store.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct tmp {
    char dir[64];
    char path[128];
} tmp;

static inline int tmp_setup(void **state)
{
    tmp *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    snprintf(t->dir, sizeof t->dir, "/tmp/qz_store_XXXXXX");
    if (!mkdtemp(t->dir)) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static inline int tmp_teardown(void **state)
{
    tmp *t = *state;
    DIR *d = opendir(t->dir);
    if (d) {
        for (struct dirent *e; (e = readdir(d));)
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                unlinkat(dirfd(d), e->d_name, 0);
        closedir(d);
    }
    rmdir(t->dir);
    free(t);
    return 0;
}

/* Returns "<dir>/<name>" (in t, valid until the next call). */
static inline const char *tmp_at(tmp *t, const char *name)
{
    snprintf(t->path, sizeof t->path, "%s/%s", t->dir, name);
    return t->path;
}

static inline qz_store *store_open_ok(const char *target)
{
    qz_store *st = NULL;
    qz_err err;
    qz_err_clear(&err);
    if (qz_store_open(target, &st, &err) != 0)
        fail_msg("open %s: %s %s", target, err.key, err.value);
    return st;
}

/* Runs SQL on a file with SQLite itself. */
static inline void raw_sql(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", text, msg ? msg : "?");
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Returns the integer a query on the file answers, read with SQLite itself. */
static inline int64_t raw_int(const char *path, const char *query)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, query, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    return v;
}

/* 2026-01-05T09:00+05:00, a Monday morning in Astana. */
#define CASE_NOW ((qz_instant)1767585600)

/* A new apostille case with one open step at `unit` due at `due`, and its first event. */
typedef struct case_fixture {
    qz_step_row step;
    qz_event_in event;
    qz_case_write w;
} case_fixture;

static inline void case_fixture_init(case_fixture *f, const char *unit, qz_instant due)
{
    memset(f, 0, sizeof *f);
    f->step = (qz_step_row){.step = "register",
                            .role = "provider-clerk",
                            .unit = unit,
                            .started_at = CASE_NOW,
                            .due_at = due,
                            .done_at = QZ_NO_TIME};
    f->event = (qz_event_in){.at = CASE_NOW,
                             .actor = "operator-1",
                             .role = "psc-operator",
                             .unit = "psc-astana-1",
                             .action = "accept",
                             .to_state = "accepted",
                             .data = "{\"documents\":[\"application\",\"identity\"]}"};
    f->w = (qz_case_write){.region = "KZ-71",
                           .service = "apostille",
                           .standard_version = "2022-01-24",
                           .state = "accepted",
                           .status = "open",
                           .branch = "psc-astana-1",
                           .applicant = "921029350851",
                           .due_at = due,
                           .now = CASE_NOW,
                           .doc = "{\"service\":\"apostille\",\"state\":\"accepted\","
                                  "\"status\":\"open\",\"applicant\":\"921029350851\"}",
                           .steps = &f->step,
                           .n_steps = 1,
                           .events = &f->event,
                           .n_events = 1};
}

#endif
