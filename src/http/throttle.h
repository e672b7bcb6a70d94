/*
 * throttle.h — slowing down password guessing without letting anyone lock a login: each
 * failed sign-in makes the next attempt wait longer, counted per (login, client address)
 * and per client address, never per login alone. A stranger guessing at someone's
 * login from their own address slows only themselves; the owner, from theirs, signs in
 * at once. A right password clears its (login, address) count.
 *
 * Delays (seconds before the next attempt is heard): for a (login, address), none for the
 * first QZ_THROTTLE_FREE failures, then 1, 2, 4, … up to QZ_THROTTLE_MAX_S; for an address
 * over all logins, the same from QZ_THROTTLE_ADDR_FREE failures on (an office behind one
 * address mistypes more often than one person). Failures are forgotten a day after the
 * last. Times are the server's clock (http/clock.h), so tests move them.
 *
 * The counts live in this process's memory (a table of at most QZ_THROTTLE_ENTRIES, the
 * oldest forgotten first): a restart forgets them, which costs an attacker nothing they
 * could not get by waiting. Thread-safe (one mutex).
 */
#ifndef QZ_HTTP_THROTTLE_H
#define QZ_HTTP_THROTTLE_H

#include "core/date.h"

#include <stdint.h>

enum {
    QZ_THROTTLE_FREE = 3,
    QZ_THROTTLE_ADDR_FREE = 20,
    QZ_THROTTLE_MAX_S = 300,
    QZ_THROTTLE_ENTRIES = 4096,
};

/* Seconds the caller at `addr` must still wait before trying `login` at `now` (0: go
 * ahead). */
int64_t qz_throttle_wait(const char *login, const char *addr, qz_instant now);

/* Records a failed sign-in of `login` from `addr` at `now`. */
void qz_throttle_failed(const char *login, const char *addr, qz_instant now);

/* Records a successful one: the (login, addr) count is cleared. */
void qz_throttle_succeeded(const char *login, const char *addr);

/* Forgets everything (tests). */
void qz_throttle_reset(void);

#endif
