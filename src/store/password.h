/*
 * password.h — passwords as argon2id hashes (libargon2), never as text.
 *
 * A hash is the standard encoded string "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>"
 * (OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane), with a 16-byte salt from
 * getrandom(2); it carries its own parameters, so stronger ones later still verify
 * old hashes. Hashing and verifying each take tens of milliseconds and 19 MiB: call
 * them on the request's thread, never on the store's writer. Safe from any thread.
 */
#ifndef QZ_STORE_PASSWORD_H
#define QZ_STORE_PASSWORD_H

#include "core/err.h"

#include <stddef.h>

enum { QZ_PASSWORD_HASH_MAX = 128 }; /* an encoded hash and its NUL */

/* Hashes `password` into out (cap bytes, at least QZ_PASSWORD_HASH_MAX): 0, or -1 with
 * store.random_failed or store.hash_failed. */
int qz_password_hash(const char *password, char *out, size_t cap, qz_err *err);

/* Returns 0 when `password` matches `encoded`, 1 when it does not (or `encoded` is not
 * an argon2id hash), -1 with err when hashing itself failed (memory). */
int qz_password_verify(const char *encoded, const char *password, qz_err *err);

/* Spends the time of one verification without a stored hash, so that an unknown login
 * takes as long to refuse as a wrong password. */
void qz_password_waste(const char *password);

#endif
