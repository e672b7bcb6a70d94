/*
 * sign.c — the signature update of sign.h.
 *
 * The update holds four objects: the signature field (widget), its /Sig dictionary, the
 * first page again with the widget in /Annots, and the catalogue again with the field in
 * /AcroForm /Fields; then its cross-reference section and trailer (/Prev the last one).
 * /Contents is sized to the CMS signature exactly (a trial signature gives its length;
 * RSA signatures of one key have one length), so no padding is left that a changed
 * byte could hide in. /ByteRange's numbers are written in fixed-width slots and filled
 * in once the offsets are known.
 */
#include "docs/sign.h"

#include "docs/pdfparse.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RANGE_SLOT = 10, MAX_TRIES = 4 };

static int unreadable(const char *what, qz_err *err)
{
    return qz_err_set(err, QZ_EDATA, "docs.pdf_unreadable", NULL, what);
}

static int crypto_failed(const char *what, qz_err *err)
{
    char buf[128];
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    ERR_clear_error();
    return qz_err_setf(err, QZ_EINTERNAL, "docs.crypto_failed", what, "%s", buf);
}

/* The detached CMS signature of data[0..n) by s: DER in *der (OPENSSL_free), *len. */
static int cms_sign(const qz_signer *s, const unsigned char *a, size_t an, const unsigned char *b,
                    size_t bn, unsigned char **der, int *len, qz_err *err)
{
    X509 *cert = qz_signer_cert(s);
    BIO *data = BIO_new(BIO_s_mem());
    CMS_ContentInfo *cms = NULL;
    ESS_SIGNING_CERT_V2 *sc = NULL;
    unsigned char *sc_der = NULL;
    int rc = -1, flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
    *der = NULL;
    if (!data || BIO_write(data, a, (int)an) != (int)an || BIO_write(data, b, (int)bn) != (int)bn)
        goto out;
    cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
    CMS_SignerInfo *si =
        cms ? CMS_add1_signer(cms, cert, qz_signer_key(s), EVP_sha256(), flags) : NULL;
    if (!si)
        goto out;
    /* CAdES: the signing certificate bound into the signed attributes (RFC 5035). */
    sc = OSSL_ESS_signing_cert_v2_new_init(EVP_sha256(), cert, NULL, 0);
    int sc_len = sc ? i2d_ESS_SIGNING_CERT_V2(sc, &sc_der) : -1;
    if (sc_len <= 0 ||
        CMS_signed_add1_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE,
                                    sc_der, sc_len) != 1 ||
        CMS_final(cms, data, NULL, CMS_DETACHED | CMS_BINARY) != 1)
        goto out;
    *len = i2d_CMS_ContentInfo(cms, der);
    rc = *len > 0 ? 0 : -1;
out:
    if (rc)
        crypto_failed("cms", err);
    OPENSSL_free(sc_der);
    ESS_SIGNING_CERT_V2_free(sc);
    CMS_ContentInfo_free(cms);
    BIO_free(data);
    return rc;
}

/* Appends `dict` (an object's text, "<< … >>" and maybe more) with `extra` inserted
 * before its last ">>", or into the existing array after `array_key` when it has one. */
static int rewrite(qz_bytes *out, const char *dict, size_t len, const char *array_key,
                   const char *add_to_array, const char *extra, qz_err *err)
{
    size_t at = qz_pdf_find((const unsigned char *)dict, len, 0, array_key);
    if (at < len) {
        size_t close = qz_pdf_find((const unsigned char *)dict, len, at, "]");
        if (close == len)
            return unreadable(array_key, err);
        return qz_bytes_add(out, dict, close, err) ||
               qz_bytes_printf(out, err, " %s", add_to_array) ||
               qz_bytes_add(out, dict + close, len - close, err);
    }
    size_t end = len;
    while (end >= 2 && !(dict[end - 2] == '>' && dict[end - 1] == '>'))
        end--;
    if (end < 2)
        return unreadable("dictionary", err);
    return qz_bytes_add(out, dict, end - 2, err) || qz_bytes_printf(out, err, " %s\n", extra) ||
           qz_bytes_add(out, dict + end - 2, len - end + 2, err);
}

