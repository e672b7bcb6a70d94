#include "http/server.h"
#include "http/static.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct qz_server {
    struct MHD_Daemon *daemon;
    const qz_http_ctx *ctx;
    const char *web_dir; /* borrowed from the config; NULL: no pages */
    size_t max_body;
    unsigned grace_s;
    atomic_int in_flight;
};

/* One request being received: its body so far. */
typedef struct pending {
    char *body;
    size_t len, cap;
    bool too_large;
} pending;

static int append(pending *p, const char *data, size_t n, size_t max)
{
    if (p->too_large || p->len + n > max) {
        p->too_large = true; /* keep reading and dropping: answer 413 at the end */
        return 0;
    }
    if (p->len + n + 1 > p->cap) {
        size_t cap = p->cap ? p->cap : 1024;
        while (cap < p->len + n + 1)
            cap *= 2;
        char *grown = realloc(p->body, cap);
        if (!grown)
            return -1;
        p->body = grown;
        p->cap = cap;
    }
    memcpy(p->body + p->len, data, n);
    p->len += n;
    p->body[p->len] = '\0';
    return 0;
}

static enum MHD_Result send_json(struct MHD_Connection *conn, unsigned status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!text)
        return MHD_NO;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ok;
}

/* Parses the body, routes the request and sends the answer. */
static enum MHD_Result answer(qz_server *s, struct MHD_Connection *conn, const char *method,
                              const char *url, pending *p)
{
    char file[4096];
    if (s->web_dir && qz_static_path(s->web_dir, method, url, file, sizeof file)) {
        int sent = qz_static_send(
            conn, file, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match"));
        if (sent != 0)
            return sent > 0 ? MHD_YES : MHD_NO;
    }
    qz_req req = {
        .ctx = s->ctx, .method = method, .path = url, .conn = conn, .arena = QZ_ARENA_INIT};
    qz_resp resp = {0};
    json_t *body = NULL;
    req.lang = qz_http_lang(
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
    if (p->too_large) {
        qz_resp_fail(&req, &resp, 413, "request.too_large", NULL, NULL);
    } else if (p->len > 0) {
        json_error_t jerr;
        body = json_loadb(p->body, p->len, JSON_REJECT_DUPLICATES, &jerr);
        if (!body)
            qz_resp_fail(&req, &resp, 400, "request.bad_json", NULL, jerr.text);
    }
    if (!resp.body) {
        req.body = body;
        req.raw = p->len > 0 ? p->body : NULL;
        req.raw_len = p->len;
        qz_http_route(&req, &resp);
    }
    if (!resp.body)
        qz_resp_fail(&req, &resp, 500, "request.no_answer", NULL, NULL);
    json_decref(body);
    qz_arena_free(&req.arena);
    return send_json(conn, resp.status, resp.body);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    qz_server *s = cls;
    (void)version;
    pending *p = *con_cls;
    if (!p) {
        p = calloc(1, sizeof *p);
        if (!p)
            return MHD_NO;
        *con_cls = p;
        atomic_fetch_add(&s->in_flight, 1);
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (append(p, upload_data, *upload_data_size, s->max_body))
            return MHD_NO;
        *upload_data_size = 0;
        return MHD_YES;
    }
    return answer(s, conn, method, url, p);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    qz_server *s = cls;
    pending *p = *con_cls;
    (void)conn;
    (void)why;
    if (!p)
        return;
    free(p->body);
    free(p);
    *con_cls = NULL;
    atomic_fetch_sub(&s->in_flight, 1);
}

qz_server *qz_server_start(const qz_server_config *cfg, const qz_http_ctx *ctx, qz_err *err)
{
    qz_server *s = calloc(1, sizeof *s);
    if (!s) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    s->ctx = ctx;
    s->web_dir = cfg->web_dir;
    s->max_body = cfg->max_body ? cfg->max_body : 64 * 1024;
    s->grace_s = cfg->grace_s ? cfg->grace_s : 10;
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)cfg->port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
        (uint16_t)cfg->port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_THREAD_POOL_SIZE, cfg->threads ? cfg->threads : 4u,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s ? cfg->timeout_s : 30u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024), MHD_OPTION_CONNECTION_LIMIT,
        1000u, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
    if (!s->daemon) {
        qz_err_setf(err, QZ_EIO, "server.cannot_start", NULL, "%d", cfg->port);
        free(s);
        return NULL;
    }
    return s;
}

void qz_server_stop(qz_server *s)
{
    if (!s)
        return;
    MHD_quiesce_daemon(s->daemon); /* no new connections */
    struct timespec tick = {0, 20 * 1000 * 1000};
    for (unsigned waited = 0; atomic_load(&s->in_flight) > 0 && waited < s->grace_s * 50; waited++)
        nanosleep(&tick, NULL);
    MHD_stop_daemon(s->daemon);
    free(s);
}
