/*
 * apply.c — filing an application (apply.h): the checks of each part against the
 * catalogue and the store, the engine, and the one write.
 */
#include "app/apply.h"

#include "app/principal.h"

#include <stdio.h>
#include <string.h>

/* The version of the service in force now. */
static const qz_service_version *version_now(const qz_app *app, const char *service, qz_instant now,
                                             qz_err *err)
{
    const qz_rules *r = app->rules;
    const qz_service *s = qz_catalog_service(r->cat, service, err);
    const qz_zone *z = qz_timetable_default_zone(r->tt);
    return s ? qz_service_version_at(s, qz_instant_date(now, qz_zone_offset(z, now)), err) : NULL;
}

/* The channel must be the service's, and every document named one the channel lists,
 * once. */
static int documents_known(const qz_service_version *v, const qz_application *a, qz_err *err)
{
    qz_doc_list l = qz_service_documents(v, a->channel);
    if (!qz_service_channel(v, a->channel, err))
        return -1;
    for (size_t i = 0; i < a->n_documents; i++) {
        bool known = false;
        for (size_t k = 0; k < l.n && !known; k++)
            known = strcmp(l.docs[k].kind, a->documents[i]) == 0;
        if (!known)
            return qz_err_set(err, QZ_EINPUT, "application.document_unknown", "documents",
                              a->documents[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->documents[j], a->documents[i]) == 0)
                return qz_err_set(err, QZ_EINPUT, "application.document_twice", "documents",
                                  a->documents[i]);
    }
    return 0;
}

/* Staff take applications only where they work (the branch, or the unit of their kind
 * that the case routes to: the migration police's desk inside the PSC); a citizen applies
 * for themselves or as a representative. */
static int check_desk(const qz_principal *p, const qz_route *route, const qz_application *a,
                      qz_err *err)
{
    if (!qz_principal_is_staff(p)) {
        bool own = strcmp(a->applicant, p->iin) == 0 ||
                   (a->representative && strcmp(a->representative, p->iin) == 0);
        return own ? 0
                   : qz_err_set(err, QZ_EFORBIDDEN, "application.not_yours", "applicant", p->iin);
    }
    for (size_t i = 0; i < route->n_units; i++)
        if (strcmp(route->units[i].code, p->unit) == 0)
            return 0;
    return qz_err_set(err, QZ_EFORBIDDEN, "case.unit_forbidden", "branch", p->unit);
}

/* The bundled service must be one the main version names in `bundles`, and each once. */
static int bundle_allowed(const qz_apply *ap, size_t k, qz_err *err)
{
    const qz_service_version *v = ap->parts[0].v;
    const char *code = ap->parts[k].app.service;
    bool listed = false;
    for (size_t b = 0; b < v->n_bundles && !listed; b++)
        listed = strcmp(v->bundles[b], code) == 0;
    for (size_t j = 1; j < k && listed; j++)
        listed = strcmp(ap->parts[j].app.service, code) != 0;
    return listed ? 0
                  : qz_err_set(err, QZ_EINPUT, "application.bundle_not_allowed", "bundle", code);
}

static int check_part(const qz_app *app, const qz_principal *p, qz_apply *ap, size_t k,
                      qz_instant now, qz_err *err)
{
    qz_apply_part *x = &ap->parts[k];
    if (!(x->v = version_now(app, x->app.service, now, err)) ||
        (k > 0 && bundle_allowed(ap, k, err)) ||
        qz_route_case(app->store, x->v, x->branch, &x->route, err) ||
        check_desk(p, &x->route, &x->app, err) || documents_known(x->v, &x->app, err))
        return qz_err_as_ref(err); /* every name here came in the request */
    x->app.units = x->route.units;
    x->app.n_units = x->route.n_units;
    if (!x->app.department && x->route.department[0])
        x->app.department = x->route.department;
    return 0;
}

int qz_apply_check(const qz_app *app, const qz_principal *p, qz_apply *ap, qz_instant now,
                   qz_arena *a, qz_err *err)
{
    for (size_t k = 0; k < ap->n; k++)
        if (check_part(app, p, ap, k, now, err))
            return -1;
    if (qz_store_unit_get(app->store, ap->parts[0].branch, a, &ap->branch, err))
        return qz_err_as_ref(err);
    return 0;
}

int qz_apply_accept(const qz_app *app, const qz_principal *p, qz_apply *ap, qz_instant now,
                    qz_err *refusal, qz_err *err)
{
    qz_actor actor = qz_principal_actor(p);
    bool refused = false;
    for (size_t k = 0; k < ap->n; k++) {
        qz_apply_part *x = &ap->parts[k];
        if (qz_engine_accept(app->rules, &x->app, &actor, now, &x->c, &x->ev, err) == 0)
            continue;
        if (strcmp(err->key, "case.documents_missing") != 0)
            return qz_err_as_ref(err); /* the request named what the engine could not find */
        if (!refused)
            *refusal = *err;
        refused = x->refused = true;
        qz_err_clear(err);
    }
    return refused ? 1 : 0;
}

int qz_apply_confirmed(qz_apply *ap, const char *how, qz_err *err)
{
    for (size_t k = 0; how && k < ap->n; k++)
        if (!ap->parts[k].c->data ||
            json_object_set_new(ap->parts[k].c->data, "confirmed_by", json_string(how)))
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    return 0;
}

int qz_apply_file(const qz_app *app, qz_apply *ap, const qz_keep *keep, qz_instant now, qz_err *err)
{
    /* the bundled cases first, the main one last: it is numbered after them and the answer
     * is kept with it */
    for (size_t k = 0; k < ap->n; k++) {
        qz_apply_part *x = &ap->parts[k + 1 < ap->n ? k + 1 : 0];
        ap->changes[k] = (qz_change){.after = x->c, .ev = &x->ev, .region = x->route.region};
    }
    return qz_app_commit(app, ap->changes, ap->n, true, keep, now, err);
}

void qz_apply_clear(qz_apply *ap)
{
    qz_changes_clear(ap->changes, ap->n);
    for (size_t k = 0; k <= QZ_BUNDLE_MAX; k++) {
        qz_events_clear(&ap->parts[k].ev);
        qz_case_free(ap->parts[k].c);
        ap->parts[k].c = NULL;
    }
}
