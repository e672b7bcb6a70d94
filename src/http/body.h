/*
 * body.h — reading a request's JSON body strictly, for the handlers. The body must be
 * an object (else 400 auth.body_object); a member the endpoint does not know, a member
 * of the wrong type, or a required one missing or empty is answered 422 with the field
 * named (json.unknown_field, json.wrong_type, json.missing, json.empty). Each function
 * answers the error itself and returns -1, so a handler just returns. (Texts never hold
 * a NUL character: the server refuses such JSON before routing.)
 */
#ifndef QZ_HTTP_BODY_H
#define QZ_HTTP_BODY_H

#include "http/request.h"

/* 0 when the body is an object whose members are all in `allowed` (NULL-terminated). */
int qz_body_fields(const qz_req *req, qz_resp *resp, const char *const *allowed);

/* Reads the required, non-empty string member `name` (borrowed from the body) into *out. */
int qz_body_str(const qz_req *req, qz_resp *resp, const char *name, const char **out);

#endif
