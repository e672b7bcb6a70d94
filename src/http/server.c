#include "http/server.h"
#include "http/static.h"

#include "http/guard.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct qz_server {
    struct MHD_Daemon *daemon;
    qz_guard *guard;
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
    bool answered;     /* answered before the body was read (413 on its announced length) */
    void *guard_entry; /* the connection's entry in the guard (guard.h) */
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

/* What the unescape callback leaves of a path or query value that must be refused: a
 * byte no valid request can decode to (a control character is refused itself). */
enum { BAD_URI = 0x7f };

static int hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* libmicrohttpd's unescape callback, for the path and each query value: decodes %XX in
 * place, and leaves BAD_URI alone instead when the text holds a control character (NUL
 * included, raw or encoded) or a % not followed by two hex digits, so that "1%00" never
 * becomes "1" and reaches a route (answer() refuses it with 400 before routing). */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    char *out = s;
    for (const char *in = s; *in;) {
        int c = (unsigned char)*in;
        if (c == '%') {
            int hi = hex_digit(in[1]), lo = hi < 0 ? -1 : hex_digit(in[2]);
            if (lo < 0)
                goto bad;
            c = hi * 16 + lo;
            in += 3;
        } else {
            in++;
        }
        if (c < 0x20 || c == 0x7f)
            goto bad;
        *out++ = (char)c;
    }
    *out = '\0';
    return (size_t)(out - s);
bad:
    s[0] = (char)BAD_URI;
    s[1] = '\0';
    return 1;
}

static enum MHD_Result find_bad_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    bool *bad = cls;
    if ((key && (unsigned char)key[0] == BAD_URI) || (value && (unsigned char)value[0] == BAD_URI))
        *bad = true;
    return *bad ? MHD_NO : MHD_YES;
}

static bool uri_is_bad(struct MHD_Connection *conn, const char *url)
{
    bool bad = (unsigned char)url[0] == BAD_URI;
    if (!bad)
        MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, find_bad_arg, &bad);
    return bad;
}

/* The catalogue's answers, the same for everyone until the catalogue changes: they carry
 * an ETag and may be revalidated (If-None-Match) instead of fetched again. */
static bool is_catalogue(const char *path)
{
    return strcmp(path, "/api/v1/services") == 0 || strncmp(path, "/api/v1/services/", 17) == 0 ||
           strcmp(path, "/api/v1/openapi.yaml") == 0;
}

/* A strong ETag of the bytes: the first 128 bits of their SHA-256, quoted. */
static void etag_of(const char *text, size_t len, char out[40])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    out[0] = '\0';
    if (!EVP_Digest(text, len, md, &n, EVP_sha256(), NULL) || n < 16)
        return;
    out[0] = '"';
    for (int i = 0; i < 16; i++)
        snprintf(out + 1 + 2 * i, 3, "%02x", md[i]);
    out[33] = '"';
    out[34] = '\0';
}

/* Whether an If-None-Match header names `etag` (or is "*"): RFC 9110, 13.1.2. */
static bool none_match(const char *header, const char *etag)
{
    if (!header || !etag[0])
        return false;
    size_t n = strlen(etag);
    for (const char *p = header; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (*p == '*' || (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' ')))
            return true;
        p += strcspn(p, ",");
    }
    return false;
}

static bool has_header(const qz_resp *resp, const char *name)
{
    for (size_t i = 0; i < resp->n_headers; i++)
        if (strcasecmp(resp->headers[i].name, name) == 0)
            return true;
    return false;
}

/* The headers RFC 9110 and RFC 6750 ask of each status, where the handler gave none:
 * 401 names the scheme (Bearer), 429 and 503 say when to try again, 201 where the new
 * resource is (the request's path and the answer's "id"). */
static void standard_headers(const char *path, qz_resp *resp)
{
    if (resp->status == 401 && !has_header(resp, "WWW-Authenticate"))
        qz_resp_header(resp, "WWW-Authenticate", "Bearer realm=\"qyzmet\"");
    if ((resp->status == 429 || resp->status == 503) && !has_header(resp, "Retry-After"))
        qz_resp_header(resp, "Retry-After", resp->status == 429 ? "1" : "5");
    if (resp->status == 201 && !has_header(resp, "Location")) {
        json_t *id = json_object_get(resp->body, "id");
        char where[200];
        if (json_is_integer(id))
            snprintf(where, sizeof where, "%s/%" JSON_INTEGER_FORMAT, path, json_integer_value(id));
        else if (json_is_string(id))
            snprintf(where, sizeof where, "%s/%s", path, json_string_value(id));
        else
            where[0] = '\0';
        if (where[0])
            qz_resp_header(resp, "Location", where);
    }
}

/* Sends the answer: its JSON body (or static text), its headers, and for the
 * catalogue's GETs an ETag, or 304 when the caller already has that version. */
