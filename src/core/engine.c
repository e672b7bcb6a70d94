#include "core/engine.h"

#include <stdio.h>
#include <string.h>

/* ---- where a step's time runs ------------------------------------------------------- */

const qz_zone *qz_engine_zone(const qz_rules *r, const qz_case *c)
{
    (void)c; /* every unit keeps the country's clock; a per-unit zone is data to add */
    return qz_timetable_default_zone(r->tt);
}

/* The hours of the unit of `kind`: its own schedule, the channel's for the PSC, or the
 * default provider's. */
static int unit_time(const qz_rules *r, const qz_case *c, const char *kind, qz_unit_time *u,
                     qz_err *err)
{
    const qz_unit_ref *ref = qz_case_unit(c, kind);
    const char *code = ref && ref->schedule[0] ? ref->schedule : NULL;
    if (!code && strcmp(kind, "psc") == 0) {
        const qz_channel *ch = qz_service_channel(c->ver, c->channel, err);
        if (!ch)
            return -1;
        code = ch->schedule;
    }
    u->cal = r->cal;
    u->zone = qz_engine_zone(r, c);
    u->sched = qz_timetable_schedule(r->tt, code ? code : "provider-default", err);
    return u->sched ? 0 : -1;
}

static qz_term_query query_of(const qz_case *c)
{
    return (qz_term_query){
        .channel = c->channel,
        .variant = c->variant[0] ? c->variant : NULL,
        .department = c->department[0] ? c->department : NULL,
        .urgency = c->urgency[0] ? c->urgency : NULL,
    };
}

/* ---- guards --------------------------------------------------------------------------- */

static bool guard_holds(const qz_guard *g, const qz_case *c)
{
    if (!g)
        return true;
    switch (g->kind) {
    case QZ_GUARD_PAYLOAD_IN: {
        const json_t *v = json_object_get(c->payload, g->key);
        size_t i;
        json_t *x;
        json_array_foreach(g->values, i, x) if (v && json_equal(v, x)) return true;
        return false;
    }
    case QZ_GUARD_PAYLOAD_EQUALS:
        return json_equal(json_object_get(c->payload, g->key), g->values);
    case QZ_GUARD_CHANNEL:
        return strcmp(c->channel, g->key) == 0;
    case QZ_GUARD_VARIANT:
        return strcmp(c->variant, g->key) == 0;
    case QZ_GUARD_THIRD_PARTY:
        return (c->subject[0] && strcmp(c->subject, c->applicant) != 0) == g->yes;
    case QZ_GUARD_CONSENT:
        return c->ver->third_party_consent && strcmp(c->ver->third_party_consent, g->key) == 0;
    case QZ_GUARD_CHECK: {
        const char *outcome = qz_case_check(c, g->key);
        return outcome && strcmp(outcome, json_string_value(g->values)) == 0;
    }
    case QZ_GUARD_ALL:
        for (size_t i = 0; i < g->n_subs; i++)
            if (!guard_holds(&g->subs[i], c))
                return false;
        return true;
    case QZ_GUARD_ANY:
        for (size_t i = 0; i < g->n_subs; i++)
            if (guard_holds(&g->subs[i], c))
                return true;
        return false;
    case QZ_GUARD_NOT:
        return !guard_holds(g->subs, c);
    }
    return false;
}

/* ---- terms of steps --------------------------------------------------------------------- */

/* When the last run of step `index` started (0 if never). */
static qz_instant last_start(const qz_case *c, size_t index)
{
    for (size_t i = c->n_runs; i-- > 0;)
        if (c->runs[i].step == index)
            return c->runs[i].started_at;
    return 0;
}

/* The close of the working day `n` working days before the day of the case's due. */
static int before_due(const qz_rules *r, const qz_case *c, const qz_step *s, int n, qz_instant *out,
                      qz_err *err)
{
    qz_unit_time u;
    qz_date d;
    if (n == 0) {
        *out = c->due_at;
        return 0;
    }
    if (unit_time(r, c, s->unit, &u, err) ||
        qz_calendar_add(r->cal, qz_instant_date(c->due_at, qz_zone_offset(u.zone, c->due_at)), -n,
                        &d, err))
        return -1;
    return qz_schedule_close(&u, d, out, err);
}

