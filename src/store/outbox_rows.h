/*
 * outbox_rows.h — the notifications to people, appended and listed
 * (sqlite_outbox.c); their delivery is outbox.h.
 * Part of the store's interface: store.h says what holds for all of it (durability,
 * threads, ownership, errors). One header per domain, as the backend's sqlite_*.c files.
 */
#ifndef QZ_STORE_OUTBOX_ROWS_H
#define QZ_STORE_OUTBOX_ROWS_H

#include "store/store_open.h"

/* Whether a message carries a secret (a one-time password, a password), and so where it
 * may be shown: the SMS channel delivers it; the cabinet never shows it; `qyzmet outbox`
 * shows it only when it was sent in demo or test mode. */
typedef enum qz_secret {
    QZ_SECRET_NONE = 0,
    QZ_SECRET_TEST = 1, /* sent in demo or test mode: `qyzmet outbox` shows it */
    QZ_SECRET_PROD = 2, /* sent in production: only the SMS channel ever has it */
} qz_secret;

/* A notification sent to a person: an SMS or a message in their portal cabinet. */
typedef struct qz_outbox_row {
    int64_t id;
    const char *region;
    const char *to_iin;
    const char *channel; /* "sms" or "cabinet" */
    const char *lang;    /* "kk", "ru" or "en" */
    const char *text;
    qz_instant created_at;
    qz_secret secret; /* whether the text carries a one-time password or a password */
} qz_outbox_row;

/* Appends a notification (m->id is ignored): 0 and *id (may be NULL), or -1 with
 * QZ_EINPUT store.outbox_channel / store.field_missing, or a database error. */
int qz_store_outbox_append(qz_store *st, const qz_outbox_row *m, int64_t *id, qz_err *err);

/* Lists notifications to `to_iin` (NULL: all) in the order sent, as *n rows in `a`. */
int qz_store_outbox_list(qz_store *st, const char *to_iin, qz_arena *a, qz_outbox_row **out,
                         size_t *n, qz_err *err);

#endif
