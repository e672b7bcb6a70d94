/*
 * bench/engine — N applications taken through acceptance and their whole workflow,
 * durably: each case is accepted and then moved along its normal path (the first
 * "advance" action of each step) to hand-out, every transition written with
 * qz_case_save (the case, its steps and the event, in one transaction, group-committed)
 * from several threads. Beside it, in the same run and on the same schema, the same
 * rows (the case document, its steps, the event of each transition) written
 *
 *   floor  as bare SQLite statements from one thread, one transaction per batch of the
 *          size the group commit reached: what the disk and SQLite cost, nothing else
 *   naive  one transaction, so one fsync, per transition: a server without group commit
 *
 * Usage: build/bench/engine [CASES [THREADS [SERVICE]]]   (500, 8, apostille)
 * Runs in a new folder under /tmp, which must be a real disk (not tmpfs).
 */
#include "core/engine.h"
#include "core/rules.h"
#include "store/case_store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_THREADS = 64, MAX_WRITES_PER_CASE = 64 };

static qz_rules rules;
static const char *service = "apostille";
static qz_unit_ref units[QZ_CASE_MAX_UNITS];
static size_t n_units;
static const qz_instant START = 1780293600; /* Mon 2026-06-01 10:00+05:00 */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void make_units(void)
{
    static const char *const kinds[] = {"psc",
                                        "district",
                                        "regional",
                                        "national",
                                        "production-centre",
                                        "migration-service",
                                        "nsc",
                                        "prosecutor-committee"};
    for (n_units = 0; n_units < sizeof kinds / sizeof kinds[0]; n_units++) {
        snprintf(units[n_units].kind, QZ_CODE_LEN, "%s", kinds[n_units]);
        snprintf(units[n_units].code, QZ_CODE_LEN, "%s-1", kinds[n_units]);
    }
}

/* A valid value for each required field of an action. */
static json_t *fill(const qz_case *c, const qz_action_spec *a)
{
    json_t *data = json_object();
    for (size_t i = 0; data && i < a->n_fields; i++) {
        const qz_field_spec *f = &a->fields[i];
        json_t *v = f->type == QZ_FIELD_OUTCOME  ? json_string("clear")
                    : f->type == QZ_FIELD_GROUND ? json_string(c->ver->grounds[0].code)
                    : f->type == QZ_FIELD_CHOICE ? json_incref(json_array_get(f->values, 0))
                    : f->type == QZ_FIELD_BOOL   ? json_false()
                    : f->type == QZ_FIELD_INT    ? json_integer(1)
                    : f->type == QZ_FIELD_DATE   ? json_string("2026-06-02")
                    : f->type == QZ_FIELD_IIN    ? json_string("921029350851")
                                                 : json_string("bench");
        if (f->required)
            json_object_set_new(data, f->name, v);
        else
            json_decref(v);
    }
    return data;
}

/* The first advance action the case's step offers, with its actor. */
static const qz_action_spec *next_action(const qz_case *c, qz_actor *who)
{
    const qz_step *s = qz_case_step(c);
    for (size_t i = 0; i < s->n_actions; i++) {
        const qz_action_spec *a = &s->actions[i];
        const qz_unit_ref *u = qz_case_unit(c, a->unit ? a->unit : s->unit);
        if (a->kind != QZ_ACTION_ADVANCE)
            continue;
        *who = s->party
                   ? (qz_actor){"bench", s->role, NULL, c->subject[0] ? c->subject : c->applicant}
                   : (qz_actor){"bench", a->role ? a->role : s->role, u ? u->code : "", NULL};
        return a;
    }
    return NULL;
}

/* What a transition writes, kept for the bare-SQLite references. */
typedef struct row {
    char *doc, *event;
    size_t n_steps;
} row;

typedef struct job {
    qz_store *st; /* NULL: only record the rows */
    int first, n; /* the cases of this job */
    row *rows;    /* [case][MAX_WRITES_PER_CASE] when recording */
    int *n_rows;  /* per case */
    int failed;
} job;

