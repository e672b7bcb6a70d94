/*
 * catalog_load.c — loading the catalogue (catalog.h, qz_catalog_load): each service's file
 * read and checked against the shared workflows (catalog_workflow.c) and roles, the
 * bundles cross-checked, and the catalogue freed. What the loaded catalogue answers is
 * catalog.c's.
 */
#include "core/catalog_int.h"
#include "core/jsonv.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bit of a way to confirm a portal request ("eds", "otp"), or 0 when unknown. */
static unsigned confirm_bit(const char *way)
{
    if (strcmp(way, "eds") == 0)
        return QZ_CONFIRM_EDS;
    if (strcmp(way, "otp") == 0)
        return QZ_CONFIRM_OTP;
    return 0;
}

/* Reads the portal's {"by": ["eds", "otp"], "source"} into k->confirm: each way known
 * (service.confirm_invalid), once (service.code_duplicate), at least one (json.empty). */
static int read_confirm_by(const json_t *o, qz_channel *k, qz_err *err)
{
    static const char *const fields[] = {"by", "source", NULL};
    json_t *by, *way;
    size_t i;
    if (qz_json_only(o, fields, err) || qz_json_arr(o, "by", true, &by, err) ||
        qz_json_str(o, "source", true, &k->confirm_source, err))
        return -1;
    if (json_array_size(by) == 0)
        return qz_err_set(err, QZ_EDATA, "json.empty", "by", NULL);
    json_array_foreach(by, i, way)
    {
        unsigned bit = json_is_string(way) ? confirm_bit(json_string_value(way)) : 0;
        if (!bit || (k->confirm & bit)) {
            qz_err_set(err, QZ_EDATA, bit ? "service.code_duplicate" : "service.confirm_invalid",
                       NULL, json_is_string(way) ? json_string_value(way) : "?");
            cat_prefix_index(err, "by", i);
            return -1;
        }
        k->confirm |= bit;
    }
    return 0;
}

/* Reads the channel's optional "confirm": only the portal has one; it defaults to the
 * EDS alone (platform.md, "The portal path"). */
static int read_confirm(const json_t *o, qz_channel *k, qz_err *err)
{
    const json_t *confirm = json_object_get(o, "confirm");
    bool portal = strcmp(k->code, "portal") == 0;
    k->confirm = 0;
    if (!confirm) {
        k->confirm = portal ? QZ_CONFIRM_EDS : 0;
        return 0;
    }
    if (!portal)
        return qz_err_set(err, QZ_EDATA, "service.confirm_not_portal", "confirm", k->code);
    if (!json_is_object(confirm))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", "confirm", "object");
    if (read_confirm_by(confirm, k, err)) {
        qz_err_prefix_field(err, "confirm");
        return -1;
    }
    return 0;
}

static int read_channel(cat_ctx *c, const char *code, const json_t *o, qz_channel *k, qz_err *err)
{
    static const char *const fields[] = {"schedule", "accepted_by", "signed_by", "handed_out_by",
                                         "guard",    "confirm",     "source",    NULL};
    json_t *guard;
    k->code = code;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_str(o, "schedule", true, &k->schedule, err) ||
        qz_json_str(o, "accepted_by", false, &k->accepted_by, err) ||
        qz_json_str(o, "signed_by", false, &k->signed_by, err) ||
        qz_json_str(o, "handed_out_by", false, &k->handed_out_by, err) ||
        qz_json_obj(o, "guard", false, &guard, err) ||
        qz_json_str(o, "source", true, &k->source, err))
        return -1;
    if (strcmp(code, "psc") && strcmp(code, "portal") && strcmp(code, "provider"))
        return qz_err_set(err, QZ_EDATA, "service.channel_invalid", NULL, code);
    if (read_confirm(o, k, err))
        return -1;
    if (c->tt && !qz_timetable_schedule(c->tt, k->schedule, err)) {
        err->code = QZ_EDATA;
        snprintf(err->field, sizeof err->field, "schedule");
        return -1;
    }
    const char *roles[] = {k->accepted_by, k->signed_by, k->handed_out_by};
    for (int i = 0; i < 3; i++)
        if (roles[i] && !cat_listed(c->cat->roles, roles[i]))
            return qz_err_set(err, QZ_EDATA, "workflow.role_unknown", NULL, roles[i]);
    if (guard && cat_guard(c, guard, &k->guard, err)) {
        qz_err_prefix_field(err, "guard");
        return -1;
    }
    return 0;
}