/* A PDF text string of UTF-8 `s`: UTF-16BE in hex with its byte-order mark. */
static int pdf_text(qz_bytes *out, const char *s, qz_err *err)
{
    if (qz_bytes_add(out, "<FEFF", 5, err))
        return -1;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned cp = *p++;
        if (cp >= 0xC0) {
            int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : 1;
            cp &= 0x3F >> more;
            for (; more-- > 0 && (*p & 0xC0) == 0x80; p++)
                cp = (cp << 6) | (*p & 0x3F);
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            if (qz_bytes_printf(out, err, "%04X%04X", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)))
                return -1;
        } else if (qz_bytes_printf(out, err, "%04X", cp)) {
            return -1;
        }
    }
    return qz_bytes_add(out, ">", 1, err);
}

typedef struct layout {
    long size, root, info, prev, page, field, sig;
    size_t off_field, off_sig, off_page, off_root, off_xref;
    size_t range_at;     /* where the /ByteRange slots start */
    size_t contents_at;  /* the '<' of /Contents */
    size_t contents_end; /* just after its '>' */
} layout;

/* Writes the update after `base` bytes of pdf with a /Contents of `hex_len` zeros. */
static int write_update(qz_bytes *pdf, size_t base, layout *l, const qz_signer *s, qz_instant when,
                        size_t hex_len, qz_err *err)
{
    size_t page_at, page_len, root_at, root_len;
    if (!qz_pdf_object(pdf->p, base, l->page, &page_at, &page_len) ||
        !qz_pdf_object(pdf->p, base, l->root, &root_at, &root_len))
        return unreadable("page", err);
    /* Copies: the objects' text lives in pdf, which the writes below may move. */
    char *page = malloc(page_len + 1), *root = malloc(root_len + 1);
    if (!page || !root) {
        free(page);
        free(root);
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    memcpy(page, pdf->p + page_at, page_len);
    memcpy(root, pdf->p + root_at, root_len);
    pdf->n = base;
    char ref[48], annots[64], acroform[96], when_s[QZ_INSTANT_STR];
    snprintf(ref, sizeof ref, "%ld 0 R", l->field);
    snprintf(annots, sizeof annots, "/Annots [%ld 0 R]", l->field);
    snprintf(acroform, sizeof acroform, "/AcroForm << /Fields [%ld 0 R] /SigFlags 3 >>", l->field);
    qz_instant_format(when, 5 * 3600, when_s);
    /* D:YYYYMMDDHHmmSS+05'00' from "YYYY-MM-DDTHH:MM:SS+05:00". */
    char m[32];
    snprintf(m, sizeof m, "D:%.4s%.2s%.2s%.2s%.2s%.2s+05'00'", when_s, when_s + 5, when_s + 8,
             when_s + 11, when_s + 14, when_s + 17);
    int rc = qz_bytes_add(pdf, "\n", 1, err);
    l->off_field = pdf->n;
    rc = rc || qz_bytes_printf(pdf, err,
                               "%ld 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /F 132"
                               " /Rect [0 0 0 0] /T (Signature%ld) /V %ld 0 R /P %ld 0 R >>\n"
                               "endobj\n",
                               l->field, l->field, l->sig, l->page);
    l->off_sig = pdf->n;
    rc = rc || qz_bytes_printf(pdf, err,
                               "%ld 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite"
                               " /SubFilter /ETSI.CAdES.detached /ByteRange [0 ",
                               l->sig);
    l->range_at = pdf->n;
    rc = rc || qz_bytes_printf(pdf, err, "%*s]\n/Contents <", 3 * (RANGE_SLOT + 1) - 1, "");
    l->contents_at = pdf->n - 1;
    for (size_t i = 0; rc == 0 && i < hex_len; i += 64)
        rc = qz_bytes_add(pdf, "0000000000000000000000000000000000000000000000000000000000000000",
                          hex_len - i < 64 ? hex_len - i : 64, err);
    rc = rc || qz_bytes_add(pdf, ">", 1, err);
    l->contents_end = pdf->n;
    rc = rc || qz_bytes_printf(pdf, err, "\n/M (%s) /Name ", m) ||
         pdf_text(pdf, qz_signer_name(s), err) || qz_bytes_printf(pdf, err, " >>\nendobj\n");
    l->off_page = pdf->n;
    rc = rc || qz_bytes_printf(pdf, err, "%ld 0 obj", l->page) ||
         rewrite(pdf, page, page_len, "/Annots [", ref, annots, err) ||
         qz_bytes_printf(pdf, err, "endobj\n");
    l->off_root = pdf->n;
    rc = rc || qz_bytes_printf(pdf, err, "%ld 0 obj", l->root) ||
         rewrite(pdf, root, root_len, "/Fields [", ref, acroform, err) ||
         qz_bytes_printf(pdf, err, "endobj\n");
    free(page);
    free(root);
    if (rc)
        return -1;
    l->off_xref = pdf->n;
    rc = qz_bytes_printf(pdf, err,
                         "xref\n0 1\n0000000000 65535 f \n%ld 1\n%010zu 00000 n \n"
                         "%ld 1\n%010zu 00000 n \n%ld 1\n%010zu 00000 n \n%ld 1\n%010zu 00000 n \n",
                         l->field, l->off_field, l->sig, l->off_sig, l->page, l->off_page, l->root,
                         l->off_root);
    rc =
        rc || qz_bytes_printf(pdf, err, "trailer\n<< /Size %ld /Root %ld 0 R", l->sig + 1, l->root);
    if (l->info)
        rc = rc || qz_bytes_printf(pdf, err, " /Info %ld 0 R", l->info);
    return rc || qz_bytes_printf(pdf, err, " /Prev %ld >>\nstartxref\n%zu\n%%%%EOF\n", l->prev,
                                 l->off_xref);
}

static const char HEX[] = "0123456789ABCDEF";

int qz_pdf_sign(qz_bytes *pdf, const qz_signer *s, qz_instant when, qz_err *err)
{
    layout l = {0};
    if (!pdf->n || !qz_pdf_trailer(pdf->p, pdf->n, &l.size, &l.root, &l.info, &l.prev))
        return unreadable("trailer", err);
    size_t root_at, root_len, pages_at, pages_len;
    long pages;
    if (!qz_pdf_object(pdf->p, pdf->n, l.root, &root_at, &root_len) ||
        !qz_pdf_int_after((const char *)pdf->p + root_at, root_len, "/Pages", &pages) ||
        !qz_pdf_object(pdf->p, pdf->n, pages, &pages_at, &pages_len) ||
        !qz_pdf_int_after((const char *)pdf->p + pages_at, pages_len, "/Kids [", &l.page))
        return unreadable("pages", err);
    l.field = l.size;
    l.sig = l.size + 1;
    size_t base = pdf->n;
    /* The trial: the length of a signature by this key over anything. */
    unsigned char *der = NULL;
    int der_len = 0;
    if (cms_sign(s, (const unsigned char *)"x", 1, NULL, 0, &der, &der_len, err))
        return -1;
    OPENSSL_free(der);
    for (int tries = 0; tries < MAX_TRIES; tries++) {
        size_t hex_len = 2 * (size_t)der_len;
        if (write_update(pdf, base, &l, s, when, hex_len, err))
            return -1;
        char range[3 * (RANGE_SLOT + 1) + 1];
        size_t after = l.contents_end, tail = pdf->n - l.contents_end;
        snprintf(range, sizeof range, "%-*zu %-*zu %-*zu", RANGE_SLOT, l.contents_at, RANGE_SLOT,
                 after, RANGE_SLOT, tail);
        memcpy(pdf->p + l.range_at, range, strlen(range));
        if (cms_sign(s, pdf->p, l.contents_at, pdf->p + after, tail, &der, &der_len, err))
            return -1;
        if (2 * (size_t)der_len == hex_len) {
            for (int i = 0; i < der_len; i++) {
                pdf->p[l.contents_at + 1 + 2 * i] = (unsigned char)HEX[der[i] >> 4];
                pdf->p[l.contents_at + 2 + 2 * i] = (unsigned char)HEX[der[i] & 15];
            }
            OPENSSL_free(der);
            return 0;
        }
        OPENSSL_free(der); /* another length (an ECDSA key): again with this one */
    }
    return qz_err_set(err, QZ_EINTERNAL, "docs.crypto_failed", "cms", "signature length");
}
