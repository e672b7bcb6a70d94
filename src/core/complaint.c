#include "core/complaint.h"

#include "core/jsonv.h"

#include <stdio.h>
#include <string.h>

enum { MAX_WD = 365 };

/* {"wd": N, "source": "…"} at obj[key]. */
static int read_wd(const json_t *obj, const char *key, int *out, qz_err *err)
{
    static const char *const allowed[] = {"wd", "source", NULL};
    json_t *o = NULL;
    const char *source = NULL;
    long wd = 0;
    if (qz_json_obj(obj, key, true, &o, err))
        return -1;
    if (qz_json_only(o, allowed, err) || qz_json_int(o, "wd", true, 1, MAX_WD, &wd, err) ||
        qz_json_str(o, "source", true, &source, err)) {
        qz_err_prefix_field(err, key);
        return -1;
    }
    *out = (int)wd;
    return 0;
}

/* Copies name `v` (1..QZ_COMPLAINT_NAME-1 bytes) into out, or fails naming `field`. */
static int copy_name(char out[QZ_COMPLAINT_NAME], const char *v, const char *field, qz_err *err)
{
    if (!v || !*v || strlen(v) >= QZ_COMPLAINT_NAME)
        return qz_err_set(err, QZ_EDATA, "complaint.name_invalid", field, v);
    memcpy(out, v, strlen(v) + 1);
    return 0;
}

/* Reads a string member that names something into out. */
static int read_name(const json_t *obj, const char *key, bool required, char out[QZ_COMPLAINT_NAME],
                     qz_err *err)
{
    const char *v = NULL;
    if (qz_json_str(obj, key, required, &v, err))
        return -1;
    return v ? copy_name(out, v, key, err) : 0;
}

/* {"name","type":"text"|"choice","values"?,"required"} */
static int parse_field(const json_t *o, qz_complaint_field *f, qz_err *err)
{
    static const char *const allowed[] = {"name", "type", "values", "required", NULL};
    const char *type = NULL;
    json_t *values = NULL, *v;
    size_t i;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, allowed, err) || read_name(o, "name", true, f->name, err) ||
        qz_json_str(o, "type", true, &type, err) ||
        qz_json_bool(o, "required", true, &f->required, err) ||
        qz_json_arr(o, "values", false, &values, err))
        return -1;
    f->choice = strcmp(type, "choice") == 0;
    if (!f->choice && strcmp(type, "text") != 0)
        return qz_err_set(err, QZ_EDATA, "complaint.field_type", "type", type);
    if (f->choice != (values != NULL) || (values && json_array_size(values) == 0) ||
        (values && json_array_size(values) > QZ_COMPLAINT_MAX_VALUES))
        return qz_err_set(err, QZ_EDATA, "complaint.field_values", "values", f->name);
    json_array_foreach(values, i, v)
    {
        if (copy_name(f->values[i], json_string_value(v), "values", err))
            return -1;
        f->n_values++;
    }
    return 0;
}

/* {"kind","next","fields","source"} of action `name`. */
static int parse_action(const char *name, const json_t *o, qz_complaint_action *a, qz_err *err)
{
    static const char *const allowed[] = {"kind", "next", "fields", "source", NULL};
    const char *source = NULL;
    json_t *fields = NULL, *f;
    size_t i;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (copy_name(a->name, name, "actions", err) || qz_json_only(o, allowed, err) ||
        read_name(o, "kind", true, a->kind, err) || read_name(o, "next", true, a->next, err) ||
        qz_json_str(o, "source", true, &source, err) ||
        qz_json_arr(o, "fields", true, &fields, err))
        return -1;
    if (json_array_size(fields) > QZ_COMPLAINT_MAX_FIELDS)
        return qz_err_set(err, QZ_EDATA, "complaint.too_many", "fields", name);
    json_array_foreach(fields, i, f)
    {
        if (parse_field(f, &a->fields[i], err)) {
            qz_err_prefix_field(err, "fields");
            return -1;
        }
        a->n_fields++;
    }
    return 0;
}

