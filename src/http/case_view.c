#include "http/case_view.h"

#include <stdio.h>
#include <string.h>

enum { MAX_ACTIONS = 32 };

json_t *qz_view_instant(const qz_zone *z, qz_instant t)
{
    char buf[QZ_INSTANT_STR];
    if (t == 0 || t == QZ_NO_TIME)
        return json_null();
    return json_string(qz_instant_format(t, qz_zone_offset(z, t), buf));
}

json_t *qz_view_text(const qz_text *t)
{
    return json_pack("{s:s?,s:s?}", "kk", t->t[0], "ru", t->t[1]);
}

/* A string, or null when s is NULL or empty. */
static json_t *opt_str(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* Parses stored JSON text; null when there is none or it does not parse. */
static json_t *parsed(const char *text)
{
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    return v ? v : json_null();
}

/* ---- the case ----------------------------------------------------------------------- */

static json_t *steps_json(const qz_case *c, const qz_zone *z)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < c->n_runs; i++) {
        const qz_run *run = &c->runs[i];
        const qz_step *s = &c->ver->workflow.steps[run->step];
        const qz_unit_ref *u = qz_case_unit(c, s->unit);
        json_array_append_new(list,
                              json_pack("{s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "step", s->code,
                                        "name", qz_view_text(&s->name), "role", s->role, "unit",
                                        opt_str(u ? u->code : NULL), "started_at",
                                        qz_view_instant(z, run->started_at), "due_at",
                                        qz_view_instant(z, run->due_at ? run->due_at : c->due_at),
                                        "done_at", qz_view_instant(z, run->done_at), "action",
                                        opt_str(run->action), "actor", opt_str(run->actor)));
    }
    return list;
}

static json_t *history_json(const qz_event_row *events, size_t n, const qz_zone *z)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        const qz_event_row *e = &events[i];
        json_array_append_new(list, json_pack("{s:I,s:o,s:s,s:s,s:o,s:s,s:o,s:o,s:o}", "seq",
                                              (json_int_t)e->seq, "at", qz_view_instant(z, e->at),
                                              "actor", e->actor, "role", e->role, "unit",
                                              opt_str(e->unit), "action", e->action, "from",
                                              opt_str(e->from_state), "to", opt_str(e->to_state),
                                              "data", parsed(e->data)));
    }
    return list;
}

/* The values a field allows: a ground's codes (with their names), an outcome's, a
 * choice's; for a staff field, the role the person named must have. */
static int field_values(const qz_case *c, const qz_field_spec *f, json_t *o)
{
    if (f->type == QZ_FIELD_GROUND) {
        json_t *codes = json_array(), *named = json_array();
        for (size_t i = 0; codes && named && i < c->ver->n_grounds; i++) {
            const qz_coded *g = &c->ver->grounds[i];
            json_array_append_new(codes, json_string(g->code));
            json_array_append_new(
                named, json_pack("{s:s,s:o}", "code", g->code, "name", qz_view_text(&g->name)));
        }
        return json_object_set_new(o, "values", codes) || json_object_set_new(o, "grounds", named);
    }
    if (f->type == QZ_FIELD_OUTCOME)
        return json_object_set_new(o, "values", json_pack("[s,s]", "clear", "hit"));
    if (f->type == QZ_FIELD_CHOICE && f->values)
        return json_object_set(o, "values", (json_t *)f->values);
    if (f->type == QZ_FIELD_STAFF)
        return json_object_set_new(o, "role", json_string(f->role));
    return 0;
}

static json_t *action_json(const qz_case *c, const qz_action_spec *a)
{
    json_t *fields = json_array();
    for (size_t i = 0; fields && i < a->n_fields; i++) {
        const qz_field_spec *f = &a->fields[i];
        if (f->computed_wd) /* the engine fills it: nothing for the actor to give */
            continue;
        json_t *o = json_pack("{s:s,s:s,s:b}", "name", f->name, "type", qz_field_type_name(f->type),
                              "required", f->required);
        if (!o || field_values(c, f, o) || json_array_append_new(fields, o)) {
            json_decref(fields);
            return NULL;
        }
    }
    return json_pack("{s:s,s:s,s:o,s:o}", "name", a->code, "kind", qz_action_kind_name(a->kind),
                     "label", qz_view_text(&a->name), "fields", fields);
}

static json_t *actions_json(const qz_rules *r, const qz_case *c, const qz_actor *actor)
{
    qz_action_view views[MAX_ACTIONS];
    json_t *list = json_array();
    size_t n = actor ? qz_engine_actions(r, c, actor, views, MAX_ACTIONS) : 0;
    for (size_t i = 0; list && i < n && i < MAX_ACTIONS; i++)
        json_array_append_new(list, action_json(c, views[i].spec));
    return list;
}

