/*
 * pki.c — loading a unit's signing key (pki.h) and making a test CA and unit keys, on
 * OpenSSL 3: RSA 2048, SHA-256, X.509 v3 with key usages and key identifiers, so that a
 * PDF reader (poppler's pdfsig through NSS) can build the chain.
 */
#include "docs/pki.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { PATH_MAX_LEN = 4096, YEARS = 10 };

struct qz_signer {
    EVP_PKEY *key;
    X509 *cert;
    STACK_OF(X509) * chain;
    char unit[128], name[256];
};

static int path_of(const char *dir, const char *base, const char *ext, char *out, qz_err *err)
{
    if ((size_t)snprintf(out, PATH_MAX_LEN, "%s/%s%s", dir, base, ext) >= PATH_MAX_LEN)
        return qz_err_set(err, QZ_EIO, "file.path_too_long", NULL, base);
    return 0;
}

/* A unit code names a file: letters, digits, '-', '_', '.' and not starting with '.'. */
static int code_ok(const char *code, qz_err *err)
{
    bool ok = code && *code && *code != '.' && strlen(code) < 100;
    for (const char *p = code; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
             *p == '-' || *p == '_' || *p == '.';
    return ok ? 0 : qz_err_set(err, QZ_EINPUT, "docs.unit_invalid", "unit", code ? code : "");
}

static X509 *read_cert(const char *path)
{
    FILE *f = fopen(path, "r");
    X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    return x;
}

static EVP_PKEY *read_key(const char *path)
{
    FILE *f = fopen(path, "r");
    EVP_PKEY *k = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
    if (f)
        fclose(f);
    return k;
}

static void name_entry(X509 *x, int nid, char *out, size_t cap)
{
    out[0] = '\0';
    X509_NAME_get_text_by_NID(X509_get_subject_name(x), nid, out, (int)cap);
}

int qz_signer_load(const char *dir, const char *unit, qz_signer **out, qz_err *err)
{
    char key_path[PATH_MAX_LEN], cert_path[PATH_MAX_LEN], ca_path[PATH_MAX_LEN];
    *out = NULL;
    if (code_ok(unit, err) || path_of(dir, unit, ".key", key_path, err) ||
        path_of(dir, unit, ".pem", cert_path, err) || path_of(dir, "ca", ".pem", ca_path, err))
        return -1;
    if (access(key_path, R_OK) != 0)
        return qz_err_set(err, QZ_ENOTFOUND, "docs.key_missing", "unit", key_path);
    qz_signer *s = calloc(1, sizeof *s);
    if (!s)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    s->key = read_key(key_path);
    s->cert = read_cert(cert_path);
    X509 *ca = read_cert(ca_path);
    s->chain = sk_X509_new_null();
    if (!s->key || !s->cert || !ca || !s->chain || !sk_X509_push(s->chain, ca) ||
        X509_check_private_key(s->cert, s->key) != 1) {
        if (ca && (!s->chain || sk_X509_num(s->chain) == 0))
            X509_free(ca);
        qz_signer_free(s);
        ERR_clear_error();
        return qz_err_set(err, QZ_EDATA, "docs.key_invalid", "unit", unit);
    }
    name_entry(s->cert, NID_organizationalUnitName, s->unit, sizeof s->unit);
    name_entry(s->cert, NID_commonName, s->name, sizeof s->name);
    *out = s;
    return 0;
}

void qz_signer_free(qz_signer *s)
{
    if (!s)
        return;
    EVP_PKEY_free(s->key);
    X509_free(s->cert);
    sk_X509_pop_free(s->chain, X509_free);
    free(s);
}

const char *qz_signer_unit(const qz_signer *s)
{
    return s->unit;
}

const char *qz_signer_name(const qz_signer *s)
{
    return s->name;
}

void *qz_signer_key(const qz_signer *s)
{
    return s->key;
}

void *qz_signer_cert(const qz_signer *s)
{
    return s->cert;
}

void *qz_signer_chain(const qz_signer *s)
{
    return s->chain;
}

/* ---- making a test CA ---- */

static int fail_ssl(const char *what, qz_err *err)
{
    char buf[128];
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    ERR_clear_error();
    return qz_err_setf(err, QZ_EINTERNAL, "docs.crypto_failed", what, "%s", buf);
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    int ok = ext && X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok ? 0 : -1;
}

/* Copies at most 64 characters of UTF-8 `s` (X.520's upper bound for a common name). */
static void cn_of(const char *s, char *out, size_t cap)
{
    size_t chars = 0, i = 0;
    for (; s[i] && i + 4 < cap; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > 64)
            break;
        out[i] = s[i];
    }
    while (i > 0 && out[i - 1] == ' ')
        i--;
    out[i] = '\0';
}

