/* A version's workflow: shared sub-workflows expanded, steps and actions read, and
 * the whole graph checked (docs/catalog.md, WORKFLOW). */
#include "core/catalog_int.h"
#include "core/jsonv.h"

#include <stdio.h>
#include <string.h>

typedef struct expand_args {
    const char *prefix; /* the step that uses the template */
    const json_t *with; /* {"granted": …, "refused": …}: strings, or any JSON value */
    const char *unit;   /* the provider's unit kind */
} expand_args;

/* True when v is "$name" for a parameter `with` does not give (and not "$unit"): an
 * optional parameter left out, whose member is left out too. */
static bool absent_param(const json_t *v, const expand_args *a)
{
    const char *s = json_string_value(v);
    return s && s[0] == '$' && strcmp(s, "$unit") != 0 && !json_object_get(a->with, s + 1);
}

/* Replaces "$name" strings with the template's parameters (any JSON value), leaves out a
 * member whose value is a parameter not given, and prefixes a "next" beginning with "."
 * with the using step's name. */
static json_t *substitute(const json_t *v, const char *member, const expand_args *a)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (member && strcmp(member, "next") == 0 && s[0] == '.') {
            char name[256];
            snprintf(name, sizeof name, "%s%s", a->prefix, s);
            return json_string(name);
        }
        if (s[0] == '$' && strcmp(s, "$unit") == 0)
            return json_string(a->unit);
        if (s[0] == '$' && json_object_get(a->with, s + 1))
            return json_incref(json_object_get(a->with, s + 1));
        return json_incref((json_t *)v);
    }
    if (json_is_object(v)) {
        json_t *out = json_object();
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x)
        {
            if (absent_param(x, a))
                continue;
            json_t *y = substitute(x, k, a);
            if (!out || !y || json_object_set_new(out, k, y)) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    }
    if (json_is_array(v)) {
        json_t *out = json_array();
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x)
        {
            json_t *y = substitute(x, member, a);
            if (!out || !y || json_array_append_new(out, y)) {
                json_decref(out);
                return NULL;
            }
        }
        return out;
    }
    return json_incref((json_t *)v);
}

/* Adds the template's steps, renamed after `name`, to `out`. */
static int expand_one(cat_ctx *c, const char *name, const json_t *step, json_t *out, qz_err *err)
{
    const char *use;
    json_t *with;
    static const char *const fields[] = {"use", "with", NULL};
    if (qz_json_only(step, fields, err) || qz_json_str(step, "use", true, &use, err) ||
        qz_json_obj(step, "with", true, &with, err))
        return -1;
    const json_t *tpl = json_object_get(json_object_get(c->templates, use), "steps");
    if (!tpl)
        return qz_err_set(err, QZ_EDATA, "workflow.template_unknown", "use", use);
    expand_args a = {name, with, c->v->provider_unit};
    const char *suffix;
    json_t *t;
    json_object_foreach((json_t *)tpl, suffix, t)
    {
        char full[256];
        snprintf(full, sizeof full, "%s%s", name, suffix);
        json_t *copy = substitute(t, NULL, &a);
        if (!copy || json_object_set_new(out, full, copy))
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    return 0;
}

/* Returns a steps object with every "use" expanded; the catalogue keeps it. */
static json_t *expand(cat_ctx *c, const json_t *steps, qz_err *err)
{
    json_t *out = json_object();
    const char *name;
    json_t *step;
    if (!out || cat_keep(c->cat, out, err)) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    json_object_foreach((json_t *)steps, name, step)
    {
        int rc = json_object_get(step, "use") ? expand_one(c, name, step, out, err)
                                              : json_object_set(out, name, step);
        if (rc) {
            if (err->key[0] == '\0')
                qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
            qz_err_prefix_field(err, name);
            return NULL;
        }
    }
    return out;
}

static int parse_status(const char *s, qz_status *out, qz_err *err)
{
    static const char *const names[] = {"open", "ready", "done", "refused", "withdrawn"};
    for (int i = 0; i < 5; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *out = (qz_status)i;
            return 0;
        }
    return qz_err_set(err, QZ_EDATA, "workflow.status_invalid", "status", s);
}

/* A computed date: {"wd": N, "from": "acceptance", "source"}. */
static int read_computed(const json_t *o, qz_field_spec *f, qz_err *err)
{
    static const char *const fields[] = {"wd", "from", "source", NULL};
    const char *from, *source;
    long wd = 0;
    if (qz_json_only(o, fields, err) || qz_json_int(o, "wd", true, 1, 366, &wd, err) ||
        qz_json_str(o, "from", true, &from, err) || qz_json_str(o, "source", true, &source, err))
        return -1;
    if (strcmp(from, "acceptance") != 0)
        return qz_err_set(err, QZ_EDATA, "term.from_invalid", "from", from);
    f->computed_wd = (int)wd;
    return 0;
}

static int read_field(const json_t *o, qz_field_spec *f, qz_err *err)
{
    static const char *const fields[] = {"name",     "type", "required", "values",
                                         "computed", "role", NULL};
    const char *type;
    json_t *values, *computed;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_str(o, "name", true, &f->name, err) ||
        qz_json_str(o, "type", true, &type, err) ||
        qz_json_bool(o, "required", true, &f->required, err) ||
        qz_json_arr(o, "values", false, &values, err) ||
        qz_json_obj(o, "computed", false, &computed, err) ||
        qz_json_str(o, "role", false, &f->role, err))
        return -1;
    if (computed && read_computed(computed, f, err)) {
        qz_err_prefix_field(err, "computed");
        return -1;
    }
    unsigned t = 0;
    while (t <= QZ_FIELD_STAFF && strcmp(qz_field_type_name((qz_field_type)t), type) != 0)
        t++;
    if (t > QZ_FIELD_STAFF)
        return qz_err_set(err, QZ_EDATA, "workflow.field_type_invalid", "type", type);
    f->type = (qz_field_type)t;
    if ((f->type == QZ_FIELD_CHOICE) != (values != NULL))
        return qz_err_set(err, QZ_EDATA, "workflow.choice_values", "values", f->name);
    if ((f->type == QZ_FIELD_STAFF) != (f->role != NULL))
        return qz_err_set(err, QZ_EDATA, "workflow.staff_role", "role", f->name);
    /* nobody types a computed date in, so nobody can be required to */
    if (f->computed_wd && (f->type != QZ_FIELD_DATE || f->required))
        return qz_err_set(err, QZ_EDATA, "workflow.computed_field", "computed", f->name);
    f->values = values;
    return 0;
}