static int save(job *j, qz_case *c, qz_events *ev, int k, qz_instant now)
{
    if (!j->st) {
        json_t *d = qz_case_to_json(c);
        row *r = &j->rows[(size_t)k * MAX_WRITES_PER_CASE + j->n_rows[k]++];
        r->doc = json_dumps(d, JSON_COMPACT);
        r->event = json_dumps(ev->v[ev->n - 1].data, JSON_COMPACT);
        r->n_steps = c->n_runs;
        json_decref(d);
        return r->doc && j->n_rows[k] < MAX_WRITES_PER_CASE ? 0 : -1;
    }
    qz_case_written w = {0};
    qz_err err;
    if (qz_case_save(j->st, c, ev, "KZ-71", NULL, NULL, now, &w, &err)) {
        fprintf(stderr, "bench/engine: save: %s %s\n", err.key, err.value);
        return -1;
    }
    c->id = w.id;
    c->version = (int)w.version;
    return 0;
}

static int run_case(job *j, int k)
{
    const char *docs[32];
    const qz_service_version *v = qz_service_version_at(
        qz_catalog_service(rules.cat, service, NULL), qz_instant_date(START, 5 * 3600), NULL);
    qz_doc_list l = qz_service_documents(v, "psc");
    for (size_t i = 0; i < l.n && i < 32; i++)
        docs[i] = l.docs[i].kind;
    qz_application app = {
        .service = service,
        .channel = "psc",
        .department = "regional",
        .urgency = v->urgencies ? json_string_value(json_array_get(v->urgencies, 0)) : NULL,
        .lang = "ru",
        .applicant = "921029350851",
        .units = units,
        .n_units = n_units,
        .documents = docs,
        .n_documents = l.n};
    const qz_channel *ch = qz_service_channel(v, "psc", NULL);
    qz_actor op = {"bench", ch && ch->accepted_by ? ch->accepted_by : "psc-operator", "psc-1",
                   NULL},
             who;
    qz_events ev = {0};
    qz_case *c = NULL;
    qz_err err;
    qz_instant now = START;
    int bad = qz_engine_accept(&rules, &app, &op, now, &c, &ev, &err) || save(j, c, &ev, k, now);
    if (bad && !c)
        fprintf(stderr, "bench/engine: accept: %s %s %s\n", err.key, err.field, err.value);
    const qz_action_spec *a;
    while (!bad && c->status != QZ_STATUS_DONE && (a = next_action(c, &who)) != NULL) {
        json_t *data = fill(c, a);
        qz_case *n = NULL;
        qz_events_clear(&ev);
        now += 600;
        bad = qz_engine_apply(&rules, c, a->code, data, &who, now, &n, &ev, &err);
        json_decref(data);
        if (!bad) {
            n->id = c->id;
            n->version = c->version;
            qz_case_free(c);
            c = n;
            bad = save(j, c, &ev, k, now);
        }
    }
    bad = bad || c->status != QZ_STATUS_DONE;
    if (bad && c)
        fprintf(stderr, "bench/engine: case %d stopped at %s (%s)\n", k, qz_case_step(c)->code,
                err.key);
    qz_case_free(c);
    qz_events_clear(&ev);
    return bad ? -1 : 0;
}

static void *run_job(void *arg)
{
    job *j = arg;
    for (int k = j->first; k < j->first + j->n && !j->failed; k++)
        j->failed += run_case(j, k) != 0; /* the first failure says enough */
    return NULL;
}

