/*
 * sweeper.c — the timers of open steps (sweeper.h): one query for the steps a timer may
 * concern, then one atomic write per timer that fell due.
 */
#include "app/sweeper.h"

#include "core/engine.h"
#include "core/schedule_load.h"
#include "core/zone.h"
#include "app/write.h"
#include "store/case_store.h"
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t sweep_mu = PTHREAD_MUTEX_INITIALIZER; /* one sweep at a time */

/* Records one timer with its event; counts it when it is new. */
static int mark(const qz_app *ctx, const qz_timer_row *t, unsigned kind, const char *action,
                json_t *data, qz_instant now, size_t *count, qz_err *err)
{
    char *text = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(data);
    if (!text)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    qz_timer_mark m = {.case_id = t->step.case_id,
                       .step = t->step.step,
                       .started_at = t->step.started_at,
                       .kind = kind,
                       .event = {.at = now,
                                 .actor = "sweeper",
                                 .role = "system",
                                 .unit = t->step.unit,
                                 .action = action,
                                 .from_state = t->step.step,
                                 .to_state = t->step.step,
                                 .data = text}};
    int rc = qz_store_timer_mark(ctx->store, &m, err);
    free(text);
    if (rc < 0)
        return -1;
    *count += rc == 0;
    return 0;
}

static json_t *step_data(const qz_zone *z, const qz_timer_row *t)
{
    char due[QZ_INSTANT_STR];
    return json_pack("{s:s,s:s}", "step", t->step.step, "due_at",
                     qz_instant_format(t->step.due_at, qz_zone_offset(z, t->step.due_at), due));
}

/* Takes the timeout action of the case's step once its due has passed; *taken says
 * whether the case changed. A person's action written first makes the write stale: the
 * case is then left as they made it. */
static int expire(const qz_app *ctx, const qz_timer_row *t, qz_instant now, bool *taken,
                  qz_err *err)
{
    static const qz_actor sweeper = {"sweeper", "system", NULL, NULL};
    qz_case *c = qz_case_load(ctx->store, ctx->rules->cat, t->step.case_id, err), *n = NULL;
    qz_events ev = {0};
    *taken = false;
    int rc = c ? qz_engine_expire(ctx->rules, c, &sweeper, now, &n, &ev, err) : -1;
    if (rc == 0 && n) {
        qz_change ch = {.before = c, .after = n, .ev = &ev, .region = t->region};
        rc = qz_app_commit(ctx, &ch, 1, false, NULL, now, err);
        if (rc == 0) {
            *taken = true;
        } else if (err->code == QZ_ECONFLICT) { /* a person acted first */
            rc = 0;
        }
    }
    qz_events_clear(&ev);
    qz_case_free(n);
    qz_case_free(c);
    return rc;
}

/* True when the step of timer row t names a timeout that has passed at `now`. */
static bool timed_out(const qz_rules *r, const qz_timer_row *t, qz_instant now)
{
    qz_err err;
    const qz_service_version *v = qz_catalog_version(r->cat, t->service, t->standard_version, &err);
    const qz_step *step = v ? qz_workflow_step(&v->workflow, t->step.step, NULL) : NULL;
    return step && step->timeout && t->step.due_at > 0 && now >= t->step.due_at;
}

/* The timers of one step that fell due at `now` and are not yet recorded. */
static int sweep_step(const qz_app *ctx, const qz_zone *z, const qz_timer_row *t, qz_instant now,
                      qz_sweep_counts *out, qz_err *err)
{
    const qz_step_row *s = &t->step;
    bool taken = false;
    if (timed_out(ctx->rules, t, now)) {
        if (expire(ctx, t, now, &taken, err))
            return -1;
        out->expired += taken;
        if (taken)
            return 0; /* the step ended: nothing else of it to record */
    }
    if (s->due_at > 0 && s->due_at < now && !(t->marked & QZ_TIMER_OVERDUE) &&
        mark(ctx, t, QZ_TIMER_OVERDUE, "overdue", step_data(z, t), now, &out->overdue, err))
        return -1;
    if (s->due_at > 0 && s->due_at >= now && 4 * (s->due_at - now) < s->due_at - s->started_at &&
        !(t->marked & (QZ_TIMER_AT_RISK | QZ_TIMER_OVERDUE)) &&
        mark(ctx, t, QZ_TIMER_AT_RISK, "at-risk", step_data(z, t), now, &out->at_risk, err))
        return -1;
    return 0;
}