/* An action's notice_args: the names of case data members, at most QZ_NOTICE_MAX_ARGS. */
static int read_notice_args(const json_t *list, qz_action_spec *a, qz_err *err)
{
    size_t i;
    json_t *v;
    if (json_array_size(list) > QZ_NOTICE_MAX_ARGS)
        return qz_err_set(err, QZ_EDATA, "workflow.notice_args", "notice_args", NULL);
    json_array_foreach(list, i, v)
    {
        if (!json_is_string(v))
            return qz_err_set(err, QZ_EDATA, "workflow.notice_args", "notice_args", NULL);
        a->notice_args[i] = json_string_value(v);
    }
    a->n_notice_args = json_array_size(list);
    return 0;
}

static int read_action(cat_ctx *c, const char *code, const json_t *o, qz_action_spec *a,
                       qz_err *err)
{
    static const char *const fields[] = {
        "kind",  "next",   "name",   "role",        "unit",   "variant", "restarts_term",
        "guard", "fields", "notice", "notice_args", "source", NULL};
    static const char *const kinds[] = {"advance", "refuse", "extend", "return", "other"};
    const char *kind;
    json_t *guard, *list, *f, *args;
    size_t i;
    a->code = code;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_str(o, "kind", true, &kind, err) ||
        qz_json_str(o, "next", true, &a->next, err) || cat_text(o, "name", true, &a->name, err) ||
        qz_json_str(o, "role", false, &a->role, err) ||
        qz_json_str(o, "unit", false, &a->unit, err) ||
        qz_json_str(o, "variant", false, &a->set_variant, err) ||
        qz_json_bool(o, "restarts_term", false, &a->restarts_term, err) ||
        qz_json_obj(o, "guard", false, &guard, err) ||
        qz_json_arr(o, "fields", false, &list, err) ||
        qz_json_str(o, "notice", false, &a->notice, err) ||
        qz_json_arr(o, "notice_args", false, &args, err) ||
        qz_json_str(o, "source", true, &a->source, err) || (args && read_notice_args(args, a, err)))
        return -1;
    size_t k = 0;
    while (k < 5 && strcmp(kinds[k], kind) != 0)
        k++;
    if (k == 5)
        return qz_err_set(err, QZ_EDATA, "workflow.action_kind_invalid", "kind", kind);
    a->kind = (qz_action_kind)k;
    if (guard && cat_guard(c, guard, &a->guard, err)) {
        qz_err_prefix_field(err, "guard");
        return -1;
    }
    qz_field_spec *fs = cat_alloc(c->cat, json_array_size(list), sizeof *fs, err);
    if (!fs)
        return -1;
    json_array_foreach(list, i, f)
    {
        if (read_field(f, &fs[i], err)) {
            cat_prefix_index(err, "fields", i);
            return -1;
        }
    }
    a->fields = fs;
    a->n_fields = json_array_size(list);
    return 0;
}

