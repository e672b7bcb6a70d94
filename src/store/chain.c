#include "store/chain.h"

#include <openssl/evp.h>

#include <string.h>

static const char DOMAIN_TAG[] = "qyzmet.event.v1"; /* hashed with its NUL */

static void put_be64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)(v & 0xff);
}

static int add_int(EVP_MD_CTX *md, int64_t v)
{
    unsigned char b[9] = {'i'};
    put_be64(b + 1, (uint64_t)v);
    return EVP_DigestUpdate(md, b, sizeof b);
}

static int add_text(EVP_MD_CTX *md, const char *s)
{
    if (!s)
        return EVP_DigestUpdate(md, "n", 1);
    size_t n = strlen(s);
    unsigned char b[9] = {'t'};
    put_be64(b + 1, (uint64_t)n);
    return EVP_DigestUpdate(md, b, sizeof b) && EVP_DigestUpdate(md, s, n);
}

/* Feeds prev_hash and the columns in the order of chain.h; 1 on success (OpenSSL's way). */
static int add_row(EVP_MD_CTX *md, const qz_event_row *r)
{
    return EVP_DigestUpdate(md, r->prev_hash, QZ_HASH_LEN) &&
           EVP_DigestUpdate(md, DOMAIN_TAG, sizeof DOMAIN_TAG) && add_int(md, r->id) &&
           add_text(md, r->region) && add_int(md, r->case_id) && add_int(md, r->seq) &&
           add_int(md, r->at) && add_text(md, r->actor) && add_text(md, r->role) &&
           add_text(md, r->unit) && add_text(md, r->action) && add_text(md, r->from_state) &&
           add_text(md, r->to_state) && add_text(md, r->data);
}

int qz_chain_hash(const qz_event_row *row, unsigned char out[QZ_HASH_LEN], qz_err *err)
{
    unsigned int len = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    int ok = EVP_DigestInit_ex(md, EVP_sha256(), NULL) && add_row(md, row) &&
             EVP_DigestFinal_ex(md, out, &len) && len == QZ_HASH_LEN;
    EVP_MD_CTX_free(md);
    return ok ? 0 : qz_err_set(err, QZ_EINTERNAL, "store.digest_failed", NULL, "SHA-256");
}
