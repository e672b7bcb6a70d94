/*
 * issue.h — the documents a case has reached, made once and kept (store/documents.h):
 * its acceptance receipt from the moment it exists, numbered as the case is (so that a
 * receipt's number finds its case), and its result once the case is ready or done,
 * numbered CASE-R. catalog/results.json says which template each result of each
 * service is printed on and which units sign it (data, not service names in C); a
 * document's fields come from the registers (the person, their convictions,
 * registrations, documents, the settlers' card index) and the case's payload and data.
 *
 * Signing keys are loaded from `keys_dir` (docs/pki.h) for each document. Thread safe
 * (everything per call; the store and catalogue are).
 */
#ifndef QZ_DOCS_ISSUE_H
#define QZ_DOCS_ISSUE_H

#include "core/case.h"
#include "core/strings.h"
#include "store/store.h"

typedef struct qz_issuer {
    qz_store *store;
    const char *catalog_dir;
    const qz_strings *strings;
    const char *keys_dir;    /* NULL: documents cannot be signed (docs.keys_unset) */
    const char *verify_base; /* "http://host:port": the QR code's …/api/v1/documents/ID/verify */
} qz_issuer;

/* Makes the documents case c has reached and does not have yet: 0, or -1 with err. */
int qz_docs_issue(const qz_issuer *x, const qz_case *c, qz_instant now, qz_err *err);

#endif
