/*
 * principal.h — who acts through a use case: a staff account of a unit, or a citizen (an
 * applicant's account, or a person proven by a one-time password). The HTTP layer finds
 * it from the bearer token (http/auth.h); the CLI from its arguments. Plain data.
 */
#ifndef QZ_APP_PRINCIPAL_H
#define QZ_APP_PRINCIPAL_H

#include "core/engine.h"

#include <stdbool.h>
#include <stdint.h>

typedef struct qz_principal {
    int64_t user_id;
    char login[64];
    char role[32];   /* a role of catalog/roles.json; "applicant" for citizens */
    char unit[64];   /* the staff member's unit; "" for applicants */
    char iin[16];    /* an applicant's IIN or BIN; "" for staff */
    char region[16]; /* the unit's (or the person's) region */
} qz_principal;

/* The actor the engine sees for a principal (strings borrowed from p). */
qz_actor qz_principal_actor(const qz_principal *p);

/* True when p is staff (an account of a unit), not a citizen. */
bool qz_principal_is_staff(const qz_principal *p);

#endif
