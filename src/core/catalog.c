#include "core/catalog.h"

#include "core/arena.h"
#include "core/jsonv.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qz_catalog {
    qz_arena arena;
    qz_service *services;
    size_t n, cap;
};

/* Copies a borrowed JSON string into the catalogue; "" never becomes NULL. */
static const char *keep(qz_catalog *c, const char *s, int *oom)
{
    char *p = qz_arena_strdup(&c->arena, s);
    if (s && !p)
        *oom = 1;
    return p;
}

static int read_term(qz_catalog *c, const json_t *o, qz_term_rule *r, qz_err *err)
{
    static const char *const fields[] = {"variant", "department", "urgency", "channels",
                                         "minutes", "hours", "wd", "cd", "same_day",
                                         "first_day_counts", "last_day_off_rolls", "source",
                                         NULL};
    static const char *const units[] = {"minutes", "hours", "wd", "cd"};
    const char *variant, *department, *urgency, *source;
    json_t *channels, *ch;
    size_t i;
    int found = 0, oom = 0;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_str(o, "variant", false, &variant, err) ||
        qz_json_str(o, "department", false, &department, err) ||
        qz_json_str(o, "urgency", false, &urgency, err) ||
        qz_json_arr(o, "channels", false, &channels, err) ||
        qz_json_bool(o, "same_day", false, &r->term.same_day, err) ||
        qz_json_bool(o, "first_day_counts", false, &r->term.first_day_counts, err) ||
        qz_json_bool(o, "last_day_off_rolls", false, &r->term.last_day_off_rolls, err) ||
        qz_json_str(o, "source", true, &source, err))
        return -1;
    for (int u = 0; u < 4; u++) {
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
        return qz_err_set(err, QZ_EDATA, "term.unit_count", NULL, "minutes|hours|wd|cd");
    if (department && strcmp(department, "regional") && strcmp(department, "other"))
        return qz_err_set(err, QZ_EDATA, "term.department_invalid", "department", department);
    if (json_array_size(channels) > QZ_TERM_MAX_CHANNELS)
        return qz_err_set(err, QZ_EDATA, "json.too_many", "channels", NULL);
    json_array_foreach(channels, i, ch)
    {
        if (!json_is_string(ch))
            return qz_err_setf(err, QZ_EDATA, "json.wrong_type", "channels", "string");
        r->channels[r->n_channels++] = keep(c, json_string_value(ch), &oom);
    }
    r->variant = keep(c, variant, &oom);
    r->department = keep(c, department, &oom);
    r->urgency = keep(c, urgency, &oom);
    r->term.source = keep(c, source, &oom);
    return oom ? qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL) : 0;
}

static int read_channels(qz_catalog *c, const json_t *o, qz_service_version *v, qz_err *err)
{
    static const char *const fields[] = {"schedule", "source", NULL};
    qz_channel *chs = qz_arena_alloc(&c->arena, sizeof *chs * (json_object_size(o) + 1));
    const char *code;
    json_t *ch;
    int oom = 0;
    if (!chs)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    json_object_foreach((json_t *)o, code, ch)
    {
        qz_channel *k = &chs[v->n_channels];
        const char *schedule, *source;
        if (!json_is_object(ch))
            qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
        if (!json_is_object(ch) || qz_json_only(ch, fields, err) ||
            qz_json_str(ch, "schedule", true, &schedule, err) ||
            qz_json_str(ch, "source", true, &source, err)) {
            qz_err_prefix_field(err, code);
            return -1;
        }
        k->code = keep(c, code, &oom);
        k->schedule = keep(c, schedule, &oom);
        k->source = keep(c, source, &oom);
        v->n_channels++;
    }
    v->channels = chs;
    return oom ? qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL) : 0;
}

static int read_version(qz_catalog *c, const json_t *o, qz_service_version *v, qz_err *err)
{
    static const char *const fields[] = {"in_force", "name", "channels", "terms", NULL};
    static const char *const force_fields[] = {"from", "until", "source", NULL};
    json_t *force, *channels, *terms, *t;
    const char *source, *names[3];
    size_t i;
    int oom = 0;
    v->until = QZ_DATE_MAX;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_obj(o, "in_force", true, &force, err) ||
        qz_json_names(o, "name", true, names, err) ||
        qz_json_obj(o, "channels", true, &channels, err) ||
        qz_json_arr(o, "terms", true, &terms, err))
        return -1;
    if (qz_json_only(force, force_fields, err) || qz_json_date(force, "from", true, &v->from, err) ||
        qz_json_date(force, "until", false, &v->until, err) ||
        qz_json_str(force, "source", true, &source, err)) {
        qz_err_prefix_field(err, "in_force");
        return -1;
    }
    if (v->from > v->until)
        return qz_err_set(err, QZ_EDATA, "calendar.from_after_until", "in_force.until", NULL);
    if (read_channels(c, channels, v, err)) {
        qz_err_prefix_field(err, "channels");
        return -1;
    }
    qz_term_rule *rules = qz_arena_alloc(&c->arena, sizeof *rules * (json_array_size(terms) + 1));
    if (!rules)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    json_array_foreach(terms, i, t)
    {
        if (read_term(c, t, &rules[i], err)) {
            char at[32];
            snprintf(at, sizeof at, "terms[%zu]", i);
            qz_err_prefix_field(err, at);
            return -1;
        }
    }
    if (json_array_size(terms) == 0)
        return qz_err_set(err, QZ_EDATA, "json.empty", "terms", NULL);
    v->terms = rules;
    v->n_terms = json_array_size(terms);
    v->source = keep(c, source, &oom);
    for (int l = 0; l < 3; l++)
        v->name[l] = keep(c, names[l], &oom);
    return oom ? qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL) : 0;
}

