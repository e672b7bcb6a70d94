/*
 * demo.h — the demo data of `qyzmet init --demo` (private to src/cli): units, one user
 * per role and a few people, from catalog/demo/{units,users,persons}.json. Loading
 * checks every field strictly (core/jsonv.h) and names the file and field of a
 * mistake. Strings are borrowed from the loaded documents (or made in the demo's
 * arena), freed by qz_demo_free.
 */
#ifndef QZ_CLI_DEMO_H
#define QZ_CLI_DEMO_H

#include "store/store.h"

#include <jansson.h>

typedef struct qz_demo_person {
    qz_person_row row;
    const char *lang; /* the language of the messages sent to them */
} qz_demo_person;

typedef struct qz_demo {
    json_t *docs[3]; /* owned */
    qz_unit_row *units;
    size_t n_units;
    qz_user_row *users; /* login, role, unit or region */
    size_t n_users;
    qz_demo_person *persons;
    size_t n_persons;
    qz_arena arena; /* the units' acts_as lists */
} qz_demo;

/* Loads the demo files of `dir` (catalog/demo) into *d: 0, or -1 with err (file and
 * field). Free with qz_demo_free in either case. */
int qz_demo_load(const char *dir, qz_demo *d, qz_err *err);

void qz_demo_free(qz_demo *d);

#endif