static int read_channels(cat_ctx *c, const json_t *o, qz_service_version *v, qz_err *err)
{
    qz_channel *chs = cat_alloc(c->cat, json_object_size(o), sizeof *chs, err);
    const char *code;
    json_t *ch;
    if (!chs)
        return -1;
    json_object_foreach((json_t *)o, code, ch)
    {
        if (read_channel(c, code, ch, &chs[v->n_channels], err)) {
            qz_err_prefix_field(err, code);
            return -1;
        }
        v->n_channels++;
    }
    if (v->n_channels == 0)
        return qz_err_set(err, QZ_EDATA, "json.empty", NULL, NULL);
    v->channels = chs;
    return 0;
}

/* Reads an array of {"code", "name", "form"?, "source"} (grounds, results, variants). */
static int read_coded(cat_ctx *c, const json_t *list, bool with_form, const qz_coded **out,
                      size_t *n, qz_err *err)
{
    static const char *const fields[] = {"code", "name", "source", NULL};
    static const char *const fields_form[] = {"code", "name", "form", "source", NULL};
    size_t i;
    json_t *o;
    qz_coded *cs = cat_alloc(c->cat, json_array_size(list), sizeof *cs, err);
    if (!cs)
        return -1;
    json_array_foreach(list, i, o)
    {
        if (!json_is_object(o)) {
            qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
        } else if (qz_json_only(o, with_form ? fields_form : fields, err) == 0 &&
                   qz_json_str(o, "code", true, &cs[i].code, err) == 0 &&
                   cat_text(o, "name", true, &cs[i].name, err) == 0 &&
                   qz_json_str(o, "form", with_form, &cs[i].form, err) == 0 &&
                   qz_json_str(o, "source", true, &cs[i].source, err) == 0) {
            for (size_t j = 0; j < i; j++)
                if (strcmp(cs[j].code, cs[i].code) == 0) {
                    qz_err_set(err, QZ_EDATA, "service.code_duplicate", "code", cs[i].code);
                    cat_prefix_index(err, "", i);
                    return -1;
                }
            continue;
        }
        cat_prefix_index(err, "", i);
        return -1;
    }
    *out = cs;
    *n = json_array_size(list);
    return 0;
}

static int read_document(cat_ctx *c, const json_t *o, qz_document_spec *d, qz_err *err)
{
    static const char *const fields[] = {"kind", "name", "required", "when", "source", NULL};
    json_t *when;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_str(o, "kind", true, &d->kind, err) ||
        cat_text(o, "name", true, &d->name, err) ||
        qz_json_bool(o, "required", true, &d->required, err) ||
        qz_json_obj(o, "when", false, &when, err) ||
        qz_json_str(o, "source", true, &d->source, err))
        return -1;
    if (when && cat_guard(c, when, &d->when, err)) {
        qz_err_prefix_field(err, "when");
        return -1;
    }
    return 0;
}

static int read_documents(cat_ctx *c, const json_t *o, qz_service_version *v, qz_err *err)
{
    qz_doc_list *lists = cat_alloc(c->cat, json_object_size(o), sizeof *lists, err);
    const char *channel;
    json_t *list;
    if (!lists)
        return -1;
    json_object_foreach((json_t *)o, channel, list)
    {
        size_t i;
        json_t *d;
        qz_doc_list *l = &lists[v->n_documents++];
        if (qz_service_channel(v, channel, err) == NULL || !json_is_array(list)) {
            if (json_is_array(list))
                err->code = QZ_EDATA;
            else
                qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "array");
            qz_err_prefix_field(err, channel);
            return -1;
        }
        qz_document_spec *ds = cat_alloc(c->cat, json_array_size(list), sizeof *ds, err);
        if (!ds)
            return -1;
        json_array_foreach(list, i, d)
        {
            if (read_document(c, d, &ds[i], err)) {
                cat_prefix_index(err, channel, i);
                return -1;
            }
        }
        l->channel = channel;
        l->docs = ds;
        l->n = json_array_size(list);
    }
    v->documents = lists;
    return 0;
}

