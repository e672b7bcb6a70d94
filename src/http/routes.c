/* The routing table: one line per endpoint; "{}" matches one path segment. HEAD is
 * answered wherever GET is (RFC 9110, 9.3.2), by the GET handler: the server sends its
 * headers without the body. */
#include "http/handlers.h"
#include "http/server.h"

#include <stdio.h>
#include <string.h>

typedef struct route {
    const char *method;
    const char *pattern;
    qz_handler handler;
} route;

static const route routes[] = {
    {"GET", "/healthz", qz_h_health},
    {"GET", "/api/v1/openapi.yaml", qz_h_openapi},
    {"GET", "/api/v1/services", qz_h_services_list},
    {"GET", "/api/v1/services/{}", qz_h_services_get},
    {"GET", "/api/v1/strings/{}", qz_h_strings},
    {"GET", "/api/v1/branches", qz_h_branches},
    {"POST", "/api/v1/sessions", qz_h_sessions_create},
    {"DELETE", "/api/v1/sessions", qz_h_sessions_delete},
    {"POST", "/api/v1/otp", qz_h_otp_send},
    {"GET", "/api/v1/me", qz_h_me},
    {"GET", "/api/v1/me/cases", qz_h_me_cases},
    {"GET", "/api/v1/me/notifications", qz_h_me_notifications},
    {"GET", "/api/v1/me/access-log", qz_h_me_access_log},
    {"POST", "/api/v1/admin/clock", qz_h_admin_clock},
    {"POST", "/api/v1/applications", qz_h_applications_create},
    {"GET", "/api/v1/applications/{}", qz_h_applications_get},
    {"POST", "/api/v1/applications/{}/actions", qz_h_applications_act},
    {"POST", "/api/v1/applications/{}/assign", qz_h_applications_assign},
    {"GET", "/api/v1/applications/{}/documents", qz_h_applications_documents},
    {"GET", "/api/v1/documents/{}", qz_h_documents_get},
    {"GET", "/api/v1/documents/{}/verify", qz_h_documents_verify},
    {"GET", "/api/v1/inbox", qz_h_inbox},
    {"POST", "/api/v1/complaints", qz_h_complaints_create},
    {"GET", "/api/v1/complaints", qz_h_complaints_list},
    {"GET", "/api/v1/complaints/{}", qz_h_complaints_get},
    {"POST", "/api/v1/complaints/{}/actions", qz_h_complaints_act},
};

/* Matches path against pattern, filling the request's parameters. */
static bool match(const char *pattern, const char *path, qz_req *req)
{
    size_t n = 0;
    while (*pattern && *path) {
        if (strncmp(pattern, "{}", 2) == 0) {
            size_t len = strcspn(path, "/");
            if (len == 0 || n == QZ_HTTP_MAX_PARAMS)
                return false;
            char *seg = qz_arena_alloc(&req->arena, len + 1);
            if (!seg)
                return false;
            memcpy(seg, path, len);
            req->params[n++] = seg;
            path += len;
            pattern += 2;
        } else if (*pattern++ != *path++) {
            return false;
        }
    }
    if (*pattern || *path)
        return false;
    req->n_params = n;
    return true;
}

/* Adds `method` to the comma-separated list `allow` unless it is there. */
static void allow_add(char *allow, size_t cap, const char *method)
{
    size_t len = strlen(allow), n = strlen(method);
    for (const char *p = allow; (p = strstr(p, method)) != NULL; p += n)
        if ((p == allow || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return;
    snprintf(allow + len, cap - len, "%s%s", len ? ", " : "", method);
}

void qz_http_route(qz_req *req, qz_resp *resp)
{
    bool path_known = false;
    char allow[64] = "";
    const char *method = strcmp(req->method, "HEAD") == 0 ? "GET" : req->method;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!match(routes[i].pattern, req->path, req))
            continue;
        path_known = true;
        if (strcmp(routes[i].method, method) == 0) {
            routes[i].handler(req, resp);
            return;
        }
        allow_add(allow, sizeof allow, routes[i].method);
        if (strcmp(routes[i].method, "GET") == 0)
            allow_add(allow, sizeof allow, "HEAD");
    }
    if (path_known) {
        qz_resp_fail(req, resp, 405, "request.method_not_allowed", NULL, req->method);
        qz_resp_header(resp, "Allow", allow);
    } else
        qz_resp_fail(req, resp, 404, "request.no_route", NULL, req->path);
}
