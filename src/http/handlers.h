/*
 * handlers.h — one function per endpoint, grouped in one file per resource
 * (h_<resource>.c). Each is thin: parse, call core or store, encode (request.h).
 */
#ifndef QZ_HTTP_HANDLERS_H
#define QZ_HTTP_HANDLERS_H

#include "http/request.h"

void qz_h_health(qz_req *req, qz_resp *resp);
void qz_h_services_list(qz_req *req, qz_resp *resp);
void qz_h_services_get(qz_req *req, qz_resp *resp);

#endif