static int read_checks(cat_ctx *c, const json_t *list, qz_step *s, qz_err *err)
{
    static const char *const fields[] = {"code", "name", "source", NULL};
    size_t i;
    json_t *o;
    qz_check_spec *cs = cat_alloc(c->cat, json_array_size(list), sizeof *cs, err);
    if (!cs)
        return -1;
    json_array_foreach(list, i, o)
    {
        if (!json_is_object(o) || qz_json_only(o, fields, err) ||
            qz_json_str(o, "code", true, &cs[i].code, err) ||
            cat_text(o, "name", true, &cs[i].name, err) ||
            qz_json_str(o, "source", true, &cs[i].source, err)) {
            if (!json_is_object(o))
                qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
            cat_prefix_index(err, "checks", i);
            return -1;
        }
    }
    s->checks = cs;
    s->n_checks = json_array_size(list);
    return 0;
}

static int read_deadline(const json_t *o, qz_step *s, qz_err *err)
{
    static const char *const fields[] = {"before_due", "source", NULL};
    static const char *const inner[] = {"wd", NULL};
    json_t *before;
    const char *source;
    long wd;
    if (qz_json_only(o, fields, err) || qz_json_obj(o, "before_due", true, &before, err) ||
        qz_json_str(o, "source", true, &source, err) || qz_json_only(before, inner, err) ||
        qz_json_int(before, "wd", true, 0, 1000, &wd, err))
        return -1;
    s->deadline_wd = (int)wd;
    return 0;
}

static int read_actions(cat_ctx *c, const json_t *actions, qz_step *s, qz_err *err)
{
    const char *code;
    json_t *o;
    size_t i = 0;
    qz_action_spec *as = cat_alloc(c->cat, json_object_size(actions), sizeof *as, err);
    if (!as)
        return -1;
    json_object_foreach((json_t *)actions, code, o)
    {
        if (read_action(c, code, o, &as[i++], err)) {
            qz_err_prefix_field(err, code);
            qz_err_prefix_field(err, "actions");
            return -1;
        }
    }
    s->actions = as;
    s->n_actions = i;
    return 0;
}

static int read_step(cat_ctx *c, const char *code, const json_t *o, qz_step *s, qz_err *err)
{
    static const char *const fields[] = {
        "name", "unit",     "role",   "party",  "when",   "timeout", "notice", "together",
        "term", "deadline", "status", "result", "checks", "actions", "source", NULL};
    const char *status = NULL;
    json_t *term, *deadline, *checks, *actions, *when;
    s->code = code;
    s->deadline_wd = -1;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || cat_text(o, "name", true, &s->name, err) ||
        qz_json_str(o, "unit", true, &s->unit, err) ||
        qz_json_str(o, "role", true, &s->role, err) ||
        qz_json_str(o, "party", false, &s->party, err) ||
        qz_json_obj(o, "when", false, &when, err) ||
        qz_json_str(o, "timeout", false, &s->timeout, err) ||
        qz_json_str(o, "notice", false, &s->notice, err) ||
        qz_json_bool(o, "together", false, &s->together, err) ||
        qz_json_str(o, "status", false, &status, err) ||
        (status && parse_status(status, &s->status, err)) ||
        qz_json_str(o, "result", false, &s->result, err) ||
        qz_json_obj(o, "deadline", false, &deadline, err) ||
        qz_json_arr(o, "checks", false, &checks, err) ||
        qz_json_obj(o, "actions", false, &actions, err) ||
        qz_json_str(o, "source", true, &s->source, err))
        return -1;
    if (when && cat_guard(c, when, &s->when, err)) {
        qz_err_prefix_field(err, "when");
        return -1;
    }
    term = json_object_get(o, "term");
    if (term && cat_term_rules(c, term, (qz_term_rule **)&s->terms, &s->n_terms, err)) {
        qz_err_prefix_field(err, "term");
        return -1;
    }
    if (deadline && read_deadline(deadline, s, err)) {
        qz_err_prefix_field(err, "deadline");
        return -1;
    }
    if (checks && read_checks(c, checks, s, err))
        return -1;
    return actions ? read_actions(c, actions, s, err) : 0;
}

static bool is_final(const qz_step *s)
{
    return s->status == QZ_STATUS_DONE || s->status == QZ_STATUS_REFUSED ||
           s->status == QZ_STATUS_WITHDRAWN;
}

