/*
 * catalog.c — what a loaded catalogue answers (catalog.h): services and their versions in
 * force, channels, documents, steps, term rules, names of statuses and kinds. Loading is
 * catalog_load.c's.
 */
#include "core/catalog_int.h"

#include <stdio.h>
#include <string.h>

const qz_service_version *qz_catalog_version(const qz_catalog *cat, const char *code,
                                             const char *from, qz_err *err)
{
    const qz_service *s = qz_catalog_service(cat, code, err);
    qz_date day;
    if (!s || !from || qz_date_parse(from, &day, err))
        return NULL;
    return qz_service_version_at(s, day, err);
}

bool qz_catalog_may_assign(const qz_catalog *cat, const char *by, const char *role)
{
    size_t i;
    json_t *o;
    json_array_foreach(cat->assignments, i, o)
    {
        const char *b = json_string_value(json_object_get(o, "by"));
        const char *r = json_string_value(json_object_get(o, "assigns"));
        if (by && role && strcmp(b, by) == 0 && strcmp(r, role) == 0)
            return true;
    }
    return false;
}

size_t qz_catalog_count(const qz_catalog *cat)
{
    return cat->n;
}

const qz_service *qz_catalog_at(const qz_catalog *cat, size_t i)
{
    return i < cat->n ? &cat->services[i] : NULL;
}

const qz_service *qz_catalog_service(const qz_catalog *cat, const char *code, qz_err *err)
{
    for (size_t i = 0; code && i < cat->n; i++)
        if (strcmp(cat->services[i].code, code) == 0)
            return &cat->services[i];
    qz_err_set(err, QZ_ENOTFOUND, "service.unknown", NULL, code);
    return NULL;
}

bool qz_catalog_role_exists(const qz_catalog *cat, const char *role)
{
    return cat_listed(cat->roles, role);
}

const qz_service_version *qz_service_version_at(const qz_service *s, qz_date d, qz_err *err)
{
    for (size_t i = 0; i < s->n_versions; i++)
        if (d >= s->versions[i].from && d <= s->versions[i].until)
            return &s->versions[i];
    char date[QZ_DATE_STR];
    qz_err_set(err, QZ_ERANGE, "service.no_version", s->code, qz_date_format(d, date));
    return NULL;
}

const qz_channel *qz_service_channel(const qz_service_version *v, const char *code, qz_err *err)
{
    for (size_t i = 0; code && i < v->n_channels; i++)
        if (strcmp(v->channels[i].code, code) == 0)
            return &v->channels[i];
    qz_err_set(err, QZ_EINPUT, "service.channel_unavailable", NULL, code);
    return NULL;
}

qz_doc_list qz_service_documents(const qz_service_version *v, const char *channel)
{
    for (size_t i = 0; channel && i < v->n_documents; i++)
        if (strcmp(v->documents[i].channel, channel) == 0)
            return v->documents[i];
    return (qz_doc_list){channel, NULL, 0};
}

const qz_step *qz_workflow_step(const qz_workflow *w, const char *code, size_t *index)
{
    for (size_t i = 0; code && i < w->n_steps; i++)
        if (strcmp(w->steps[i].code, code) == 0) {
            if (index)
                *index = i;
            return &w->steps[i];
        }
    return NULL;
}

const qz_action_spec *qz_step_first_advance(const qz_step *s)
{
    for (size_t i = 0; i < s->n_actions; i++)
        if (s->actions[i].kind == QZ_ACTION_ADVANCE)
            return &s->actions[i];
    return NULL;
}

static bool has_channel(const qz_term_rule *r, const char *channel)
{
    if (r->n_channels == 0)
        return true;
    for (size_t i = 0; channel && i < r->n_channels; i++)
        if (strcmp(r->channels[i], channel) == 0)
            return true;
    return false;
}

/* Compares one selector: 1 matches, 0 differs, -1 the rule needs a value not given. */
static int selector(const char *rule, const char *asked)
{
    if (!rule)
        return 1;
    if (!asked)
        return -1;
    return strcmp(rule, asked) == 0;
}

const qz_term_rule *qz_term_rules_match(const qz_term_rule *rules, size_t n, const qz_term_query *q,
                                        qz_err *err)
{
    const char *variant = q->variant;
    const char *needed = NULL;
    for (size_t i = 0; !variant && i < n; i++)
        variant = rules[i].variant;
    for (size_t i = 0; i < n; i++) {
        const qz_term_rule *r = &rules[i];
        if (!has_channel(r, q->channel) || selector(r->variant, variant) != 1)
            continue;
        int dep = selector(r->department, q->department);
        int urg = selector(r->urgency, q->urgency);
        if (dep == 1 && urg == 1)
            return r;
        if (!needed && dep != 0 && urg != 0)
            needed = dep < 0 ? "department" : "urgency";
    }
    if (needed)
        qz_err_set(err, QZ_EINPUT, "term.option_needed", needed, needed);
    else
        qz_err_set(err, QZ_EINPUT, "term.no_match", NULL, variant);
    return NULL;
}

const qz_term_rule *qz_service_term(const qz_service_version *v, const qz_term_query *q,
                                    qz_err *err)
{
    return qz_term_rules_match(v->terms, v->n_terms, q, err);
}

const char *qz_status_name(qz_status s)
{
    static const char *const names[] = {"open", "ready", "done", "refused", "withdrawn"};
    return (unsigned)s < 5 ? names[s] : "?";
}

const char *qz_action_kind_name(qz_action_kind k)
{
    static const char *const names[] = {"advance", "refuse", "extend", "return", "other"};
    return (unsigned)k < 5 ? names[k] : "?";
}

const char *qz_field_type_name(qz_field_type t)
{
    static const char *const names[] = {"ground", "outcome", "text",   "date", "bool",
                                        "int",    "iin",     "choice", "staff"};
    _Static_assert(sizeof names / sizeof names[0] == QZ_FIELD_STAFF + 1, "a name per type");
    return (unsigned)t <= QZ_FIELD_STAFF ? names[t] : "?";
}