static int read_fee(const json_t *o, qz_service_version *v, qz_err *err)
{
    static const char *const fields[] = {"mci", "per", "count", "source", NULL};
    const char *per, *source;
    if (qz_json_only(o, fields, err) || qz_json_num(o, "mci", true, &v->fee_mci, err) ||
        qz_json_str(o, "per", v->fee_mci > 0, &per, err) ||
        qz_json_str(o, "count", false, &v->fee_count, err) ||
        qz_json_str(o, "source", true, &source, err))
        return -1;
    if (per && strcmp(per, "application") && strcmp(per, "document"))
        return qz_err_set(err, QZ_EDATA, "service.fee_per_invalid", "per", per);
    v->fee_per_document = per && strcmp(per, "document") == 0;
    if (v->fee_count && !v->fee_per_document)
        return qz_err_set(err, QZ_EDATA, "service.fee_per_invalid", "count", v->fee_count);
    return 0;
}

static int read_storage(const json_t *o, qz_service_version *v, qz_err *err)
{
    static const char *const fields[] = {"psc_months", "provider_months", "then", "source", NULL};
    long psc = 0, provider = 0;
    const char *then, *source;
    if (qz_json_only(o, fields, err) || qz_json_int(o, "psc_months", true, 0, 120, &psc, err) ||
        qz_json_int(o, "provider_months", false, 0, 120, &provider, err) ||
        qz_json_str(o, "then", true, &then, err) || qz_json_str(o, "source", true, &source, err))
        return -1;
    if (strcmp(then, "file") && strcmp(then, "return"))
        return qz_err_set(err, QZ_EDATA, "service.storage_then_invalid", "then", then);
    v->storage_psc_months = (int)psc;
    v->storage_provider_months = (int)provider;
    return 0;
}

static int read_bundles(cat_ctx *c, const json_t *list, qz_service_version *v, qz_err *err)
{
    static const char *const fields[] = {"with", "source", NULL};
    const char **codes = cat_alloc(c->cat, json_array_size(list), sizeof *codes, err);
    size_t i;
    json_t *o;
    const char *source;
    if (!codes)
        return -1;
    json_array_foreach(list, i, o)
    {
        if (!json_is_object(o) || qz_json_only(o, fields, err) ||
            qz_json_str(o, "with", true, &codes[i], err) ||
            qz_json_str(o, "source", true, &source, err)) {
            if (!json_is_object(o))
                qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
            cat_prefix_index(err, "", i);
            return -1;
        }
    }
    v->bundles = codes;
    v->n_bundles = json_array_size(list);
    return 0;
}

static int read_small(const json_t *o, qz_service_version *v, qz_err *err)
{
    static const char *const provider_fields[] = {"unit", "name", "source", NULL};
    static const char *const third_fields[] = {"allowed", "consent", "source", NULL};
    static const char *const complaint_fields[] = {"rules", "source", NULL};
    json_t *provider, *third, *complaints, *recipients;
    const char *source, *rules;
    qz_text name;
    if (qz_json_obj(o, "provider", true, &provider, err) ||
        qz_json_obj(o, "third_party", true, &third, err) ||
        qz_json_obj(o, "complaints", true, &complaints, err) ||
        qz_json_arr(o, "recipients", true, &recipients, err))
        return -1;
    if (qz_json_only(provider, provider_fields, err) ||
        qz_json_str(provider, "unit", true, &v->provider_unit, err) ||
        cat_text(provider, "name", true, &name, err) ||
        qz_json_str(provider, "source", true, &source, err)) {
        qz_err_prefix_field(err, "provider");
        return -1;
    }
    if (qz_json_only(third, third_fields, err) ||
        qz_json_bool(third, "allowed", true, &v->third_party, err) ||
        qz_json_str(third, "consent", true, &v->third_party_consent, err) ||
        qz_json_str(third, "source", true, &source, err) ||
        (!cat_consent_known(v->third_party_consent) &&
         qz_err_set(err, QZ_EDATA, "guard.consent_invalid", "consent", v->third_party_consent))) {
        qz_err_prefix_field(err, "third_party");
        return -1;
    }
    if (qz_json_only(complaints, complaint_fields, err) ||
        qz_json_str(complaints, "rules", true, &rules, err) ||
        qz_json_str(complaints, "source", true, &source, err)) {
        qz_err_prefix_field(err, "complaints");
        return -1;
    }
    return 0;
}

