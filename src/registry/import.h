/*
 * import.h — importing a CSV file into a register (`qyzmet import`, docs/registers.md).
 *
 * Every row is checked before anything is written: without `partial`, one rejected row
 * means nothing is imported (a first pass reads the whole file, reporting every rejected
 * row by its line, a second writes); with `partial` one pass writes the good rows and
 * reports the rest. Rows are written QZ_IMPORT_CHUNK at a time, each chunk one
 * transaction; memory stays the same whatever the file's size. Writing is an upsert on
 * each register's natural key, so the same file again changes nothing.
 *
 * Ownership: the caller owns the store and the callbacks' context. Not thread safe per
 * call (one import on one thread); imports into one store may run at once.
 */
#ifndef QZ_REGISTRY_IMPORT_H
#define QZ_REGISTRY_IMPORT_H

#include "store/registry.h"

#include <stdbool.h>
#include <stdint.h>

enum { QZ_IMPORT_CHUNK = 50000 };

/* Called for each rejected row (line from 1, the header being line 1). */
typedef void (*qz_import_reject_fn)(void *ctx, int64_t line, const qz_err *why);

/* Called now and then while rows are read: bytes read of `total` (0 when unknown). */
typedef void (*qz_import_progress_fn)(void *ctx, int64_t rows, uint64_t bytes, uint64_t total,
                                      bool writing);

typedef struct qz_import_opts {
    bool partial;
    qz_instant now;
    qz_import_reject_fn on_reject;
    qz_import_progress_fn on_progress; /* may be NULL */
    void *ctx;
} qz_import_opts;

typedef struct qz_import_result {
    int64_t rows;     /* data rows read */
    int64_t rejected; /* of them, rejected */
    int64_t changed;  /* rows inserted or updated */
} qz_import_result;

/* Imports `path` into `kind`: 0 with *res (rejected rows reported, and nothing written
 * when some were and !partial), or -1 with err when the file cannot be read or has no
 * usable header (nothing written), or the store failed (chunks already committed stay,
 * and importing again completes them). */
int qz_import_file(qz_store *st, qz_register kind, const char *path, const qz_import_opts *o,
                   qz_import_result *res, qz_err *err);

#endif
