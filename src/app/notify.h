/*
 * notify.h — telling people what happened to their case (platform.md, the portal path:
 * "status changes go to the personal cabinet"). A change of a case writes its messages
 * in the same transaction as the case (app/write.h: the transactional outbox), so they
 * stand or fall with it: its applicant, and the subject of a third-party case, get a
 * "cabinet" message and, when they have a registered phone, an "sms" (delivered by the
 * outbox sender, app/sender.h): in the case's language, with the case's number, the
 * service's name, the new status and, when it changes or the result is ready, the
 * hand-out date (catalog/strings/notify.json, "notify.case.*").
 */
#ifndef QZ_APP_NOTIFY_H
#define QZ_APP_NOTIFY_H

#include "core/case.h"
#include "app/app.h"
#include "store/store.h"

enum { QZ_NOTICES_MAX = 4 }; /* messages of one change: a consent asked, applicant, subject */

/* One message to one person, planned before the write. */
typedef struct qz_notice {
    char iin[16], region[16];    /* the person, and where they live (else the case's region) */
    char key[48];                /* notify.case.* */
    qz_instant due;              /* the day the text names; QZ_NO_TIME: the day of the write */
    const qz_action_spec *taken; /* the action whose notice_args the text fills, or NULL */
    bool sms;                    /* they have a registered phone: an SMS too */
    char text[1024];             /* filled by qz_notify_render */
} qz_notice;

/* The messages of one change, and their outbox rows once rendered (a cabinet row for each,
 * an SMS row for those with a phone). */
typedef struct qz_notices {
    size_t n;
    qz_notice v[QZ_NOTICES_MAX];
    qz_outbox_row rows[2 * QZ_NOTICES_MAX];
} qz_notices;

/*
 * Plans what case `after` tells its persons of the change from `before` (NULL: it was just
 * accepted): its acceptance, a new status, a ready result moved between units (returned
 * to the provider as unclaimed, or back at the PSC), a new due date (an extension, an
 * interim answer) with the status unchanged, a consent asked of the person concerned;
 * nothing otherwise. Reads the persons (their region, their phone) now, so that the write
 * itself need not. `region` is the case's, for a person the store does not know. 0, or -1
 * with the store's error.
 */
int qz_notify_plan(const qz_app *app, const qz_case *before, const qz_case *after,
                   const char *region, qz_notices *out, qz_err *err);

/* Writes the texts of the planned messages about `after` (its number known now) into
 * nt->rows, created at `now`; returns their number. Pure: runs inside the write. */
size_t qz_notify_render(const qz_app *app, const qz_case *after, qz_notices *nt, qz_instant now);

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
