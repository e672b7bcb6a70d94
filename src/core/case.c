#include "core/case.h"

#include "core/jsonv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

qz_case *qz_case_new(void)
{
    qz_case *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->documents = json_array();
    c->payload = json_object();
    c->data = json_object();
    if (!c->documents || !c->payload || !c->data) {
        qz_case_free(c);
        return NULL;
    }
    return c;
}

void qz_case_free(qz_case *c)
{
    if (!c)
        return;
    json_decref(c->documents);
    json_decref(c->payload);
    json_decref(c->data);
    free(c->runs);
    free(c);
}

qz_case *qz_case_clone(const qz_case *c)
{
    qz_case *k = malloc(sizeof *k);
    if (!k)
        return NULL;
    *k = *c;
    k->documents = json_deep_copy(c->documents);
    k->payload = json_deep_copy(c->payload);
    k->data = json_deep_copy(c->data);
    k->runs = malloc(sizeof *k->runs * (c->cap_runs ? c->cap_runs : 1));
    if (!k->documents || !k->payload || !k->data || !k->runs) {
        qz_case_free(k);
        return NULL;
    }
    memcpy(k->runs, c->runs, sizeof *k->runs * c->n_runs);
    return k;
}

const qz_step *qz_case_step(const qz_case *c)
{
    return &c->ver->workflow.steps[c->state];
}

qz_run *qz_case_run(const qz_case *c)
{
    return c->n_runs ? &c->runs[c->n_runs - 1] : NULL;
}

int qz_case_push_run(qz_case *c, const qz_run *r)
{
    if (c->n_runs == c->cap_runs) {
        size_t cap = c->cap_runs ? 2 * c->cap_runs : 8;
        qz_run *grown = realloc(c->runs, sizeof *grown * cap);
        if (!grown)
            return -1;
        c->runs = grown;
        c->cap_runs = cap;
    }
    c->runs[c->n_runs++] = *r;
    return 0;
}

const qz_unit_ref *qz_case_unit(const qz_case *c, const char *kind)
{
    for (size_t i = 0; i < c->n_units; i++)
        if (strcmp(c->units[i].kind, kind) == 0)
            return &c->units[i];
    return NULL;
}

const char *qz_case_assignee(const qz_case *c, const char *role)
{
    return role ? json_string_value(json_object_get(json_object_get(c->data, "assigned"), role))
                : NULL;
}

const char *qz_case_check(const qz_case *c, const char *check)
{
    return json_string_value(json_object_get(json_object_get(c->data, "checks"), check));
}

int qz_events_push(qz_events *ev, const qz_event *e)
{
    if (ev->n == ev->cap) {
        size_t cap = ev->cap ? 2 * ev->cap : 4;
        qz_event *grown = realloc(ev->v, sizeof *grown * cap);
        if (!grown) {
            json_decref(e->data);
            return -1;
        }
        ev->v = grown;
        ev->cap = cap;
    }
    ev->v[ev->n++] = *e;
    return 0;
}

void qz_events_clear(qz_events *ev)
{
    for (size_t i = 0; i < ev->n; i++)
        json_decref(ev->v[i].data);
    free(ev->v);
    memset(ev, 0, sizeof *ev);
}

/* Adds key: string when s is non-empty. */
static int put_str(json_t *o, const char *key, const char *s)
{
    return s && *s ? json_object_set_new(o, key, json_string(s)) : 0;
}

static int put_int(json_t *o, const char *key, json_int_t v)
{
    return json_object_set_new(o, key, json_integer(v));
}

static json_t *runs_to_json(const qz_case *c)
{
    json_t *runs = json_array();
    for (size_t i = 0; runs && i < c->n_runs; i++) {
        const qz_run *r = &c->runs[i];
        json_t *o = json_object();
        if (!o || put_str(o, "step", c->ver->workflow.steps[r->step].code) ||
            put_int(o, "started_at", r->started_at) || put_int(o, "due_at", r->due_at) ||
            put_int(o, "done_at", r->done_at) || put_str(o, "action", r->action) ||
            put_str(o, "actor", r->actor) || json_array_append_new(runs, o)) {
            json_decref(o);
            json_decref(runs);
            return NULL;
        }
    }
    return runs;
}

static json_t *units_to_json(const qz_case *c)
{
    json_t *units = json_array();
    for (size_t i = 0; units && i < c->n_units; i++) {
        json_t *o = json_object();
        if (!o || put_str(o, "kind", c->units[i].kind) || put_str(o, "code", c->units[i].code) ||
            put_str(o, "schedule", c->units[i].schedule) || json_array_append_new(units, o)) {
            json_decref(o);
            json_decref(units);
            return NULL;
        }
    }
    return units;
}

json_t *qz_case_to_json(const qz_case *c)
{
    char from[QZ_DATE_STR];
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = put_int(o, "id", c->id) || put_int(o, "version", c->version) ||
              put_str(o, "number", c->number) || put_str(o, "service", c->svc->code) ||
              put_str(o, "standard_from", qz_date_format(c->ver->from, from)) ||
              put_str(o, "channel", c->channel) || put_str(o, "department", c->department) ||
              put_str(o, "urgency", c->urgency) || put_str(o, "variant", c->variant) ||
              put_str(o, "lang", c->lang) || put_str(o, "applicant", c->applicant) ||
              put_str(o, "subject", c->subject) ||
              put_str(o, "representative", c->representative) ||
              json_object_set_new(o, "units", units_to_json(c)) ||
              json_object_set(o, "documents", c->documents) ||
              json_object_set(o, "payload", c->payload) || json_object_set(o, "data", c->data) ||
              put_str(o, "state", qz_case_step(c)->code) ||
              put_str(o, "status", qz_status_name(c->status)) ||
              put_int(o, "accepted_at", c->accepted_at) || put_int(o, "due_at", c->due_at) ||
              json_object_set_new(o, "at_risk", json_boolean(c->at_risk)) ||
              put_str(o, "result", c->result) || json_object_set_new(o, "runs", runs_to_json(c));
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Copies a string member into a fixed buffer; missing is "". */
static int get_str(const json_t *o, const char *key, char *buf, size_t cap, qz_err *err)
{
    const json_t *v = json_object_get(o, key);
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    if (v && !json_is_string(v))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", key, "string");
    if (strlen(s) >= cap)
        return qz_err_set(err, QZ_EDATA, "json.out_of_range", key, s);
    memcpy(buf, s, strlen(s) + 1);
    return 0;
}

static int get_int(const json_t *o, const char *key, int64_t *out, qz_err *err)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", key, "integer");
    *out = json_integer_value(v);
    return 0;
}

