/*
 * documents.c — the public functions of documents.h: check, hash, dispatch.
 */
#include "store/backend.h"
#include "store/documents_backend.h"

#include <openssl/evp.h>
#include <string.h>

static const qz_documents_ops *ops_of(qz_store *st, void **impl)
{
    return qz_store_backend(st, impl)->documents;
}

int qz_store_document_add(qz_store *st, const qz_document_row *d, int64_t *id, qz_err *err)
{
    void *impl;
    qz_document_row row = *d;
    unsigned int len = 0;
    if (!d->kind || !*d->kind || !d->number || !*d->number || !d->region || !d->lang || !d->pdf ||
        !d->pdf_len)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "document", NULL);
    if (EVP_Digest(d->pdf, d->pdf_len, row.sha256, &len, EVP_sha256(), NULL) != 1 || len != 32)
        return qz_err_set(err, QZ_EINTERNAL, "store.digest_failed", NULL, "SHA-256");
    return ops_of(st, &impl)->add(impl, &row, id, err);
}

int qz_store_document_get(qz_store *st, int64_t id, qz_arena *a, qz_document_row *out, qz_err *err)
{
    void *impl;
    memset(out, 0, sizeof *out);
    if (id <= 0)
        return qz_err_set(err, QZ_ENOTFOUND, "store.document_not_found", "id", NULL);
    return ops_of(st, &impl)->get(impl, id, a, out, err);
}

int qz_store_document_list(qz_store *st, int64_t case_id, qz_arena *a, qz_document_row **out,
                           size_t *n, qz_err *err)
{
    void *impl;
    *out = NULL;
    *n = 0;
    return ops_of(st, &impl)->list(impl, case_id, a, out, n, err);
}

int qz_store_document_find(qz_store *st, const char *number, qz_arena *a, qz_document_row *out,
                           qz_err *err)
{
    void *impl;
    memset(out, 0, sizeof *out);
    if (!number || !*number)
        return qz_err_set(err, QZ_ENOTFOUND, "store.document_not_found", "number", NULL);
    return ops_of(st, &impl)->find(impl, number, a, out, err);
}

int qz_store_access_log(qz_store *st, const char *iin, size_t limit, qz_arena *a,
                        qz_access_row **out, size_t *n, qz_err *err)
{
    void *impl;
    *out = NULL;
    *n = 0;
    if (!iin || !*iin)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "iin", NULL);
    return ops_of(st, &impl)->access_log(impl, iin, limit, a, out, n, err);
}
