/* The small parts of a standard: texts, term rules, guards (docs/catalog.md). */
#include "core/catalog_int.h"
#include "core/jsonv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cat_keep(qz_catalog *cat, json_t *doc, qz_err *err)
{
    if (cat->n_docs == cat->cap_docs) {
        size_t cap = cat->cap_docs ? cat->cap_docs * 2 : 16;
        json_t **grown = realloc(cat->docs, sizeof *grown * cap);
        if (!grown) {
            json_decref(doc);
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        }
        cat->docs = grown;
        cat->cap_docs = cap;
    }
    cat->docs[cat->n_docs++] = doc;
    return 0;
}

void *cat_alloc(qz_catalog *cat, size_t n, size_t size, qz_err *err)
{
    if (n > SIZE_MAX / size - 1) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    void *p = qz_arena_alloc(&cat->arena, (n + 1) * size);
    if (!p)
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    return p;
}

void cat_prefix_index(qz_err *err, const char *key, size_t i)
{
    char at[96];
    snprintf(at, sizeof at, "%s[%zu]", key, i);
    qz_err_prefix_field(err, at);
}

bool cat_listed(const json_t *list, const char *code)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        const char *c = json_string_value(json_object_get(o, "code"));
        if (c && code && strcmp(c, code) == 0)
            return true;
    }
    return false;
}

int cat_text(const json_t *o, const char *key, bool required, qz_text *out, qz_err *err)
{
    return qz_json_names(o, key, required, out->t, err);
}

static int read_anchor(const json_t *o, qz_term_rule *r, qz_err *err)
{
    const char *from;
    if (qz_json_str(o, "from", false, &from, err))
        return -1;
    r->from = QZ_FROM_STEP;
    if (!from || strcmp(from, "step") == 0)
        return 0;
    if (strcmp(from, "acceptance") == 0) {
        r->from = QZ_FROM_ACCEPTANCE;
        return 0;
    }
    if (strncmp(from, "step:", 5) == 0 && from[5]) {
        r->from = QZ_FROM_STEP_NAMED;
        r->from_step = from + 5;
        return 0;
    }
    return qz_err_set(err, QZ_EDATA, "term.from_invalid", "from", from);
}

int cat_term_rule(const json_t *o, qz_term_rule *r, qz_err *err)
{
    static const char *const fields[] = {
        "variant", "department", "urgency", "channels", "minutes",          "hours",
        "wd",      "cd",         "months",  "same_day", "first_day_counts", "last_day_off_rolls",
        "from",    "source",     NULL};
    static const char *const units[] = {"minutes", "hours", "wd", "cd", "months"};
    json_t *channels, *ch;
    size_t i;
    int found = 0;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_str(o, "variant", false, &r->variant, err) ||
        qz_json_str(o, "department", false, &r->department, err) ||
        qz_json_str(o, "urgency", false, &r->urgency, err) ||
        qz_json_arr(o, "channels", false, &channels, err) ||
        qz_json_bool(o, "same_day", false, &r->term.same_day, err) ||
        qz_json_bool(o, "first_day_counts", false, &r->term.first_day_counts, err) ||
        qz_json_bool(o, "last_day_off_rolls", false, &r->term.last_day_off_rolls, err) ||
        qz_json_str(o, "source", true, &r->term.source, err) || read_anchor(o, r, err))
        return -1;
    for (int u = 0; u < 5; u++) {
        long amount;
        if (!json_object_get(o, units[u]))
            continue;
        if (qz_json_int(o, units[u], true, 0, 100000, &amount, err))
            return -1;
        r->term.unit = (qz_term_unit)u;
        r->term.amount = (int)amount;
        found++;
    }
    if (found != 1)
        return qz_err_set(err, QZ_EDATA, "term.unit_count", NULL, "minutes|hours|wd|cd|months");
    if (r->department && strcmp(r->department, "regional") && strcmp(r->department, "other"))
        return qz_err_set(err, QZ_EDATA, "term.department_invalid", "department", r->department);
    if (json_array_size(channels) > QZ_TERM_MAX_CHANNELS)
        return qz_err_set(err, QZ_EDATA, "json.too_many", "channels", NULL);
    json_array_foreach(channels, i, ch)
    {
        if (!json_is_string(ch))
            return qz_err_set(err, QZ_EDATA, "json.wrong_type", "channels", "string");
        r->channels[r->n_channels++] = json_string_value(ch);
    }
    return 0;
}

int cat_term_rules(cat_ctx *c, const json_t *v, qz_term_rule **out, size_t *n, qz_err *err)
{
    size_t count = json_is_array(v) ? json_array_size(v) : 1;
    qz_term_rule *rules = cat_alloc(c->cat, count, sizeof *rules, err);
    if (!rules)
        return -1;
    if (!json_is_array(v)) {
        if (cat_term_rule(v, &rules[0], err))
            return -1;
    } else {
        size_t i;
        json_t *o;
        if (count == 0)
            return qz_err_set(err, QZ_EDATA, "json.empty", NULL, NULL);
        json_array_foreach(v, i, o)
        {
            if (cat_term_rule(o, &rules[i], err)) {
                cat_prefix_index(err, "", i);
                return -1;
            }
        }
    }
    *out = rules;
    *n = count;
    return 0;
}