static bool has_field(const qz_action_spec *a, const char *name, qz_field_type type)
{
    for (size_t i = 0; i < a->n_fields; i++)
        if (strcmp(a->fields[i].name, name) == 0 && a->fields[i].type == type)
            return true;
    return false;
}

static bool has_check(const qz_step *s, const char *code)
{
    for (size_t i = 0; i < s->n_checks; i++)
        if (strcmp(s->checks[i].code, code) == 0)
            return true;
    return false;
}

static bool has_action(const qz_step *s, const char *code)
{
    for (size_t i = 0; i < s->n_actions; i++)
        if (strcmp(s->actions[i].code, code) == 0)
            return true;
    return false;
}

static bool is_result(const qz_service_version *v, const char *code)
{
    for (size_t i = 0; i < v->n_results; i++)
        if (strcmp(v->results[i].code, code) == 0)
            return true;
    return false;
}

static bool is_variant(const qz_service_version *v, const char *code)
{
    for (size_t i = 0; i < v->n_variants; i++)
        if (strcmp(v->variants[i].code, code) == 0)
            return true;
    return false;
}

static int check_action(cat_ctx *c, const qz_workflow *w, const qz_step *s, qz_action_spec *a,
                        qz_err *err)
{
    if (!qz_workflow_step(w, a->next, &a->next_index))
        return qz_err_set(err, QZ_EDATA, "workflow.next_unknown", "next", a->next);
    if (a->role && !cat_listed(c->cat->roles, a->role))
        return qz_err_set(err, QZ_EDATA, "workflow.role_unknown", "role", a->role);
    if (a->unit && !cat_listed(c->cat->unit_kinds, a->unit))
        return qz_err_set(err, QZ_EDATA, "workflow.unit_unknown", "unit", a->unit);
    if (a->set_variant && !is_variant(c->v, a->set_variant))
        return qz_err_set(err, QZ_EDATA, "case.option_invalid", "variant", a->set_variant);
    if (a->kind == QZ_ACTION_REFUSE && c->v->n_grounds > 0 &&
        !has_field(a, "ground", QZ_FIELD_GROUND))
        return qz_err_set(err, QZ_EDATA, "workflow.refuse_needs_ground", "fields", a->code);
    bool outcomes = false, basis = false;
    for (size_t i = 0; i < a->n_fields; i++) {
        outcomes |= a->fields[i].type == QZ_FIELD_OUTCOME;
        basis |= a->fields[i].type == QZ_FIELD_TEXT && a->fields[i].required &&
                 strcmp(a->fields[i].name, "basis") == 0;
    }
    if (outcomes && !basis)
        return qz_err_set(err, QZ_EDATA, "workflow.outcome_needs_basis", "fields", a->code);
    for (size_t i = 0; i < a->n_fields; i++) {
        const qz_field_spec *f = &a->fields[i];
        if (f->type == QZ_FIELD_GROUND && c->v->n_grounds == 0)
            return qz_err_set(err, QZ_EDATA, "workflow.no_grounds", "fields", f->name);
        if (f->type == QZ_FIELD_OUTCOME && !has_check(s, f->name))
            return qz_err_set(err, QZ_EDATA, "workflow.outcome_not_a_check", "fields", f->name);
        if (f->role && !cat_listed(c->cat->roles, f->role))
            return qz_err_set(err, QZ_EDATA, "workflow.role_unknown", "fields", f->role);
    }
    return 0;
}

static int check_step(cat_ctx *c, const qz_workflow *w, qz_step *s, qz_err *err)
{
    if (!cat_listed(c->cat->roles, s->role))
        return qz_err_set(err, QZ_EDATA, "workflow.role_unknown", "role", s->role);
    if (!cat_listed(c->cat->unit_kinds, s->unit))
        return qz_err_set(err, QZ_EDATA, "workflow.unit_unknown", "unit", s->unit);
    if (is_final(s) != (s->n_actions == 0))
        return qz_err_set(err, QZ_EDATA,
                          is_final(s) ? "workflow.final_has_actions" : "workflow.dead_end",
                          "actions", s->code);
    if (s->result && !is_result(c->v, s->result))
        return qz_err_set(err, QZ_EDATA, "workflow.result_unknown", "result", s->result);
    if (s->party && (strcmp(s->party, "subject") != 0 || strcmp(s->role, "applicant") != 0))
        return qz_err_set(err, QZ_EDATA, "workflow.party_invalid", "party", s->party);
    if (s->timeout && !has_action(s, s->timeout))
        return qz_err_set(err, QZ_EDATA, "workflow.timeout_unknown", "timeout", s->timeout);
    if (s->timeout && s->n_terms == 0 && s->deadline_wd < 0)
        return qz_err_set(err, QZ_EDATA, "workflow.timeout_needs_term", "timeout", s->timeout);
    if (s->when && !qz_step_first_advance(s))
        return qz_err_set(err, QZ_EDATA, "workflow.when_needs_advance", "when", s->code);
    for (size_t i = 0; i < s->n_terms; i++)
        if (s->terms[i].from == QZ_FROM_STEP_NAMED &&
            !qz_workflow_step(w, s->terms[i].from_step, NULL))
            return qz_err_set(err, QZ_EDATA, "workflow.next_unknown", "term.from",
                              s->terms[i].from_step);
    for (size_t i = 0; i < s->n_actions; i++)
        if (check_action(c, w, s, (qz_action_spec *)&s->actions[i], err)) {
            qz_err_prefix_field(err, s->actions[i].code);
            qz_err_prefix_field(err, "actions");
            return -1;
        }
    return 0;
}

