/*
 * routing.h — which units act in a case. A case accepted at PSC branch B names one unit
 * for every unit kind its workflow uses (each step's and each action's kind, and psc):
 * B itself for psc; for any other kind K, the unit that acts as K (qz_unit_row.acts_as)
 * in B's region, or else one that acts as K for the whole country (area "country"). When
 * several units of B's region act as K, the first by code is taken.
 *
 * Routing is data, not code: the units table (filled from catalog/demo/units.json by
 * `qyzmet init --demo`). It lives in the store because it is a question about the stored
 * units, the same ones staff accounts belong to, so a case's units and its staff's
 * units can never disagree; it reads the catalogue only to know which kinds a workflow
 * needs. Thread safe as the store is.
 */
#ifndef QZ_STORE_ROUTING_H
#define QZ_STORE_ROUTING_H

#include "core/case.h"
#include "store/store.h"

typedef struct qz_route {
    qz_unit_ref units[QZ_CASE_MAX_UNITS]; /* the PSC branch first */
    size_t n_units;
    char region[16];     /* the branch's region: the case's */
    char department[16]; /* the branch's department as a term selector ("regional" or
                            "other"), or "" for a duty department (the application says) */
} qz_route;

/*
 * Routes a case of version v accepted at PSC branch `branch`: 0 with *out, or -1 with
 * QZ_EINPUT routing.branch_unknown (no such unit), routing.not_a_branch (the unit is not
 * a PSC), routing.no_unit (value: the unit kind and the region nobody serves it in),
 * routing.too_many_kinds, or a store error.
 */
int qz_route_case(qz_store *st, const qz_service_version *v, const char *branch, qz_route *out,
                  qz_err *err);

/* True when the comma-separated list of unit kinds `acts_as` (may be NULL) holds `kind`. */
bool qz_route_acts_as(const char *acts_as, const char *kind);

#endif
