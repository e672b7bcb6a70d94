/*
 * auth.h — who is calling. Every request but /healthz, the catalogue's GETs, POST
 * /api/v1/sessions and POST /api/v1/otp carries "Authorization: Bearer TOKEN"; a
 * token is issued by POST /api/v1/sessions (staff: login and password; citizens: IIN
 * or BIN with a password or a one-time password sent to their registered phone),
 * stored only as a hash, and expires. A principal is the account behind a token.
 */
#ifndef QZ_HTTP_AUTH_H
#define QZ_HTTP_AUTH_H

#include "core/engine.h"
#include "http/request.h"

#include <stdint.h>

typedef struct qz_principal {
    int64_t user_id;
    char login[64];
    char role[32];   /* a role of catalog/roles.json; "applicant" for citizens */
    char unit[64];   /* the staff member's unit; "" for applicants */
    char iin[16];    /* an applicant's IIN or BIN; "" for staff */
    char region[16]; /* the unit's (or the person's) region */
} qz_principal;

/*
 * Resolves the request's bearer token: 0 with *out; or -1 after answering 401 with
 * auth.missing (no token), auth.invalid (unknown or malformed) or auth.expired.
 */
int qz_http_principal(qz_req *req, qz_resp *resp, qz_principal *out);

/* The actor the engine sees for a principal (strings borrowed from p). */
qz_actor qz_principal_actor(const qz_principal *p);

#endif
