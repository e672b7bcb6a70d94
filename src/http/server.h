/*
 * server.h — qyzmet's HTTP service on libmicrohttpd: a pool of threads, JSON in and
 * out (and the web pages' files, http/static.h), a clear JSON error for every bad request (unknown
 * route, wrong method, a body that is too large, not JSON, not UTF-8), never a crash. Listens on
 * 127.0.0.1 only; put a TLS-terminating proxy in front of it in production.
 *
 * qz_server_stop stops accepting, lets the requests in flight finish (up to the
 * configured grace period), then stops.
 */
#ifndef QZ_HTTP_SERVER_H
#define QZ_HTTP_SERVER_H

#include "http/request.h"

typedef struct qz_server_config {
    int port;
    unsigned threads;    /* 0: 4 */
    unsigned timeout_s;  /* idle connection timeout; 0: 30 */
    size_t max_body;     /* bytes; 0: 64 KiB */
    unsigned grace_s;    /* how long stop waits for requests in flight; 0: 10 */
    const char *web_dir; /* the pages' folder (http/static.h), borrowed; NULL: API only */
    /* Connection safety (guard.h; 0: its defaults): connections in all, per client
     * address, and the deadlines for a request's headers and for its body. */
    unsigned max_connections, per_address, header_timeout_s, body_timeout_s;
} qz_server_config;

typedef struct qz_server qz_server;

/* Starts serving; NULL with err (server.cannot_start with the reason) on failure.
 * `ctx` is borrowed and must outlive the server. */
qz_server *qz_server_start(const qz_server_config *cfg, const qz_http_ctx *ctx, qz_err *err);

/* Stops as described above and frees the server. */
void qz_server_stop(qz_server *s);

/* Dispatches a request to its route (used by the server; exposed for tests). */
void qz_http_route(qz_req *req, qz_resp *resp);

#endif
