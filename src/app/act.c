/*
 * act.c — acting on a case and assigning its steps (act.h).
 */
#include "app/act.h"

#include "app/case_access.h"
#include "app/write.h"
#include "store/case_store.h"

#include <stdio.h>
#include <string.h>

/* The region of case c: its branch's. */
static const char *case_region(const qz_app *app, const qz_case *c, qz_arena *a)
{
    qz_unit_row u;
    qz_err err;
    const qz_unit_ref *b = qz_case_unit(c, "psc");
    return b && qz_store_unit_get(app->store, b->code, a, &u, &err) == 0 ? u.region : NULL;
}

/* Writes n, the change of c the engine made at `now` with events ev, and its
 * notifications: n, or NULL with err (n freed). Clears ev. */
static qz_case *commit(const qz_app *app, const qz_case *c, qz_case *n, qz_events *ev,
                       qz_instant now, qz_arena *a, qz_err *err)
{
    qz_change ch = {.before = c, .after = n, .ev = ev, .region = case_region(app, c, a)};
    if (n && qz_app_commit(app, &ch, 1, false, NULL, now, err) != 0) {
        qz_case_free(n);
        n = NULL;
    }
    qz_events_clear(ev);
    return n;
}

static qz_case *act_one(const qz_app *app, const qz_case *c, const char *action, const json_t *data,
                        const qz_principal *p, qz_arena *a, qz_err *err)
{
    qz_actor actor = qz_principal_actor(p);
    qz_instant now = qz_clock_now(app->clock);
    qz_events ev = {0};
    qz_case *n = NULL;
    if (qz_case_staff_fields(app->store, c, action, data, a, err) ||
        qz_engine_apply(app->rules, c, action, data, &actor, now, &n, &ev, err)) {
        qz_err_as_ref(err); /* the case is there: what is missing was named in the request */
        n = NULL;
    }
    return commit(app, c, n, &ev, now, a, err);
}

/* After `action` was taken on case c at a step its bundle takes together (the intake of a
 * "one application": one certification, one consent), takes it on each linked case
 * waiting at the same step. Each is a write of its own: one that fails (taken meanwhile,
 * say) stays where it is, to be acted on by itself, and is reported on stderr. */
static void act_on_bundle(const qz_app *app, const qz_case *c, const char *action,
                          const json_t *data, const qz_principal *p, qz_arena *a)
{
    const qz_step *s = qz_case_step(c);
    const json_t *ids = json_object_get(c->data, "bundle");
    size_t i;
    json_t *id;
    if (!s->together)
        return;
    json_array_foreach(ids, i, id)
    {
        qz_err err;
        qz_case *linked = qz_case_load(app->store, app->rules->cat, json_integer_value(id), &err),
                *n = NULL;
        if (linked && strcmp(qz_case_step(linked)->code, s->code) == 0 &&
            !(n = act_one(app, linked, action, data, p, a, &err)))
            fprintf(stderr, "qyzmet: %s of the bundle's case %s: %s\n", action, linked->number,
                    err.key);
        qz_case_free(n);
        qz_case_free(linked);
    }
}

qz_case *qz_case_act(const qz_app *app, const qz_case *c, const char *action, const json_t *data,
                     const qz_principal *p, qz_arena *a, qz_err *err)
{
    qz_case *n = act_one(app, c, action, data, p, a, err);
    if (n)
        act_on_bundle(app, c, action, data, p, a);
    return n;
}

qz_case *qz_case_assign(const qz_app *app, const qz_case *c, const char *role, const char *login,
                        const qz_principal *p, qz_arena *a, qz_err *err)
{
    qz_actor actor = qz_principal_actor(p);
    qz_instant now = qz_clock_now(app->clock);
    qz_events ev = {0};
    qz_case *n = NULL;
    if (qz_case_staff_check(app->store, c, role, login, a, err) ||
        qz_engine_assign(app->rules, c, &actor, role, login, now, &n, &ev, err)) {
        qz_err_as_ref(err);
        n = NULL;
    }
    return commit(app, c, n, &ev, now, a, err);
}
