/*
 * POST /api/v1/applications/ID/actions and POST /api/v1/applications/ID/assign: parse
 * the change, check the version the caller read, call the use case (app/act.h), encode
 * the new case.
 */
#include "app/act.h"
#include "http/application_read.h"
#include "http/body.h"
#include "http/handlers.h"

#include <stdio.h>

/* What a caller asks to change on a case: the version they read, and the change's own
 * members (an action and its data, or an assignment). */
typedef struct change_args {
    json_int_t version;
    const char *action, *role, *login;
    const json_t *data;
} change_args;

/* Reads {"action","version","data"?}; the body is an object of known members already. */
static int parse_action(const json_t *b, change_args *a, qz_err *err)
{
    return qz_body_get_str(b, "action", true, &a->action, err) ||
                   qz_body_get_int(b, "version", true, &a->version, err) ||
                   qz_body_get_obj(b, "data", false, &a->data, err)
               ? -1
               : 0;
}

/* Reads {"role","login","version"} of POST /applications/ID/assign, likewise. */
static int parse_assign(const json_t *b, change_args *a, qz_err *err)
{
    return qz_body_get_str(b, "role", true, &a->role, err) ||
                   qz_body_get_str(b, "login", true, &a->login, err) ||
                   qz_body_get_int(b, "version", true, &a->version, err)
               ? -1
               : 0;
}

static qz_case *take_action(qz_req *req, const qz_case *c, const change_args *a,
                            const qz_principal *p, qz_err *err)
{
    return qz_case_act(req->ctx, c, a->action, a->data, p, &req->arena, err);
}

static qz_case *assign(qz_req *req, const qz_case *c, const change_args *a, const qz_principal *p,
                       qz_err *err)
{
    return qz_case_assign(req->ctx, c, a->role, a->login, p, &req->arena, err);
}

typedef qz_case *(*change_fn)(qz_req *req, const qz_case *c, const change_args *a,
                              const qz_principal *p, qz_err *err);

/* A change of the path's case: the body (an object of `fields`) read by `parse`, the
 * version checked, the change made by `apply`; the new case, or the error, answered. */
static void change_case(qz_req *req, qz_resp *resp, const char *const *fields,
                        int (*parse)(const json_t *, change_args *, qz_err *), change_fn apply)
{
    qz_principal p;
    qz_err err;
    change_args a = {0};
    if (qz_http_principal(req, resp, &p) || qz_body_fields(req, resp, fields))
        return;
    qz_case *c = qz_http_visible_case(req, resp, &p);
    if (!c)
        return;
    qz_case *n = NULL;
    qz_err_clear(&err);
    if (parse(req->body, &a, &err)) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
    } else if (a.version != c->version) {
        char current[24];
        snprintf(current, sizeof current, "%d", c->version);
        qz_resp_fail(req, resp, 409, "store.stale_version", "version", current);
    } else if (!(n = apply(req, c, &a, &p, &err))) {
        qz_resp_error(req, resp, qz_http_status_for(&err), &err);
    } else {
        qz_http_answer_case(req, resp, 200, n, &p);
    }
    qz_case_free(n);
    qz_case_free(c);
}

void qz_h_applications_act(qz_req *req, qz_resp *resp)
{
    static const char *const fields[] = {"action", "version", "data", NULL};
    change_case(req, resp, fields, parse_action, take_action);
}

void qz_h_applications_assign(qz_req *req, qz_resp *resp)
{
    static const char *const fields[] = {"role", "login", "version", NULL};
    change_case(req, resp, fields, parse_assign, assign);
}