/* Following the first advance action from the start must reach "ready", then "done". */
static int check_walk(const qz_workflow *w, qz_err *err)
{
    size_t at = w->start, hops = 0;
    bool ready = false;
    while (hops++ <= w->n_steps) {
        const qz_step *s = &w->steps[at];
        ready = ready || s->status == QZ_STATUS_READY;
        if (s->status == QZ_STATUS_DONE && ready)
            return 0;
        const qz_action_spec *a = qz_step_first_advance(s);
        if (!a)
            return qz_err_set(err, QZ_EDATA, "workflow.walk_stops", "steps", s->code);
        at = a->next_index;
    }
    return qz_err_set(err, QZ_EDATA, "workflow.walk_loops", "steps", w->steps[at].code);
}

/* The months a step's term keeps a result (0 when its term is not in months). */
static int step_months(const qz_step *s)
{
    for (size_t i = 0; i < s->n_terms; i++)
        if (s->terms[i].term.unit == QZ_TERM_MONTHS)
            return s->terms[i].term.amount;
    return 0;
}

/* A "ready" step's term in months must be the version's storage: psc_months at the PSC
 * (where every ready step keeps the result that long) and at a provider's workstation in
 * the PSC (a ready step elsewhere whose timeout returns the result to the provider: seed
 * 002 item 20 keeps it on the PSC's premises), provider_months elsewhere. */
static int check_storage(const qz_service_version *v, const qz_step *s, qz_err *err)
{
    bool at_psc = strcmp(s->unit, "psc") == 0 || (s->timeout && strcmp(s->timeout, "return") == 0);
    int months = step_months(s);
    int want = at_psc ? v->storage_psc_months : v->storage_provider_months;
    if (s->status != QZ_STATUS_READY || (!at_psc && months == 0) || months == want)
        return 0;
    return qz_err_setf(err, QZ_EDATA, "workflow.storage_mismatch", "term", "%d != storage.%s %d",
                       months, at_psc ? "psc_months" : "provider_months", want);
}

int cat_workflow(cat_ctx *c, const json_t *o, qz_service_version *v, qz_err *err)
{
    static const char *const fields[] = {"start", "steps", NULL};
    const char *start, *code;
    json_t *steps, *s;
    size_t i = 0;
    if (qz_json_only(o, fields, err) || qz_json_str(o, "start", true, &start, err) ||
        qz_json_obj(o, "steps", true, &steps, err))
        return -1;
    json_t *expanded = expand(c, steps, err);
    if (!expanded) {
        qz_err_prefix_field(err, "steps");
        return -1;
    }
    qz_step *ss = cat_alloc(c->cat, json_object_size(expanded), sizeof *ss, err);
    if (!ss)
        return -1;
    json_object_foreach(expanded, code, s)
    {
        if (read_step(c, code, s, &ss[i++], err)) {
            qz_err_prefix_field(err, code);
            qz_err_prefix_field(err, "steps");
            return -1;
        }
    }
    qz_workflow *w = &v->workflow;
    w->steps = ss;
    w->n_steps = i;
    if (!qz_workflow_step(w, start, &w->start))
        return qz_err_set(err, QZ_EDATA, "workflow.next_unknown", "start", start);
    for (i = 0; i < w->n_steps; i++)
        if (check_step(c, w, &ss[i], err) || check_storage(v, &ss[i], err)) {
            qz_err_prefix_field(err, ss[i].code);
            qz_err_prefix_field(err, "steps");
            return -1;
        }
    return check_walk(w, err);
}
