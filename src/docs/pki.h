/*
 * pki.h — the keys documents are signed with: one RSA key and certificate per unit, PEM
 * files in a folder (configuration, `serve --keys DIR`): DIR/UNIT.key, DIR/UNIT.pem, and
 * DIR/ca.pem, the certificate that issued them (the trust anchor `verify` checks against).
 * `qyzmet pki make` writes such a folder with a test CA for the demo and the tests; a
 * deployment puts the units' real keys there instead.
 *
 * A unit's certificate names it: subject CN is the unit's name, OU its code.
 * Ownership: a qz_signer is owned by its loader's caller (qz_signer_free). A loaded signer
 * may be used from many threads at once (OpenSSL keys and certificates are read only).
 */
#ifndef QZ_DOCS_PKI_H
#define QZ_DOCS_PKI_H

#include "core/err.h"

#include <stddef.h>

typedef struct qz_signer qz_signer;

/* Loads unit `unit`'s key and certificate from `dir`, with ca.pem as its chain: 0, or -1
 * with QZ_ENOTFOUND docs.key_missing (value: the file) or QZ_EDATA docs.key_invalid. */
int qz_signer_load(const char *dir, const char *unit, qz_signer **out, qz_err *err);

void qz_signer_free(qz_signer *s);

/* The unit's code and name as its certificate says (borrowed from s). */
const char *qz_signer_unit(const qz_signer *s);
const char *qz_signer_name(const qz_signer *s);

/* The OpenSSL objects (EVP_PKEY *, X509 *, STACK_OF(X509) *), for sign.c. */
void *qz_signer_key(const qz_signer *s);
void *qz_signer_cert(const qz_signer *s);
void *qz_signer_chain(const qz_signer *s);

/* Makes a test CA in dir (ca.key, ca.pem; kept when they exist) and a key and certificate
 * for each of the n units (codes[i], names[i]), valid ten years from now: 0, or -1 with
 * err. The folder must exist; keys are written with mode 0600. */
int qz_pki_make(const char *dir, const char *const *codes, const char *const *names, size_t n,
                qz_err *err);

#endif
