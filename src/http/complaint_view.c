#include "http/complaint_view.h"

#include "http/case_view.h"

#include <stdlib.h>
#include <string.h>

static json_t *opt_str(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

const char *qz_complaint_holder_unit(const qz_complaint_terms *t, const qz_complaint_row *k)
{
    const qz_complaint_state *s = qz_complaint_state_find(t, k->state);
    if (!s || s->n_actions == 0)
        return NULL;
    return k->holder_unit && *k->holder_unit ? k->holder_unit : k->unit;
}

static json_t *holder_json(const qz_complaint_terms *t, const qz_complaint_row *k)
{
    const qz_complaint_state *s = qz_complaint_state_find(t, k->state);
    const qz_complaint_holder *h = qz_complaint_holder_of(s, k->against, k->addressed_to);
    const char *unit = qz_complaint_holder_unit(t, k);
    if (!h || !unit)
        return json_null();
    return json_pack("{s:s,s:s}", "role", h->role, "unit", unit);
}

json_t *qz_view_complaint_line(const qz_complaint_terms *t, const qz_complaint_row *k,
                               const qz_zone *z, qz_instant now)
{
    bool open = k->due_at != QZ_NO_TIME;
    return json_pack(
        "{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:b,"
        "s:o,s:o,s:o}",
        "id", (json_int_t)k->id, "application", (json_int_t)k->case_id, "number", k->case_number,
        "service", k->service, "complainant", k->complainant, "against", k->against, "addressed_to",
        k->addressed_to, "unit", k->unit, "text", k->text, "state", k->state, "version",
        (json_int_t)k->version, "holder", holder_json(t, k), "registered_at",
        qz_view_instant(z, k->registered_at), "forward_by", qz_view_instant(z, k->forward_by),
        "decide_by", qz_view_instant(z, k->decide_by), "due", qz_view_instant(z, k->due_at),
        "overdue", open && now > k->due_at, "outcome", opt_str(k->outcome), "resolution",
        opt_str(k->resolution), "closed_at", qz_view_instant(z, k->closed_at));
}

json_t *qz_view_complaint_inbox_row(const qz_complaint_terms *t, const qz_complaint_row *k,
                                    const char *caller_role, const qz_zone *z, qz_instant now)
{
    const qz_complaint_state *s = qz_complaint_state_find(t, k->state);
    const qz_complaint_holder *h = qz_complaint_holder_of(s, k->against, k->addressed_to);
    const char *unit = qz_complaint_holder_unit(t, k);
    bool overdue = now > k->due_at;
    qz_instant term = k->due_at - k->registered_at, left = k->due_at - now;
    return json_pack("{s:s,s:I,s:I,s:s,s:s,s:s,s:I,s:s,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:n,s:b}",
                     "kind", "complaint", "id", (json_int_t)k->id, "case", (json_int_t)k->case_id,
                     "number", k->case_number, "service", k->service, "state", k->state, "version",
                     (json_int_t)k->version, "step", k->state, "role", opt_str(h ? h->role : NULL),
                     "unit", opt_str(unit), "started_at", qz_view_instant(z, k->registered_at),
                     "due_at", qz_view_instant(z, k->due_at), "case_due_at",
                     qz_view_instant(z, k->decide_by), "overdue", overdue, "at_risk",
                     !overdue && term > 0 && left * 4 < term, "assignee", "mine",
                     h && caller_role && strcmp(h->role, caller_role) == 0);
}

/* True when event e is a move of complaint `id` (not a staff member's reading of it). */
static bool is_move_of(const qz_event_row *e, int64_t id)
{
    if (strncmp(e->action, "complaint.", 10) != 0 || strcmp(e->action, "complaint.read") == 0 ||
        !e->data)
        return false;
    json_t *d = json_loads(e->data, 0, NULL);
    bool mine = d && json_integer_value(json_object_get(d, "complaint")) == id;
    json_decref(d);
    return mine;
}

static json_t *history_json(const qz_event_row *events, size_t n, int64_t id, const qz_zone *z)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        const qz_event_row *e = &events[i];
        if (!is_move_of(e, id))
            continue;
        json_t *data = json_loads(e->data, 0, NULL);
        json_array_append_new(
            list, json_pack("{s:o,s:s,s:s,s:o,s:s,s:o,s:o,s:o}", "at", qz_view_instant(z, e->at),
                            "actor", e->actor, "role", e->role, "unit", opt_str(e->unit), "action",
                            e->action + 10, "from", opt_str(e->from_state), "to",
                            opt_str(e->to_state), "data", data ? data : json_null()));
    }
    return list;
}

static json_t *field_json(const qz_complaint_field *f)
{
    json_t *o = json_pack("{s:s,s:s,s:b}", "name", f->name, "type", f->choice ? "choice" : "text",
                          "required", f->required);
    json_t *values = f->choice ? json_array() : NULL;
    for (size_t i = 0; values && i < f->n_values; i++)
        json_array_append_new(values, json_string(f->values[i]));
    if (o && values)
        json_object_set_new(o, "values", values);
    return o;
}

static json_t *actions_json(const qz_complaint_state *s)
{
    json_t *list = json_array();
    for (size_t i = 0; list && s && i < s->n_actions; i++) {
        const qz_complaint_action *a = &s->actions[i];
        json_t *fields = json_array();
        for (size_t j = 0; fields && j < a->n_fields; j++)
            json_array_append_new(fields, field_json(&a->fields[j]));
        json_array_append_new(list, json_pack("{s:s,s:s,s:o}", "name", a->name, "kind", a->kind,
                                              "fields", fields ? fields : json_null()));
    }
    return list;
}

json_t *qz_view_complaint(const qz_complaint_terms *t, const qz_complaint_row *k, const qz_zone *z,
                          qz_instant now, const qz_event_row *events, size_t n_events, bool may_act)
{
    json_t *o = qz_view_complaint_line(t, k, z, now);
    const qz_complaint_state *s = may_act ? qz_complaint_state_find(t, k->state) : NULL;
    if (!o || json_object_set_new(o, "history", history_json(events, n_events, k->id, z)) ||
        json_object_set_new(o, "actions", actions_json(s))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int qz_view_complaint_court(json_t *o, const qz_strings *strings)
{
    char kk[512], ru[512], en[512];
    const char *key = "complaint.court_rule";
    json_t *court =
        json_pack("{s:s,s:s,s:s}", "kk",
                  qz_strings_format(strings, QZ_LANG_KK, key, NULL, NULL, 0, kk, sizeof kk), "ru",
                  qz_strings_format(strings, QZ_LANG_RU, key, NULL, NULL, 0, ru, sizeof ru), "en",
                  qz_strings_format(strings, QZ_LANG_EN, key, NULL, NULL, 0, en, sizeof en));
    return court ? json_object_set_new(o, "court", court) : -1;
}