/* Runs `call` on member `key` of `o` (named m_) when present and of the wanted type;
 * a missing required member or a wrong type is an error; errors get the member's name. */
#define PART(key, is_type, type_name, call)                                                        \
    do {                                                                                           \
        json_t *m_ = json_object_get(o, key);                                                      \
        if (!m_ && required_part(key)) {                                                           \
            return qz_err_set(err, QZ_EDATA, "json.missing", key, NULL);                           \
        }                                                                                          \
        if (m_ && !is_type(m_))                                                                    \
            return qz_err_set(err, QZ_EDATA, "json.wrong_type", key, type_name);                   \
        if (m_ && (call)) {                                                                        \
            qz_err_prefix_field(err, key);                                                         \
            return -1;                                                                             \
        }                                                                                          \
    } while (0)

static bool required_part(const char *key)
{
    return strcmp(key, "urgencies") != 0 && strcmp(key, "variants") != 0 &&
           strcmp(key, "bundles") != 0;
}

static int read_version(cat_ctx *c, const json_t *o, qz_service_version *v, qz_err *err)
{
    static const char *const fields[] = {
        "in_force",  "name",     "provider",    "recipients", "channels", "terms",
        "urgencies", "variants", "fee",         "documents",  "grounds",  "results",
        "storage",   "bundles",  "third_party", "complaints", "workflow", NULL};
    static const char *const force_fields[] = {"from", "until", "source", NULL};
    json_t *force;
    v->until = QZ_DATE_MAX;
    v->json = o;
    c->v = v;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_obj(o, "in_force", true, &force, err) ||
        cat_text(o, "name", true, &v->name, err) || read_small(o, v, err))
        return -1;
    if (qz_json_only(force, force_fields, err) ||
        qz_json_date(force, "from", true, &v->from, err) ||
        qz_json_date(force, "until", false, &v->until, err) ||
        qz_json_str(force, "source", true, &v->source, err)) {
        qz_err_prefix_field(err, "in_force");
        return -1;
    }
    if (v->from > v->until)
        return qz_err_set(err, QZ_EDATA, "calendar.from_after_until", "in_force.until", NULL);
    if (!cat_listed(c->cat->unit_kinds, v->provider_unit))
        return qz_err_set(err, QZ_EDATA, "workflow.unit_unknown", "provider.unit",
                          v->provider_unit);
    v->urgencies = json_object_get(o, "urgencies");
    PART("channels", json_is_object, "object", read_channels(c, m_, v, err));
    PART("terms", json_is_array, "array",
         cat_term_rules(c, m_, (qz_term_rule **)&v->terms, &v->n_terms, err));
    PART("variants", json_is_array, "array",
         read_coded(c, m_, false, &v->variants, &v->n_variants, err));
    PART("fee", json_is_object, "object", read_fee(m_, v, err));
    PART("documents", json_is_object, "object", read_documents(c, m_, v, err));
    PART("grounds", json_is_array, "array",
         read_coded(c, m_, false, &v->grounds, &v->n_grounds, err));
    PART("results", json_is_array, "array",
         read_coded(c, m_, true, &v->results, &v->n_results, err));
    PART("storage", json_is_object, "object", read_storage(m_, v, err));
    PART("bundles", json_is_array, "array", read_bundles(c, m_, v, err));
    PART("workflow", json_is_object, "object", cat_workflow(c, m_, v, err));
    return 0;
}

