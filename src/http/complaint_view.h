/*
 * complaint_view.h — complaints as the API shows them (platform.md, "Complaints"): the
 * complaint with its state, terms, who holds it and what is due now; with, in the full
 * view, the history of its moves (the events of its case whose action is
 * "complaint.*" and whose data names it: store.h) and the actions the caller may take.
 * Encoding only: nothing here reads the store or decides who may see what.
 *
 * Instants are ISO 8601 with the offset of zone z. Every function returns a new JSON
 * reference, or NULL when memory runs out; borrowed inputs are not kept.
 */
#ifndef QZ_HTTP_COMPLAINT_VIEW_H
#define QZ_HTTP_COMPLAINT_VIEW_H

#include "core/complaint.h"
#include "core/strings.h"
#include "store/store.h"

#include <jansson.h>

/* The unit holding complaint k now (its holder_unit, else the unit complained about), or
 * NULL when it is closed. */
const char *qz_complaint_holder_unit(const qz_complaint_terms *t, const qz_complaint_row *k);

/* A line of a list: the complaint's facts, "state", "version", "holder" ({"role","unit"}
 * or null), "due" (forward_by while registered, decide_by while forwarded; null when
 * closed), "overdue" (now is past due), "outcome", "resolution", "closed_at". */
json_t *qz_view_complaint_line(const qz_complaint_terms *t, const qz_complaint_row *k,
                               const qz_zone *z, qz_instant now);

/* A line of the holding unit's inbox (GET /api/v1/inbox), in the shape of a step's line
 * (http/case_view.h) with "kind": "complaint" and the complaint's "id": "step" is its
 * state, "role" who holds it there, "started_at" its registration, "due_at" what is due
 * now, "case_due_at" its decide_by, "mine" whether caller_role holds it. */
json_t *qz_view_complaint_inbox_row(const qz_complaint_terms *t, const qz_complaint_row *k,
                                    const char *caller_role, const qz_zone *z, qz_instant now);

/* The line with "history" (from `events`, those of complaint k) and "actions" (those of
 * its state when `may_act`: each {"name","kind","fields"}, a field {"name","type",
 * "required"} with "values" for a choice). */
/* Adds "court": the rule on going to court after the pre-trial appeal, in kk, ru and en
 * (complaint.court_rule). 0, or -1 when memory runs out. */
int qz_view_complaint_court(json_t *o, const qz_strings *strings);

json_t *qz_view_complaint(const qz_complaint_terms *t, const qz_complaint_row *k, const qz_zone *z,
                          qz_instant now, const qz_event_row *events, size_t n_events,
                          bool may_act);

#endif
