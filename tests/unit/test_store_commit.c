/* The store's writer under many threads: group commit loses nothing, acknowledges
 * nothing before its fsync, batches (fewer commits than writes), and undoes a failing
 * write alone. SQLite runs on a shim VFS that counts the fsyncs of the write-ahead log
 * and makes each one take 2 ms, like a real disk (the test's /tmp may be anything). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_tmp.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

/* ---- a VFS that counts and slows the log's fsyncs ---- */

typedef struct shim_file {
    sqlite3_file base;
    sqlite3_file *real; /* the real VFS's file, right after this struct */
    bool wal;
} shim_file;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static sqlite3_io_methods shim_io;
static atomic_ulong wal_syncs;

#define REAL(f) (((shim_file *)(f))->real)

static int s_close(sqlite3_file *f)
{
    return REAL(f)->pMethods->xClose(REAL(f));
}
static int s_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int s_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int s_truncate(sqlite3_file *f, sqlite3_int64 n)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), n);
}
static int s_sync(sqlite3_file *f, int flags)
{
    int rc = REAL(f)->pMethods->xSync(REAL(f), flags);
    if (((shim_file *)f)->wal) {
        nanosleep(&(struct timespec){0, 2000000}, NULL);
        atomic_fetch_add(&wal_syncs, 1);
    }
    return rc;
}
static int s_size(sqlite3_file *f, sqlite3_int64 *n)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), n);
}
static int s_lock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int s_unlock(sqlite3_file *f, int l)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int s_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int s_control(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int s_sector(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int s_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int s_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, p);
}
static int s_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void s_shm_barrier(sqlite3_file *f)
{
    REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int s_shm_unmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int s_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **p)
{
    return REAL(f)->pMethods->xFetch(REAL(f), o, n, p);
}
static int s_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), o, p);
}

static int s_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)v;
    shim_file *s = (shim_file *)f;
    s->real = (sqlite3_file *)(s + 1);
    s->wal = (flags & SQLITE_OPEN_WAL) != 0;
    int rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out);
    f->pMethods = rc == SQLITE_OK ? &shim_io : NULL;
    if (rc != SQLITE_OK && s->real->pMethods)
        s->real->pMethods->xClose(s->real);
    return rc;
}
static int v_delete(sqlite3_vfs *v, const char *n, int sync)
{
    (void)v;
    return real_vfs->xDelete(real_vfs, n, sync);
}
static int v_access(sqlite3_vfs *v, const char *n, int flags, int *out)
{
    (void)v;
    return real_vfs->xAccess(real_vfs, n, flags, out);
}
static int v_full(sqlite3_vfs *v, const char *n, int cap, char *out)
{
    (void)v;
    return real_vfs->xFullPathname(real_vfs, n, cap, out);
}
static int v_random(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs->xRandomness(real_vfs, n, out);
}
static int v_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return real_vfs->xSleep(real_vfs, us);
}
static int v_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return real_vfs->xCurrentTime(real_vfs, out);
}
static int v_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs->xGetLastError(real_vfs, n, out);
}
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static int install_shim(void **state)
{
    (void)state;
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs)
        return -1;
    shim_io = (sqlite3_io_methods){
        3,          s_close,       s_read,      s_write,   s_truncate, s_sync,   s_size,
        s_lock,     s_unlock,      s_reserved,  s_control, s_sector,   s_device, s_shm_map,
        s_shm_lock, s_shm_barrier, s_shm_unmap, s_fetch,   s_unfetch};
    shim_vfs = (sqlite3_vfs){.iVersion = 2,
                             .szOsFile = (int)sizeof(shim_file) + real_vfs->szOsFile,
                             .mxPathname = real_vfs->mxPathname,
                             .zName = "qz-count-syncs",
                             .xOpen = s_open,
                             .xDelete = v_delete,
                             .xAccess = v_access,
                             .xFullPathname = v_full,
                             .xRandomness = v_random,
                             .xSleep = v_sleep,
                             .xCurrentTime = v_time,
                             .xGetLastError = v_error,
                             .xCurrentTimeInt64 = v_time64};
    return sqlite3_vfs_register(&shim_vfs, 1) == SQLITE_OK ? 0 : -1;
}

/* ---- writers ---- */

enum { THREADS = 8, WRITES = 500 };

typedef struct writer {
    qz_store *st;
    const char *path;
    int n;           /* writes to make */
    bool check_each; /* look at every acknowledged write from another connection */
    int failed, early, invisible;
    int64_t ids[WRITES];
} writer;

