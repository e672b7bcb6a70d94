/*
 * handlers.h — one function per endpoint, grouped in one file per resource
 * (h_<resource>.c). Each is thin: parse, call core or store, encode (request.h).
 */
#ifndef QZ_HTTP_HANDLERS_H
#define QZ_HTTP_HANDLERS_H

#include "http/auth.h"
#include "http/request.h"

void qz_h_health(qz_req *req, qz_resp *resp);

/* GET /api/v1/openapi.yaml: docs/openapi.yaml as built into the program. */
void qz_h_openapi(qz_req *req, qz_resp *resp);
void qz_h_services_list(qz_req *req, qz_resp *resp);
void qz_h_services_get(qz_req *req, qz_resp *resp);
void qz_h_sessions_create(qz_req *req, qz_resp *resp);
void qz_h_sessions_delete(qz_req *req, qz_resp *resp);
void qz_h_otp_send(qz_req *req, qz_resp *resp);
void qz_h_me(qz_req *req, qz_resp *resp);
void qz_h_admin_clock(qz_req *req, qz_resp *resp);
void qz_h_applications_create(qz_req *req, qz_resp *resp);
void qz_h_applications_get(qz_req *req, qz_resp *resp);
void qz_h_applications_act(qz_req *req, qz_resp *resp);

/* POST /api/v1/applications/{id}/assign: {"role","login","version"} — who works the
 * case's steps of a role from now on (a provider head assigning the executor). */
void qz_h_applications_assign(qz_req *req, qz_resp *resp);
void qz_h_inbox(qz_req *req, qz_resp *resp);
void qz_h_me_cases(qz_req *req, qz_resp *resp);
void qz_h_me_notifications(qz_req *req, qz_resp *resp);
void qz_h_complaints_create(qz_req *req, qz_resp *resp);
void qz_h_complaints_list(qz_req *req, qz_resp *resp);
void qz_h_complaints_get(qz_req *req, qz_resp *resp);
void qz_h_complaints_act(qz_req *req, qz_resp *resp);

/* GET /api/v1/branches: [{"code","name":{kk,ru},"department","region"}], the PSC branches. */
void qz_h_branches(qz_req *req, qz_resp *resp);

/* GET /api/v1/strings/{lang}: {"lang", "strings": {"web.key": "text", …}}, the pages'
 * texts in kk, ru or en. */
void qz_h_strings(qz_req *req, qz_resp *resp);
/* h_documents.c: a case's documents, a document, its verification; who read my data. */
void qz_h_applications_documents(qz_req *req, qz_resp *resp);
void qz_h_documents_get(qz_req *req, qz_resp *resp);
void qz_h_documents_verify(qz_req *req, qz_resp *resp);
void qz_h_me_access_log(qz_req *req, qz_resp *resp);

#endif
