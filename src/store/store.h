/*
 * store.h — qyzmet's durable state, behind one interface that every backend
 * implements (an embedded file now, PostgreSQL later).
 *
 * A target names the database: a file path (created when missing), or a
 * "postgres://" / "postgresql://" URL (not yet available: store.backend_unavailable).
 * Opening brings the schema up to date (numbered migrations recorded in a
 * schema_version table, each applied once, in order, in a transaction) and refuses,
 * without changing it, a file that is not a database (store.not_database), a
 * damaged one (store.corrupt), another program's database (store.foreign_database)
 * or one written by a newer qyzmet (store.schema_too_new).
 *
 * Every write is one transaction, durable when the call returns. Several processes
 * may use the same database at once; a call waits for a busy database a few seconds
 * before failing with store.busy. A qz_store is used by one thread at a time; open
 * one per thread. Errors are qz_err with keys "store.*" (catalog/strings/store.json).
 */
#ifndef QZ_STORE_H
#define QZ_STORE_H

#include "core/date.h"
#include "core/err.h"
#include "core/iin.h"

#include <stdint.h>

typedef struct qz_store qz_store;

/* Opens (creating and migrating as needed) the database `target`; 0 and *out, which the
 * caller frees with qz_store_close, or -1 with err and *out NULL. */
int qz_store_open(const char *target, qz_store **out, qz_err *err);

/* Closes the database and frees `st`; NULL is allowed. */
void qz_store_close(qz_store *st);

/* Returns the schema version of the open database (the number of the last migration). */
int qz_store_schema_version(const qz_store *st);

/* Returns the schema version this build of qyzmet migrates to. */
int qz_store_schema_latest(void);

/* Records `iin` (a valid IIN) as issued at `now`: 0 when newly recorded, -1 with
 * QZ_ECONFLICT store.iin_taken when it was issued before, or another error. */
int qz_store_iin_claim(qz_store *st, const char *iin, qz_instant now, qz_err *err);

/*
 * Issues a new IIN for `birth` and `sex`: tries every serial once, in an order drawn
 * from `seed` (pass random bits), skipping unissuable serials and those already
 * claimed, and claims the first free one at `now`. 0 and the IIN in out (QZ_IIN_STR
 * bytes), or -1 with QZ_ECONFLICT store.iin_exhausted when none is left, or the error
 * of qz_iin_compose (a birth date outside 1800–2099) or of the database.
 */
int qz_store_iin_issue(qz_store *st, qz_date birth, qz_sex sex, uint64_t seed, qz_instant now,
                       char *out, qz_err *err);

#endif
