/*
 * engine.h — the case engine: a case, an action, an actor and an instant in; the
 * new case and its events out. No I/O, no clock, no globals: everything it needs
 * comes from the loaded rules (calendar, schedules, catalogue), so it is tested
 * exhaustively in memory and safe from any number of threads.
 *
 * The engine knows cases, steps, terms, roles and guards, never a particular
 * service: it walks the workflow of the case's version. The overall term (computed
 * at acceptance from the version's terms) binds; step terms are targets; a case is
 * at risk when the working days its remaining steps need no longer fit before the
 * overall due instant. The actions an actor may take are computed from the current
 * step (role, unit, guard), each with the fields it needs.
 */
#ifndef QZ_ENGINE_H
#define QZ_ENGINE_H

#include "core/case.h"
#include "core/rules.h"

/* Who acts: a login with a role in a unit (staff), or a person by IIN (citizens, whose
 * unit is NULL). Borrowed strings. */
typedef struct qz_actor {
    const char *login;
    const char *role;
    const char *unit;
    const char *iin;
} qz_actor;

/* An application as it arrives at the desk or the portal. Borrowed. */
typedef struct qz_application {
    const char *service, *channel;
    const char *department, *urgency, *variant; /* NULL when not given */
    const char *lang;                           /* "kk" or "ru" */
    const char *applicant, *subject, *representative;
    const qz_unit_ref *units; /* the PSC branch (kind "psc") and the provider units */
    size_t n_units;
    const char *const *documents; /* kinds given */
    size_t n_documents;
    const json_t *payload; /* object, may be NULL */
} qz_application;

/*
 * Accepts an application at `now`: checks the channel (and its guard), the actor's
 * role, the options (variant, urgency, department), the documents, and computes the
 * binding due instant and the first step. 0 with *out (free with qz_case_free) and
 * one event appended to ev; or -1 with err: case.documents_missing (value: the
 * missing kinds, comma-separated; qz_engine_missing lists them), service.*, term.*,
 * case.role_forbidden, case.option_invalid.
 */
int qz_engine_accept(const qz_rules *r, const qz_application *app, const qz_actor *actor,
                     qz_instant now, qz_case **out, qz_events *ev, qz_err *err);

/* Lists the required documents an application lacks for its channel, writing up to
 * `cap` kinds (borrowed from the catalogue) into missing; returns how many lack. */
size_t qz_engine_missing(const qz_service_version *v, const qz_application *app,
                         const char **missing, size_t cap);

/*
 * Applies `action` with `data` (an object of the action's fields; may be NULL) to
 * case c by actor at `now`. 0 with *out (a new case; c is unchanged) and the event
 * appended to ev; or -1 with err: case.action_unknown, case.role_forbidden,
 * case.unit_forbidden, case.not_the_person (a step of the person concerned taken by
 * someone else), case.assigned_to_other (the step's role was assigned to another),
 * case.guard_failed, case.field_missing, case.field_invalid, case.field_unknown, case.ended. A
 * step's timeout action is the sweeper's: for anyone else it is case.action_unknown.
 */
int qz_engine_apply(const qz_rules *r, const qz_case *c, const char *action, const json_t *data,
                    const qz_actor *actor, qz_instant now, qz_case **out, qz_events *ev,
                    qz_err *err);

/* An action the actor may take now. */
typedef struct qz_action_view {
    const qz_action_spec *spec; /* name, kind, fields: borrowed from the catalogue */
} qz_action_view;

/* Fills up to `cap` actions the actor may take now on c; returns how many there are. */
size_t qz_engine_actions(const qz_rules *r, const qz_case *c, const qz_actor *actor,
                         qz_action_view *out, size_t cap);

/* True when the actor may act on the case's current step: by role and unit (and, when
 * someone was assigned to that role, being them), or, on a step of the person the case
 * concerns (its subject, else its applicant), as that person. */
bool qz_engine_may_act(const qz_case *c, const qz_actor *actor, const qz_action_spec *a);

/*
 * Assigns `login` (a staff member the caller has checked: of `role`, in one of the case's
 * units) to work the case's steps of `role`: from then on only they are offered those
 * steps. The actor's role must assign `role` (catalog/roles.json "assignments") and the
 * actor be staff of one of the case's units. 0 with *out and the event "assign"; -1 with
 * err: case.ended, case.assign_forbidden, case.unit_forbidden, case.field_invalid.
 */
int qz_engine_assign(const qz_rules *r, const qz_case *c, const qz_actor *actor, const char *role,
                     const char *login, qz_instant now, qz_case **out, qz_events *ev, qz_err *err);

/*
 * Takes the current step's timeout action when the step's due has passed at `now`
 * (the consent not given in time …), as `actor` (the sweeper). 0 with *out the new
 * case, or *out NULL when nothing is due; -1 with err as qz_engine_apply.
 */
int qz_engine_expire(const qz_rules *r, const qz_case *c, const qz_actor *actor, qz_instant now,
                     qz_case **out, qz_events *ev, qz_err *err);

/*
 * Counts the dues of case c again with the rules' calendar, after its data changed (an act
 * moving days off published, Kurban Ait announced): the binding due from the acceptance
 * and the current step's target from the step's start. A due is never brought earlier
 * (docs/calendar-sources.md, "A change that would bring a due earlier"): only a later one
 * is taken. 0 with *out NULL when nothing moved (or the case has ended); else *out the
 * case with the moved dues and the at-risk flag counted again, and one event "due_moved"
 * appended to ev (data: "due_at" and "step_due_at", each {"from","to"} when it moved, and
 * "reason" when given). -1 with err as the calendar's (calendar.year_not_covered).
 */
int qz_engine_recount_dues(const qz_rules *r, const qz_case *c, const qz_actor *actor,
                           const char *reason, qz_instant now, qz_case **out, qz_events *ev,
                           qz_err *err);

/* The time zone of the case (its PSC's zone; the default one for now). */
const qz_zone *qz_engine_zone(const qz_rules *r, const qz_case *c);

#endif