/* 1 when case `id` is visible to a separate connection of this process. */
static int visible(sqlite3 *db, int64_t id)
{
    sqlite3_stmt *s = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM cases WHERE id = ?1", -1, &s, NULL) ==
            SQLITE_OK &&
        sqlite3_bind_int64(s, 1, id) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        found = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return found;
}

static void *write_cases(void *arg)
{
    writer *w = arg;
    sqlite3 *db = NULL;
    if (w->check_each && sqlite3_open(w->path, &db) != SQLITE_OK)
        w->invisible = w->n;
    for (int i = 0; i < w->n; i++) {
        case_fixture f;
        qz_case_written out;
        qz_err err;
        case_fixture_init(&f, "provider-astana", CASE_NOW + 86400 + i);
        unsigned long before = atomic_load(&wal_syncs);
        if (qz_store_case_write(w->st, &f.w, &out, &err) != 0) {
            w->failed++;
            continue;
        }
        w->early += atomic_load(&wal_syncs) == before; /* acknowledged with no fsync since */
        w->ids[i] = out.id;
        if (db)
            w->invisible += visible(db, out.id) != 1;
    }
    sqlite3_close(db);
    return NULL;
}

static void run_writers(qz_store *st, const char *path, writer *w, int threads, int n,
                        bool check_each)
{
    pthread_t th[THREADS];
    for (int t = 0; t < threads; t++) {
        w[t] = (writer){.st = st, .path = path, .n = n, .check_each = check_each};
        assert_int_equal(pthread_create(&th[t], NULL, write_cases, &w[t]), 0);
    }
    for (int t = 0; t < threads; t++)
        assert_int_equal(pthread_join(th[t], NULL), 0);
}

static void test_eight_threads_of_five_hundred_writes_lose_nothing_and_share_fsyncs(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    static writer w[THREADS];
    qz_store_stats stats;
    qz_store *st = store_open_ok(path);
    run_writers(st, path, w, THREADS, WRITES, false);
    qz_store_stats_get(st, &stats);
    qz_store_close(st);
    int failed = 0;
    for (int t = 0; t < THREADS; t++)
        failed += w[t].failed;
    assert_int_equal(failed, 0);
    /* Every acknowledged write is in the file, read by SQLite itself after close. */
    assert_int_equal(raw_int(path, "SELECT count(*) FROM cases"), THREADS * WRITES);
    assert_int_equal(raw_int(path, "SELECT count(DISTINCT id) FROM cases"), THREADS * WRITES);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM events"), THREADS * WRITES);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM case_steps"), THREADS * WRITES);
    for (int t = 0; t < THREADS; t++)
        for (int i = 0; i < WRITES; i++)
            assert_true(w[t].ids[i] >= 1 && w[t].ids[i] <= THREADS * WRITES);
    /* Batching happened: 4000 writes in fewer transactions, some carrying several. */
    assert_int_equal(stats.writes, THREADS * WRITES);
    assert_true(stats.commits < stats.writes);
    assert_true(stats.largest_batch > 1);
    /* And the chain they built is whole. */
    st = store_open_ok(path);
    uint64_t n = 0;
    qz_audit_break brk;
    qz_err err;
    assert_int_equal(qz_store_audit_verify(st, &n, &brk, &err), 0);
    assert_int_equal(n, THREADS * WRITES);
    qz_store_close(st);
}

static void test_no_write_is_acknowledged_before_its_fsync_or_unseen_by_others(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    static writer w[4];
    qz_store *st = store_open_ok(path);
    run_writers(st, path, w, 4, 100, true);
    qz_store_close(st);
    for (int t = 0; t < 4; t++) {
        assert_int_equal(w[t].failed, 0);
        assert_int_equal(w[t].early, 0);     /* a log fsync came between submit and ack */
        assert_int_equal(w[t].invisible, 0); /* another connection saw it at once */
    }
}

/* ---- one failing write among many ---- */

typedef struct numbered {
    qz_store *st;
    const char *number;
    int rc;
    qz_err err;
} numbered;

static void *write_numbered(void *arg)
{
    numbered *n = arg;
    case_fixture f;
    qz_case_written out;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    f.w.number = n->number;
    n->rc = qz_store_case_write(n->st, &f.w, &out, &n->err);
    return NULL;
}

