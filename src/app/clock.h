/*
 * clock.h — the server's clock: the system's, or one a test or demo controls
 * (`--clock fixed:ISO` stands still until moved; `--clock offset:SECONDS` runs with the
 * system clock shifted). It only ever moves forward. Thread safe.
 */
#ifndef QZ_CLOCK_H
#define QZ_CLOCK_H

#include "core/date.h"
#include "core/err.h"

#include <stdbool.h>

typedef struct qz_clock qz_clock;

/* Parses "fixed:ISO-8601", "offset:SECONDS" or NULL (the system clock); err on a bad spec. */
qz_clock *qz_clock_new(const char *spec, qz_err *err);
void qz_clock_free(qz_clock *c);

/* The current instant. */
qz_instant qz_clock_now(qz_clock *c);

/* True when the clock can be moved (it was given with --clock). */
bool qz_clock_settable(const qz_clock *c);

/* Moves the clock to t; -1 with clock.backwards when t is before now, or
 * clock.not_settable for the system clock. */
int qz_clock_set(qz_clock *c, qz_instant t, qz_err *err);

#endif