/* The target instant of step `index` entered at `start` (0 when it has no term): its
 * term from `start`, its deadline before the case's due, or the earlier of the two when it
 * has both (S10's hearing notice: within 2 WD and at least 3 WD before the end). */
static int step_due(const qz_rules *r, const qz_case *c, size_t index, qz_instant start,
                    qz_instant *out, qz_err *err)
{
    const qz_step *s = &c->ver->workflow.steps[index];
    qz_term_query q = query_of(c);
    qz_unit_time u;
    qz_due d;
    qz_instant deadline = 0;
    *out = 0;
    if (s->deadline_wd >= 0 && before_due(r, c, s, s->deadline_wd, &deadline, err))
        return -1;
    *out = deadline;
    if (s->n_terms == 0)
        return 0;
    const qz_term_rule *rule = qz_term_rules_match(s->terms, s->n_terms, &q, err);
    if (!rule || unit_time(r, c, s->unit, &u, err))
        return -1;
    qz_instant from = start;
    if (rule->from == QZ_FROM_ACCEPTANCE)
        from = c->accepted_at;
    else if (rule->from == QZ_FROM_STEP_NAMED) {
        size_t named = 0;
        qz_workflow_step(&c->ver->workflow, rule->from_step, &named);
        from = last_start(c, named) ? last_start(c, named) : start;
    }
    if (qz_term_due(&u, &rule->term, from, &d, err))
        return -1;
    *out = deadline && deadline < d.due ? deadline : d.due;
    return 0;
}

/* The working days a step's target term asks for (0 for minutes, hours, deadlines). */
static int step_wd(const qz_case *c, const qz_step *s)
{
    qz_term_query q = query_of(c);
    qz_err ignored;
    const qz_term_rule *rule =
        s->n_terms ? qz_term_rules_match(s->terms, s->n_terms, &q, &ignored) : NULL;
    if (!rule)
        return 0;
    return rule->term.unit == QZ_TERM_WD ? rule->term.amount : 0;
}

/*
 * At risk: from the later of now and the current step's target, the working days the
 * steps after it ask for (along the normal path, up to the hand-out point) would end
 * after the binding due instant.
 */
static int compute_at_risk(const qz_rules *r, qz_case *c, qz_instant now, qz_err *err)
{
    const qz_workflow *w = &c->ver->workflow;
    const qz_run *run = qz_case_run(c);
    c->at_risk = false;
    if (c->status != QZ_STATUS_OPEN || c->due_at == 0)
        return 0;
    qz_instant from = run->due_at > now ? run->due_at : now;
    int wd = 0;
    size_t at = c->state, hops = 0;
    const qz_action_spec *a;
    while (hops++ < w->n_steps && (a = qz_step_first_advance(&w->steps[at])) != NULL) {
        at = a->next_index;
        if (w->steps[at].status != QZ_STATUS_OPEN)
            break;
        if (guard_holds(w->steps[at].when, c))
            wd += step_wd(c, &w->steps[at]);
    }
    qz_unit_time u;
    qz_date end;
    if (unit_time(r, c, "psc", &u, err) ||
        qz_calendar_add(r->cal, qz_instant_date(from, qz_zone_offset(u.zone, from)), wd, &end, err))
        return -1;
    qz_instant close;
    if (qz_schedule_close(&u, end, &close, err))
        return -1;
    c->at_risk = (wd > 0 ? close : from) > c->due_at;
    return 0;
}

/* The binding due of the case's variant, counted from its acceptance (again, when an
 * action changes the variant: the additional check of a criminal-record certificate). */
static int binding_due(const qz_rules *r, qz_case *c, qz_instant received, qz_err *err)
{
    qz_term_query q = query_of(c);
    const qz_term_rule *rule;
    qz_unit_time u;
    qz_due due;
    if (!(rule = qz_service_term(c->ver, &q, err)) || unit_time(r, c, "psc", &u, err) ||
        qz_term_due(&u, &rule->term, received, &due, err))
        return -1;
    c->accepted_at = due.accepted;
    c->due_at = due.due;
    return 0;
}

