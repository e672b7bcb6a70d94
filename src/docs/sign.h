/*
 * sign.h — an embedded PDF signature (PAdES baseline B): an incremental update appended
 * to the document adds a signature field (an invisible widget on the first page, listed
 * in the catalogue's /AcroForm) whose /Sig dictionary holds, in /Contents, a detached CMS
 * signature (CAdES: signing-certificate-v2, SHA-256, the signer's certificate; not its CA,
 * which a verifier has as its trust anchor, and whose copy here nothing would check)
 * over the bytes /ByteRange names: the whole file but /Contents itself. A second
 * signature is a second update, covering the first; the first stays valid.
 *
 * The document must be one whose objects and cross-reference table are written plainly
 * (what cairo makes, and what this file appends). Not thread safe per document.
 */
#ifndef QZ_DOCS_SIGN_H
#define QZ_DOCS_SIGN_H

#include "core/date.h"
#include "docs/bytes.h"
#include "docs/pki.h"

/* Signs pdf in place (appends the update) as signer s at `when`: 0, or -1 with
 * QZ_EDATA docs.pdf_unreadable (the structure was not found) or docs.crypto_failed. */
int qz_pdf_sign(qz_bytes *pdf, const qz_signer *s, qz_instant when, qz_err *err);

#endif