static enum MHD_Result send_resp(struct MHD_Connection *conn, const char *method, const char *path,
                                 qz_resp *resp)
{
    char *text = resp->text; /* taken: a kept answer, else the body serialized */
    size_t len = resp->text_len;
    resp->text = NULL;
    if (!text && !resp->static_text)
        text = json_dumps(resp->body, JSON_COMPACT);
    if (!text && !resp->static_text)
        return MHD_NO;
    if (text)
        len = strlen(text);
    const char *bytes = text ? text : resp->static_text;
    standard_headers(path, resp);
    bool cacheable = resp->status == 200 && is_catalogue(path) &&
                     (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0);
    char etag[40] = "";
    unsigned status = resp->status;
    if (cacheable) {
        etag_of(bytes, len, etag);
        if (none_match(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match"), etag)) {
            status = 304; /* no body: the caller has these bytes */
            free(text);
            text = NULL;
            bytes = "";
            len = 0;
        }
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, (void *)bytes, text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type",
                            resp->content_type ? resp->content_type
                                               : "application/json; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", cacheable ? "no-cache" : "no-store");
    if (etag[0])
        MHD_add_response_header(r, "ETag", etag);
    for (size_t i = 0; i < resp->n_headers; i++)
        MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
    enum MHD_Result ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ok;
}

/* Sends bytes (a document) as they are. */
static enum MHD_Result send_bytes(struct MHD_Connection *conn, unsigned status, unsigned char *p,
                                  size_t len, const char *type)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, p, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(p);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
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
    if (uri_is_bad(conn, url)) {
        req.path = "";
        qz_resp_fail(&req, &resp, 400, "request.bad_path", NULL, NULL);
    } else if (p->too_large) {
        qz_resp_fail(&req, &resp, 413, "request.too_large", NULL, NULL);
    } else if (p->len > 0) {
        json_error_t jerr;
        body = json_loadb(p->body, p->len, JSON_REJECT_DUPLICATES, &jerr);
        if (!body)
            qz_resp_fail(&req, &resp, 400, "request.bad_json", NULL, jerr.text);
    }
    if (!resp.body && !resp.text && !resp.static_text) {
        req.body = body;
        req.raw = p->len > 0 ? p->body : NULL;
        req.raw_len = p->len;
        qz_http_route(&req, &resp);
    }
    json_decref(body);
    if (resp.raw) {
        qz_arena_free(&req.arena);
        json_decref(resp.body);
        free(resp.text);
        return send_bytes(conn, resp.status, resp.raw, resp.raw_len, resp.content_type);
    }
    if (!resp.body && !resp.text && !resp.static_text)
        qz_resp_fail(&req, &resp, 500, "request.no_answer", NULL, NULL);
    enum MHD_Result ok = send_resp(conn, method, req.path, &resp);
    json_decref(resp.body);
    qz_arena_free(&req.arena);
    return ok;
}

/* Whether a Content-Length header announces more than the server ever reads: answered
 * 413 at once, before any of the body is received. */
static bool announces_too_much(struct MHD_Connection *conn, size_t max)
{
    const char *cl =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!cl)
        return false;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(cl, &end, 10);
    return errno == ERANGE || n > max;
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
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        p->guard_entry = ci ? ci->socket_context : NULL;
        qz_guard_headers_done(s->guard, p->guard_entry);
        if (announces_too_much(conn, s->max_body)) {
            p->too_large = p->answered = true;
            qz_guard_answering(s->guard, p->guard_entry);
            return answer(s, conn, method, url, p);
        }
        return MHD_YES;
    }
    if (p->answered) { /* an early answer is queued: drop what still comes */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (append(p, upload_data, *upload_data_size, s->max_body))
            return MHD_NO;
        *upload_data_size = 0;
        return MHD_YES;
    }
    qz_guard_answering(s->guard, p->guard_entry);
    return answer(s, conn, method, url, p);
}

/* libmicrohttpd's accept policy: the guard's per-address cap and reserve. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
    qz_server *s = cls;
    return qz_guard_admit(s->guard, addr, len) ? MHD_YES : MHD_NO;
}

/* A connection opened or closed: the guard keeps its entry and deadlines. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    qz_server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        qz_guard_closed(s->guard, socket_context);
        return;
    }
    const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    const union MHD_ConnectionInfo *addr =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    qz_guard_opened(s->guard, fd ? fd->connect_fd : -1, addr ? addr->client_addr : NULL,
                    socket_context);
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
    qz_guard_request_done(s->guard, p->guard_entry);
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
    qz_guard_config limits = {.max_connections = cfg->max_connections,
                              .per_address = cfg->per_address,
                              .header_timeout_s = cfg->header_timeout_s,
                              .body_timeout_s = cfg->body_timeout_s};
    if (!(s->guard = qz_guard_start(&limits, err))) {
        free(s);
        return NULL;
    }
    limits = qz_guard_limits(s->guard);
    s->max_body = cfg->max_body ? cfg->max_body : 64 * 1024;
    s->grace_s = cfg->grace_s ? cfg->grace_s : 10;
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)cfg->port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    s->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG,
        (uint16_t)cfg->port, on_accept, s, on_request, s, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_THREAD_POOL_SIZE, cfg->threads ? cfg->threads : 4u,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s ? cfg->timeout_s : 30u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024), MHD_OPTION_CONNECTION_LIMIT,
        limits.max_connections, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_UNESCAPE_CALLBACK, unescape,
        NULL, MHD_OPTION_END);
    if (!s->daemon) {
        qz_err_setf(err, QZ_EIO, "server.cannot_start", NULL, "%d", cfg->port);
        qz_guard_stop(s->guard);
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
    qz_guard_stop(s->guard);
    free(s);
}
