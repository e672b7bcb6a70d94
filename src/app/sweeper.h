/*
 * sweeper.h — the timers of open steps, recorded as events on their cases: a step that
 * became overdue ("overdue") and one in the last quarter of its term ("at-risk"), each
 * recorded once per run of a step (store.h, qz_store_timer_mark), however often the sweep
 * runs, without changing the case's version. A step whose catalogue names a timeout is
 * moreover ended once its due has passed: the sweeper takes the step's timeout action
 * (core/engine.h, qz_engine_expire), a change of the case written like any action and
 * told to its persons — a consent not given in time lapses; a result kept at the PSC for
 * its storage term (a term in months, seed 002 item 20) is returned to the provider as
 * unclaimed, and one the provider kept for its months is filed (catalog/workflows/
 * unclaimed.json). A person acting at the same moment wins (the sweeper's stale write is
 * dropped).
 *
 * It lives in src/http, not src/store, because it needs the loaded rules (the steps'
 * timeouts in the catalogue, the zone) as well as the store, as the server's context holds
 * them; the store stays ignorant of the catalogue.
 *
 * `qyzmet serve` sweeps every QZ_SWEEP_PERIOD_S seconds on a thread of its own, and
 * POST /api/v1/admin/clock sweeps after moving the clock.
 */
#ifndef QZ_APP_SWEEPER_H
#define QZ_APP_SWEEPER_H

#include "app/app.h"

#include <stddef.h>

enum { QZ_SWEEP_PERIOD_S = 60, QZ_SWEEP_BATCH = 256 }; /* steps read per page */

/* What one sweep recorded: timers marked, and timeout actions taken (cases moved). */
typedef struct qz_sweep_counts {
    size_t overdue, at_risk, expired;
} qz_sweep_counts;

/*
 * Sweeps the open steps at `now` (one query) and records the timers that fell due:
 * 0 with *out, or -1 with err when the query fails. A step whose timer cannot be
 * recorded or taken is reported on stderr and left for the next sweep; the others go on.
 * Sweeps of one process run one at a time.
 */
int qz_sweep(const qz_app *ctx, qz_instant now, qz_sweep_counts *out, qz_err *err);

/* Moves ctx's clock to t (qz_clock_set) and sweeps at the clock's new now, with no other
 * sweep of the process in between (so the counts are this move's); as qz_sweep. */
int qz_sweep_clock_set(const qz_app *ctx, qz_instant t, qz_sweep_counts *out, qz_err *err);

typedef struct qz_sweeper qz_sweeper;

/* Starts a thread that sweeps at once and then every `period_s` seconds (by ctx's
 * clock's now), reporting a failed sweep on stderr and going on. NULL with err
 * (server.cannot_start) when the thread cannot start. `ctx` must outlive it. */
qz_sweeper *qz_sweeper_start(const qz_app *ctx, unsigned period_s, qz_err *err);

/* Stops the thread (waiting for a sweep under way to end) and frees it; NULL is allowed. */
void qz_sweeper_stop(qz_sweeper *s);

#endif