static int read_service(cat_ctx *c, const json_t *doc, qz_service *s, qz_err *err)
{
    static const char *const fields[] = {"code", "versions", NULL};
    json_t *versions, *o;
    size_t i;
    if (!json_is_object(doc))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(doc, fields, err) || qz_json_str(doc, "code", true, &s->code, err) ||
        qz_json_arr(doc, "versions", true, &versions, err))
        return -1;
    if (json_array_size(versions) == 0)
        return qz_err_set(err, QZ_EDATA, "json.empty", "versions", NULL);
    qz_service_version *vs = cat_alloc(c->cat, json_array_size(versions), sizeof *vs, err);
    if (!vs)
        return -1;
    json_array_foreach(versions, i, o)
    {
        if (read_version(c, o, &vs[i], err)) {
            cat_prefix_index(err, "versions", i);
            return -1;
        }
        if (i > 0 && vs[i].from <= vs[i - 1].until) {
            qz_err_set(err, QZ_EDATA, "service.versions_overlap", "in_force.from", s->code);
            cat_prefix_index(err, "versions", i);
            return -1;
        }
    }
    s->versions = vs;
    s->n_versions = json_array_size(versions);
    return 0;
}

static int add_service(cat_ctx *c, const char *path, qz_err *err)
{
    qz_catalog *cat = c->cat;
    json_t *doc = qz_json_load_file(path, err);
    if (!doc || cat_keep(cat, doc, err))
        return -1;
    if (cat->n == cat->cap) {
        size_t cap = cat->cap ? cat->cap * 2 : 16;
        qz_service *grown = realloc(cat->services, sizeof *grown * cap);
        if (!grown)
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        cat->services = grown;
        cat->cap = cap;
    }
    qz_service *s = &cat->services[cat->n];
    memset(s, 0, sizeof *s);
    int rc = read_service(c, doc, s, err);
    for (size_t i = 0; rc == 0 && i < cat->n; i++)
        if (strcmp(cat->services[i].code, s->code) == 0)
            rc = qz_err_set(err, QZ_EDATA, "service.duplicate", "code", s->code);
    if (rc == 0 && !(s->file = qz_arena_strdup(&cat->arena, path)))
        rc = qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    if (rc != 0) {
        qz_err_set_file(err, path);
        if (!c->report)
            return -1;
        c->report(c->report_ctx, err); /* go on with the next file */
        c->broken++;
        return 0;
    }
    cat->n++;
    return 0;
}

static int is_json_name(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && name[0] != '.' && strcmp(name + n - 5, ".json") == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Calls each(c, path) for every .json file of dir, in name order. */
static int each_json(cat_ctx *c, const char *dir, int (*each)(cat_ctx *, const char *, qz_err *),
                     qz_err *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    if (!d)
        return qz_err_set(err, QZ_EIO, "file.cannot_open", NULL, dir);
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (!is_json_name(e->d_name))
            continue;
        if (n == cap) {
            char **grown = realloc(names, sizeof *grown * (cap = cap ? 2 * cap : 16));
            if (!grown) {
                rc = qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
                break;
            }
            names = grown;
        }
        if (!(names[n++] = strdup(e->d_name)))
            rc = qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path)
            rc = qz_err_set(err, QZ_EIO, "file.path_too_long", NULL, names[i]);
        else
            rc = each(c, path, err);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

static int add_template(cat_ctx *c, const char *path, qz_err *err)
{
    static const char *const fields[] = {"code", "source", "steps", NULL};
    const char *code, *source;
    json_t *steps, *doc = qz_json_load_file(path, err);
    if (!doc || cat_keep(c->cat, doc, err))
        return -1;
    if (!json_is_object(doc) || qz_json_only(doc, fields, err) ||
        qz_json_str(doc, "code", true, &code, err) ||
        qz_json_str(doc, "source", true, &source, err) ||
        qz_json_obj(doc, "steps", true, &steps, err) ||
        json_object_set((json_t *)c->templates, code, doc)) {
        if (!json_is_object(doc))
            qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
        qz_err_set_file(err, path);
        return -1;
    }
    return 0;
}

/* Each assignment names two roles of the catalogue: who assigns, and whom. */
static int check_assignments(const qz_catalog *cat, const json_t *list, qz_err *err)
{
    static const char *const fields[] = {"by", "assigns", "source", NULL};
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        const char *by, *assigns, *source;
        if (!json_is_object(o) || qz_json_only(o, fields, err) ||
            qz_json_str(o, "by", true, &by, err) ||
            qz_json_str(o, "assigns", true, &assigns, err) ||
            qz_json_str(o, "source", true, &source, err) ||
            (!cat_listed(cat->roles, by) &&
             qz_err_set(err, QZ_EDATA, "workflow.role_unknown", "by", by)) ||
            (!cat_listed(cat->roles, assigns) &&
             qz_err_set(err, QZ_EDATA, "workflow.role_unknown", "assigns", assigns))) {
            if (!json_is_object(o))
                qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
            cat_prefix_index(err, "assignments", i);
            return -1;
        }
    }
    return 0;
}

