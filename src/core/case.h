/*
 * case.h — a case (one application) and the events that change it.
 *
 * A case follows one version of one service standard (borrowed from the loaded
 * catalogue, which must outlive it). Its state is the index of its current step in
 * that version's workflow; `runs` is the history of steps, the current one last,
 * each with when it started, when it is due and when it ended. `payload` holds the
 * application's own data, `data` what the actions recorded (check outcomes, the
 * ground of a refusal, the hearing's time …).
 *
 * Ownership: a qz_case owns its runs, payload and data; qz_case_free frees them.
 * qz_case_clone makes an independent copy. Cases are plain values: not shared
 * between threads while being changed.
 */
#ifndef QZ_CASE_H
#define QZ_CASE_H

#include "core/catalog.h"
#include "core/iin.h"

#include <jansson.h>

enum { QZ_CASE_MAX_UNITS = 12, QZ_CODE_LEN = 64 };

/* One of the case's units: the PSC branch that accepted it, or a provider unit. */
typedef struct qz_unit_ref {
    char kind[QZ_CODE_LEN];     /* a unit kind of catalog/roles.json */
    char code[QZ_CODE_LEN];     /* the unit */
    char schedule[QZ_CODE_LEN]; /* its hours (catalog/schedules.json); "" = the default */
} qz_unit_ref;

/* One step of the case's history. */
typedef struct qz_run {
    size_t step;           /* index into the workflow's steps */
    qz_instant started_at; /* when the case entered the step */
    qz_instant due_at;     /* the step's target (0: none) */
    qz_instant done_at;    /* when it was left (0: current) */
    char action[QZ_CODE_LEN];
    char actor[QZ_CODE_LEN];
} qz_run;

typedef struct qz_case {
    int64_t id;  /* 0 until stored */
    int version; /* optimistic concurrency: the stored version */
    char number[64];
    const qz_service *svc;
    const qz_service_version *ver;
    char channel[16], department[16], urgency[16], variant[QZ_CODE_LEN], lang[4];
    char applicant[QZ_IIN_STR], subject[QZ_IIN_STR], representative[QZ_IIN_STR];
    qz_unit_ref units[QZ_CASE_MAX_UNITS];
    size_t n_units;
    json_t *documents; /* array of document kinds accepted */
    json_t *payload;   /* object */
    json_t *data;      /* object: what actions recorded */
    size_t state;      /* the current step (index) */
    qz_status status;
    qz_instant accepted_at, due_at; /* due_at: the binding overall term */
    bool at_risk;                   /* the remaining steps cannot fit before due_at */
    char result[QZ_CODE_LEN];       /* the result code once ended */
    qz_run *runs;
    size_t n_runs, cap_runs;
} qz_case;

/* An event: who did what to a case, when, from which state to which. */
typedef struct qz_event {
    qz_instant at;
    char actor[QZ_CODE_LEN], role[QZ_CODE_LEN], unit[QZ_CODE_LEN];
    char action[QZ_CODE_LEN];
    char from[QZ_CODE_LEN], to[QZ_CODE_LEN];
    json_t *data; /* owned; may be NULL */
} qz_event;

typedef struct qz_events {
    qz_event *v;
    size_t n, cap;
} qz_events;

/* A new, empty case (NULL when memory runs out); free with qz_case_free. */
qz_case *qz_case_new(void);
void qz_case_free(qz_case *c);

/* An independent copy, or NULL when memory runs out. */
qz_case *qz_case_clone(const qz_case *c);

/* The current step and run. */
const qz_step *qz_case_step(const qz_case *c);
qz_run *qz_case_run(const qz_case *c);

/* Appends a run; -1 when memory runs out. */
int qz_case_push_run(qz_case *c, const qz_run *r);

/* The unit of `kind` the case names, or NULL. */
const qz_unit_ref *qz_case_unit(const qz_case *c, const char *kind);

/* The login assigned to work the case's steps of `role` (data "assigned"), or NULL. */
const char *qz_case_assignee(const qz_case *c, const char *role);

/* The recorded outcome ("clear"/"hit") of a check, or NULL. */
const char *qz_case_check(const qz_case *c, const char *check);

/* Appends an event (taking `data`); -1 when memory runs out (data is freed). */
int qz_events_push(qz_events *ev, const qz_event *e);
void qz_events_clear(qz_events *ev);

/* The case as JSON (a new reference), for storage and the API; NULL when out of memory. */
json_t *qz_case_to_json(const qz_case *c);

/* Rebuilds a case from qz_case_to_json's output against the loaded catalogue. */
qz_case *qz_case_from_json(const qz_catalog *cat, const json_t *doc, qz_err *err);

#endif
