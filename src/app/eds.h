/*
 * eds.h — checking the EDS (electronic digital signature) on a portal request: a
 * detached CMS SignedData (DER, base64 in the X-Signature header) over the exact bytes
 * of the request's body, by a certificate that chains to the trust store (`serve
 * --trust PATH`, a PEM file of the certifying centre's CA certificates) and is valid at
 * the server's clock time. The signer is named by the IIN in the certificate's subject:
 * the national certifying centre (NCA) writes it as serialNumber "IIN" followed by the
 * 12 digits. Thread safe: a loaded trust store is only read.
 */
#ifndef QZ_APP_EDS_H
#define QZ_APP_EDS_H

#include "core/err.h"
#include "app/clock.h"

#include <stddef.h>

typedef struct qz_trust qz_trust;

/* The person who signed. */
typedef struct qz_eds_signer {
    char iin[16];          /* the 12 digits of the subject's serialNumber "IIN…" */
    char common_name[128]; /* the subject's CN, or "" */
} qz_eds_signer;

/* Loads the CA certificates of the PEM file `path`, to be checked at `clock`'s time
 * (borrowed: it must outlive the store): NULL with eds.trust_unreadable (value: the
 * path) when the file cannot be read or holds no certificate. */
qz_trust *qz_trust_load(const char *path, qz_clock *clock, qz_err *err);
void qz_trust_free(qz_trust *t);

/* The longest X-Signature accepted, in base64 characters. */
enum { QZ_EDS_MAX_B64 = 48 * 1024 };

/*
 * Verifies `signature_b64` over body[0..len): 0 with *out, or -1 with eds.invalid and
 * the reason as value: "no_trust_store" (trust is NULL), "malformed" (not base64 or not
 * CMS SignedData), "signature" (does not match the body), "expired", "not_yet_valid",
 * "untrusted" (no chain to the trust store), "certificate" (another failure of the
 * chain; the field names OpenSSL's reason), "no_iin" (no IIN in the subject). Errors
 * of memory are QZ_ENOMEM.
 */
int qz_eds_verify(const qz_trust *trust, const unsigned char *body, size_t len,
                  const char *signature_b64, qz_eds_signer *out, qz_err *err);

#endif
