/*
 * verify.c — the checks of verify.h, signature by signature in file order.
 */
#include "docs/verify.h"

#include "docs/pdfparse.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int invalid(qz_doc_check *out, const char *reason)
{
    out->valid = false;
    snprintf(out->reason, sizeof out->reason, "%s", reason);
    return 0;
}

static int hexval(unsigned char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                  : -1;
}

/* Parses "[a b c d]" after "/ByteRange". */
static bool read_range(const unsigned char *p, size_t n, size_t at, long r[4])
{
    const char *s = (const char *)p + at;
    size_t len = n - at < 200 ? n - at : 200;
    size_t i = 0;
    while (i < len && s[i] != '[')
        i++;
    for (int k = 0; k < 4; k++) {
        while (i < len && (s[i] == ' ' || s[i] == '[' || s[i] == '\n'))
            i++;
        if (i == len || s[i] < '0' || s[i] > '9')
            return false;
        r[k] = 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9' && r[k] < 1000000000000L; i++)
            r[k] = r[k] * 10 + (s[i] - '0');
    }
    return true;
}

static void name_of(X509 *x, int nid, char *out, size_t cap)
{
    out[0] = '\0';
    X509_NAME_get_text_by_NID(X509_get_subject_name(x), nid, out, (int)cap);
}

/* Checks one signature whose /ByteRange is at `at`; sets *end to where its range ends. */
static int check_one(const unsigned char *p, size_t n, size_t at, X509_STORE *store,
                     qz_doc_check *out, size_t *end)
{
    long r[4];
    if (!read_range(p, n, at, r) || r[0] != 0 || r[1] <= 0 || r[2] <= r[1] || r[3] < 0 ||
        (size_t)(r[2] + r[3]) > n)
        return invalid(out, "byte_range");
    size_t a = (size_t)r[1], b = (size_t)r[2];
    if (p[a] != '<' || p[b - 1] != '>' || (b - a - 2) % 2 != 0)
        return invalid(out, "byte_range");
    size_t der_len = (b - a - 2) / 2;
    unsigned char *der = malloc(der_len ? der_len : 1);
    if (!der)
        return invalid(out, "out_of_memory");
    for (size_t i = 0; i < der_len; i++) {
        int hi = hexval(p[a + 1 + 2 * i]), lo = hexval(p[a + 2 + 2 * i]);
        if (hi < 0 || lo < 0) {
            free(der);
            return invalid(out, "contents");
        }
        der[i] = (unsigned char)(hi << 4 | lo);
    }
    const unsigned char *q = der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &q, (long)der_len);
    /* Nothing after the signature's DER, and signed data (the content type is not among
     * the bytes the signature covers: checked here so that no byte of it goes unseen). */
    bool whole =
        cms && q == der + der_len && OBJ_obj2nid(CMS_get0_eContentType(cms)) == NID_pkcs7_data;
    BIO *data = BIO_new(BIO_s_mem());
    int ok = cms && whole && data && BIO_write(data, p, (int)a) == (int)a &&
             BIO_write(data, p + b, (int)r[3]) == (int)r[3] &&
             CMS_verify(cms, NULL, store, data, NULL, CMS_DETACHED | CMS_BINARY) == 1;
    if (ok && out->n_signers < QZ_DOC_MAX_SIGNERS) {
        STACK_OF(X509) *signers = CMS_get0_signers(cms);
        X509 *x = signers && sk_X509_num(signers) > 0 ? sk_X509_value(signers, 0) : NULL;
        if (x) {
            name_of(x, NID_organizationalUnitName, out->signers[out->n_signers].unit,
                    sizeof out->signers[0].unit);
            name_of(x, NID_commonName, out->signers[out->n_signers].name,
                    sizeof out->signers[0].name);
            out->n_signers++;
        }
        sk_X509_free(signers);
    }
    unsigned long e = ERR_peek_last_error();
    ERR_clear_error();
    BIO_free(data);
    CMS_ContentInfo_free(cms);
    free(der);
    *end = b + (size_t)r[3];
    if (ok)
        return 0;
    if (!cms || !whole)
        return invalid(out, "contents");
    return invalid(out, ERR_GET_LIB(e) == ERR_LIB_X509 ||
                                ERR_GET_REASON(e) == CMS_R_CERTIFICATE_VERIFY_ERROR
                            ? "certificate_untrusted"
                            : "signature_invalid");
}

/* The document's kind and number from the /Keywords of its /Info: "qyzmet KIND NUMBER". */
static void identify(const unsigned char *p, size_t n, qz_doc_check *out)
{
    size_t at = qz_pdf_find(p, n, 0, "/Keywords (qyzmet ");
    if (at == n)
        return;
    const char *s = (const char *)p + at + strlen("/Keywords (qyzmet ");
    size_t left = n - at - strlen("/Keywords (qyzmet ");
    size_t i = 0, k = 0;
    for (; i < left && s[i] != ' ' && s[i] != ')' && k + 1 < sizeof out->kind; i++)
        out->kind[k++] = s[i];
    out->kind[k] = '\0';
    k = 0;
    for (i++; i < left && s[i] != ' ' && s[i] != ')' && k + 1 < sizeof out->number; i++)
        out->number[k++] = s[i];
    out->number[k] = '\0';
}

int qz_pdf_verify(const unsigned char *p, size_t n, const char *trust, qz_doc_check *out,
                  qz_err *err)
{
    memset(out, 0, sizeof *out);
    X509_STORE *store = X509_STORE_new();
    if (!store || X509_STORE_load_file(store, trust) != 1) {
        X509_STORE_free(store);
        ERR_clear_error();
        return qz_err_set(err, QZ_EIO, "docs.trust_unreadable", "--trust", trust);
    }
    /* Document signing, not e-mail: any purpose the CA's key usage allows. */
    X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
    out->valid = true;
    size_t at = 0, end = 0;
    int found = 0;
    if (n < 8 || memcmp(p, "%PDF-", 5) != 0) {
        invalid(out, "not_pdf");
    } else {
        while ((at = qz_pdf_find(p, n, at, "/ByteRange [")) < n && out->valid) {
            found++;
            check_one(p, n, at, store, out, &end);
            at++;
        }
        if (out->valid && !found)
            invalid(out, "not_signed");
        else if (out->valid && end != n)
            invalid(out, "changed_after_signing");
    }
    X509_STORE_free(store);
    identify(p, end ? end : n, out);
    return 0;
}