/* Sweeps one page of at most QZ_SWEEP_BATCH steps after *at; moves *at past it. 1 when
 * there may be more, 0 at the end, -1 with err. */
static int sweep_page(const qz_app *ctx, qz_instant now, qz_timer_cursor *at, qz_sweep_counts *out,
                      qz_err *err)
{
    qz_arena a = QZ_ARENA_INIT;
    qz_timer_row *rows = NULL;
    size_t n = 0;
    const qz_zone *z = qz_timetable_default_zone(ctx->rules->tt);
    int rc = qz_store_timer_steps_page(ctx->store, now, at, QZ_SWEEP_BATCH, &a, &rows, &n, err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        qz_err one;
        qz_err_clear(&one);
        /* One case that cannot be moved (a year the calendar does not hold yet, a full
         * disk) must not hold up the others' timers: it is reported and tried again at the
         * next sweep. */
        if (sweep_step(ctx, z, &rows[i], now, out, &one))
            fprintf(stderr, "qyzmet: sweeping case %lld at %s: %s %s %s\n",
                    (long long)rows[i].step.case_id, rows[i].step.step, one.key, one.field,
                    one.value);
    }
    if (rc == 0 && n > 0)
        *at = (qz_timer_cursor){rows[n - 1].step.case_id, rows[n - 1].n};
    qz_arena_free(&a);
    return rc < 0 ? -1 : n == QZ_SWEEP_BATCH;
}

/* Sweeps every step due a timer at `now`, a bounded page at a time: memory and each
 * query stay the size of a page however many steps are open. */
static int sweep_locked(const qz_app *ctx, qz_instant now, qz_sweep_counts *out, qz_err *err)
{
    qz_timer_cursor at = {0, 0};
    int more;
    while ((more = sweep_page(ctx, now, &at, out, err)) > 0)
        ;
    return more < 0 ? -1 : 0;
}

int qz_sweep(const qz_app *ctx, qz_instant now, qz_sweep_counts *out, qz_err *err)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&sweep_mu);
    int rc = sweep_locked(ctx, now, out, err);
    pthread_mutex_unlock(&sweep_mu);
    return rc;
}

int qz_sweep_clock_set(const qz_app *ctx, qz_instant t, qz_sweep_counts *out, qz_err *err)
{
    memset(out, 0, sizeof *out);
    pthread_mutex_lock(&sweep_mu);
    int rc = qz_clock_set(ctx->clock, t, err);
    if (rc == 0)
        rc = sweep_locked(ctx, qz_clock_now(ctx->clock), out, err);
    pthread_mutex_unlock(&sweep_mu);
    return rc;
}

struct qz_sweeper {
    const qz_app *ctx;
    unsigned period_s;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* on CLOCK_MONOTONIC */
    bool stopping;
    pthread_t thread;
};

static void *run(void *arg)
{
    qz_sweeper *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->stopping) {
        pthread_mutex_unlock(&s->mu);
        qz_sweep_counts counts;
        qz_err err;
        qz_err_clear(&err);
        if (qz_sweep(s->ctx, qz_clock_now(s->ctx->clock), &counts, &err))
            fprintf(stderr, "qyzmet: sweep failed: %s %s %s\n", err.key, err.field, err.value);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += s->period_s;
        pthread_mutex_lock(&s->mu);
        while (!s->stopping && pthread_cond_timedwait(&s->cv, &s->mu, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

qz_sweeper *qz_sweeper_start(const qz_app *ctx, unsigned period_s, qz_err *err)
{
    qz_sweeper *s = calloc(1, sizeof *s);
    pthread_condattr_t attr;
    if (!s)
        goto fail;
    s->ctx = ctx;
    s->period_s = period_s ? period_s : QZ_SWEEP_PERIOD_S;
    if (pthread_condattr_init(&attr) != 0)
        goto fail_free;
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&s->cv, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0)
        goto fail_free;
    if (pthread_mutex_init(&s->mu, NULL) != 0) {
        pthread_cond_destroy(&s->cv);
        goto fail_free;
    }
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        goto fail_free;
    }
    return s;
fail_free:
    free(s);
fail:
    qz_err_set(err, QZ_EIO, "server.cannot_start", NULL, "sweeper");
    return NULL;
}

void qz_sweeper_stop(qz_sweeper *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
