/*
 * documents.h — the documents issued for cases (docs/documents.md): each row one signed
 * PDF, its kind and number, kept as issued (the bytes a citizen downloads are the bytes
 * that were signed) with their SHA-256. A case has at most one document of each kind;
 * adding one a second time keeps the first. A receipt's number is its case's number, so a
 * number finds its case. Apart from store.h, as the registers are (registry.h).
 *
 * Thread safety: as store.h.
 */
#ifndef QZ_STORE_DOCUMENTS_H
#define QZ_STORE_DOCUMENTS_H

#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct qz_document_row {
    int64_t id;
    int64_t case_id; /* 0: none (a refusal at the desk) */
    const char *region, *kind, *number, *lang;
    qz_instant created_at;
    unsigned char sha256[32];
    const unsigned char *pdf; /* NULL in lists */
    size_t pdf_len;
} qz_document_row;

/* Adds d (its sha256 computed here): 0 with *id — the existing document's when the case
 * has one of that kind already —, or -1 with err. */
int qz_store_document_add(qz_store *st, const qz_document_row *d, int64_t *id, qz_err *err);

/* Reads document `id` with its bytes (in `a`): 0, or -1 with QZ_ENOTFOUND
 * store.document_not_found. */
int qz_store_document_get(qz_store *st, int64_t id, qz_arena *a, qz_document_row *out, qz_err *err);

/* The documents of a case, oldest first, without their bytes. */
int qz_store_document_list(qz_store *st, int64_t case_id, qz_arena *a, qz_document_row **out,
                           size_t *n, qz_err *err);

/* The document numbered `number`, without its bytes: 0, or -1 with QZ_ENOTFOUND. */
int qz_store_document_find(qz_store *st, const char *number, qz_arena *a, qz_document_row *out,
                           qz_err *err);

/* One staff read of a person's data: GET /me/access-log. */
typedef struct qz_access_row {
    int64_t case_id;
    const char *case_number, *service, *unit, *role;
    qz_instant at;
} qz_access_row;

/* The staff reads of the cases whose applicant or subject is `iin`, newest first, at most
 * `limit`. */
int qz_store_access_log(qz_store *st, const char *iin, size_t limit, qz_arena *a,
                        qz_access_row **out, size_t *n, qz_err *err);

#endif