static int runs_from_json(qz_case *c, const json_t *runs, qz_err *err)
{
    size_t i;
    json_t *o;
    json_array_foreach(runs, i, o)
    {
        qz_run r = {0};
        char step[QZ_CODE_LEN];
        if (get_str(o, "step", step, sizeof step, err) ||
            get_int(o, "started_at", &r.started_at, err) || get_int(o, "due_at", &r.due_at, err) ||
            get_int(o, "done_at", &r.done_at, err) ||
            get_str(o, "action", r.action, sizeof r.action, err) ||
            get_str(o, "actor", r.actor, sizeof r.actor, err))
            return -1;
        if (!qz_workflow_step(&c->ver->workflow, step, &r.step))
            return qz_err_set(err, QZ_EDATA, "workflow.next_unknown", "runs.step", step);
        if (qz_case_push_run(c, &r))
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    return 0;
}

static int units_from_json(qz_case *c, const json_t *units, qz_err *err)
{
    size_t i;
    json_t *o;
    if (json_array_size(units) > QZ_CASE_MAX_UNITS)
        return qz_err_set(err, QZ_EDATA, "json.too_many", "units", NULL);
    json_array_foreach(units, i, o)
    {
        qz_unit_ref *u = &c->units[c->n_units++];
        if (get_str(o, "kind", u->kind, sizeof u->kind, err) ||
            get_str(o, "code", u->code, sizeof u->code, err) ||
            get_str(o, "schedule", u->schedule, sizeof u->schedule, err))
            return -1;
    }
    return 0;
}

/* Takes the member `key` (which must be of `want` type) as a new reference. */
static int take(const json_t *doc, const char *key, json_type want, json_t **slot, qz_err *err)
{
    json_t *v = json_object_get(doc, key);
    if (!v || json_typeof(v) != want)
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", key, NULL);
    json_decref(*slot);
    *slot = json_deep_copy(v);
    return *slot ? 0 : qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
}

static int fill_from_json(qz_case *c, const qz_catalog *cat, const json_t *doc, qz_err *err)
{
    char service[QZ_CODE_LEN], from[QZ_DATE_STR + 1], state[QZ_CODE_LEN], status[16];
    int64_t version = 0;
    qz_date day;
    if (get_str(doc, "service", service, sizeof service, err) ||
        get_str(doc, "standard_from", from, sizeof from, err) || qz_date_parse(from, &day, err) ||
        !(c->svc = qz_catalog_service(cat, service, err)) ||
        !(c->ver = qz_service_version_at(c->svc, day, err)))
        return -1;
    if (get_int(doc, "id", &c->id, err) || get_int(doc, "version", &version, err) ||
        get_str(doc, "number", c->number, sizeof c->number, err) ||
        get_str(doc, "channel", c->channel, sizeof c->channel, err) ||
        get_str(doc, "department", c->department, sizeof c->department, err) ||
        get_str(doc, "urgency", c->urgency, sizeof c->urgency, err) ||
        get_str(doc, "variant", c->variant, sizeof c->variant, err) ||
        get_str(doc, "lang", c->lang, sizeof c->lang, err) ||
        get_str(doc, "applicant", c->applicant, sizeof c->applicant, err) ||
        get_str(doc, "subject", c->subject, sizeof c->subject, err) ||
        get_str(doc, "representative", c->representative, sizeof c->representative, err) ||
        get_str(doc, "state", state, sizeof state, err) ||
        get_str(doc, "status", status, sizeof status, err) ||
        get_str(doc, "result", c->result, sizeof c->result, err) ||
        get_int(doc, "accepted_at", &c->accepted_at, err) ||
        get_int(doc, "due_at", &c->due_at, err) ||
        take(doc, "documents", JSON_ARRAY, &c->documents, err) ||
        take(doc, "payload", JSON_OBJECT, &c->payload, err) ||
        take(doc, "data", JSON_OBJECT, &c->data, err) ||
        units_from_json(c, json_object_get(doc, "units"), err) ||
        runs_from_json(c, json_object_get(doc, "runs"), err))
        return -1;
    c->version = (int)version;
    c->at_risk = json_is_true(json_object_get(doc, "at_risk"));
    if (!qz_workflow_step(&c->ver->workflow, state, &c->state))
        return qz_err_set(err, QZ_EDATA, "workflow.next_unknown", "state", state);
    c->status = qz_case_step(c)->status;
    if (c->n_runs == 0)
        return qz_err_set(err, QZ_EDATA, "json.empty", "runs", NULL);
    return 0;
}

qz_case *qz_case_from_json(const qz_catalog *cat, const json_t *doc, qz_err *err)
{
    qz_case *c = qz_case_new();
    if (!c) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    if (!json_is_object(doc) || fill_from_json(c, cat, doc, err)) {
        if (!json_is_object(doc))
            qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
        qz_case_free(c);
        return NULL;
    }
    return c;
}