/* ---- entering a step -------------------------------------------------------------------- */

/* The step a case entering `index` stops at: `index`, or, past the steps that do not
 * apply to it, the first that does (each passed along its first advance action). */
static size_t applicable(const qz_case *c, size_t index)
{
    const qz_workflow *w = &c->ver->workflow;
    for (size_t hops = 0; hops < w->n_steps && !guard_holds(w->steps[index].when, c); hops++)
        index = qz_step_first_advance(&w->steps[index])->next_index;
    return index;
}

static int enter(const qz_rules *r, qz_case *c, size_t index, qz_instant now, qz_err *err)
{
    index = applicable(c, index);
    qz_run run = {.step = index, .started_at = now};
    const qz_step *s = &c->ver->workflow.steps[index];
    c->state = index;
    c->status = s->status;
    if (step_due(r, c, index, now, &run.due_at, err))
        return -1;
    bool final = s->status == QZ_STATUS_DONE || s->status == QZ_STATUS_REFUSED ||
                 s->status == QZ_STATUS_WITHDRAWN;
    if (final) {
        run.done_at = now;
        snprintf(c->result, sizeof c->result, "%s", s->result ? s->result : "");
    }
    if (qz_case_push_run(c, &run))
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    return compute_at_risk(r, c, now, err);
}

static int push_event(qz_events *ev, const qz_actor *actor, qz_instant now, const char *action,
                      const char *from, const char *to, json_t *data, qz_err *err)
{
    qz_event e = {.at = now, .data = data};
    snprintf(e.actor, sizeof e.actor, "%s", actor->login ? actor->login : "");
    snprintf(e.role, sizeof e.role, "%s", actor->role ? actor->role : "");
    snprintf(e.unit, sizeof e.unit, "%s", actor->unit ? actor->unit : "");
    snprintf(e.action, sizeof e.action, "%s", action);
    snprintf(e.from, sizeof e.from, "%s", from);
    snprintf(e.to, sizeof e.to, "%s", to);
    return qz_events_push(ev, &e) ? qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL) : 0;
}

/* ---- acceptance ------------------------------------------------------------------------- */

size_t qz_engine_missing(const qz_service_version *v, const qz_application *app,
                         const char **missing, size_t cap)
{
    qz_doc_list list = qz_service_documents(v, app->channel);
    qz_case probe = {.payload = (json_t *)app->payload};
    size_t n = 0;
    snprintf(probe.channel, sizeof probe.channel, "%s", app->channel ? app->channel : "");
    snprintf(probe.variant, sizeof probe.variant, "%s", app->variant ? app->variant : "");
    for (size_t i = 0; i < list.n; i++) {
        const qz_document_spec *d = &list.docs[i];
        bool given = false;
        if (!d->required || !guard_holds(d->when, &probe))
            continue;
        for (size_t k = 0; k < app->n_documents && !given; k++)
            given = strcmp(app->documents[k], d->kind) == 0;
        if (!given && n < cap)
            missing[n] = d->kind;
        n += !given;
    }
    return n;
}

static int copy_opt(char *buf, size_t cap, const char *s, const char *field, qz_err *err)
{
    s = s ? s : "";
    if (strlen(s) >= cap)
        return qz_err_set(err, QZ_EINPUT, "case.option_invalid", field, s);
    memcpy(buf, s, strlen(s) + 1);
    return 0;
}

static bool listed_str(const json_t *list, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) if (s && strcmp(json_string_value(v), s) == 0) return true;
    return false;
}

