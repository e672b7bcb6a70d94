/*
 * The EDS of portal requests (eds.h), on OpenSSL's CMS API: CMS_verify checks the
 * signature over the body without the chain, then the signer's certificate is verified
 * on its own against the trust store at the server's clock time (a store context per
 * call, so that the shared X509_STORE is only read).
 */
#include "app/eds.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct qz_trust {
    X509_STORE *store;
    qz_clock *clock;
};

qz_trust *qz_trust_load(const char *path, qz_clock *clock, qz_err *err)
{
    qz_trust *t = calloc(1, sizeof *t);
    if (!t) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    t->clock = clock;
    t->store = X509_STORE_new();
    if (!t->store || X509_STORE_load_file(t->store, path) != 1 ||
        sk_X509_OBJECT_num(X509_STORE_get0_objects(t->store)) < 1) {
        ERR_clear_error();
        qz_trust_free(t);
        qz_err_set(err, QZ_EIO, "eds.trust_unreadable", "--trust", path);
        return NULL;
    }
    return t;
}

void qz_trust_free(qz_trust *t)
{
    if (!t)
        return;
    X509_STORE_free(t->store);
    free(t);
}

static int invalid(qz_err *err, const char *reason)
{
    ERR_clear_error();
    return qz_err_set(err, QZ_EINPUT, "eds.invalid", "X-Signature", reason);
}

/* The DER bytes of base64 text (newlines allowed): a malloc'd buffer, or NULL. */
static unsigned char *unbase64(const char *b64, int *len)
{
    size_t n = strlen(b64);
    if (n == 0 || n > QZ_EDS_MAX_B64)
        return NULL;
    unsigned char *der = malloc(n / 4 * 3 + 4);
    EVP_ENCODE_CTX *ctx = EVP_ENCODE_CTX_new();
    int got = 0, last = 0;
    if (ctx)
        EVP_DecodeInit(ctx);
    if (!der || !ctx || EVP_DecodeUpdate(ctx, der, &got, (const unsigned char *)b64, (int)n) < 0 ||
        EVP_DecodeFinal(ctx, der + got, &last) != 1 || got + last == 0) {
        free(der);
        der = NULL;
    }
    EVP_ENCODE_CTX_free(ctx);
    *len = got + last;
    return der;
}

/* The signed-data structure of the signature: NULL when it is not one, detached. */
static CMS_ContentInfo *parse_cms(const char *b64)
{
    int len = 0;
    unsigned char *der = unbase64(b64, &len);
    const unsigned char *p = der;
    CMS_ContentInfo *cms = der ? d2i_CMS_ContentInfo(NULL, &p, len) : NULL;
    free(der);
    if (cms && (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed || CMS_is_detached(cms) != 1 ||
                sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)) != 1)) {
        CMS_ContentInfo_free(cms);
        cms = NULL;
    }
    return cms;
}

/* Why a chain failed, as eds.invalid's value. */
static int chain_failed(int code, qz_err *err)
{
    switch (code) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return invalid(err, "expired");
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return invalid(err, "not_yet_valid");
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        return invalid(err, "untrusted");
    default:
        ERR_clear_error();
        return qz_err_setf(err, QZ_EINPUT, "eds.invalid", "X-Signature", "certificate: %s",
                           X509_verify_cert_error_string(code));
    }
}

/* Verifies the signer's certificate against the store at the clock's time. */
static int verify_chain(const qz_trust *trust, X509 *signer, STACK_OF(X509) * certs, qz_err *err)
{
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    if (!ctx || X509_STORE_CTX_init(ctx, trust->store, signer, certs) != 1) {
        X509_STORE_CTX_free(ctx);
        ERR_clear_error();
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)qz_clock_now(trust->clock));
    int ok = X509_verify_cert(ctx) == 1;
    int code = X509_STORE_CTX_get_error(ctx);
    X509_STORE_CTX_free(ctx);
    if (!ok)
        return chain_failed(code, err);
    if (!(X509_get_key_usage(signer) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
        return invalid(err, "certificate: key usage");
    return 0;
}

/* The IIN of the subject: serialNumber "IIN" and 12 digits (the NCA's form). */
static int subject_iin(X509 *cert, qz_eds_signer *out, qz_err *err)
{
    const X509_NAME *name = X509_get_subject_name(cert);
    for (int i = X509_NAME_get_index_by_NID(name, NID_serialNumber, -1); i >= 0;
         i = X509_NAME_get_index_by_NID(name, NID_serialNumber, i)) {
        const ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
        const unsigned char *v = ASN1_STRING_get0_data(s);
        bool ok = ASN1_STRING_length(s) == 15 && memcmp(v, "IIN", 3) == 0;
        for (int k = 3; ok && k < 15; k++)
            ok = v[k] >= '0' && v[k] <= '9';
        if (ok) {
            memcpy(out->iin, v + 3, 12);
            out->iin[12] = '\0';
            return 0;
        }
    }
    return invalid(err, "no_iin");
}

int qz_eds_verify(const qz_trust *trust, const unsigned char *body, size_t len,
                  const char *signature_b64, qz_eds_signer *out, qz_err *err)
{
    memset(out, 0, sizeof *out);
    if (!trust)
        return invalid(err, "no_trust_store");
    if (!signature_b64 || len > INT_MAX)
        return invalid(err, "malformed");
    CMS_ContentInfo *cms = parse_cms(signature_b64);
    if (!cms)
        return invalid(err, "malformed");
    BIO *data = BIO_new_mem_buf(len ? (const void *)body : "", (int)len);
    STACK_OF(X509) *signers = NULL, *certs = NULL;
    int rc;
    if (!data)
        rc = qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    else if (CMS_verify(cms, NULL, NULL, data, NULL, CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) != 1 ||
             !(signers = CMS_get0_signers(cms)) || sk_X509_num(signers) != 1)
        rc = invalid(err, "signature");
    else {
        X509 *signer = sk_X509_value(signers, 0);
        certs = CMS_get1_certs(cms);
        rc = verify_chain(trust, signer, certs, err);
        if (rc == 0)
            rc = subject_iin(signer, out, err);
        if (rc == 0)
            X509_NAME_get_text_by_NID(X509_get_subject_name(signer), NID_commonName,
                                      out->common_name, sizeof out->common_name);
    }
    sk_X509_pop_free(certs, X509_free);
    sk_X509_free(signers);
    BIO_free(data);
    CMS_ContentInfo_free(cms);
    ERR_clear_error();
    return rc;
}