static void test_a_failing_write_is_undone_alone_and_the_batch_commits(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store *st = store_open_ok(path);
    static const char *const numbers[8] = {"same", "a", "same", "b", "same", "c", "same", "d"};
    numbered n[8];
    pthread_t th[8];
    sqlite3 *blocker = NULL;
    qz_store_stats stats;
    /* Hold the write lock so that the requests queue up and go into one batch. */
    assert_int_equal(sqlite3_open(path, &blocker), SQLITE_OK);
    assert_int_equal(sqlite3_exec(blocker, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    for (int i = 0; i < 8; i++) {
        n[i] = (numbered){.st = st, .number = numbers[i]};
        assert_int_equal(pthread_create(&th[i], NULL, write_numbered, &n[i]), 0);
    }
    nanosleep(&(struct timespec){0, 300000000}, NULL);
    assert_int_equal(sqlite3_exec(blocker, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(blocker), SQLITE_OK);
    int ok = 0, taken = 0;
    for (int i = 0; i < 8; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        ok += n[i].rc == 0;
        taken += n[i].rc != 0 && n[i].err.code == QZ_ECONFLICT &&
                 strcmp(n[i].err.key, "store.case_number_taken") == 0;
    }
    qz_store_stats_get(st, &stats);
    qz_store_close(st);
    assert_int_equal(ok, 5); /* one "same" and a, b, c, d */
    assert_int_equal(taken, 3);
    assert_true(stats.largest_batch > 1);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM cases"), 5);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM events"), 5);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM case_steps"), 5);
}

/* ---- concurrency on one case ---- */

typedef struct racer {
    qz_store *st;
    int64_t id;
    const char *key; /* NULL: an update of case id at version 1 */
    int rc;
    qz_err err;
    qz_case_written out;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    case_fixture f;
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    f.w.id = r->id;
    f.w.expected_version = 1;
    f.w.idem_key = r->key;
    f.w.response = "{\"first\":true}";
    f.w.state = "registered";
    f.event.action = "register";
    f.event.from_state = "accepted";
    f.event.to_state = "registered";
    r->rc = qz_store_case_write(r->st, &f.w, &r->out, &r->err);
    return NULL;
}

static void run_racers(racer *r, int n)
{
    pthread_t th[THREADS];
    for (int i = 0; i < n; i++)
        assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
}

static void test_concurrent_updates_of_one_version_let_exactly_one_through(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store *st = store_open_ok(path);
    case_fixture f;
    qz_case_written out;
    qz_err err;
    racer r[THREADS];
    case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
    assert_int_equal(qz_store_case_write(st, &f.w, &out, &err), 0);
    for (int i = 0; i < THREADS; i++)
        r[i] = (racer){.st = st, .id = out.id};
    run_racers(r, THREADS);
    int ok = 0, stale = 0;
    for (int i = 0; i < THREADS; i++) {
        ok += r[i].rc == 0;
        stale += r[i].rc != 0 && strcmp(r[i].err.key, "store.stale_version") == 0 &&
                 strcmp(r[i].err.value, "2") == 0;
    }
    qz_store_close(st);
    assert_int_equal(ok, 1);
    assert_int_equal(stale, THREADS - 1);
    assert_int_equal(raw_int(path, "SELECT version FROM cases"), 2);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM events"), 2); /* create + one update */
}

static void test_an_idempotency_key_raced_by_many_threads_creates_one_case(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    qz_store *st = store_open_ok(path);
    racer r[THREADS];
    for (int i = 0; i < THREADS; i++)
        r[i] = (racer){.st = st, .key = "portal-7f3a"};
    run_racers(r, THREADS);
    int replayed = 0;
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(r[i].rc, 0);
        assert_int_equal(r[i].out.id, r[0].out.id);
        assert_string_equal(r[i].out.response, "{\"first\":true}");
        replayed += r[i].out.replayed;
        free(r[i].out.response);
    }
    qz_store_close(st);
    assert_int_equal(replayed, THREADS - 1);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM cases"), 1);
    assert_int_equal(raw_int(path, "SELECT count(*) FROM idempotency"), 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)
    const struct CMUnitTest tests[] = {
        T(test_eight_threads_of_five_hundred_writes_lose_nothing_and_share_fsyncs),
        T(test_no_write_is_acknowledged_before_its_fsync_or_unseen_by_others),
        T(test_a_failing_write_is_undone_alone_and_the_batch_commits),
        T(test_concurrent_updates_of_one_version_let_exactly_one_through),
        T(test_an_idempotency_key_raced_by_many_threads_creates_one_case),
    };
#undef T
    return cmocka_run_group_tests(tests, install_shim, NULL);
}
