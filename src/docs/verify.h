/*
 * verify.h — checking a signed document (`qyzmet verify`, GET /documents/ID/verify): every
 * embedded signature's CMS over its /ByteRange, the signer's certificate chain up to the
 * trusted CA, that the ranges leave out only the signatures themselves, that the last
 * signature covers the file to its end, and which document it is (its kind and number, in
 * the signed part). Pure over the caller's bytes; thread safe.
 */
#ifndef QZ_DOCS_VERIFY_H
#define QZ_DOCS_VERIFY_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>

enum { QZ_DOC_MAX_SIGNERS = 4 };

typedef struct qz_doc_check {
    bool valid;
    char reason[96]; /* when not valid: a code, e.g. "signature_invalid" */
    size_t n_signers;
    struct {
        char unit[128], name[256];
    } signers[QZ_DOC_MAX_SIGNERS];
    char kind[64], number[64];
} qz_doc_check;

/* Checks p[0..n) against the CA certificates of the PEM file `trust`: 0 with *out (valid
 * or not, and why), or -1 with err when the trust file cannot be read. */
int qz_pdf_verify(const unsigned char *p, size_t n, const char *trust, qz_doc_check *out,
                  qz_err *err);

#endif
