/*
 * The documents of a case (contract.md, docs/api.md):
 *
 *   GET /api/v1/applications/{id}/documents  → [{"id","kind","number"}]: the receipt and
 *       the result the case has reached, issued on first asking (docs/issue.h) and kept;
 *       for whoever may see the case (a staff read is recorded, as reading the case is)
 *   GET /api/v1/documents/{id}               → the signed PDF, for the same people
 *   GET /api/v1/documents/{id}/verify        → {"valid","signers","document"}: anyone (a
 *       bank clerk handed the paper) may check a document's signatures and that its bytes
 *       are those issued
 *   GET /api/v1/me/access-log                → each staff read of the caller's cases:
 *       unit, role, when, which case (never the staff member's name)
 *
 * A document's id is its number: a receipt's is its case's, a result's CASE-R.
 */
#include "docs/issue.h"
#include "docs/verify.h"
#include "http/auth.h"
#include "app/case_access.h"
#include "http/handlers.h"
#include "store/case_store.h"
#include "store/documents.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ACCESS_LOG_LIMIT = 200 };

static void fail(qz_req *req, qz_resp *resp, const qz_err *err)
{
    qz_resp_error(req, resp, qz_http_status_for(err), err);
}

/* The case `id` when p may see it; else answers 404 (or the store's error) and NULL. */
static qz_case *visible(qz_req *req, qz_resp *resp, const qz_principal *p, int64_t id)
{
    qz_err err;
    qz_case *c = id > 0 ? qz_case_load(req->ctx->store, req->ctx->rules->cat, id, &err) : NULL;
    if (!c && id > 0 && err.code != QZ_ENOTFOUND) {
        fail(req, resp, &err);
        return NULL;
    }
    if (!c || !qz_case_visible(c, p)) {
        qz_case_free(c);
        qz_resp_fail(req, resp, 404, "store.case_not_found", "id", req->params[0]);
        return NULL;
    }
    return c;
}

static int64_t case_id_param(const char *s)
{
    char *end = NULL;
    long long n = s && *s >= '1' && *s <= '9' ? strtoll(s, &end, 10) : 0;
    return end && !*end ? (int64_t)n : 0;
}

/* "http://HOST" of the request, for the QR code's address. */
static const char *base_url(qz_req *req)
{
    const char *host = qz_req_header(req, "Host");
    bool ok = host && *host && strlen(host) < 200;
    for (const char *p = host; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
             *p == '.' || *p == '-' || *p == ':' || *p == '[' || *p == ']';
    char *url = qz_arena_alloc(&req->arena, 256);
    if (url)
        snprintf(url, 256, "http://%s", ok ? host : "127.0.0.1");
    return url ? url : "http://127.0.0.1";
}

void qz_h_applications_documents(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err;
    if (qz_http_principal(req, resp, &p))
        return;
    qz_case *c = visible(req, resp, &p, case_id_param(req->params[0]));
    if (!c)
        return;
    if (!req->ctx->keys_dir) {
        qz_case_free(c);
        qz_resp_fail(req, resp, 503, "docs.keys_unset", NULL, NULL);
        return;
    }
    qz_issuer x = {.store = req->ctx->store,
                   .catalog_dir = req->ctx->catalog_dir,
                   .strings = req->ctx->strings,
                   .keys_dir = req->ctx->keys_dir,
                   .verify_base = base_url(req)};
    qz_instant now = qz_clock_now(req->ctx->clock);
    qz_document_row *d = NULL;
    size_t n = 0;
    if (qz_case_log_read(req->ctx->store, c, &p, now, &err) || qz_docs_issue(&x, c, now, &err) ||
        qz_store_document_list(req->ctx->store, c->id, &req->arena, &d, &n, &err)) {
        qz_case_free(c);
        fail(req, resp, &err);
        return;
    }
    qz_case_free(c);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "id", d[i].number, "kind",
                                             d[i].kind, "number", d[i].number));
    qz_resp_json(resp, 200, arr);
}