static int read_service(qz_catalog *c, const json_t *doc, qz_service *s, qz_err *err)
{
    static const char *const fields[] = {"code", "versions", NULL};
    json_t *versions, *o;
    const char *code;
    size_t i;
    int oom = 0;
    if (!json_is_object(doc))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(doc, fields, err) || qz_json_str(doc, "code", true, &code, err) ||
        qz_json_arr(doc, "versions", true, &versions, err))
        return -1;
    if (json_array_size(versions) == 0)
        return qz_err_set(err, QZ_EDATA, "json.empty", "versions", NULL);
    qz_service_version *vs = qz_arena_alloc(&c->arena, sizeof *vs * json_array_size(versions));
    if (!vs)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    json_array_foreach(versions, i, o)
    {
        char at[32];
        snprintf(at, sizeof at, "versions[%zu]", i);
        if (read_version(c, o, &vs[i], err)) {
            qz_err_prefix_field(err, at);
            return -1;
        }
        if (i > 0 && vs[i].from <= vs[i - 1].until)
            return qz_err_set(err, QZ_EDATA, "service.versions_overlap", at, code);
    }
    s->code = keep(c, code, &oom);
    s->versions = vs;
    s->n_versions = json_array_size(versions);
    return oom ? qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL) : 0;
}

static int add_file(qz_catalog *c, const char *path, qz_err *err)
{
    json_t *doc = qz_json_load_file(path, err);
    if (!doc)
        return -1;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        qz_service *grown = realloc(c->services, sizeof *grown * cap);
        if (!grown) {
            json_decref(doc);
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        }
        c->services = grown;
        c->cap = cap;
    }
    qz_service *s = &c->services[c->n];
    memset(s, 0, sizeof *s);
    int rc = read_service(c, doc, s, err);
    for (size_t i = 0; rc == 0 && i < c->n; i++)
        if (strcmp(c->services[i].code, s->code) == 0)
            rc = qz_err_set(err, QZ_EDATA, "service.duplicate", "code", s->code);
    if (rc == 0) {
        int oom = 0;
        s->file = keep(c, path, &oom);
        rc = oom ? qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL) : 0;
    }
    json_decref(doc);
    if (rc != 0) {
        qz_err_set_file(err, path);
        return -1;
    }
    c->n++;
    return 0;
}

static int is_json_name(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && name[0] != '.' && strcmp(name + n - 5, ".json") == 0;
}

qz_catalog *qz_catalog_load(const char *dir, qz_err *err)
{
    qz_catalog *c = calloc(1, sizeof *c);
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = 0;
    if (!c || !d) {
        if (!d)
            qz_err_set(err, QZ_EIO, "file.cannot_open", NULL, dir);
        else
            qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        if (d)
            closedir(d);
        free(c);
        return NULL;
    }
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char path[4096];
        if (!is_json_name(e->d_name))
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path)
            rc = qz_err_set(err, QZ_EIO, "file.path_too_long", NULL, e->d_name);
        else
            rc = add_file(c, path, err);
    }
    closedir(d);
    if (rc != 0) {
        qz_catalog_free(c);
        return NULL;
    }
    return c;
}

void qz_catalog_free(qz_catalog *cat)
{
    if (!cat)
        return;
    qz_arena_free(&cat->arena);
    free(cat->services);
    free(cat);
}

size_t qz_catalog_count(const qz_catalog *cat)
{
    return cat->n;
}

const qz_service *qz_catalog_service(const qz_catalog *cat, const char *code, qz_err *err)
{
    for (size_t i = 0; code && i < cat->n; i++)
        if (strcmp(cat->services[i].code, code) == 0)
            return &cat->services[i];
    qz_err_set(err, QZ_ENOTFOUND, "service.unknown", NULL, code);
    return NULL;
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

const qz_term_rule *qz_service_term(const qz_service_version *v, const qz_term_query *q,
                                    qz_err *err)
{
    const char *variant = q->variant;
    const char *needed = NULL;
    for (size_t i = 0; !variant && i < v->n_terms; i++)
        variant = v->terms[i].variant;
    for (size_t i = 0; i < v->n_terms; i++) {
        const qz_term_rule *r = &v->terms[i];
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