static json_t *units_json(const qz_case *c)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < c->n_units; i++)
        json_array_append_new(
            list, json_pack("{s:s,s:s}", "kind", c->units[i].kind, "code", c->units[i].code));
    return list;
}

json_t *qz_view_case(const qz_rules *r, const qz_case *c, const qz_event_row *events,
                     size_t n_events, const qz_actor *actor)
{
    const qz_zone *z = qz_engine_zone(r, c);
    const qz_step *s = qz_case_step(c);
    const qz_unit_ref *branch = qz_case_unit(c, "psc");
    json_t *o = json_pack(
        "{s:I,s:s,s:i,s:s,s:o,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:s,s:o}", "id",
        (json_int_t)c->id, "number", c->number, "version", c->version, "service", c->svc->code,
        "service_name", qz_view_text(&c->ver->name), "channel", c->channel, "branch",
        opt_str(branch ? branch->code : NULL), "applicant", c->applicant, "subject",
        opt_str(c->subject), "representative", opt_str(c->representative), "variant",
        opt_str(c->variant), "department", opt_str(c->department), "urgency", opt_str(c->urgency),
        "accepted_at", qz_view_instant(z, c->accepted_at), "due_at", qz_view_instant(z, c->due_at),
        "at_risk", json_boolean(c->at_risk), "state", s->code, "state_name", qz_view_text(&s->name),
        "status", qz_status_name(c->status), "result", opt_str(c->result));
    if (!o)
        return NULL;
    if (json_object_set(o, "documents", c->documents) ||
        json_object_set(o, "payload", c->payload) || json_object_set(o, "data", c->data) ||
        json_object_set_new(o, "units", units_json(c)) ||
        (json_is_array(json_object_get(c->data, "bundle")) && /* "one application" links */
         json_object_set(o, "bundle", json_object_get(c->data, "bundle"))) ||
        json_object_set_new(o, "steps", steps_json(c, z)) ||
        json_object_set_new(o, "history", history_json(events, n_events, z)) ||
        json_object_set_new(o, "actions", actions_json(r, c, actor))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int qz_view_due_notice(json_t *o, const qz_rules *r, const qz_strings *s, const qz_case *c)
{
    const qz_zone *z = qz_engine_zone(r, c);
    qz_date day = qz_instant_date(c->due_at, qz_zone_offset(z, c->due_at));
    bool provisional = c->due_at > 0 && qz_calendar_provisional(r->cal, day);
    json_t *notice = json_null();
    if (provisional) {
        char year[16], text[3][512];
        snprintf(year, sizeof year, "%d", qz_date_to_ymd(day).year);
        const char *args[] = {year};
        for (int l = 0; l < 3; l++)
            qz_strings_format(s, (qz_lang)l, "case.due_provisional", NULL, args, 1, text[l],
                              sizeof text[l]);
        notice = json_pack("{s:s,s:s,s:s}", "kk", text[QZ_LANG_KK], "ru", text[QZ_LANG_RU], "en",
                           text[QZ_LANG_EN]);
    }
    if (!notice || json_object_set_new(o, "due_provisional", json_boolean(provisional)) ||
        json_object_set_new(o, "due_notice", notice))
        return -1;
    return 0;
}

/* ---- receipts ----------------------------------------------------------------------- */

static const qz_document_spec *document_spec(const qz_service_version *v, const char *channel,
                                             const char *kind)
{
    qz_doc_list l = qz_service_documents(v, channel);
    const qz_document_spec *docs = l.docs; /* the catalogue's, not l's */
    for (size_t i = 0; i < l.n; i++)
        if (strcmp(docs[i].kind, kind) == 0)
            return docs + i;
    return NULL;
}

static json_t *document_json(const qz_service_version *v, const char *channel, const char *kind)
{
    const qz_document_spec *d = document_spec(v, channel, kind);
    return json_pack("{s:s,s:o}", "kind", kind, "name", d ? qz_view_text(&d->name) : json_null());
}

/* The receipt's common part: the service, the branch, who acted and when. */
static json_t *receipt_head(const char *kind, const char *service, const qz_service_version *v,
                            const qz_desk *d, const qz_zone *z)
{
    const qz_unit_row *b = d->branch;
    json_t *branch = b ? json_pack("{s:s,s:{s:s,s:s}}", "code", b->code, "name", "kk", b->name_kk,
                                   "ru", b->name_ru)
                       : json_null();
    return json_pack("{s:s,s:{s:s,s:o},s:o,s:{s:s,s:s,s:o},s:o}", "kind", kind, "service", "code",
                     service, "name", qz_view_text(&v->name), "branch", branch, "operator", "login",
                     d->actor->login, "role", d->actor->role, "unit", opt_str(d->actor->unit), "at",
                     qz_view_instant(z, d->at));
}

/* The state duty of case c as its receipt shows it (fee.h): on the day of acceptance, for
 * the documents counted, with the payment the desk checked; JSON null when it cannot be
 * computed (the case was accepted, so it could). */
static json_t *fee_of_case(const qz_rules *r, const qz_case *c, const qz_zone *z)
{
    qz_fee fee;
    const char *paid;
    qz_err err;
    qz_date day = qz_instant_date(c->accepted_at, qz_zone_offset(z, c->accepted_at));
    if (qz_fee_of(&r->mci, c->ver, day, c->payload, &fee, &err) ||
        qz_fee_payment(c->payload, &paid, &err))
        return json_null();
    json_t *j = qz_fee_json(&fee, paid);
    return j ? j : json_null();
}

json_t *qz_view_accepted(const qz_rules *r, const qz_case *c, const qz_desk *desk)
{
    const qz_zone *z = qz_engine_zone(r, c);
    char day[QZ_DATE_STR];
    json_t *receipt = receipt_head("acceptance", c->svc->code, c->ver, desk, z);
    json_t *docs = json_array();
    size_t i;
    json_t *kind;
    json_array_foreach(c->documents, i, kind)
    {
        json_array_append_new(docs, document_json(c->ver, c->channel, json_string_value(kind)));
    }
    if (!receipt || !docs || json_object_set_new(receipt, "number", json_string(c->number)) ||
        json_object_set_new(receipt, "documents", docs) ||
        json_object_set_new(receipt, "accepted_at", qz_view_instant(z, c->accepted_at)) ||
        json_object_set_new(receipt, "due_at", qz_view_instant(z, c->due_at)) ||
        json_object_set_new(receipt, "hand_out_on",
                            json_string(qz_date_format(
                                qz_instant_date(c->due_at, qz_zone_offset(z, c->due_at)), day))) ||
        json_object_set_new(receipt, "fee_mci", json_real(c->ver->fee_mci)) ||
        json_object_set_new(receipt, "fee", fee_of_case(r, c, z))) {
        json_decref(receipt);
        return NULL;
    }
    return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)c->id, "number", c->number,
                     "state", qz_case_step(c)->code, "status", qz_status_name(c->status), "due_at",
                     qz_view_instant(z, c->due_at), "receipt", receipt);
}

