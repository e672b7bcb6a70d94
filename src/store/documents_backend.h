/*
 * documents_backend.h — how a backend provides documents.h (private to src/store).
 * documents.c checks the input and calls these through qz_store_ops.documents.
 */
#ifndef QZ_STORE_DOCUMENTS_BACKEND_H
#define QZ_STORE_DOCUMENTS_BACKEND_H

#include "store/documents.h"

typedef struct qz_documents_ops {
    int (*add)(void *impl, const qz_document_row *d, int64_t *id, qz_err *err);
    int (*get)(void *impl, int64_t id, qz_arena *a, qz_document_row *out, qz_err *err);
    int (*list)(void *impl, int64_t case_id, qz_arena *a, qz_document_row **out, size_t *n,
                qz_err *err);
    int (*find)(void *impl, const char *number, qz_arena *a, qz_document_row *out, qz_err *err);
    int (*access_log)(void *impl, const char *iin, size_t limit, qz_arena *a, qz_access_row **out,
                      size_t *n, qz_err *err);
} qz_documents_ops;

extern const qz_documents_ops qz_documents_sqlite_ops;

#endif
