/*
 * complaints.h — complaints, registered, moved and listed; their moves
 * are events of their case (sqlite_complaint.c).
 * Part of the store's interface: store.h says what holds for all of it (durability,
 * threads, ownership, errors). One header per domain, as the backend's sqlite_*.c files.
 */
#ifndef QZ_STORE_COMPLAINTS_H
#define QZ_STORE_COMPLAINTS_H

#include "store/cases.h"

/*
 * A complaint about a case's service (platform.md, "Complaints"), with the state of its
 * workflow (catalog/complaints.json; core/complaint.h). Its moves are recorded in the
 * hash-chained events of its case (no table of their own): action "complaint.<name>"
 * ("complaint.register" when filed, then "complaint.forward", …), from_state and
 * to_state the complaint's states, data a JSON object whose "complaint" is its id.
 */
typedef struct qz_complaint_row {
    int64_t id; /* read back; ignored on add */
    int64_t case_id;
    const char *region;       /* the case's */
    const char *case_number;  /* the case's number */
    const char *service;      /* the case's service code */
    const char *complainant;  /* IIN */
    const char *against;      /* "provider" or "psc" */
    const char *addressed_to; /* "provider" or "quality-authority" */
    const char *unit;         /* the unit complained about (the provider's, or the branch) */
    const char *text;
    qz_instant registered_at, forward_by, decide_by;
    const char *state;       /* a state of the workflow */
    const char *holder_unit; /* the unit holding it now; NULL: `unit` (or nobody, closed) */
    int64_t version;         /* 1 when registered, +1 on each move */
    const char *outcome;     /* the reviewing body's ("upheld", "rejected"), or NULL */
    const char *resolution;  /* the text of the decision that closed it, or NULL */
    qz_instant due_at;       /* what is due in its state (forward_by, decide_by): the
                                caller's choice (core/complaint.h); QZ_NO_TIME when closed */
    qz_instant closed_at;    /* QZ_NO_TIME while open */
} qz_complaint_row;

/*
 * Registers a complaint in state c->state (version 1) and appends `event` (may be NULL;
 * its data is replaced by {"complaint": the new id}) to its case's chain, atomically: 0
 * and *id (may be NULL), or -1 with the IIN's error, QZ_EINPUT store.field_missing,
 * store.complaint_against, store.complaint_addressee, QZ_ENOTFOUND store.case_not_found,
 * or a database error.
 */
int qz_store_complaint_add(qz_store *st, const qz_complaint_row *c, const qz_event_in *event,
                           int64_t *id, qz_err *err);

/* Reads complaint `id` into *out (strings in `a`): 0, or -1 with QZ_ENOTFOUND
 * store.complaint_not_found. */
int qz_store_complaint_get(qz_store *st, int64_t id, qz_arena *a, qz_complaint_row *out,
                           qz_err *err);

/* A move of a complaint: its new state and holder, what closed it, and its event. */
typedef struct qz_complaint_move {
    int64_t id;
    int64_t expected_version; /* the version the caller read */
    const char *state;
    const char *holder_unit;          /* NULL: the unit complained about, or nobody when closed */
    const char *outcome, *resolution; /* NULL when none */
    qz_instant due_at;                /* what is due now; QZ_NO_TIME when closed */
    qz_instant closed_at;             /* QZ_NO_TIME: still open */
    qz_event_in event;                /* appended to the case's chain */
} qz_complaint_move;

/* Moves a complaint and records the event, atomically: 0 and *version (the new one; may
 * be NULL), or -1 with QZ_ECONFLICT store.stale_version (value: the current version;
 * nothing changed), QZ_ENOTFOUND store.complaint_not_found, QZ_EINPUT store.field_missing,
 * or a database error. */
int qz_store_complaint_move(qz_store *st, const qz_complaint_move *m, int64_t *version,
                            qz_err *err);

/* Which complaints to list: every non-NULL member must match (all NULL: every one). With
 * held_by the others are not looked at: the open complaints that unit holds now (an
 * inbox: one indexed query). */
typedef struct qz_complaint_filter {
    const char *complainant;
    const char *unit; /* the unit complained about, or the one holding it */
    const char *addressed_to;
    const char *region;
    const char *held_by;
} qz_complaint_filter;

/* Lists the complaints that match `f`: the open ones first, soonest due_at first, then
 * the closed ones by decide_by (then by id); at most `limit`
 * (0: no limit), as *n rows in `a`. */
int qz_store_complaint_list(qz_store *st, const qz_complaint_filter *f, size_t limit, qz_arena *a,
                            qz_complaint_row **out, size_t *n, qz_err *err);

#endif
