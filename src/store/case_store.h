/*
 * case_store.h — cases of the engine (core/case.h) written to and read from the store:
 * one atomic, durable write of the case, its steps and the events that changed it.
 */
#ifndef QZ_CASE_STORE_H
#define QZ_CASE_STORE_H

#include "core/case.h"
#include "store/store.h"

/*
 * Writes case c (created when c->id is 0, else updated from c->version) with the events
 * of the change. `region` is the case's region (its PSC's); `idem_key` and `response`
 * as in qz_case_write (may be NULL). 0 and *out (free out->response), or -1 with err.
 * On success the caller should take out->id and out->version into its copy of the case.
 */
int qz_case_save(qz_store *st, const qz_case *c, const qz_events *ev, const char *region,
                 const char *idem_key, const char *response, qz_instant now, qz_case_written *out,
                 qz_err *err);

/* Like qz_case_save, but the response kept with idem_key is built by `respond` (with
 * `ctx`) once the case's id and number are known (store.h, qz_case_respond_fn). */
int qz_case_save_respond(qz_store *st, const qz_case *c, const qz_events *ev, const char *region,
                         const char *idem_key, qz_case_respond_fn respond, void *ctx,
                         qz_instant now, qz_case_written *out, qz_err *err);

/* The rows of a store write made from an engine case: its steps and events (and, once
 * made, its doc), owned here; free with qz_case_rows_free. */
typedef struct qz_case_rows {
    qz_step_row *steps;
    size_t n_steps;
    qz_event_in *events;
    char **texts; /* the events' data as JSON text */
    size_t n_events;
    char *doc;
    char from[QZ_DATE_STR]; /* the standard's version */
} qz_case_rows;

/* Fills *w to write case c (created when c->id is 0, else updated from c->version) with
 * the events of the change, all but the doc, which may depend on the id the write gives
 * it (qz_case_rows_doc). Strings point into c and rows: keep both until the write is
 * done. 0, or -1 with err. */
int qz_case_rows_make(const qz_case *c, const qz_events *ev, const char *region, qz_instant now,
                      qz_case_rows *rows, qz_case_write *w, qz_err *err);

/* Serializes c as it is now into rows->doc and w->doc. */
int qz_case_rows_doc(const qz_case *c, qz_case_rows *rows, qz_case_write *w, qz_err *err);

void qz_case_rows_free(qz_case_rows *rows);

/* Reads case `id` back against the loaded catalogue; NULL with err. Free with qz_case_free. */
qz_case *qz_case_load(qz_store *st, const qz_catalog *cat, int64_t id, qz_err *err);

#endif