/* A certificate for `key` named (cn, ou), issued by (issuer, issuer_key), or
 * self-signed when issuer is NULL. */
static X509 *make_cert(EVP_PKEY *key, const char *cn, const char *ou, X509 *issuer,
                       EVP_PKEY *issuer_key)
{
    X509 *x = X509_new();
    unsigned char serial[16];
    BIGNUM *bn = NULL;
    if (!x || RAND_bytes(serial, sizeof serial) != 1)
        goto fail;
    serial[0] = (unsigned char)((serial[0] & 0x3F) | 0x40); /* positive, and 16 bytes long */
    bn = BN_bin2bn(serial, sizeof serial, NULL);
    X509_NAME *name = X509_get_subject_name(x);
    if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) || X509_set_version(x, 2) != 1 ||
        !X509_gmtime_adj(X509_getm_notBefore(x), -86400) ||
        !X509_gmtime_adj(X509_getm_notAfter(x), (long)YEARS * 365 * 86400) ||
        X509_set_pubkey(x, key) != 1 ||
        X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, (const unsigned char *)"KZ", -1, -1,
                                   0) != 1 ||
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                   (const unsigned char *)"qyzmet test CA", -1, -1, 0) != 1 ||
        (ou && X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_UTF8, (const unsigned char *)ou, -1,
                                          -1, 0) != 1) ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1,
                                   0) != 1 ||
        X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name) != 1)
        goto fail;
    X509 *iss = issuer ? issuer : x;
    if (add_ext(x, iss, NID_subject_key_identifier, "hash") ||
        add_ext(x, iss, NID_authority_key_identifier, "keyid:always") ||
        add_ext(x, iss, NID_basic_constraints, issuer ? "critical,CA:FALSE" : "critical,CA:TRUE") ||
        add_ext(x, iss, NID_key_usage,
                issuer ? "critical,digitalSignature,nonRepudiation"
                       : "critical,keyCertSign,cRLSign") ||
        X509_sign(x, issuer ? issuer_key : key, EVP_sha256()) <= 0)
        goto fail;
    BN_free(bn);
    return x;
fail:
    BN_free(bn);
    X509_free(x);
    return NULL;
}

static int write_pem(const char *path, EVP_PKEY *key, X509 *cert, qz_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, key ? 0600 : 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return qz_err_set(err, QZ_EIO, "docs.write_failed", NULL, path);
    }
    int ok =
        key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) : PEM_write_X509(f, cert);
    if (fclose(f) != 0 || ok != 1)
        return qz_err_set(err, QZ_EIO, "docs.write_failed", NULL, path);
    return 0;
}

int qz_pki_make(const char *dir, const char *const *codes, const char *const *names, size_t n,
                qz_err *err)
{
    char ca_key_path[PATH_MAX_LEN], ca_path[PATH_MAX_LEN], p[PATH_MAX_LEN];
    if (path_of(dir, "ca", ".key", ca_key_path, err) || path_of(dir, "ca", ".pem", ca_path, err))
        return -1;
    EVP_PKEY *ca_key = read_key(ca_key_path);
    X509 *ca = read_cert(ca_path);
    int rc = 0;
    if (!ca_key || !ca) {
        EVP_PKEY_free(ca_key);
        X509_free(ca);
        ca_key = EVP_RSA_gen(2048);
        ca = ca_key ? make_cert(ca_key, "qyzmet test CA", NULL, NULL, NULL) : NULL;
        if (!ca)
            rc = fail_ssl("ca", err);
        else
            rc = write_pem(ca_key_path, ca_key, NULL, err) || write_pem(ca_path, NULL, ca, err);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        EVP_PKEY *key = NULL;
        X509 *cert = NULL;
        if (code_ok(codes[i], err)) {
            rc = -1;
            break;
        }
        key = EVP_RSA_gen(2048);
        char cn[512];
        cn_of(names[i] ? names[i] : codes[i], cn, sizeof cn);
        cert = key ? make_cert(key, cn, codes[i], ca, ca_key) : NULL;
        if (!cert)
            rc = fail_ssl(codes[i], err);
        else
            rc = path_of(dir, codes[i], ".key", p, err) || write_pem(p, key, NULL, err) ||
                 path_of(dir, codes[i], ".pem", p, err) || write_pem(p, NULL, cert, err);
        EVP_PKEY_free(key);
        X509_free(cert);
    }
    EVP_PKEY_free(ca_key);
    X509_free(ca);
    return rc ? -1 : 0;
}