json_t *qz_view_refusal(const qz_service_version *v, const qz_application *app, const qz_desk *desk,
                        const qz_zone *z)
{
    const char *missing[32];
    size_t n = qz_engine_missing(v, app, missing, 32);
    json_t *receipt = receipt_head("refusal", app->service, v, desk, z);
    json_t *given = json_array(), *lacking = json_array();
    for (size_t i = 0; given && i < app->n_documents; i++)
        json_array_append_new(given, document_json(v, app->channel, app->documents[i]));
    for (size_t i = 0; lacking && i < n && i < 32; i++)
        json_array_append_new(lacking, document_json(v, app->channel, missing[i]));
    if (!receipt || json_object_set_new(receipt, "documents", given) ||
        json_object_set_new(receipt, "missing", lacking)) {
        json_decref(receipt);
        return NULL;
    }
    return receipt;
}

/* ---- inbox -------------------------------------------------------------------------- */

json_t *qz_view_inbox_row(const qz_inbox_row *row, const qz_actor *caller, const qz_zone *z,
                          qz_instant now)
{
    const qz_step_row *s = &row->step;
    bool overdue = now > s->due_at;
    qz_instant term = s->due_at - s->started_at, left = s->due_at - now;
    bool at_risk = !overdue && (row->at_risk || (term > 0 && left * 4 < term));
    bool mine = caller->role && strcmp(caller->role, s->role) == 0 &&
                (!row->assignee || (caller->login && strcmp(caller->login, row->assignee) == 0));
    return json_pack(
        "{s:s,s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:b,s:b,s:o,s:b}", "kind", "step", "case",
        (json_int_t)s->case_id, "number", row->number, "service", row->service, "state", row->state,
        "version", (json_int_t)row->version, "step", s->step, "role", s->role, "unit", s->unit,
        "started_at", qz_view_instant(z, s->started_at), "due_at", qz_view_instant(z, s->due_at),
        "case_due_at", qz_view_instant(z, row->case_due_at), "overdue", overdue, "at_risk", at_risk,
        "assignee", row->assignee ? json_string(row->assignee) : json_null(), "mine", mine);
}
