/*
 * guard.h — what keeps one client from stalling the server: a cap on the connections of
 * one client address, a reserve of connections that only addresses holding almost none
 * may take once the server is nearly full (so that /healthz and a normal client still get
 * in while one address, or many, hold their maximum), and deadlines: a request's headers
 * must arrive within header_timeout_s of its first byte being awaited, its body within
 * body_timeout_s of its headers, however slowly the bytes trickle in (libmicrohttpd's own
 * timeout is an idle one, which a byte every few seconds resets). A connection past its
 * deadline is shut down; libmicrohttpd then closes it as a client that went away.
 *
 * The server calls qz_guard_admit from libmicrohttpd's accept policy, opened/closed from
 * its connection notifications, and headers_done/request_done as a request moves. A
 * watchdog thread enforces the deadlines. Thread-safe: one mutex guards the table of
 * connections (at most max_connections, scanned linearly: a thousand entries).
 */
#ifndef QZ_HTTP_GUARD_H
#define QZ_HTTP_GUARD_H

#include "core/err.h"

#include <stdbool.h>
#include <sys/socket.h>

typedef struct qz_guard_config {
    unsigned max_connections;  /* 0: 1000 */
    unsigned per_address;      /* 0: 64 */
    unsigned reserve;          /* 0: a tenth of max_connections */
    unsigned header_timeout_s; /* 0: 10 */
    unsigned body_timeout_s;   /* 0: 30 */
} qz_guard_config;

typedef struct qz_guard qz_guard;

/* Starts the guard and its watchdog: NULL with err when out of memory or threads. */
qz_guard *qz_guard_start(const qz_guard_config *cfg, qz_err *err);

/* Stops the watchdog and frees the guard (after the server has stopped). */
void qz_guard_stop(qz_guard *g);

/* The limits in force (cfg's zeros replaced by the defaults). */
qz_guard_config qz_guard_limits(const qz_guard *g);

/* Whether a new connection from `addr` may be accepted; when it may, it is counted from
 * now on (until qz_guard_closed, or a few seconds if it never opens). */
bool qz_guard_admit(qz_guard *g, const struct sockaddr *addr, socklen_t len);

/* A connection opened (socket fd `fd`, from `addr`): *slot receives its entry. */
void qz_guard_opened(qz_guard *g, int fd, const struct sockaddr *addr, void **slot);

/* The connection of *slot closed: its entry is freed and *slot cleared. */
void qz_guard_closed(qz_guard *g, void **slot);

/* A request's headers arrived (its body's deadline starts), or its answer is being made
 * (no deadline while the server works). */
void qz_guard_headers_done(qz_guard *g, void *entry);
void qz_guard_answering(qz_guard *g, void *entry);

/* A request ended: the connection waits for the next one's headers (keep-alive). */
void qz_guard_request_done(qz_guard *g, void *entry);

#endif
