/*
 * case_access.h — who may see a case (DESIGN.md, "People and access"): staff whose unit
 * is one of the case's units, and the persons it is about (its applicant, subject and
 * representative). Nobody else learns that it exists: the handlers answer 404, as for a
 * case that is not there. Every read of a case by staff is itself an event of the case.
 * Also: which staff an assignment may name (a staff account of the role, in one of the
 * case's units).
 */
#ifndef QZ_APP_CASE_ACCESS_H
#define QZ_APP_CASE_ACCESS_H

#include "app/principal.h"
#include "store/store.h"

/* True when p may see case c. */
bool qz_case_visible(const qz_case *c, const qz_principal *p);

/* Records that staff member p read case c at `now` (an event "read" that leaves the case
 * as it is), queued to the store's next group commit without waiting for it
 * (qz_store_case_event_record); nothing for a citizen. 0 once queued, or -1 with the
 * store's error. */
int qz_case_log_read(qz_store *st, const qz_case *c, const qz_principal *p, qz_instant now,
                     qz_err *err);

/* Checks that `login` is a staff account of role `role` in one of case c's units (strings
 * read into `a`): 0, or -1 with err case.assignee_invalid (value: the login) or the
 * store's error. */
int qz_case_staff_check(qz_store *st, const qz_case *c, const char *role, const char *login,
                        qz_arena *a, qz_err *err);

/* Checks every staff field (an assignment) of action `action` of c's current step given in
 * `data` with qz_case_staff_check; an unknown action or a malformed value is left to the
 * engine to refuse. 0, or -1 with err. */
int qz_case_staff_fields(qz_store *st, const qz_case *c, const char *action, const json_t *data,
                         qz_arena *a, qz_err *err);

#endif
