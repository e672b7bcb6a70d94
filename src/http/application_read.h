/*
 * application_read.h — what the applications' handlers share (h_applications.c,
 * h_application_actions.c): the case of the path's ID as its caller may see it, and the
 * answer showing it. Thread safe as the store is.
 */
#ifndef QZ_HTTP_APPLICATION_READ_H
#define QZ_HTTP_APPLICATION_READ_H

#include "core/case.h"
#include "http/auth.h"
#include "http/request.h"

/* The case of the path's ID if `p` may see it (free with qz_case_free); else NULL,
 * answered 404 (the same answer whether it does not exist or is not the caller's). */
qz_case *qz_http_visible_case(qz_req *req, qz_resp *resp, const qz_principal *p);

/* Answers 200 with case c read by `p`: its history read back from the store, then, for
 * staff, the read recorded (app/case_access.h) and shown as the history's last event. */
void qz_http_answer_read(qz_req *req, qz_resp *resp, const qz_case *c, const qz_principal *p);

/* Answers `status` with case c as `p` sees it, its history read back from the store. */
void qz_http_answer_case(qz_req *req, qz_resp *resp, unsigned status, const qz_case *c,
                         const qz_principal *p);

#endif