/* {"by": "against"|"addressed_to", KEY: {"role","unit_kind"?,"source"}, …} */
static int parse_holder(const json_t *o, qz_complaint_state *s, qz_err *err)
{
    static const char *const allowed[] = {"role", "unit_kind", "source", NULL};
    const char *by = NULL, *key, *source = NULL;
    json_t *v;
    if (qz_json_str(o, "by", true, &by, err))
        return -1;
    s->by_addressee = strcmp(by, "addressed_to") == 0;
    if (!s->by_addressee && strcmp(by, "against") != 0)
        return qz_err_set(err, QZ_EDATA, "complaint.holder_by", "by", by);
    json_object_foreach((json_t *)o, key, v)
    {
        if (strcmp(key, "by") == 0)
            continue;
        if (s->n_holders == QZ_COMPLAINT_MAX_ADDRESSEES)
            return qz_err_set(err, QZ_EDATA, "complaint.too_many", key, key);
        qz_complaint_holder *h = &s->holders[s->n_holders];
        if (!json_is_object(v))
            return qz_err_set(err, QZ_EDATA, "json.wrong_type", key, "object");
        if (copy_name(h->key, key, "holder", err) || qz_json_only(v, allowed, err) ||
            read_name(v, "role", true, h->role, err) ||
            read_name(v, "unit_kind", false, h->unit_kind, err) ||
            qz_json_str(v, "source", true, &source, err)) {
            qz_err_prefix_field(err, key);
            return -1;
        }
        s->n_holders++;
    }
    return s->n_holders ? 0 : qz_err_set(err, QZ_EDATA, "json.missing", "holder", NULL);
}

/* One state: {"due"?, "holder"?, "actions"?, "source"?}; open states have all three. */
static int parse_state(const char *name, const json_t *o, qz_complaint_state *s, qz_err *err)
{
    static const char *const allowed[] = {"due", "holder", "actions", "source", NULL};
    const char *due = NULL, *aname;
    json_t *holder = NULL, *actions = NULL, *a;
    if (copy_name(s->name, name, "states", err))
        return -1;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", name, "object");
    if (qz_json_only(o, allowed, err) || qz_json_str(o, "due", false, &due, err) ||
        qz_json_obj(o, "holder", false, &holder, err) ||
        qz_json_obj(o, "actions", false, &actions, err))
        return -1;
    if (due && strcmp(due, "forward") != 0 && strcmp(due, "decide") != 0)
        return qz_err_set(err, QZ_EDATA, "complaint.due_unknown", "due", due);
    s->due = !due                          ? QZ_COMPLAINT_DUE_NONE
             : strcmp(due, "forward") == 0 ? QZ_COMPLAINT_DUE_FORWARD
                                           : QZ_COMPLAINT_DUE_DECIDE;
    if ((due != NULL) != (holder != NULL) || (holder != NULL) != (actions != NULL))
        return qz_err_set(err, QZ_EDATA, "complaint.state_incomplete", name, name);
    if (holder && parse_holder(holder, s, err)) {
        qz_err_prefix_field(err, "holder");
        return -1;
    }
    json_object_foreach(actions, aname, a)
    {
        if (s->n_actions == QZ_COMPLAINT_MAX_ACTIONS)
            return qz_err_set(err, QZ_EDATA, "complaint.too_many", "actions", aname);
        if (parse_action(aname, a, &s->actions[s->n_actions], err)) {
            qz_err_prefix_field(err, aname);
            qz_err_prefix_field(err, "actions");
            return -1;
        }
        s->n_actions++;
    }
    if (actions && s->n_actions == 0)
        return qz_err_set(err, QZ_EDATA, "json.missing", "actions", NULL);
    return 0;
}

