/*
 * findings.h — what the registers hold on the person a case concerns, for the checks of
 * its current step (catalog/register-checks.json names the register of each check): for
 * the executor to see what matched before recording the outcome with its basis. A
 * criminal record is judged as of the day asked (expunged records do not count); the
 * card index is searched by the person's surname, name and birth date, with the
 * under-16-on-1940-01-01 rule.
 *
 * Thread safe (the store is; everything else per call).
 */
#ifndef QZ_REGISTRY_FINDINGS_H
#define QZ_REGISTRY_FINDINGS_H

#include "core/case.h"
#include "store/store.h"

#include <jansson.h>

/* [{"check","register","matched","rows":[…], …}] for the checks of c's current step that a
 * register answers (an empty array when none), or NULL with err. `as_of` is "YYYY-MM-DD". */
json_t *qz_registry_findings(qz_store *st, const char *catalog_dir, const qz_case *c,
                             const char *as_of, qz_err *err);

#endif
