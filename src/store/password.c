#include "store/password.h"

#include "store/entropy.h"

#include <argon2.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

enum { T_COST = 2, M_COST_KIB = 19456, LANES = 1, SALT_LEN = 16, HASH_LEN = 32 };

/* A hash of a password nobody knows, with the parameters above, for qz_password_waste. */
static const char DECOY[] = "$argon2id$v=19$m=19456,t=2,p=1$cXl6bWV0LWRlY295LXNsdA$"
                            "EqKbI4+5m3QkWrktLP+LJieb5Bgpw/NSud3n/KVQVc0";

int qz_password_hash(const char *password, char *out, size_t cap, qz_err *err)
{
    unsigned char salt[SALT_LEN];
    if (cap < argon2_encodedlen(T_COST, M_COST_KIB, LANES, SALT_LEN, HASH_LEN, Argon2_id))
        return qz_err_set(err, QZ_EINTERNAL, "store.hash_failed", NULL, "buffer");
    if (qz_random_bytes(salt, sizeof salt, err))
        return -1;
    int rc = argon2id_hash_encoded(T_COST, M_COST_KIB, LANES, password, strlen(password), salt,
                                   sizeof salt, HASH_LEN, out, cap);
    if (rc != ARGON2_OK)
        return qz_err_set(err, rc == ARGON2_MEMORY_ALLOCATION_ERROR ? QZ_ENOMEM : QZ_EINTERNAL,
                          "store.hash_failed", NULL, argon2_error_message(rc));
    return 0;
}

int qz_password_verify(const char *encoded, const char *password, qz_err *err)
{
    int rc = argon2id_verify(encoded, password, strlen(password));
    if (rc == ARGON2_OK)
        return 0;
    if (rc == ARGON2_MEMORY_ALLOCATION_ERROR)
        return qz_err_set(err, QZ_ENOMEM, "store.hash_failed", NULL, argon2_error_message(rc));
    return 1; /* a mismatch, or a stored value that is no argon2id hash: no match either way */
}

void qz_password_waste(const char *password)
{
    (void)argon2id_verify(DECOY, password, strlen(password));
}
