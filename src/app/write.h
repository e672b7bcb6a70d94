/*
 * write.h — the one write path of the floor: every change of cases (an application
 * filed, alone or as a bundle; an action; an assignment; the sweeper's timeout action)
 * is written by qz_app_commit as one atomic, durable unit of the store's group commit:
 * the cases the engine made, their steps and events, and the messages they set off (the
 * transactional outbox, app/notify.h). Nothing of a change is written unless all of it
 * is; a bundle's cases get their ids inside that write and are linked there.
 *
 * How a later kind of effect joins the same transaction (a register's entry, a document
 * issued, a hand-over event): give qz_change a member saying what it is, let `bind`
 * (write.c) turn it into the new member of the store's qz_case_write (store.h, the
 * extension point), and write it in the backend's case write beside the messages. The
 * use cases do not change: they keep calling qz_app_commit. src/app/README.md says it
 * too.
 *
 * Thread safe: the store's writer serializes; everything else is the caller's.
 */
#ifndef QZ_APP_WRITE_H
#define QZ_APP_WRITE_H

#include "app/app.h"
#include "app/notify.h"
#include "core/case.h"
#include "store/store.h"

/* One change of one case, as a use case hands it to the write. */
typedef struct qz_change {
    const qz_case *before; /* the case as read (NULL: accepted now) */
    qz_case *after;      /* the engine's result; its id, number and version are set by the write */
    qz_events *ev;       /* the events of the change */
    const char *region;  /* the case's region (its PSC's) */
    qz_notices notices;  /* filled by qz_app_commit */
    qz_case_written out; /* filled by qz_app_commit; out.response is the caller's to free */
} qz_change;

/* What is kept with an idempotency key, with the last change (the main case of a bundle,
 * numbered after the cases it takes along): the key as stored (its owner's prefix
 * included), the request's fingerprint (QZ_HASH_LEN bytes, or NULL), and the answer,
 * built inside the write once the ids are known by `respond` (ctx, the changes written),
 * malloc'd. */
typedef struct qz_keep {
    const char *key;
    const unsigned char *fingerprint;
    char *(*respond)(void *ctx, const qz_change *changes, size_t n);
    void *ctx;
} qz_keep;

/*
 * Writes changes[0..n) at `now` as one atomic unit: plans their messages (reading the
 * persons), then hands the store one write in which each case created gets its id and
 * number, the cases of a bundle (`link`: n > 1 cases accepted together) record each
 * other's ids in their data ("bundle"), the messages are rendered, and the answer is kept
 * with `keep` (may be NULL). 0, or -1 with err and nothing written; the answer is in
 * changes[n - 1].out.response (built by keep->respond; the original one when the key was
 * seen before: out.replayed, nothing written).
 */
int qz_app_commit(const qz_app *app, qz_change *changes, size_t n, bool link, const qz_keep *keep,
                  qz_instant now, qz_err *err);

/* Frees what qz_app_commit left in the changes (the kept answer). */
void qz_changes_clear(qz_change *changes, size_t n);

#endif
