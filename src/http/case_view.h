/*
 * case_view.h — cases as the API shows them (spec/contract.md, HTTP): the case with its
 * steps, history and the actions the caller may take now; the receipt of an accepted
 * application; the refusal receipt naming the missing documents; a unit's inbox line.
 * Encoding only: nothing here reads the store or decides who may see what.
 *
 * Instants are ISO 8601 with the offset in force in the case's zone; texts people read
 * are {"kk","ru"}. Every function returns a new JSON reference, or NULL when memory
 * runs out; borrowed inputs are not kept.
 */
#ifndef QZ_HTTP_CASE_VIEW_H
#define QZ_HTTP_CASE_VIEW_H

#include "core/engine.h"
#include "core/strings.h"
#include "store/store.h"

/* "YYYY-MM-DDTHH:MM:SS+05:00" in zone z, or JSON null for 0 and QZ_NO_TIME. */
json_t *qz_view_instant(const qz_zone *z, qz_instant t);

/* {"kk","ru"} of a catalogue text. */
json_t *qz_view_text(const qz_text *t);

/* The case for `actor`: its facts, "steps" (each run with its role, unit and times),
 * "history" (the stored events) and "actions" (what the actor may do now, each with
 * the fields it needs and, for grounds, outcomes and choices, the allowed values). */
json_t *qz_view_case(const qz_rules *r, const qz_case *c, const qz_event_row *events,
                     size_t n_events, const qz_actor *actor);

/* Who took an application, and where. Borrowed strings. */
typedef struct qz_desk {
    const qz_actor *actor;
    const qz_unit_row *branch; /* the PSC branch */
    qz_instant at;             /* when the application was received */
} qz_desk;

/* The answer to an accepted application: {"id","number","state","status","due_at",
 * "receipt"}, the receipt naming the service, the branch, who took it and when, the
 * documents taken (kinds and names), the binding due and the hand-out date. */
json_t *qz_view_accepted(const qz_rules *r, const qz_case *c, const qz_desk *desk);

/* Sets on o "due_provisional" (the case's binding due lies in a provisional year of the
 * calendar: it may move when the act moving days off is published or Kurban Ait announced)
 * and "due_notice": {"kk","ru","en"} saying so, or null. -1 when memory runs out. */
int qz_view_due_notice(json_t *o, const qz_rules *r, const qz_strings *s, const qz_case *c);

/* The refusal receipt of an incomplete application: the service, the branch, who refused
 * and when, the documents given and each missing one (kind and names). */
json_t *qz_view_refusal(const qz_service_version *v, const qz_application *app, const qz_desk *desk,
                        const qz_zone *z);

/* One line of an inbox at `now`: the step, its case, whether it is overdue or at risk
 * (less than a quarter of the step's term left, or the case itself at risk), who was
 * assigned it, and whether it is the caller's to work (their role, and them if assigned). */
json_t *qz_view_inbox_row(const qz_inbox_row *row, const qz_actor *caller, const qz_zone *z,
                          qz_instant now);

#endif
