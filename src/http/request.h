/*
 * request.h — what an HTTP handler sees: the parsed request (method, path parameters,
 * headers, the JSON body, the caller's language) and the response it fills. Handlers
 * are thin: they parse what they need, call one core or store function, and encode
 * the answer. A request and everything allocated for it live on one thread and die
 * together when the response has been queued.
 */
#ifndef QZ_HTTP_REQUEST_H
#define QZ_HTTP_REQUEST_H

#include "core/arena.h"
#include "core/rules.h"
#include "core/strings.h"
#include "app/app.h"

#include <jansson.h>

/* What every handler shares: the application floor's context (app/app.h), read-only while
 * serving. */
typedef qz_app qz_http_ctx;

enum { QZ_HTTP_MAX_PARAMS = 4 };

typedef struct qz_req {
    const qz_http_ctx *ctx;
    const char *method, *path;
    const char *params[QZ_HTTP_MAX_PARAMS]; /* the {} segments of the route, in order */
    size_t n_params;
    const json_t *body; /* the parsed JSON body, or NULL when there was none */
    const char *raw;    /* the body's bytes as received (what an EDS signs), and */
    size_t raw_len;     /* their number; raw is NULL when raw_len is 0 */
    qz_lang lang;       /* from Accept-Language */
    void *conn;         /* the connection, for qz_req_header */
    qz_arena arena;     /* freed with the request */
} qz_req;

enum { QZ_HTTP_MAX_HEADERS = 4 };

/* A header of the answer beside those the server adds (qz_resp_header). */
typedef struct qz_resp_hdr {
    const char *name; /* a static string */
    char value[200];
} qz_resp_hdr;

typedef struct qz_resp {
    unsigned status;
    json_t *body;             /* owned */
    char *text;               /* owned: JSON already serialized (a kept answer), sent as it is */
    const char *static_text;  /* instead of body: static bytes sent as they are, */
    size_t text_len;          /* their number, */
    const char *content_type; /* and their type (a static string), or of raw's */
    /* Instead of JSON: bytes (owned, malloc'd) of content_type (static), e.g. a PDF. */
    unsigned char *raw;
    size_t raw_len;
    qz_resp_hdr headers[QZ_HTTP_MAX_HEADERS];
    size_t n_headers;
} qz_resp;

/* Sets the response to 200 with `bytes` (taken; malloc'd) of `content_type`. */
void qz_resp_bytes(qz_resp *resp, unsigned char *bytes, size_t len, const char *content_type);

/* The caller's address as text (the client's IP, or "" when unknown), in buf. */
const char *qz_req_client(const qz_req *req, char buf[64]);

/* The value of a request header, or NULL. */
const char *qz_req_header(const qz_req *req, const char *name);

/* The value of a query parameter (?name=value), or NULL. */
const char *qz_req_query(const qz_req *req, const char *name);

/* Sets the response to `status` with `body` (taken; NULL answers an empty object). */
void qz_resp_json(qz_resp *resp, unsigned status, json_t *body);

/* Sets the response to `status` with `text`, JSON serialized already (copied; NULL answers
 * 500 request.no_answer). */
void qz_resp_text(qz_resp *resp, unsigned status, const char *text);

/* Adds a header to the answer (Allow, Retry-After, Location, …); the value is copied,
 * the name must be static. Headers past QZ_HTTP_MAX_HEADERS are dropped. */
void qz_resp_header(qz_resp *resp, const char *name, const char *value);

/* Sets an error response: {"error": {"code", "message" (in the caller's language), "field"}}. */
void qz_resp_error(const qz_req *req, qz_resp *resp, unsigned status, const qz_err *err);

/* Like qz_resp_error from a key, field and value. */
void qz_resp_fail(const qz_req *req, qz_resp *resp, unsigned status, const char *key,
                  const char *field, const char *value);

/* The status an error deserves, from its class alone (err.h): 422 bad input or an unknown
 * reference in the body, 404 a missing resource, 403 forbidden, 401 unauthenticated, 409
 * a conflict, 429 too many tries, 503 the store unavailable, 500 the rest. Nothing looks
 * at the key. */
unsigned qz_http_status_for(const qz_err *err);

/* The language an Accept-Language header asks for (kk, ru or en; kk when none fits). */
qz_lang qz_http_lang(const char *accept_language);

typedef void (*qz_handler)(qz_req *req, qz_resp *resp);

#endif
