/*
 * people.h — units, staff accounts and the register of persons
 * (sqlite_people.c).
 * Part of the store's interface: store.h says what holds for all of it (durability,
 * threads, ownership, errors). One header per domain, as the backend's sqlite_*.c files.
 */
#ifndef QZ_STORE_PEOPLE_H
#define QZ_STORE_PEOPLE_H

#include "store/store_open.h"

/* A unit: a PSC department, a provider's office, or an authority. */
typedef struct qz_unit_row {
    const char *code;       /* unique, e.g. "psc-astana-1" */
    const char *kind;       /* "psc", "provider" or "authority" */
    const char *department; /* a PSC's: "regional", "other" or "duty"; NULL otherwise */
    const char *name_kk, *name_ru;
    const char *region;
    const char *parent;   /* the code of the unit above it, or NULL */
    const char *acts_as;  /* the unit kinds of catalog/roles.json it acts as in cases,
                             comma-separated ("regional,migration-service"); NULL: none. A
                             PSC acts as "psc" without saying so (store/routing.h) */
    const char *schedule; /* its hours (catalog/schedules.json); NULL: its kind's default */
    const char *area;     /* "region" (its own; the default when NULL) or "country" */
} qz_unit_row;

/* Adds a unit: 0, or -1 with QZ_EINPUT (store.unit_kind, store.unit_department,
 * store.unit_acts_as, store.unit_area, store.field_missing), QZ_ECONFLICT
 * store.unit_exists, or a database error. */
int qz_store_unit_add(qz_store *st, const qz_unit_row *u, qz_err *err);

/* Reads the unit `code` into *out (strings in `a`): 0, or -1 with QZ_ENOTFOUND
 * store.unit_not_found. */
int qz_store_unit_get(qz_store *st, const char *code, qz_arena *a, qz_unit_row *out, qz_err *err);

/* Lists the units of `region` (NULL: all), by code, as an array of *n rows in `a`. */
int qz_store_unit_list(qz_store *st, const char *region, qz_arena *a, qz_unit_row **out, size_t *n,
                       qz_err *err);

/* A staff or citizen account. The password is never stored: only its argon2id hash. */
typedef struct qz_user_row {
    int64_t id;
    const char *login;
    const char *role;   /* one of DESIGN.md's roles; the caller checks it against the catalogue */
    const char *unit;   /* the unit's code; NULL for an account without one (an applicant) */
    const char *region; /* read back: the unit's region; on add, used only when unit is NULL */
    qz_instant created_at;
} qz_user_row;

/* Adds a user with the argon2id hash of `password` (1..QZ_PASSWORD_MAX bytes): 0 and *id,
 * or -1 with QZ_ENOTFOUND store.unit_not_found, QZ_ECONFLICT store.login_taken,
 * QZ_EINPUT store.password_empty / store.password_too_long / store.field_missing. Hashing
 * takes tens of milliseconds on the calling thread, not on the writer. */
int qz_store_user_add(qz_store *st, const qz_user_row *u, const char *password, int64_t *id,
                      qz_err *err);

/* Checks `password` against the stored hash of `login`: 0 and *out (strings in `a`) when
 * it matches, or -1 with QZ_EINPUT store.login_failed whether the login is unknown or the
 * password wrong (the same answer and about the same time for both). */
int qz_store_user_verify(qz_store *st, const char *login, const char *password, qz_arena *a,
                         qz_user_row *out, qz_err *err);

/* Reads the account `login` into *out (strings in `a`) without checking a password: 0, or
 * -1 with QZ_ENOTFOUND store.user_not_found. */
int qz_store_user_get(qz_store *st, const char *login, qz_arena *a, qz_user_row *out, qz_err *err);

typedef struct qz_person_row {
    const char *iin; /* a valid IIN */
    const char *surname, *name;
    const char *patronymic, *phone; /* NULL when unknown */
    const char *lang;               /* the language of messages to them: "kk", "ru" or "en";
                                       NULL when not said (messages then go in Kazakh) */
    bool has_birth;
    qz_date birth; /* when has_birth; must be the date the IIN encodes */
    const char *region;
    qz_instant created_at;
} qz_person_row;

/* Adds a person: 0, or -1 with the IIN's error, QZ_EINPUT store.birth_mismatch,
 * store.field_missing, store.phone_invalid, store.person_lang, QZ_ECONFLICT
 * store.person_exists, or a database error. */
int qz_store_person_add(qz_store *st, const qz_person_row *p, qz_err *err);

/* Reads the person `iin` into *out (strings in `a`): 0, or -1 with QZ_ENOTFOUND
 * store.person_not_found. */
int qz_store_person_get(qz_store *st, const char *iin, qz_arena *a, qz_person_row *out,
                        qz_err *err);

#endif
