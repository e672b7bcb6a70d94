#include "store/case_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static qz_instant or_none(qz_instant t)
{
    return t ? t : QZ_NO_TIME;
}

/* Appends to rows[n] a row of the open run `open` for each other unit whose staff act in
 * that step (an action of another unit kind: the National Security Committee answering in
 * the executor's agreement step), so that the step is in that unit's inbox too; returns
 * the new count. */
static size_t other_units(const qz_case *c, const qz_step_row *open, qz_step_row *rows, size_t n)
{
    const qz_step *s = qz_case_step(c);
    const size_t first = n;
    for (size_t i = 0; i < s->n_actions; i++) {
        const qz_action_spec *a = &s->actions[i];
        const qz_unit_ref *u = a->unit ? qz_case_unit(c, a->unit) : NULL;
        bool known = !u || (open->unit && strcmp(u->code, open->unit) == 0);
        for (size_t k = first; !known && k < n; k++)
            known = strcmp(rows[k].unit, u->code) == 0;
        if (known)
            continue;
        rows[n] = *open;
        rows[n].unit = u->code;
        rows[n++].role = a->role ? a->role : s->role;
    }
    return n;
}

/* The step rows of a case: its runs, each with the unit that acts in it (and, for the
 * open step, the other units whose staff act in it), *n of them. A step without a term
 * of its own (waiting at the hand-out point) is due when the case is. */
static qz_step_row *step_rows(const qz_case *c, size_t *n, qz_err *err)
{
    size_t cap = c->n_runs + qz_case_step(c)->n_actions;
    qz_step_row *rows = calloc(cap ? cap : 1, sizeof *rows);
    if (!rows) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    for (size_t i = 0; i < c->n_runs; i++) {
        const qz_run *r = &c->runs[i];
        const qz_step *s = &c->ver->workflow.steps[r->step];
        const qz_unit_ref *u = qz_case_unit(c, s->unit);
        rows[i] = (qz_step_row){.step = s->code,
                                .role = s->role,
                                .unit = u ? u->code : NULL,
                                .started_at = r->started_at,
                                .due_at = r->due_at ? r->due_at : c->due_at,
                                .done_at = or_none(r->done_at)};
    }
    *n = c->n_runs;
    if (c->n_runs && c->runs[c->n_runs - 1].done_at == 0)
        *n = other_units(c, &rows[c->n_runs - 1], rows, c->n_runs);
    return rows;
}

/* The event rows; their data as JSON text in texts[] (freed by the caller). */
static qz_event_in *event_rows(const qz_events *ev, char **texts, qz_err *err)
{
    qz_event_in *rows = calloc(ev->n ? ev->n : 1, sizeof *rows);
    if (!rows) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    for (size_t i = 0; i < ev->n; i++) {
        const qz_event *e = &ev->v[i];
        texts[i] = e->data ? json_dumps(e->data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        rows[i] = (qz_event_in){.at = e->at,
                                .actor = e->actor,
                                .role = e->role,
                                .unit = e->unit[0] ? e->unit : NULL,
                                .action = e->action,
                                .from_state = e->from[0] ? e->from : NULL,
                                .to_state = e->to[0] ? e->to : NULL,
                                .data = texts[i]};
    }
    return rows;
}

void qz_case_rows_free(qz_case_rows *rows)
{
    for (size_t i = 0; rows->texts && i < rows->n_events; i++)
        free(rows->texts[i]);
    free(rows->texts);
    free(rows->events);
    free(rows->steps);
    free(rows->doc);
    memset(rows, 0, sizeof *rows);
}

int qz_case_rows_make(const qz_case *c, const qz_events *ev, const char *region, qz_instant now,
                      qz_case_rows *rows, qz_case_write *w, qz_err *err)
{
    const qz_unit_ref *psc = qz_case_unit(c, "psc");
    memset(rows, 0, sizeof *rows);
    rows->n_events = ev->n;
    rows->texts = calloc(ev->n ? ev->n : 1, sizeof *rows->texts);
    if (!rows->texts)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    if (!(rows->steps = step_rows(c, &rows->n_steps, err)) ||
        !(rows->events = event_rows(ev, rows->texts, err))) {
        qz_case_rows_free(rows);
        return -1;
    }
    *w = (qz_case_write){.id = c->id,
                         .expected_version = c->version,
                         .region = region,
                         .number = c->number[0] ? c->number : NULL,
                         .service = c->svc->code,
                         .standard_version = qz_date_format(c->ver->from, rows->from),
                         .state = qz_case_step(c)->code,
                         .status = qz_status_name(c->status),
                         .branch = psc ? psc->code : "",
                         .applicant = c->applicant,
                         .subject = c->subject[0] ? c->subject : NULL,
                         .due_at = c->due_at,
                         .now = now,
                         .steps = rows->steps,
                         .n_steps = rows->n_steps,
                         .events = rows->events,
                         .n_events = ev->n};
    return 0;
}

int qz_case_rows_doc(const qz_case *c, qz_case_rows *rows, qz_case_write *w, qz_err *err)
{
    json_t *doc = qz_case_to_json(c);
    free(rows->doc);
    rows->doc = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    w->doc = rows->doc;
    return rows->doc ? 0 : qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
}

/* What is kept with an idempotency key: a response, or how to build one. */
typedef struct keep {
    const char *idem_key;
    const char *response;
    qz_case_respond_fn respond;
    void *ctx;
} keep;

static int save(qz_store *st, const qz_case *c, const qz_events *ev, const char *region,
                const keep *k, qz_instant now, qz_case_written *out, qz_err *err)
{
    qz_case_rows rows;
    qz_case_write w;
    if (qz_case_rows_make(c, ev, region, now, &rows, &w, err))
        return -1;
    int rc = qz_case_rows_doc(c, &rows, &w, err);
    w.idem_key = k->idem_key;
    w.response = k->response;
    w.respond = k->respond;
    w.respond_ctx = k->ctx;
    if (rc == 0)
        rc = qz_store_case_write(st, &w, out, err);
    qz_case_rows_free(&rows);
    return rc;
}

int qz_case_save(qz_store *st, const qz_case *c, const qz_events *ev, const char *region,
                 const char *idem_key, const char *response, qz_instant now, qz_case_written *out,
                 qz_err *err)
{
    keep k = {.idem_key = idem_key, .response = response};
    return save(st, c, ev, region, &k, now, out, err);
}

int qz_case_save_respond(qz_store *st, const qz_case *c, const qz_events *ev, const char *region,
                         const char *idem_key, qz_case_respond_fn respond, void *ctx,
                         qz_instant now, qz_case_written *out, qz_err *err)
{
    keep k = {.idem_key = idem_key, .respond = respond, .ctx = ctx};
    return save(st, c, ev, region, &k, now, out, err);
}

qz_case *qz_case_load(qz_store *st, const qz_catalog *cat, int64_t id, qz_err *err)
{
    qz_arena a = QZ_ARENA_INIT;
    qz_case_row row;
    qz_case *c = NULL;
    if (qz_store_case_get(st, id, &a, &row, err) == 0) {
        json_error_t jerr;
        json_t *doc = json_loads(row.doc, 0, &jerr);
        if (!doc)
            qz_err_set(err, QZ_EDATA, "store.invalid_json", "doc", jerr.text);
        else if ((c = qz_case_from_json(cat, doc, err)) != NULL) {
            c->id = row.id;
            c->version = (int)row.version;
            snprintf(c->number, sizeof c->number, "%s", row.number);
        }
        json_decref(doc);
    }
    qz_arena_free(&a);
    return c;
}