/* Every action leads to a known state, and the start is one. */
static int check_links(const qz_complaint_terms *t, qz_err *err)
{
    if (!qz_complaint_state_find(t, t->start))
        return qz_err_set(err, QZ_EDATA, "complaint.state_unknown", "start", t->start);
    for (size_t i = 0; i < t->n_states; i++)
        for (size_t j = 0; j < t->states[i].n_actions; j++)
            if (!qz_complaint_state_find(t, t->states[i].actions[j].next))
                return qz_err_set(err, QZ_EDATA, "complaint.state_unknown", "next",
                                  t->states[i].actions[j].next);
    return 0;
}

/* {"source","start","states":{…}} */
static int parse_workflow(const json_t *doc, qz_complaint_terms *out, qz_err *err)
{
    static const char *const allowed[] = {"source", "start", "states", NULL};
    json_t *w = NULL, *states = NULL, *v;
    const char *source = NULL, *name;
    if (qz_json_obj(doc, "workflow", true, &w, err) || qz_json_only(w, allowed, err) ||
        qz_json_str(w, "source", true, &source, err) ||
        read_name(w, "start", true, out->start, err) ||
        qz_json_obj(w, "states", true, &states, err))
        goto fail;
    json_object_foreach(states, name, v)
    {
        if (out->n_states == QZ_COMPLAINT_MAX_STATES) {
            qz_err_set(err, QZ_EDATA, "complaint.too_many", "states", name);
            goto fail;
        }
        if (parse_state(name, v, &out->states[out->n_states], err)) {
            qz_err_prefix_field(err, name);
            qz_err_prefix_field(err, "states");
            goto fail;
        }
        out->n_states++;
    }
    if (check_links(out, err) == 0)
        return 0;
fail:
    qz_err_prefix_field(err, "workflow");
    return -1;
}

/* "readers": {"source", "scopes": {ROLE: "unit"|"region"|"country"}}. */
static int parse_readers(const json_t *doc, qz_complaint_terms *out, qz_err *err)
{
    static const char *const allowed[] = {"source", "scopes", NULL};
    static const char *const scopes[] = {"unit", "region", "country"};
    json_t *readers, *list, *v;
    const char *source, *role;
    if (qz_json_obj(doc, "readers", true, &readers, err) || qz_json_only(readers, allowed, err) ||
        qz_json_str(readers, "source", true, &source, err) ||
        qz_json_obj(readers, "scopes", true, &list, err)) {
        qz_err_prefix_field(err, "readers");
        return -1;
    }
    json_object_foreach(list, role, v)
    {
        size_t k = 0;
        while (k < 3 && !(json_is_string(v) && strcmp(json_string_value(v), scopes[k]) == 0))
            k++;
        if (k == 3 || out->n_readers == QZ_COMPLAINT_MAX_READERS)
            return qz_err_set(err, QZ_EDATA, "complaint.scope_invalid", "readers.scopes", role);
        if (copy_name(out->readers[out->n_readers].role, role, "readers.scopes", err))
            return -1;
        out->readers[out->n_readers++].scope = (qz_complaint_scope)(k + 1);
    }
    return 0;
}

/* "addressees": {"source", "by_against": {AGAINST: [TO, …]}}, each TO one of "decide". */
static int parse_addressees(const json_t *doc, qz_complaint_terms *out, qz_err *err)
{
    static const char *const allowed[] = {"source", "by_against", NULL};
    json_t *a, *by, *list, *v;
    const char *source, *against;
    size_t i;
    if (qz_json_obj(doc, "addressees", true, &a, err) || qz_json_only(a, allowed, err) ||
        qz_json_str(a, "source", true, &source, err) ||
        qz_json_obj(a, "by_against", true, &by, err)) {
        qz_err_prefix_field(err, "addressees");
        return -1;
    }
    json_object_foreach(by, against, list)
    {
        if (out->n_against == QZ_COMPLAINT_MAX_ADDRESSEES || !json_is_array(list) ||
            json_array_size(list) > QZ_COMPLAINT_MAX_ADDRESSEES)
            return qz_err_set(err, QZ_EDATA, "complaint.addressee_invalid", "addressees.by_against",
                              against);
        if (copy_name(out->addressees[out->n_against].against, against, "addressees.by_against",
                      err))
            return -1;
        json_array_foreach(list, i, v)
        {
            const char *to = json_string_value(v);
            if (!to || !qz_complaint_addressee_known(out, to))
                return qz_err_set(err, QZ_EDATA, "complaint.addressee_invalid",
                                  "addressees.by_against", to ? to : against);
            snprintf(out->addressees[out->n_against].to[i], sizeof out->addressees[0].to[0], "%s",
                     to);
        }
        out->addressees[out->n_against++].n = json_array_size(list);
    }
    return 0;
}