/* Checks the application's options against the version and copies them into c. */
static int take_options(const qz_service_version *v, const qz_application *app, qz_case *c,
                        qz_err *err)
{
    if (copy_opt(c->channel, sizeof c->channel, app->channel, "channel", err) ||
        copy_opt(c->department, sizeof c->department, app->department, "department", err) ||
        copy_opt(c->urgency, sizeof c->urgency, app->urgency, "urgency", err) ||
        copy_opt(c->variant, sizeof c->variant, app->variant, "variant", err) ||
        copy_opt(c->lang, sizeof c->lang, app->lang ? app->lang : "ru", "lang", err))
        return -1;
    if (app->department && strcmp(app->department, "regional") && strcmp(app->department, "other"))
        return qz_err_set(err, QZ_EINPUT, "case.option_invalid", "department", app->department);
    if (app->urgency && !listed_str(v->urgencies, app->urgency))
        return qz_err_set(err, QZ_EINPUT, "case.option_invalid", "urgency", app->urgency);
    if (!app->urgency && v->urgencies)
        return qz_err_set(err, QZ_EINPUT, "term.option_needed", "urgency", "urgency");
    bool known = app->variant == NULL;
    for (size_t i = 0; !known && i < v->n_variants; i++)
        known = strcmp(v->variants[i].code, app->variant) == 0;
    if (!known)
        return qz_err_set(err, QZ_EINPUT, "case.option_invalid", "variant", app->variant);
    if (!app->variant && v->n_variants)
        snprintf(c->variant, sizeof c->variant, "%s", v->variants[0].code);
    if (strcmp(c->lang, "kk") && strcmp(c->lang, "ru"))
        return qz_err_set(err, QZ_EINPUT, "case.option_invalid", "lang", c->lang);
    return 0;
}

static int take_person(char *buf, const char *iin, const char *field, qz_err *err)
{
    qz_iin parsed;
    qz_bin bin;
    qz_err ignored;
    if (!iin) {
        buf[0] = '\0';
        return 0;
    }
    if (qz_iin_parse(iin, &parsed, &ignored) && qz_bin_parse(iin, &bin, &ignored))
        return qz_err_set(err, QZ_EINPUT, "case.field_invalid", field, iin);
    snprintf(buf, QZ_IIN_STR, "%s", iin);
    return 0;
}

static int take_application(const qz_application *app, qz_case *c, qz_err *err)
{
    if (take_person(c->applicant, app->applicant, "applicant", err) ||
        take_person(c->subject, app->subject, "subject", err) ||
        take_person(c->representative, app->representative, "representative", err))
        return -1;
    if (!app->applicant)
        return qz_err_set(err, QZ_EINPUT, "case.field_missing", "applicant", NULL);
    if (app->n_units > QZ_CASE_MAX_UNITS)
        return qz_err_set(err, QZ_EINPUT, "case.option_invalid", "units", NULL);
    for (size_t i = 0; i < app->n_units; i++)
        c->units[c->n_units++] = app->units[i];
    for (size_t i = 0; i < app->n_documents; i++)
        if (json_array_append_new(c->documents, json_string(app->documents[i])))
            return qz_err_set(err, QZ_EINPUT, "case.field_invalid", "documents", NULL);
    if (app->payload && !json_is_object(app->payload))
        return qz_err_set(err, QZ_EINPUT, "case.field_invalid", "payload", NULL);
    if (app->payload && json_object_update(c->payload, (json_t *)app->payload))
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    return 0;
}

static int missing_error(const qz_service_version *v, const qz_application *app, qz_err *err)
{
    const char *missing[16];
    size_t n = qz_engine_missing(v, app, missing, 16);
    char list[128] = "";
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n && i < 16; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? "," : "", missing[i]);
    }
    return qz_err_set(err, QZ_EINPUT, "case.documents_missing", "documents", list);
}

