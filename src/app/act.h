/*
 * act.h — the use cases that change a case someone holds: take an action of its step
 * (and, where the step says its bundle takes it together, the same action on each linked
 * case waiting there) and assign a staff member to its steps of a role. Each is the
 * engine's change written with its notifications as one atomic unit (app/write.h). The
 * caller has read the case and checked the version the client saw. Thread safe as the
 * store is.
 */
#ifndef QZ_APP_ACT_H
#define QZ_APP_ACT_H

#include "app/app.h"
#include "app/principal.h"
#include "core/arena.h"
#include "core/case.h"

#include <jansson.h>

/* Takes `action` with `data` (may be NULL; its staff fields must name staff of the case)
 * on case c as p, at the clock's now: the new case (free with qz_case_free), or NULL with
 * err: the engine's refusals (QZ_EFORBIDDEN for who may not; QZ_EINPUT, QZ_EREF for what
 * the data names), QZ_ECONFLICT store.stale_version when someone wrote first, or the
 * store's error. Strings read go into `a`. */
qz_case *qz_case_act(const qz_app *app, const qz_case *c, const char *action, const json_t *data,
                     const qz_principal *p, qz_arena *a, qz_err *err);

/* Assigns `login` (a staff account of `role` in one of c's units) to work c's steps of
 * `role`; returns as qz_case_act. */
qz_case *qz_case_assign(const qz_app *app, const qz_case *c, const char *role, const char *login,
                        const qz_principal *p, qz_arena *a, qz_err *err);

#endif