bool qz_complaint_addressee_fits(const qz_complaint_terms *t, const char *against, const char *to)
{
    for (size_t i = 0; against && to && i < t->n_against; i++)
        if (strcmp(t->addressees[i].against, against) == 0) {
            for (size_t j = 0; j < t->addressees[i].n; j++)
                if (strcmp(t->addressees[i].to[j], to) == 0)
                    return true;
            return false;
        }
    return false;
}

qz_complaint_scope qz_complaint_reader_scope(const qz_complaint_terms *t, const char *role)
{
    for (size_t i = 0; role && i < t->n_readers; i++)
        if (strcmp(t->readers[i].role, role) == 0)
            return t->readers[i].scope;
    return QZ_SCOPE_NONE;
}

static int parse(const json_t *doc, qz_complaint_terms *out, qz_err *err)
{
    static const char *const allowed[] = {"source",  "forward",    "decide", "workflow",
                                          "readers", "addressees", NULL};
    json_t *decide = NULL, *v;
    const char *source = NULL, *to;
    if (!json_is_object(doc))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(doc, allowed, err) || qz_json_str(doc, "source", true, &source, err) ||
        read_wd(doc, "forward", &out->forward_wd, err) ||
        qz_json_obj(doc, "decide", true, &decide, err))
        return -1;
    json_object_foreach(decide, to, v)
    {
        (void)v;
        if (out->n_decide == QZ_COMPLAINT_MAX_ADDRESSEES || strlen(to) >= sizeof out->decide[0].to)
            return qz_err_set(err, QZ_EDATA, "complaint.addressee_invalid", "decide", to);
        snprintf(out->decide[out->n_decide].to, sizeof out->decide[0].to, "%s", to);
        if (read_wd(decide, to, &out->decide[out->n_decide].wd, err)) {
            qz_err_prefix_field(err, "decide");
            return -1;
        }
        out->n_decide++;
    }
    if (out->n_decide == 0)
        return qz_err_set(err, QZ_EDATA, "json.missing", "decide", NULL);
    return parse_workflow(doc, out, err) || parse_readers(doc, out, err) ||
                   parse_addressees(doc, out, err)
               ? -1
               : 0;
}

int qz_complaint_terms_load(const char *path, qz_complaint_terms *out, qz_err *err)
{
    json_t *doc = qz_json_load_file(path, err);
    memset(out, 0, sizeof *out);
    if (!doc)
        return -1;
    int r = parse(doc, out, err);
    json_decref(doc);
    if (r) {
        qz_err_set_file(err, path);
        memset(out, 0, sizeof *out);
    }
    return r;
}

static const int *decide_wd(const qz_complaint_terms *t, const char *to)
{
    for (size_t i = 0; to && i < t->n_decide; i++)
        if (strcmp(t->decide[i].to, to) == 0)
            return &t->decide[i].wd;
    return NULL;
}

bool qz_complaint_addressee_known(const qz_complaint_terms *t, const char *to)
{
    return decide_wd(t, to) != NULL;
}