static int accept_into(const qz_rules *r, const qz_application *app, const qz_actor *actor,
                       qz_instant now, qz_case *c, qz_events *ev, qz_err *err)
{
    const qz_channel *ch;
    if (!(c->svc = qz_catalog_service(r->cat, app->service, err)))
        return -1;
    const qz_zone *zone = qz_timetable_default_zone(r->tt);
    if (!(c->ver = qz_service_version_at(c->svc, qz_instant_date(now, qz_zone_offset(zone, now)),
                                         err)) ||
        !(ch = qz_service_channel(c->ver, app->channel, err)) ||
        take_options(c->ver, app, c, err) || take_application(app, c, err))
        return -1;
    if (ch->accepted_by && (!actor->role || strcmp(ch->accepted_by, actor->role) != 0))
        return qz_err_set(err, QZ_EFORBIDDEN, "case.role_forbidden", "role", actor->role);
    if (!guard_holds(ch->guard, c))
        return qz_err_set(err, QZ_EINPUT, "case.guard_failed", "channel", app->channel);
    if (missing_error(c->ver, app, err))
        return -1;
    /* The state duty on the day of acceptance, with the payment the desk checked. */
    qz_fee fee;
    const char *paid;
    if (qz_fee_of(&r->mci, c->ver, qz_instant_date(now, qz_zone_offset(zone, now)), c->payload,
                  &fee, err) ||
        qz_fee_payment(c->payload, &paid, err))
        return -1;
    if (binding_due(r, c, now, err))
        return -1;
    if (enter(r, c, c->ver->workflow.start, c->accepted_at, err))
        return -1;
    json_t *data = json_pack("{s:o,s:I,s:o}", "documents", json_deep_copy(c->documents), "due_at",
                             (json_int_t)c->due_at, "fee", qz_fee_json(&fee, paid));
    return push_event(ev, actor, now, "accept", "", qz_case_step(c)->code, data, err);
}

