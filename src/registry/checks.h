/*
 * checks.h — what the registers say about a person, as the services ask it (pure
 * functions over rows read with store/registry.h; thread safe):
 *
 *   the criminal record "as of DATE" (seed 004 S8): a conviction counts when it was
 *   sentenced on or before DATE and not expunged by then; expunged records do not count;
 *   the special register's age rule (seed 004 S10, rules annex 3 item 6): persons under 16
 *   on 1 January 1940 were not placed on it;
 *   the open permanent registration (seed 001 S4, S5, S6).
 */
#ifndef QZ_REGISTRY_CHECKS_H
#define QZ_REGISTRY_CHECKS_H

#include "core/date.h"
#include "store/registry.h"

#include <stdbool.h>
#include <stddef.h>

/* Whether convictions c[0..n) give a criminal record as of `as_of` ("YYYY-MM-DD");
 * *counted gets the number that count. */
bool qz_check_record(const qz_conviction_row *c, size_t n, const char *as_of, size_t *counted);

/* Whether a person born on `birth` ("YYYY-MM-DD") was under 16 on 1940-01-01. */
bool qz_check_under_16_in_1940(const char *birth);

/* The open permanent registration among r[0..n), or NULL. */
const qz_registration_row *qz_check_permanent(const qz_registration_row *r, size_t n);

#endif
