/*
 * bench/store — durable case creations through qz_store_case_write from several threads
 * (group commit), beside two references in the same run, on the same schema and rows
 * (a case, its open step and its first event), all with WAL and synchronous = FULL:
 *
 *   floor  bare SQLite inserts from one thread, one transaction (one fsync) per batch of
 *          the size the group commit reached: what the disk and SQLite cost, nothing else
 *   naive  one transaction, so one fsync, per write: what a store without group commit
 *          gives, however many threads wait on it
 *
 * Usage: build/bench/store [WRITES [THREADS [DIR]]]   (4000, 8, a new folder in /tmp)
 * The folder must be on a real disk: on tmpfs an fsync costs nothing.
 */
#include "store/store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_THREADS = 64, NAIVE_MAX = 2000 };

static const char DOC[] =
    "{\"service\":\"apostille\",\"channel\":\"psc\",\"state\":\"accepted\",\"documents\":"
    "[\"application\",\"identity\",\"official-document\",\"duty-receipt\"],\"fee\":{\"mci\":0.5}}";
static const char DATA[] = "{\"documents\":[\"application\",\"identity\"]}";
static const qz_instant NOW = 1767585600; /* 2026-01-05T09:00+05:00 */

typedef struct job {
    qz_store *st;
    int n, failed;
} job;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *create_cases(void *arg)
{
    job *j = arg;
    qz_step_row step = {.step = "register",
                        .role = "provider-clerk",
                        .unit = "kpssu-astana",
                        .started_at = NOW,
                        .due_at = NOW + 86400,
                        .done_at = QZ_NO_TIME};
    qz_event_in ev = {.at = NOW,
                      .actor = "operator.astana",
                      .role = "psc-operator",
                      .unit = "psc-astana-1",
                      .action = "accept",
                      .to_state = "accepted",
                      .data = DATA};
    qz_case_write w = {.region = "KZ-71",
                       .service = "apostille",
                       .standard_version = "2022-01-24",
                       .state = "accepted",
                       .status = "open",
                       .branch = "psc-astana-1",
                       .applicant = "921029350851",
                       .due_at = NOW + 5 * 86400,
                       .now = NOW,
                       .doc = DOC,
                       .steps = &step,
                       .n_steps = 1,
                       .events = &ev,
                       .n_events = 1};
    for (int i = 0; i < j->n; i++) {
        qz_case_written out;
        qz_err err;
        if (qz_store_case_write(j->st, &w, &out, &err) != 0 && j->failed++ == 0)
            fprintf(stderr, "bench/store: write: %s %s\n", err.key, err.value);
    }
    return NULL;
}

/* Times `writes` creations from `threads` threads; fills the writer's counters. */
static int run_qyzmet(const char *path, int writes, int threads, double *secs,
                      qz_store_stats *stats)
{
    qz_store *st;
    qz_err err;
    pthread_t th[MAX_THREADS];
    job jobs[MAX_THREADS];
    if (qz_store_open(path, &st, &err)) {
        fprintf(stderr, "bench/store: open %s: %s %s\n", path, err.key, err.value);
        return -1;
    }
    double t0 = now_s();
    int started = 0, failed = 0;
    for (; started < threads; started++) {
        jobs[started] = (job){st, writes / threads + (started < writes % threads), 0};
        if (pthread_create(&th[started], NULL, create_cases, &jobs[started]) != 0)
            break;
    }
    for (int t = 0; t < started; t++) {
        pthread_join(th[t], NULL);
        failed += jobs[t].failed;
    }
    *secs = now_s() - t0;
    qz_store_stats_get(st, stats);
    qz_store_close(st);
    return started == threads && failed == 0 ? 0 : -1;
}

static int exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    fprintf(stderr, "bench/store: %s: %s\n", sql, msg ? msg : "?");
    sqlite3_free(msg);
    return -1;
}

/* The three prepared inserts of one case. */
typedef struct raw {
    sqlite3 *db;
    sqlite3_stmt *kase, *step, *event;
    int64_t id;
} raw;

