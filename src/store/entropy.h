/*
 * entropy.h — random bytes from the kernel (getrandom), for salts, one-time passwords,
 * demo passwords and IIN serials. Blocks only until the kernel's pool is first seeded.
 */
#ifndef QZ_ENTROPY_H
#define QZ_ENTROPY_H

#include "core/err.h"

#include <stddef.h>

/* Fills buf with n random bytes: 0, or -1 with QZ_EIO store.random_failed. */
int qz_random_bytes(void *buf, size_t n, qz_err *err);

#endif