int qz_complaint_due(const qz_unit_time *u, const qz_complaint_terms *t, const char *to,
                     qz_instant registered, qz_instant *forward_by, qz_instant *decide_by,
                     qz_err *err)
{
    const int *wd = decide_wd(t, to);
    qz_due f, d;
    if (!wd || t->forward_wd <= 0)
        return qz_err_set(err, QZ_EINPUT, "complaint.addressee_unknown", "addressed_to", to);
    qz_term forward = {.unit = QZ_TERM_WD, .amount = t->forward_wd};
    qz_term decide = {.unit = QZ_TERM_WD, .amount = *wd};
    if (qz_term_due(u, &forward, registered, &f, err) ||
        qz_term_due(u, &decide, registered, &d, err))
        return -1;
    *forward_by = f.due;
    *decide_by = d.due;
    return 0;
}

const qz_complaint_state *qz_complaint_state_find(const qz_complaint_terms *t, const char *name)
{
    for (size_t i = 0; name && i < t->n_states; i++)
        if (strcmp(t->states[i].name, name) == 0)
            return &t->states[i];
    return NULL;
}

const qz_complaint_holder *qz_complaint_holder_of(const qz_complaint_state *s, const char *against,
                                                  const char *addressed_to)
{
    const char *key = s && s->by_addressee ? addressed_to : against;
    for (size_t i = 0; s && key && i < s->n_holders; i++)
        if (strcmp(s->holders[i].key, key) == 0)
            return &s->holders[i];
    return NULL;
}

qz_instant qz_complaint_due_in(const qz_complaint_state *s, qz_instant forward_by,
                               qz_instant decide_by, qz_instant none)
{
    if (!s || s->due == QZ_COMPLAINT_DUE_NONE)
        return none;
    return s->due == QZ_COMPLAINT_DUE_FORWARD ? forward_by : decide_by;
}

bool qz_complaint_role_holds(const qz_complaint_state *s, const char *role, const char *against,
                             const char *addressed_to)
{
    const qz_complaint_holder *h = qz_complaint_holder_of(s, against, addressed_to);
    return h && role && strcmp(h->role, role) == 0;
}

static const qz_complaint_field *field_find(const qz_complaint_action *a, const char *name)
{
    for (size_t i = 0; i < a->n_fields; i++)
        if (strcmp(a->fields[i].name, name) == 0)
            return &a->fields[i];
    return NULL;
}

/* One field's value v (NULL when absent). */
static int check_value(const qz_complaint_field *f, const json_t *v, qz_err *err)
{
    if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
        return f->required ? qz_err_set(err, QZ_EINPUT, "request.field_missing", f->name, f->name)
                           : 0;
    if (!json_is_string(v))
        return qz_err_set(err, QZ_EINPUT, "request.field_invalid", f->name, f->name);
    for (size_t i = 0; f->choice && i < f->n_values; i++)
        if (strcmp(f->values[i], json_string_value(v)) == 0)
            return 0;
    return f->choice ? qz_err_set(err, QZ_EINPUT, "complaint.value_unknown", f->name,
                                  json_string_value(v))
                     : 0;
}

int qz_complaint_check_action(const qz_complaint_state *s, const char *name, const json_t *data,
                              const qz_complaint_action **out, qz_err *err)
{
    const qz_complaint_action *a = NULL;
    const char *key;
    const json_t *v;
    for (size_t i = 0; s && name && i < s->n_actions && !a; i++)
        if (strcmp(s->actions[i].name, name) == 0)
            a = &s->actions[i];
    if (!a)
        return qz_err_set(err, QZ_EINPUT, "complaint.action_unknown", "action", name);
    json_object_foreach((json_t *)data, key, v)
    {
        if (!field_find(a, key))
            return qz_err_set(err, QZ_EINPUT, "json.unknown_field", key, key);
    }
    for (size_t i = 0; i < a->n_fields; i++)
        if (check_value(&a->fields[i], json_object_get(data, a->fields[i].name), err))
            return -1;
    *out = a;
    return 0;
}