static int raw_open(raw *r, const char *path)
{
    static const unsigned char hash[QZ_HASH_LEN] = {1};
    qz_store *st;
    qz_err err;
    memset(r, 0, sizeof *r);
    if (qz_store_open(path, &st, &err)) /* the same schema */
        return -1;
    qz_store_close(st);
    if (sqlite3_open(path, &r->db) != SQLITE_OK ||
        exec(r->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL") ||
        sqlite3_prepare_v2(r->db,
                           "INSERT INTO cases(id, region, number, service, version_of_standard,"
                           " state, status, branch, applicant, due_at, created_at, updated_at,"
                           " version, doc) VALUES (?1, 'KZ-71', 'KZ-71-' || ?1, 'apostille',"
                           " '2022-01-24', 'accepted', 'open', 'psc-astana-1', '921029350851',"
                           " ?2, ?3, ?3, 1, ?4)",
                           -1, &r->kase, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r->db,
                           "INSERT INTO case_steps VALUES ('KZ-71', ?1, 1, 'register',"
                           " 'provider-clerk', 'kpssu-astana', ?2, ?3, NULL)",
                           -1, &r->step, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r->db,
                           "INSERT INTO events VALUES (?1, 'KZ-71', ?1, 1, ?2, 'operator.astana',"
                           " 'psc-operator', 'psc-astana-1', 'accept', NULL, 'accepted', ?3,"
                           " ?4, ?4)",
                           -1, &r->event, NULL) != SQLITE_OK ||
        sqlite3_bind_blob(r->event, 4, hash, QZ_HASH_LEN, SQLITE_STATIC) != SQLITE_OK)
        return -1;
    return 0;
}

static void raw_close(raw *r)
{
    sqlite3_finalize(r->kase);
    sqlite3_finalize(r->step);
    sqlite3_finalize(r->event);
    sqlite3_close(r->db);
}

static int step_reset(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int raw_insert(raw *r)
{
    int64_t id = ++r->id;
    return sqlite3_bind_int64(r->kase, 1, id) || sqlite3_bind_int64(r->kase, 2, NOW + 5 * 86400) ||
                   sqlite3_bind_int64(r->kase, 3, NOW) ||
                   sqlite3_bind_text(r->kase, 4, DOC, -1, SQLITE_STATIC) || step_reset(r->kase) ||
                   sqlite3_bind_int64(r->step, 1, id) || sqlite3_bind_int64(r->step, 2, NOW) ||
                   sqlite3_bind_int64(r->step, 3, NOW + 86400) || step_reset(r->step) ||
                   sqlite3_bind_int64(r->event, 1, id) || sqlite3_bind_int64(r->event, 2, NOW) ||
                   sqlite3_bind_text(r->event, 3, DATA, -1, SQLITE_STATIC) || step_reset(r->event)
               ? -1
               : 0;
}

/* Times `writes` bare creations in transactions of `batch` rows. */
static int run_raw(const char *path, int writes, int batch, double *secs)
{
    raw r;
    int bad = raw_open(&r, path);
    double t0 = now_s();
    for (int done = 0; !bad && done < writes;) {
        bad = exec(r.db, "BEGIN IMMEDIATE");
        for (int k = 0; !bad && k < batch && done < writes; k++, done++)
            bad = raw_insert(&r);
        bad = bad || exec(r.db, "COMMIT");
    }
    *secs = now_s() - t0;
    if (bad)
        fprintf(stderr, "bench/store: raw inserts: %s\n", r.db ? sqlite3_errmsg(r.db) : "open");
    raw_close(&r);
    return bad ? -1 : 0;
}

static void report(int writes, int threads, const char *dir, double q_s,
                   const qz_store_stats *stats, int batch, double floor_s, int naive_n,
                   double naive_s)
{
    double q = writes / q_s, fl = writes / floor_s, nv = naive_n / naive_s;
    printf("store: %d case creations (case, step, event) from %d threads, WAL, "
           "synchronous=FULL, in %s; qyzmet and floor alternated 3 times, medians\n",
           writes, threads, dir);
    printf("  qyzmet group commit         %9.0f writes/s  (%.2f s, %llu commits, %.1f writes "
           "each, largest %llu)\n",
           q, q_s, (unsigned long long)stats->commits, (double)stats->writes / stats->commits,
           (unsigned long long)stats->largest_batch);
    printf("  floor: bare SQLite, batches %9.0f writes/s  (%.2f s, one thread, %d per "
           "transaction)\n",
           fl, floor_s, batch);
    printf("  naive: a transaction each   %9.0f writes/s  (%.2f s for %d writes)\n", nv, naive_s,
           naive_n);
    printf("  ratio qyzmet/naive         %9.2fx\n", q / nv);
    printf("  ratio qyzmet/floor         %9.2fx\n", q / fl);
}

enum { ROUNDS = 3 }; /* qyzmet, floor, qyzmet, floor, qyzmet, floor */

/* Removes DIR/name and its -wal and -shm. */
static void remove_db(const char *dir, const char *name)
{
    static const char *const ext[] = {"", "-wal", "-shm"};
    char path[400];
    for (int e = 0; e < 3; e++) {
        snprintf(path, sizeof path, "%s/%s%s", dir, name, ext[e]);
        unlink(path);
    }
}

/* The median of n (odd) times; sorts them. */
static double median(double *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && v[k - 1] > v[k]; k--) {
            double x = v[k];
            v[k] = v[k - 1];
            v[k - 1] = x;
        }
    return v[n / 2];
}

int main(int argc, char **argv)
{
    int writes = argc > 1 ? atoi(argv[1]) : 4000, threads = argc > 2 ? atoi(argv[2]) : 8;
    char dir[256] = "/tmp/qz_bench_store_XXXXXX", path[320];
    if (writes < 1 || threads < 1 || threads > MAX_THREADS) {
        fprintf(stderr, "usage: bench/store [WRITES [THREADS (1..%d) [DIR]]]\n", MAX_THREADS);
        return 2;
    }
    if (argc > 3)
        snprintf(dir, sizeof dir, "%s/qz_bench_store_XXXXXX", argv[3]);
    if (!mkdtemp(dir))
        return perror("bench/store: mkdtemp"), 1;
    double q_s, floor_s, naive_s, q_runs[ROUNDS], floor_runs[ROUNDS];
    qz_store_stats stats;
    int naive_n = writes < NAIVE_MAX ? writes : NAIVE_MAX, batch = 1, bad = 0;
    /* qyzmet and its floor alternated, each on a fresh file, so a machine that slows down
     * (or speeds up) during the run weighs on both alike; the medians are reported */
    for (int r = 0; r < ROUNDS && !bad; r++) {
        snprintf(path, sizeof path, "%s/group.db", dir);
        bad = run_qyzmet(path, writes, threads, &q_runs[r], &stats);
        if (r == 0)
            batch = bad || !stats.commits
                        ? 1
                        : (int)((stats.writes + stats.commits / 2) / stats.commits);
        remove_db(dir, "group.db");
        snprintf(path, sizeof path, "%s/floor.db", dir);
        bad = bad || run_raw(path, writes, batch, &floor_runs[r]);
        remove_db(dir, "floor.db");
    }
    q_s = median(q_runs, ROUNDS);
    floor_s = median(floor_runs, ROUNDS);
    snprintf(path, sizeof path, "%s/naive.db", dir);
    bad = bad || run_raw(path, naive_n, 1, &naive_s);
    if (!bad)
        report(writes, threads, dir, q_s, &stats, batch, floor_s, naive_n, naive_s);
    static const char *const files[] = {"group.db", "floor.db", "naive.db"};
    static const char *const ext[] = {"", "-wal", "-shm"};
    for (int f = 0; f < 3; f++)
        for (int e = 0; e < 3; e++) {
            snprintf(path, sizeof path, "%s/%s%s", dir, files[f], ext[e]);
            unlink(path);
        }
    rmdir(dir);
    return bad ? 1 : 0;
}
