/*
 * registry.h — the registers the services read and act on (docs/registers.md): persons,
 * identity documents, residence registrations, convictions, the wanted list, legal
 * entities, the IINs issued to foreigners, invitations, the journal of apostilled
 * documents and the card index of special settlers. Kept apart from store.h, which holds
 * the cases; the same store handle serves both.
 *
 * Importing: a register's rows arrive as text fields in the order of
 * qz_registry_columns(kind), already checked by the caller (src/registry checks every
 * row of a file before anything is written). Each register has a natural key (UNIQUE in
 * the schema): a row whose key exists updates that row only where its values differ, so
 * importing the same rows twice changes nothing and `changed` counts what did change.
 *
 * Reading: the register rows that concern a person, into the caller's arena.
 *
 * Thread safety: as store.h (every function may be called from many threads).
 */
#ifndef QZ_STORE_REGISTRY_H
#define QZ_STORE_REGISTRY_H

#include "core/arena.h"
#include "core/date.h"
#include "core/err.h"
#include "core/iin.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The registers a file can be imported into. */
typedef enum qz_register {
    QZ_REG_PERSONS,
    QZ_REG_CONVICTIONS,
    QZ_REG_WANTED,
    QZ_REG_REGISTRATIONS,
    QZ_REG_SETTLERS,
    QZ_REG_DOCUMENTS,
    QZ_REG_LEGAL_ENTITIES,
    QZ_REG_FOREIGNERS,
    QZ_REG_COUNT
} qz_register;

enum { QZ_REG_MAX_FIELDS = 12 };

/* A register's column: its name in a file and whether a row must give a value. */
typedef struct qz_reg_column {
    const char *name;
    bool required;  /* false: may be empty (NULL in the row) or absent from the file */
    bool in_header; /* the file must have the column (contract.md's list for the kind) */
} qz_reg_column;

/* One row to import: field i is column i of qz_registry_columns(kind); NULL for empty. */
typedef struct qz_reg_row {
    const char *f[QZ_REG_MAX_FIELDS];
} qz_reg_row;

/* The register named `name` ("persons", …): 0, or -1 with QZ_EINPUT registry.kind_unknown. */
int qz_registry_kind(const char *name, qz_register *out, qz_err *err);

/* The name of a register ("persons"). */
const char *qz_registry_name(qz_register kind);

/* The columns of a register, *n of them, in the order of qz_reg_row's fields (static). */
const qz_reg_column *qz_registry_columns(qz_register kind, size_t *n);

/* Writes n checked rows of `kind` in one transaction: 0 with *changed (rows inserted or
 * updated), or -1 with err (nothing of these rows written). */
int qz_registry_import(qz_store *st, qz_register kind, const qz_reg_row *rows, size_t n,
                       qz_instant now, int64_t *changed, qz_err *err);

/* ---- effects: what a completed case changes in the registers ----
 *
 * Each effect is one change the regulation ties to a service's result; applied together
 * in one transaction (qz_registry_apply), and, once the application floor has its hook,
 * in the same transaction as the case's completing event (sqlite_int.h:
 * sq_registry_effects_in). Dates are "YYYY-MM-DD". */
typedef enum qz_effect_kind {
    /* A registration at `address` of `reg_kind` from `on`; a new permanent one ends the
     * open permanent one at another address (ground new-registration; seed 001 S4). */
    QZ_EFFECT_REGISTER,
    /* Ends the open permanent registration on `on` by `ground`: leaving-abroad,
     * imprisonment or court-terminated-right (seed 001 S5). */
    QZ_EFFECT_DEREGISTER,
    /* The IIN of a foreigner known by (citizenship, document_number): the one issued
     * before when there is one (once for life, seed 000), else a new one for `birth`,
     * `sex`; out: iin, existed. */
    QZ_EFFECT_FOREIGNER_IIN,
    /* An identity document `number` of `doc_kind` issued on `on`, valid until
     * `valid_until`; the person's other valid ones of the same kind become invalid,
     * replaced by it (seed 001 S2, S3); out: replaced (the number, or ""). */
    QZ_EFFECT_DOCUMENT,
    /* An invitation numbered INV-YEAR-NNNNNN, valid from `on` to `valid_until` (seed 003);
     * out: number. */
    QZ_EFFECT_INVITATION,
    /* The apostille journal's entry, numbered AP-YEAR-NNNNNN, on `on` (seed 004 S9); out:
     * number. */
    QZ_EFFECT_APOSTILLE,
} qz_effect_kind;

typedef struct qz_reg_effect {
    qz_effect_kind kind;
    int64_t case_id; /* the case it comes from (0: none) */
    const char *region;
    const char *iin, *on, *reg_kind, *address, *ground, *number, *doc_kind, *valid_until;
    const char *citizenship, *document_number, *surname, *name, *birth, *sex;
    const char *inviter, *invitee, *document; /* invitation; apostille */
    uint64_t seed;                            /* a new IIN's serial search */
    /* out */
    char out_iin[QZ_IIN_STR];
    bool existed;
    char out_number[64]; /* the invitation's or journal entry's number; the replaced document */
} qz_reg_effect;

/* Applies effects e[0..n) in one transaction: 0 (outputs filled), or -1 with err and
 * nothing changed (QZ_ENOTFOUND registry.no_registration when there is nothing to end). */
int qz_registry_apply(qz_store *st, qz_reg_effect *e, size_t n, qz_instant now, qz_err *err);

/* ---- reading ---- */

typedef struct qz_conviction_row {
    const char *iin, *article, *sentenced_on;
    const char *expunged_on; /* NULL while the record stands */
} qz_conviction_row;

typedef struct qz_registration_row {
    const char *iin, *kind, *address, *from_on;
    const char *until_on, *ended_on, *end_ground; /* NULL when not so */
} qz_registration_row;

typedef struct qz_settler_row {
    const char *surname, *name, *patronymic, *birth_date, *relocated_on, *from_place, *to_place;
} qz_settler_row;

/* A person as the register "Individuals" has them (persons table). */
typedef struct qz_person_record {
    const char *iin, *surname, *name, *patronymic, *birth, *sex, *birth_place, *citizenship;
} qz_person_record;

/* Reads person `iin`: 0, or -1 with QZ_ENOTFOUND store.person_not_found. */
int qz_registry_person_get(qz_store *st, const char *iin, qz_arena *a, qz_person_record *out,
                           qz_err *err);

/* A person's convictions, oldest first. */
int qz_registry_convictions(qz_store *st, const char *iin, qz_arena *a, qz_conviction_row **out,
                            size_t *n, qz_err *err);

/* Whether the person is wanted: 0 with *since (in `a`) or NULL when not. */
int qz_registry_wanted(qz_store *st, const char *iin, qz_arena *a, const char **since, qz_err *err);

/* A person's registrations, open ones first, newest first. */
int qz_registry_registrations(qz_store *st, const char *iin, qz_arena *a, qz_registration_row **out,
                              size_t *n, qz_err *err);

/* The settlers of the card index with this surname and name (case as written) and, when
 * birth_date is not NULL, that birth date. */
int qz_registry_settlers(qz_store *st, const char *surname, const char *name,
                         const char *birth_date, qz_arena *a, qz_settler_row **out, size_t *n,
                         qz_err *err);

/* The number of rows in a register (for tests and the import's report). */
int qz_registry_count(qz_store *st, qz_register kind, int64_t *out, qz_err *err);

#endif
