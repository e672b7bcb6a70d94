/*
 * registry_backend.h — how a backend provides the registers of registry.h (private to
 * src/store). registry.c checks what it can and calls these through the store's
 * qz_store_ops.registry. Rows read go into the caller's arena; every operation may be
 * called from many threads at once.
 */
#ifndef QZ_STORE_REGISTRY_BACKEND_H
#define QZ_STORE_REGISTRY_BACKEND_H

#include "store/registry.h"

typedef struct qz_registry_ops {
    int (*import)(void *impl, qz_register kind, const qz_reg_row *rows, size_t n, qz_instant now,
                  int64_t *changed, qz_err *err);
    int (*convictions)(void *impl, const char *iin, qz_arena *a, qz_conviction_row **out, size_t *n,
                       qz_err *err);
    int (*wanted)(void *impl, const char *iin, qz_arena *a, const char **since, qz_err *err);
    int (*registrations)(void *impl, const char *iin, qz_arena *a, qz_registration_row **out,
                         size_t *n, qz_err *err);
    int (*settlers)(void *impl, const char *surname, const char *name, const char *birth_date,
                    qz_arena *a, qz_settler_row **out, size_t *n, qz_err *err);
    int (*count)(void *impl, qz_register kind, int64_t *out, qz_err *err);
    int (*apply)(void *impl, qz_reg_effect *e, size_t n, qz_instant now, qz_err *err);
    int (*person)(void *impl, const char *iin, qz_arena *a, qz_person_record *out, qz_err *err);
} qz_registry_ops;

extern const qz_registry_ops qz_registry_sqlite_ops;

#endif