static int load_roles(qz_catalog *cat, const char *path, qz_err *err)
{
    static const char *const fields[] = {"roles", "unit_kinds", "assignments", NULL};
    json_t *roles, *units, *assignments, *doc = qz_json_load_file(path, err);
    if (!doc || cat_keep(cat, doc, err))
        return -1;
    if (!json_is_object(doc) || qz_json_only(doc, fields, err) ||
        qz_json_arr(doc, "roles", true, &roles, err) ||
        qz_json_arr(doc, "unit_kinds", true, &units, err) ||
        qz_json_arr(doc, "assignments", false, &assignments, err)) {
        if (!json_is_object(doc))
            qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
        qz_err_set_file(err, path);
        return -1;
    }
    cat->roles = roles;
    cat->unit_kinds = units;
    cat->assignments = assignments;
    if (check_assignments(cat, assignments, err)) {
        qz_err_set_file(err, path);
        return -1;
    }
    return 0;
}

/* Every bundle names a service of the catalogue. */
static int check_bundles(const qz_catalog *cat, qz_err *err)
{
    for (size_t i = 0; i < cat->n; i++)
        for (size_t k = 0; k < cat->services[i].n_versions; k++) {
            const qz_service_version *v = &cat->services[i].versions[k];
            for (size_t b = 0; b < v->n_bundles; b++)
                if (!qz_catalog_service(cat, v->bundles[b], err)) {
                    err->code = QZ_EDATA;
                    snprintf(err->field, sizeof err->field, "versions[%zu].bundles[%zu].with", k,
                             b);
                    qz_err_set_file(err, cat->services[i].file);
                    return -1;
                }
        }
    return 0;
}

qz_catalog *qz_catalog_load(const char *dir, const char *workflows_dir, const char *roles_path,
                            const qz_timetable *tt, qz_catalog_report report, void *report_ctx,
                            qz_err *err)
{
    qz_catalog *cat = calloc(1, sizeof *cat);
    json_t *templates = json_object();
    cat_ctx c = {
        .cat = cat, .tt = tt, .templates = templates, .report = report, .report_ctx = report_ctx};
    qz_err_clear(err);
    int rc = cat && templates && cat_keep(cat, templates, err) == 0
                 ? 0
                 : qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    if (rc == 0)
        rc = load_roles(cat, roles_path, err);
    if (rc == 0 && workflows_dir)
        rc = each_json(&c, workflows_dir, add_template, err);
    if (rc == 0)
        rc = each_json(&c, dir, add_service, err);
    if (rc == 0 && c.broken)
        rc = qz_err_setf(err, QZ_EDATA, "catalog.broken_files", NULL, "%zu", c.broken);
    if (rc == 0)
        rc = check_bundles(cat, err);
    if (rc != 0) {
        if (!cat)
            json_decref(templates);
        qz_catalog_free(cat);
        return NULL;
    }
    return cat;
}

void qz_catalog_free(qz_catalog *cat)
{
    if (!cat)
        return;
    for (size_t i = 0; i < cat->n_docs; i++)
        json_decref(cat->docs[i]);
    free(cat->docs);
    qz_arena_free(&cat->arena);
    free(cat->services);
    free(cat);
}