/* The document of the path's id, with its bytes: 0, or -1 after answering. */
static int document_of(qz_req *req, qz_resp *resp, qz_document_row *d)
{
    qz_err err;
    qz_document_row found;
    if (qz_store_document_find(req->ctx->store, req->params[0], &req->arena, &found, &err) ||
        qz_store_document_get(req->ctx->store, found.id, &req->arena, d, &err)) {
        if (err.code == QZ_ENOTFOUND)
            qz_resp_fail(req, resp, 404, "store.document_not_found", "id", req->params[0]);
        else
            fail(req, resp, &err);
        return -1;
    }
    return 0;
}

void qz_h_documents_get(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_document_row d;
    if (qz_http_principal(req, resp, &p) || document_of(req, resp, &d))
        return;
    qz_case *c = visible(req, resp, &p, d.case_id);
    if (!c)
        return;
    qz_case_free(c);
    unsigned char *bytes = malloc(d.pdf_len);
    if (!bytes) {
        qz_resp_fail(req, resp, 503, "out_of_memory", NULL, NULL);
        return;
    }
    memcpy(bytes, d.pdf, d.pdf_len);
    qz_resp_bytes(resp, bytes, d.pdf_len, "application/pdf");
}

void qz_h_documents_verify(qz_req *req, qz_resp *resp)
{
    qz_document_row d;
    qz_doc_check c;
    qz_err err;
    char trust[4096];
    unsigned char hash[32];
    unsigned int len = 0;
    if (document_of(req, resp, &d))
        return;
    if (!req->ctx->keys_dir) { /* a document, but not the CA that signed it */
        qz_resp_fail(req, resp, 503, "docs.keys_unset", NULL, NULL);
        return;
    }
    snprintf(trust, sizeof trust, "%s/ca.pem", req->ctx->keys_dir);
    if (qz_pdf_verify(d.pdf, d.pdf_len, trust, &c, &err)) {
        fail(req, resp, &err);
        return;
    }
    /* The bytes kept are the bytes issued. */
    if (c.valid && (EVP_Digest(d.pdf, d.pdf_len, hash, &len, EVP_sha256(), NULL) != 1 ||
                    memcmp(hash, d.sha256, 32) != 0)) {
        c.valid = false;
        snprintf(c.reason, sizeof c.reason, "%s", "changed_after_issue");
    }
    json_t *o = json_object(), *signers = json_array();
    for (size_t i = 0; signers && i < c.n_signers; i++)
        json_array_append_new(
            signers, json_pack("{s:s, s:s}", "unit", c.signers[i].unit, "name", c.signers[i].name));
    json_object_set_new(o, "valid", json_boolean(c.valid));
    json_object_set_new(o, "signers", signers);
    json_object_set_new(o, "document",
                        json_pack("{s:s, s:s}", "kind", c.kind[0] ? c.kind : d.kind, "number",
                                  c.number[0] ? c.number : d.number));
    if (!c.valid)
        json_object_set_new(o, "reason", json_string(c.reason));
    qz_resp_json(resp, 200, o);
}

void qz_h_me_access_log(qz_req *req, qz_resp *resp)
{
    qz_principal p;
    qz_err err;
    qz_access_row *rows = NULL;
    size_t n = 0;
    if (qz_http_principal(req, resp, &p))
        return;
    if (!p.iin[0]) {
        qz_resp_fail(req, resp, 403, "me.applicants_only", NULL, NULL);
        return;
    }
    if (qz_store_access_log(req->ctx->store, p.iin, ACCESS_LOG_LIMIT, &req->arena, &rows, &n,
                            &err)) {
        fail(req, resp, &err);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        char at[QZ_INSTANT_STR];
        qz_instant_format(rows[i].at, 5 * 3600, at);
        qz_unit_row u;
        const char *kk = NULL, *ru = NULL;
        if (rows[i].unit &&
            qz_store_unit_get(req->ctx->store, rows[i].unit, &req->arena, &u, &err) == 0) {
            kk = u.name_kk;
            ru = u.name_ru;
        }
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s?, s:{s:s?, s:s?}, s:s, s:s}",
                                             "case", (json_int_t)rows[i].case_id, "number",
                                             rows[i].case_number, "service", rows[i].service,
                                             "unit", rows[i].unit, "unit_name", "kk", kk, "ru", ru,
                                             "role", rows[i].role, "at", at));
    }
    qz_resp_json(resp, 200, arr);
}
