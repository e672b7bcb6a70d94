/*
 * notify.h — telling people what happened to their case (platform.md, the portal path:
 * "status changes go to the personal cabinet"). After a case write has been
 * acknowledged — never for one that failed — its applicant, and the subject of a
 * third-party case, get a "cabinet" message and, when they have a registered phone, an
 * "sms", through the outbox: in the case's language, with the case's number, the
 * service's name, the new status and, when it changes or the result is ready, the
 * hand-out date (catalog/strings/notify.json, "notify.case.*").
 */
#ifndef QZ_APP_NOTIFY_H
#define QZ_APP_NOTIFY_H

#include "core/case.h"
#include "app/app.h"
#include "store/store.h"

/*
 * Notifies the persons of case `after`, just written at `now`, of what changed since
 * `before` (NULL: the case was just accepted): its acceptance, a new status, a ready
 * result moved between units (returned to the provider as unclaimed, or back at the
 * PSC), or a new due date (an extension, an interim answer) with the status unchanged;
 * nothing otherwise. `region` is the case's, used for a person the store does not know. The
 * write already stands, so a failure to notify is reported on stderr, not to the caller.
 * Returns the number of messages queued.
 */
int qz_notify_case(const qz_app *ctx, const qz_case *before, const qz_case *after,
                   const char *region, qz_instant now);

/*
 * Tells the complainant of complaint k, just written at `now` (registered or moved),
 * its state: a "cabinet" message and, with a registered phone, an "sms", in `lang`
 * (the case's; kk when NULL or unknown), with the case's number and the date now due
 * (catalog/strings/notify.json, "notify.complaint.<state>", for a closing decision
 * "notify.complaint.<state>.<outcome>"). Failures are reported on stderr. Returns the
 * number of messages queued.
 */
int qz_notify_complaint(const qz_app *ctx, const qz_complaint_row *k, const char *lang,
                        qz_instant now);

#endif
