/*
 * store_open.h — opening and closing a store, the writer's counters, and what
 * every domain shares (the handle, hash and number sizes, QZ_NO_TIME).
 * Part of the store's interface: store.h says what holds for all of it (durability,
 * threads, ownership, errors). One header per domain, as the backend's sqlite_*.c files.
 */
#ifndef QZ_STORE_OPEN_H
#define QZ_STORE_OPEN_H

#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "core/iin.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct qz_store qz_store;

enum { QZ_HASH_LEN = 32 };        /* SHA-256 */
enum { QZ_CASE_NUMBER_MAX = 64 }; /* a case number and its NUL */
enum { QZ_PASSWORD_MAX = 1024 };  /* longest password accepted, in bytes */
#define QZ_NO_TIME INT64_MIN      /* a qz_instant that is not set (a step not done) */

/* Opens (creating and migrating as needed) the database `target`; 0 and *out, which the
 * caller frees with qz_store_close, or -1 with err and *out NULL. */
int qz_store_open(const char *target, qz_store **out, qz_err *err);

/* Finishes the writes in flight, closes the database and frees `st`; NULL is allowed. */
void qz_store_close(qz_store *st);

/* Returns the schema version of the open database (the number of the last migration). */
int qz_store_schema_version(const qz_store *st);

/* Returns the schema version this build of qyzmet migrates to. */
int qz_store_schema_latest(void);

/* Counters of the writer since open: writes acknowledged or refused, transactions
 * committed, and the most writes one transaction carried. */
typedef struct qz_store_stats {
    uint64_t writes, commits, largest_batch;
} qz_store_stats;

/* Fills *out with the writer's counters (a consistent snapshot). */
void qz_store_stats_get(qz_store *st, qz_store_stats *out);

#endif