int qz_engine_accept(const qz_rules *r, const qz_application *app, const qz_actor *actor,
                     qz_instant now, qz_case **out, qz_events *ev, qz_err *err)
{
    qz_case *c = qz_case_new();
    *out = NULL;
    if (!c)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    if (accept_into(r, app, actor, now, c, ev, err)) {
        qz_case_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

/* ---- actions ---------------------------------------------------------------------------- */

/* The person whose own step it is: the one the case concerns. */
static const char *party_of(const qz_case *c)
{
    return c->subject[0] ? c->subject : c->applicant;
}

static bool is_party(const qz_case *c, const qz_actor *actor)
{
    return actor->role && strcmp(actor->role, qz_case_step(c)->role) == 0 && actor->iin &&
           strcmp(actor->iin, party_of(c)) == 0;
}

/* True when someone else was assigned to work the case's steps of `role`. */
static bool assigned_to_other(const qz_case *c, const char *role, const qz_actor *actor)
{
    const char *who = qz_case_assignee(c, role);
    return who && (!actor->login || strcmp(who, actor->login) != 0);
}

bool qz_engine_may_act(const qz_case *c, const qz_actor *actor, const qz_action_spec *a)
{
    const qz_step *s = qz_case_step(c);
    if (s->party)
        return is_party(c, actor);
    const char *role = a->role ? a->role : s->role;
    const qz_unit_ref *unit = qz_case_unit(c, a->unit ? a->unit : s->unit);
    return actor->role && strcmp(actor->role, role) == 0 && unit && actor->unit &&
           strcmp(unit->code, actor->unit) == 0 && !assigned_to_other(c, role, actor);
}

static bool is_timeout(const qz_step *s, const qz_action_spec *a)
{
    return s->timeout && strcmp(s->timeout, a->code) == 0;
}

size_t qz_engine_actions(const qz_rules *r, const qz_case *c, const qz_actor *actor,
                         qz_action_view *out, size_t cap)
{
    (void)r;
    const qz_step *s = qz_case_step(c);
    size_t n = 0;
    for (size_t i = 0; i < s->n_actions; i++) {
        const qz_action_spec *a = &s->actions[i];
        if (is_timeout(s, a) || !qz_engine_may_act(c, actor, a) || !guard_holds(a->guard, c))
            continue;
        if (n < cap)
            out[n].spec = a;
        n++;
    }
    return n;
}

static bool is_ground(const qz_service_version *v, const char *code)
{
    for (size_t i = 0; code && i < v->n_grounds; i++)
        if (strcmp(v->grounds[i].code, code) == 0)
            return true;
    return false;
}

static bool field_value_ok(const qz_case *c, const qz_field_spec *f, const json_t *v)
{
    const char *s = json_string_value(v);
    qz_date d;
    qz_iin iin;
    qz_err ignored;
    switch (f->type) {
    case QZ_FIELD_GROUND:
        return is_ground(c->ver, s);
    case QZ_FIELD_OUTCOME:
        return s && (strcmp(s, "clear") == 0 || strcmp(s, "hit") == 0);
    case QZ_FIELD_TEXT:
        return s && *s && strlen(s) <= 4000;
    case QZ_FIELD_DATE:
        return s && qz_date_parse(s, &d, &ignored) == 0;
    case QZ_FIELD_BOOL:
        return json_is_boolean(v);
    case QZ_FIELD_INT:
        return json_is_integer(v);
    case QZ_FIELD_IIN:
        return s && qz_iin_parse(s, &iin, &ignored) == 0;
    case QZ_FIELD_CHOICE:
        return s && listed_str(f->values, s);
    case QZ_FIELD_STAFF:
        return s && *s && strlen(s) < QZ_CODE_LEN;
    }
    return false;
}

static int check_fields(const qz_case *c, const qz_action_spec *a, const json_t *data, qz_err *err)
{
    const char *key;
    json_t *v;
    if (data && !json_is_object(data))
        return qz_err_set(err, QZ_EINPUT, "case.field_invalid", "data", NULL);
    json_object_foreach((json_t *)data, key, v)
    {
        bool known = false;
        for (size_t i = 0; i < a->n_fields && !known; i++)
            known = strcmp(a->fields[i].name, key) == 0;
        if (!known)
            return qz_err_set(err, QZ_EINPUT, "case.field_unknown", key, key);
    }
    for (size_t i = 0; i < a->n_fields; i++) {
        const qz_field_spec *f = &a->fields[i];
        json_t *val = json_object_get(data, f->name);
        if (val && f->computed_wd)
            return qz_err_set(err, QZ_EINPUT, "case.field_computed", f->name, f->name);
        if (!val && f->required)
            return qz_err_set(err, QZ_EINPUT, "case.field_missing", f->name,
                              qz_field_type_name(f->type));
        if (val && !field_value_ok(c, f, val))
            return qz_err_set(err, QZ_EINPUT, "case.field_invalid", f->name,
                              qz_field_type_name(f->type));
    }
    return 0;
}

/* The object member `key` of c->data, made when missing; NULL when memory runs out. */
static json_t *data_object(qz_case *c, const char *key)
{
    json_t *o = json_object_get(c->data, key);
    if (!o && json_object_set_new(c->data, key, o = json_object()))
        return NULL;
    return o;
}

/* Records the action's fields in the case: check outcomes under "checks", assignments
 * under "assigned" by role (as well as by name), the rest by name. */
static int record(qz_case *c, const qz_action_spec *a, const json_t *data, qz_err *err)
{
    json_t *checks = data_object(c, "checks"), *assigned;
    if (!checks)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    for (size_t i = 0; i < a->n_fields; i++) {
        const qz_field_spec *f = &a->fields[i];
        json_t *v = json_object_get(data, f->name);
        json_t *into = f->type == QZ_FIELD_OUTCOME ? checks : c->data;
        if (v && (json_object_set(into, f->name, v) ||
                  (f->type == QZ_FIELD_STAFF && (!(assigned = data_object(c, "assigned")) ||
                                                 json_object_set(assigned, f->role, v)))))
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    return 0;
}

static const qz_action_spec *find_action(const qz_step *s, const char *code)
{
    for (size_t i = 0; code && i < s->n_actions; i++)
        if (strcmp(s->actions[i].code, code) == 0)
            return &s->actions[i];
    return NULL;
}

static int authorise(const qz_case *c, const qz_action_spec *a, const qz_actor *actor, qz_err *err)
{
    const qz_step *s = qz_case_step(c);
    const char *role = a->role && !s->party ? a->role : s->role;
    if (!actor->role || strcmp(actor->role, role) != 0)
        return qz_err_set(err, QZ_EFORBIDDEN, "case.role_forbidden", "role", actor->role);
    if (s->party && !is_party(c, actor))
        return qz_err_set(err, QZ_EFORBIDDEN, "case.not_the_person", "party", s->party);
    if (!s->party && assigned_to_other(c, role, actor))
        return qz_err_set(err, QZ_EFORBIDDEN, "case.assigned_to_other", "role",
                          qz_case_assignee(c, role));
    if (!qz_engine_may_act(c, actor, a))
        return qz_err_set(err, QZ_EFORBIDDEN, "case.unit_forbidden", "unit", actor->unit);
    if (!guard_holds(a->guard, c))
        return qz_err_set(err, QZ_EINPUT, "case.guard_failed", "action", a->code);
    return 0;
}

/* The action's data with its computed dates added (a new reference, NULL on failure):
 * each is the working day that many working days after the day of acceptance, in the
 * case's zone ("apply again after 20 WD", seed 004 L219). */
static json_t *with_computed(const qz_rules *r, const qz_case *c, const qz_action_spec *a,
                             const json_t *data, qz_err *err)
{
    json_t *full = data ? json_deep_copy(data) : json_object();
    const qz_zone *z = qz_engine_zone(r, c);
    qz_date accepted = qz_instant_date(c->accepted_at, qz_zone_offset(z, c->accepted_at));
    if (!full) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    for (size_t i = 0; i < a->n_fields; i++) {
        char day[QZ_DATE_STR];
        qz_date d;
        if (!a->fields[i].computed_wd)
            continue;
        if (qz_calendar_add(r->cal, accepted, a->fields[i].computed_wd, &d, err) ||
            json_object_set_new(full, a->fields[i].name, json_string(qz_date_format(d, day)))) {
            if (!err->key[0])
                qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
            json_decref(full);
            return NULL;
        }
    }
    return full;
}

/* Takes action a of the current step: the new case in *out, its event in ev. */
static int take(const qz_rules *r, const qz_case *c, const qz_action_spec *a, const json_t *given,
                const qz_actor *actor, qz_instant now, qz_case **out, qz_events *ev, qz_err *err)
{
    const qz_step *s = qz_case_step(c);
    json_t *data = with_computed(r, c, a, given, err);
    if (!data)
        return -1;
    qz_case *n = qz_case_clone(c);
    if (!n) {
        json_decref(data);
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    qz_run *run = qz_case_run(n);
    run->done_at = now;
    snprintf(run->action, sizeof run->action, "%s", a->code);
    snprintf(run->actor, sizeof run->actor, "%s", actor->login ? actor->login : "");
    if (a->set_variant)
        snprintf(n->variant, sizeof n->variant, "%s", a->set_variant);
    if (record(n, a, data, err) || (a->set_variant && binding_due(r, n, n->accepted_at, err)) ||
        (a->restarts_term && binding_due(r, n, now, err)) || enter(r, n, a->next_index, now, err)) {
        json_decref(data);
        qz_case_free(n);
        return -1;
    }
    /* the event owns the data from here, also when it cannot be recorded */
    if (push_event(ev, actor, now, a->code, s->code, qz_case_step(n)->code, data, err)) {
        qz_case_free(n);
        return -1;
    }
    *out = n;
    return 0;
}

static int open_or_ended(const qz_case *c, qz_err *err)
{
    if (c->status != QZ_STATUS_OPEN && c->status != QZ_STATUS_READY)
        return qz_err_set(err, QZ_ECONFLICT, "case.ended", NULL, qz_status_name(c->status));
    return 0;
}

int qz_engine_apply(const qz_rules *r, const qz_case *c, const char *action, const json_t *data,
                    const qz_actor *actor, qz_instant now, qz_case **out, qz_events *ev,
                    qz_err *err)
{
    const qz_step *s = qz_case_step(c);
    const qz_action_spec *a;
    *out = NULL;
    if (open_or_ended(c, err))
        return -1;
    if (!(a = find_action(s, action)) || is_timeout(s, a))
        return qz_err_set(err, QZ_EINPUT, "case.action_unknown", "action", action);
    if (authorise(c, a, actor, err) || check_fields(c, a, data, err))
        return -1;
    return take(r, c, a, data, actor, now, out, ev, err);
}

int qz_engine_expire(const qz_rules *r, const qz_case *c, const qz_actor *actor, qz_instant now,
                     qz_case **out, qz_events *ev, qz_err *err)
{
    const qz_step *s = qz_case_step(c);
    const qz_run *run = qz_case_run(c);
    *out = NULL;
    if (!s->timeout || run->due_at == 0 || now < run->due_at || open_or_ended(c, err))
        return 0;
    return take(r, c, find_action(s, s->timeout), NULL, actor, now, out, ev, err);
}

int qz_engine_assign(const qz_rules *r, const qz_case *c, const qz_actor *actor, const char *role,
                     const char *login, qz_instant now, qz_case **out, qz_events *ev, qz_err *err)
{
    *out = NULL;
    if (open_or_ended(c, err))
        return -1;
    if (!actor->unit || !qz_catalog_may_assign(r->cat, actor->role, role))
        return qz_err_set(err, QZ_EFORBIDDEN, "case.assign_forbidden", "role", role);
    bool in_case = false;
    for (size_t i = 0; i < c->n_units && !in_case; i++)
        in_case = strcmp(c->units[i].code, actor->unit) == 0;
    if (!in_case)
        return qz_err_set(err, QZ_EFORBIDDEN, "case.unit_forbidden", "unit", actor->unit);
    if (!login || !*login || strlen(login) >= QZ_CODE_LEN)
        return qz_err_set(err, QZ_EINPUT, "case.field_invalid", "login", login);
    qz_case *n = qz_case_clone(c);
    json_t *assigned = n ? data_object(n, "assigned") : NULL;
    const char *state = qz_case_step(c)->code;
    if (!assigned || json_object_set_new(assigned, role, json_string(login)) ||
        push_event(ev, actor, now, "assign", state, state,
                   json_pack("{s:s,s:s}", "role", role, "login", login), err)) {
        qz_case_free(n);
        return err->key[0] ? -1 : qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    *out = n;
    return 0;
}

/* {"from","to"} of a moved due, in the case's zone. */
static json_t *moved_json(const qz_zone *z, qz_instant from, qz_instant to)
{
    char a[QZ_INSTANT_STR], b[QZ_INSTANT_STR];
    return json_pack("{s:s,s:s}", "from", qz_instant_format(from, qz_zone_offset(z, from), a), "to",
                     qz_instant_format(to, qz_zone_offset(z, to), b));
}

int qz_engine_recount_dues(const qz_rules *r, const qz_case *c, const qz_actor *actor,
                           const char *reason, qz_instant now, qz_case **out, qz_events *ev,
                           qz_err *err)
{
    *out = NULL;
    qz_err_clear(err);
    if (c->status != QZ_STATUS_OPEN && c->status != QZ_STATUS_READY)
        return 0;
    qz_case *n = qz_case_clone(c);
    if (!n)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    qz_run *run = qz_case_run(n);
    qz_instant target = 0;
    if ((c->due_at && binding_due(r, n, c->accepted_at, err)) ||
        (run->due_at && step_due(r, n, n->state, run->started_at, &target, err))) {
        qz_case_free(n);
        return -1;
    }
    /* Never earlier: a due the applicant was given stands when the new count is shorter. */
    n->accepted_at = c->accepted_at;
    if (n->due_at < c->due_at)
        n->due_at = c->due_at;
    run->due_at = target > run->due_at ? target : run->due_at;
    bool due_moved = n->due_at != c->due_at, step_moved = run->due_at != qz_case_run(c)->due_at;
    if (!due_moved && !step_moved) {
        qz_case_free(n);
        return 0;
    }
    const qz_zone *z = qz_engine_zone(r, c);
    const char *state = qz_case_step(c)->code;
    json_t *data = json_object();
    if (!data || (reason && json_object_set_new(data, "reason", json_string(reason))) ||
        (due_moved && json_object_set_new(data, "due_at", moved_json(z, c->due_at, n->due_at))) ||
        (step_moved && json_object_set_new(data, "step_due_at",
                                           moved_json(z, qz_case_run(c)->due_at, run->due_at))) ||
        compute_at_risk(r, n, now, err) ||
        push_event(ev, actor, now, "due_moved", state, state, json_incref(data), err)) {
        json_decref(data);
        qz_case_free(n);
        return err->key[0] ? -1 : qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    json_decref(data);
    *out = n;
    return 0;
}
