/*
 * sender.h — the outbox's sender: delivers the SMS messages the writes left in the outbox
 * (app/write.h) through an SMS gateway configured by URL (`serve --sms-gateway URL`), as
 * the country's SMS providers take them: one HTTP POST per message with a JSON body
 * {"id","to","iin","lang","text"} and the header Idempotency-Key: qyzmet-sms-<id>, so the
 * gateway can drop a message it has already taken (delivery is at least once: a crash
 * after the gateway's answer and before the row is marked sends it again). A 2xx answer
 * marks the message sent. Anything else is retried with a growing delay (1 s, 2 s, 4 s…
 * up to a minute), and after QZ_SMS_MAX_TRIES tries the message is given up, marked so in
 * the outbox and reported on stderr. Messages to one person leave in the order they were
 * written: one waiting for its retry holds back the later ones to the same person.
 *
 * Only http:// URLs (a gateway on the same host or network; put a TLS proxy in front for
 * anything further). Cabinet messages need no delivery: the outbox row is the message.
 * The sender runs on a thread of its own; qz_sender_stop ends it.
 */
#ifndef QZ_APP_SENDER_H
#define QZ_APP_SENDER_H

#include "app/app.h"

enum { QZ_SMS_MAX_TRIES = 6, QZ_SMS_BATCH = 64 };

typedef struct qz_sender qz_sender;

/* Starts delivering to `url` ("http://host[:port]/path"): NULL with sender.url_invalid
 * (value: the URL) when it cannot be used. `app` is borrowed. */
qz_sender *qz_sender_start(const qz_app *app, const char *url, qz_err *err);

/* Stops after the message under way; frees the sender. NULL is a no-op. */
void qz_sender_stop(qz_sender *s);

/* A sender without its thread, for running rounds by hand (tests); free it with
 * qz_sender_stop. NULL with err as qz_sender_start. */
qz_sender *qz_sender_new(const qz_app *app, const char *url, qz_err *err);

/* One round, for tests and the thread: sends every message due now, at most QZ_SMS_BATCH;
 * *sent and *given_up count what happened. 0, or -1 with the store's error. */
int qz_sender_round(qz_sender *s, size_t *sent, size_t *given_up, qz_err *err);

#endif