/* Reads the members of a composite guard (all/any). */
static int guard_list(cat_ctx *c, const json_t *list, qz_guard *g, qz_err *err)
{
    size_t i;
    json_t *o;
    if (!json_is_array(list) || json_array_size(list) == 0)
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "non-empty array");
    qz_guard *subs = cat_alloc(c->cat, json_array_size(list), sizeof *subs, err);
    if (!subs)
        return -1;
    json_array_foreach(list, i, o)
    {
        const qz_guard *sub;
        if (cat_guard(c, o, &sub, err)) {
            cat_prefix_index(err, "", i);
            return -1;
        }
        subs[i] = *sub;
    }
    g->subs = subs;
    g->n_subs = json_array_size(list);
    return 0;
}

bool cat_consent_known(const char *consent)
{
    static const char *const kinds[] = {"otp", "power-of-attorney", "none"};
    for (size_t i = 0; consent && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i], consent) == 0)
            return true;
    return false;
}

int cat_guard(cat_ctx *c, const json_t *o, const qz_guard **out, qz_err *err)
{
    qz_guard *g = cat_alloc(c->cat, 1, sizeof *g, err);
    const char *key = NULL;
    json_t *v;
    if (!g)
        return -1;
    if (!json_is_object(o) || json_object_size(o) == 0)
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    json_object_foreach((json_t *)o, key, v) break; /* the first member says the kind */
    if ((v = json_object_get(o, "all")) || (v = json_object_get(o, "any"))) {
        g->kind = json_object_get(o, "all") ? QZ_GUARD_ALL : QZ_GUARD_ANY;
        if (json_object_size(o) != 1)
            return qz_err_set(err, QZ_EDATA, "guard.malformed", NULL, key);
        if (guard_list(c, v, g, err)) {
            qz_err_prefix_field(err, key);
            return -1;
        }
    } else if ((v = json_object_get(o, "not"))) {
        g->kind = QZ_GUARD_NOT;
        const qz_guard *sub;
        if (json_object_size(o) != 1 || cat_guard(c, v, &sub, err)) {
            if (json_object_size(o) != 1)
                qz_err_set(err, QZ_EDATA, "guard.malformed", NULL, key);
            qz_err_prefix_field(err, "not");
            return -1;
        }
        g->subs = sub;
        g->n_subs = 1;
    } else if (qz_json_str(o, "payload", false, &g->key, err) == 0 && g->key) {
        json_t *in = json_object_get(o, "in"), *eq = json_object_get(o, "equals");
        if (json_object_size(o) != 2 || (!json_is_array(in) && !eq))
            return qz_err_set(err, QZ_EDATA, "guard.malformed", NULL, "payload + in|equals");
        g->kind = in ? QZ_GUARD_PAYLOAD_IN : QZ_GUARD_PAYLOAD_EQUALS;
        g->values = in ? in : eq;
    } else if (qz_json_str(o, "check", false, &g->key, err) == 0 && g->key) {
        const char *is;
        if (json_object_size(o) != 2 || qz_json_str(o, "is", true, &is, err))
            return qz_err_set(err, QZ_EDATA, "guard.malformed", NULL, "check + is");
        if (strcmp(is, "clear") && strcmp(is, "hit"))
            return qz_err_set(err, QZ_EDATA, "guard.outcome_invalid", "is", is);
        g->kind = QZ_GUARD_CHECK;
        g->values = json_object_get(o, "is");
    } else if (qz_json_str(o, "channel", false, &g->key, err) == 0 && g->key &&
               json_object_size(o) == 1) {
        g->kind = QZ_GUARD_CHANNEL;
    } else if (qz_json_str(o, "variant", false, &g->key, err) == 0 && g->key &&
               json_object_size(o) == 1) {
        g->kind = QZ_GUARD_VARIANT;
    } else if (json_object_size(o) == 1 && json_is_boolean(json_object_get(o, "third_party"))) {
        g->kind = QZ_GUARD_THIRD_PARTY;
        g->yes = json_is_true(json_object_get(o, "third_party"));
    } else if (qz_json_str(o, "consent", false, &g->key, err) == 0 && g->key &&
               json_object_size(o) == 1) {
        if (!cat_consent_known(g->key))
            return qz_err_set(err, QZ_EDATA, "guard.consent_invalid", "consent", g->key);
        g->kind = QZ_GUARD_CONSENT;
    } else {
        return qz_err_set(err, QZ_EDATA, "guard.malformed", NULL, key);
    }
    *out = g;
    return 0;
}
