/*
 * apply.h — the use case "file an application": one service, or a "one application"
 * bundle of services filed together (their cases linked, one receipt). The caller (the
 * HTTP handler, the CLI) parses the request into a qz_apply and then:
 *
 *   qz_apply_check    versions in force, routing, the caller's desk, documents known
 *   (the caller confirms a portal request: EDS or one-time password, http/confirm.h)
 *   qz_apply_accept   every part through the engine; a part lacking documents refuses all
 *   qz_apply_file     one atomic write of every case and its notifications (app/write.h)
 *
 * Nothing is written before qz_apply_file, and it writes every case or none. Errors carry
 * their class: a service, unit or branch named in the request that does not exist is
 * QZ_EREF; a desk that is not the caller's QZ_EFORBIDDEN. Not thread safe per qz_apply.
 */
#ifndef QZ_APP_APPLY_H
#define QZ_APP_APPLY_H

#include "app/app.h"
#include "app/principal.h"
#include "app/write.h"
#include "core/engine.h"
#include "store/routing.h"
#include "store/store.h"

enum { QZ_APPLY_MAX_DOCUMENTS = 32, QZ_BUNDLE_MAX = 4 }; /* bundled services per application */

/* One part of an application: the main service (part 0) or one bundled with it, as
 * parsed (app, branch, docs), then checked (v, route), then accepted (c, ev). */
typedef struct qz_apply_part {
    qz_application app;
    const char *branch;
    const char *docs[QZ_APPLY_MAX_DOCUMENTS];
    const qz_service_version *v;
    qz_route route;
    qz_case *c;
    qz_events ev;
    bool refused; /* documents missing */
} qz_apply_part;

typedef struct qz_apply {
    qz_apply_part parts[QZ_BUNDLE_MAX + 1];
    size_t n;           /* parts filled: 1 + the bundled services */
    qz_unit_row branch; /* the PSC branch (qz_apply_check; strings in its arena) */
    qz_change changes[QZ_BUNDLE_MAX + 1];
} qz_apply;

/* Checks every part at `now` as far as the store and the catalogue go: the version in
 * force, a bundled service one the main version names (once each), routing, the caller's
 * desk (staff at one of the case's units; a citizen for themselves or as representative),
 * the channel and each document kind (named once). Strings read go into `a`. 0, or -1
 * with err naming the part ("bundle[1].documents"). */
int qz_apply_check(const qz_app *app, const qz_principal *p, qz_apply *ap, qz_instant now,
                   qz_arena *a, qz_err *err);

/* Runs every part through the engine. 0 when all were accepted; 1 when some lack
 * documents (each such part marked refused, *refusal the first refusal: nothing is to be
 * written, the caller answers with a refusal receipt); -1 with err otherwise. */
int qz_apply_accept(const qz_app *app, const qz_principal *p, qz_apply *ap, qz_instant now,
                    qz_err *refusal, qz_err *err);

/* Records in every case's data how the applicant confirmed the request ("confirmed_by":
 * `how`, "eds" or "otp"; nothing when NULL). */
int qz_apply_confirmed(qz_apply *ap, const char *how, qz_err *err);

/* Writes every accepted case at `now` as one atomic unit, with their notifications, their
 * links (a bundle) and the answer kept with `keep` (may be NULL): 0, or -1 with err and
 * nothing written. ap->changes holds the bundled parts first and the main one last (its id
 * follows theirs); the answer is in ap->changes[ap->n - 1].out.response (the original one,
 * out.replayed, when the key was seen before: nothing written). */
int qz_apply_file(const qz_app *app, qz_apply *ap, const qz_keep *keep, qz_instant now,
                  qz_err *err);

/* Frees what the parts and changes hold. */
void qz_apply_clear(qz_apply *ap);

#endif
