/*
 * outbox.h — delivering the outbox (the store's side of app/sender.h): the SMS messages
 * still to send, in the order they were written, and marking each one sent, to be tried
 * again later, or given up. The notifications themselves are written with the change that
 * sets them off (store.h, qz_case_write.messages) or appended (qz_store_outbox_append).
 * Thread safe as the store is.
 */
#ifndef QZ_STORE_OUTBOX_H
#define QZ_STORE_OUTBOX_H

#include "store/cases.h"
#include "store/outbox_rows.h"

/* An SMS waiting for delivery: the message, its tries so far, when the next is due
 * (QZ_NO_TIME: now), and the phone registered for its person (NULL: none any more). */
typedef struct qz_outbox_due {
    qz_outbox_row m;
    int64_t tries;
    qz_instant next_at;
    const char *phone;
} qz_outbox_due;

/* Lists at most `limit` SMS not yet sent nor given up, oldest first, as *n rows in `a`.
 * One indexed query (outbox_pending). */
int qz_store_outbox_due(qz_store *st, size_t limit, qz_arena *a, qz_outbox_due **out, size_t *n,
                        qz_err *err);

/* What became of a try: sent (sent_at set), or failed (`error` said why) and to be tried
 * again at next_at, or, when next_at is QZ_NO_TIME, given up at `at`. */
typedef struct qz_outbox_try {
    int64_t id;
    qz_instant at;
    bool sent;
    qz_instant next_at;
    const char *error; /* NULL when sent */
} qz_outbox_try;

/* Records a try of message t->id: 0, or -1 with QZ_ENOTFOUND store.message_not_found or a
 * database error. */
int qz_store_outbox_tried(qz_store *st, const qz_outbox_try *t, qz_err *err);

#endif