static int run_qyzmet(const char *path, int cases, int threads, double *secs, qz_store_stats *stats)
{
    qz_store *st;
    qz_err err;
    pthread_t th[MAX_THREADS];
    job jobs[MAX_THREADS];
    int failed = 0, first = 0, started = 0;
    if (qz_store_open(path, &st, &err))
        return -1;
    double t0 = now_s();
    for (; started < threads; started++) {
        int n = cases / threads + (started < cases % threads);
        jobs[started] = (job){.st = st, .first = first, .n = n};
        first += n;
        if (pthread_create(&th[started], NULL, run_job, &jobs[started]) != 0)
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
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int step_reset(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

typedef struct raw {
    sqlite3 *db;
    sqlite3_stmt *kase, *del, *step, *event;
    int64_t event_id;
} raw;

static int raw_open(raw *r, const char *path)
{
    qz_store *st;
    qz_err err;
    memset(r, 0, sizeof *r);
    if (qz_store_open(path, &st, &err)) /* the same schema */
        return -1;
    qz_store_close(st);
    return sqlite3_open(path, &r->db) != SQLITE_OK ||
                   exec(r->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL") ||
                   sqlite3_prepare_v2(r->db,
                                      "INSERT OR REPLACE INTO cases(id, region, number, service,"
                                      " version_of_standard, state, status, branch, applicant,"
                                      " due_at, created_at, updated_at, version, doc) VALUES"
                                      " (?1, 'KZ-71', 'KZ-71-' || ?1, 'apostille', '2022-01-24',"
                                      " 'state', 'open', 'psc-1', '921029350851', 0, 0, 0, 1, ?2)",
                                      -1, &r->kase, NULL) != SQLITE_OK ||
                   sqlite3_prepare_v2(r->db, "DELETE FROM case_steps WHERE case_id = ?1", -1,
                                      &r->del, NULL) != SQLITE_OK ||
                   sqlite3_prepare_v2(r->db,
                                      "INSERT INTO case_steps VALUES ('KZ-71', ?1, ?2, 'step',"
                                      " 'role', 'unit', 0, 0, NULL)",
                                      -1, &r->step, NULL) != SQLITE_OK ||
                   sqlite3_prepare_v2(r->db,
                                      "INSERT INTO events VALUES (?1, 'KZ-71', ?2, ?1, 0, 'bench',"
                                      " 'role', 'unit', 'action', 'from', 'to', ?3,"
                                      " zeroblob(32), zeroblob(32))",
                                      -1, &r->event, NULL) != SQLITE_OK
               ? -1
               : 0;
}

static void raw_close(raw *r)
{
    sqlite3_finalize(r->kase);
    sqlite3_finalize(r->del);
    sqlite3_finalize(r->step);
    sqlite3_finalize(r->event);
    sqlite3_close(r->db);
}

static int raw_write(raw *r, int64_t case_id, const row *w)
{
    int bad = sqlite3_bind_int64(r->kase, 1, case_id) ||
              sqlite3_bind_text(r->kase, 2, w->doc, -1, SQLITE_STATIC) || step_reset(r->kase) ||
              sqlite3_bind_int64(r->del, 1, case_id) || step_reset(r->del);
    for (size_t s = 0; !bad && s < w->n_steps; s++)
        bad = sqlite3_bind_int64(r->step, 1, case_id) ||
              sqlite3_bind_int64(r->step, 2, (sqlite3_int64)s) || step_reset(r->step);
    return bad || sqlite3_bind_int64(r->event, 1, ++r->event_id) ||
                   sqlite3_bind_int64(r->event, 2, case_id) ||
                   sqlite3_bind_text(r->event, 3, w->event, -1, SQLITE_STATIC) ||
                   step_reset(r->event)
               ? -1
               : 0;
}

/* Writes the recorded rows of `cases` cases in transactions of `batch` transitions. */
static int run_raw(const char *path, const job *rec, int cases, int batch, double *secs,
                   int *writes)
{
    raw r;
    int bad = raw_open(&r, path), in_batch = 0;
    *writes = 0;
    double t0 = now_s();
    bad = bad || exec(r.db, "BEGIN IMMEDIATE");
    for (int k = 0; !bad && k < cases; k++)
        for (int i = 0; !bad && i < rec->n_rows[k]; i++) {
            bad = raw_write(&r, k + 1, &rec->rows[(size_t)k * MAX_WRITES_PER_CASE + i]);
            ++*writes;
            if (!bad && ++in_batch == batch) {
                bad = exec(r.db, "COMMIT") || exec(r.db, "BEGIN IMMEDIATE");
                in_batch = 0;
            }
        }
    bad = bad || exec(r.db, "COMMIT");
    *secs = now_s() - t0;
    if (bad)
        fprintf(stderr, "bench/engine: raw: %s\n", r.db ? sqlite3_errmsg(r.db) : "open");
    raw_close(&r);
    return bad ? -1 : 0;
}

static void remove_db(const char *dir, const char *name)
{
    static const char *const ext[] = {"", "-wal", "-shm"};
    char path[400];
    for (int e = 0; e < 3; e++) {
        snprintf(path, sizeof path, "%s/%s%s", dir, name, ext[e]);
        unlink(path);
    }
}

enum { ROUNDS = 3 }; /* qyzmet, floor, qyzmet, floor, qyzmet, floor */

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
    int cases = argc > 1 ? atoi(argv[1]) : 500, threads = argc > 2 ? atoi(argv[2]) : 8;
    char dir[] = "/tmp/qz_bench_engine_XXXXXX", path[400];
    qz_err err;
    if (argc > 3)
        service = argv[3];
    if (cases < 1 || threads < 1 || threads > MAX_THREADS) {
        fprintf(stderr, "usage: bench/engine [CASES [THREADS (1..%d) [SERVICE]]]\n", MAX_THREADS);
        return 2;
    }
    if (qz_rules_load(QZ_CATALOG_DIR, NULL, NULL, &rules, &err) ||
        !qz_catalog_service(rules.cat, service, &err) || !mkdtemp(dir)) {
        fprintf(stderr, "bench/engine: %s %s %s\n", err.file, err.key, err.value);
        return 1;
    }
    make_units();
    /* The rows every transition writes, recorded once in memory for the references. */
    job rec = {.first = 0,
               .n = cases,
               .rows = calloc((size_t)cases * MAX_WRITES_PER_CASE, sizeof(row)),
               .n_rows = calloc((size_t)cases, sizeof(int))};
    if (!rec.rows || !rec.n_rows || (run_job(&rec), rec.failed))
        return fprintf(stderr, "bench/engine: recording the workload failed\n"), 1;

    double q_s, floor_s, naive_s, q_runs[ROUNDS], floor_runs[ROUNDS];
    qz_store_stats stats;
    int floor_w = 0, naive_w, naive_cases = cases < 100 ? cases : 100, batch = 1, bad = 0;
    /* qyzmet and its floor alternated, each on a fresh file, so a machine that slows down
     * (or speeds up) during the run weighs on both alike; the medians are reported */
    for (int r = 0; r < ROUNDS && !bad; r++) {
        snprintf(path, sizeof path, "%s/qyzmet.db", dir);
        bad = run_qyzmet(path, cases, threads, &q_runs[r], &stats);
        if (r == 0)
            batch = bad || !stats.commits
                        ? 1
                        : (int)((stats.writes + stats.commits / 2) / stats.commits);
        remove_db(dir, "qyzmet.db");
        snprintf(path, sizeof path, "%s/floor.db", dir);
        bad = bad || run_raw(path, &rec, cases, batch, &floor_runs[r], &floor_w);
        remove_db(dir, "floor.db");
    }
    q_s = median(q_runs, ROUNDS);
    floor_s = median(floor_runs, ROUNDS);
    snprintf(path, sizeof path, "%s/naive.db", dir);
    bad = bad || run_raw(path, &rec, naive_cases, 1, &naive_s, &naive_w);
    if (!bad) {
        double q = cases / q_s, fl = cases / floor_s, nv = naive_cases / naive_s;
        printf("engine: %d %s cases accepted and taken to hand-out (%d durable writes, %.1f per "
               "case) from %d threads; qyzmet and floor alternated 3 times, medians\n",
               cases, service, floor_w, (double)floor_w / cases, threads);
        printf("  qyzmet engine + group commit %8.0f cases/s  (%.2f s, %llu commits, %.1f writes "
               "each)\n",
               q, q_s, (unsigned long long)stats.commits, (double)stats.writes / stats.commits);
        printf("  floor: bare SQLite, batches  %8.0f cases/s  (%.2f s, %d writes per "
               "transaction)\n",
               fl, floor_s, batch);
        printf("  naive: a transaction each    %8.0f cases/s  (%.2f s for %d cases)\n", nv, naive_s,
               naive_cases);
        printf("  ratio qyzmet/naive          %8.2fx\n", q / nv);
        printf("  ratio qyzmet/floor          %8.2fx\n", q / fl);
    }
    remove_db(dir, "qyzmet.db");
    remove_db(dir, "floor.db");
    remove_db(dir, "naive.db");
    rmdir(dir);
    for (size_t i = 0; i < (size_t)cases * MAX_WRITES_PER_CASE; i++) {
        free(rec.rows[i].doc);
        free(rec.rows[i].event);
    }
    free(rec.rows);
    free(rec.n_rows);
    qz_rules_free(&rules);
    return bad ? 1 : 0;
}
