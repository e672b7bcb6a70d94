/*
 * complaint.h — the terms of a complaint about a service (platform.md, "Complaints";
 * catalog/complaints.json): the provider forwards it with the administrative file to the
 * reviewing body within N working days of receiving it (unless it satisfies it within
 * them), and it is decided within M working days of its registration, M depending on
 * whom it is addressed to. The numbers are data; this module only counts them.
 *
 * The complaint's workflow is data too (catalog/complaints.json, "workflow"): its states,
 * which role holds it in each (chosen by the complaint's `against` or `addressed_to`),
 * which term is due then, and the actions the holder may take, with their fields. This
 * module checks a move against that data; it reads no store and knows no unit.
 * Everything here is plain data: loaded once, then read by any number of threads.
 */
#ifndef QZ_COMPLAINT_H
#define QZ_COMPLAINT_H

#include "core/term.h"

#include <jansson.h>

enum {
    QZ_COMPLAINT_MAX_ADDRESSEES = 8,
    QZ_COMPLAINT_MAX_STATES = 8,
    QZ_COMPLAINT_MAX_ACTIONS = 4,
    QZ_COMPLAINT_MAX_FIELDS = 4,
    QZ_COMPLAINT_MAX_VALUES = 4,
    QZ_COMPLAINT_MAX_READERS = 16,
    QZ_COMPLAINT_NAME = 32 /* a name and its NUL */
};

/* A field of an action's data: a text, or a choice among values. */
typedef struct qz_complaint_field {
    char name[QZ_COMPLAINT_NAME];
    bool choice; /* false: a text */
    bool required;
    size_t n_values;
    char values[QZ_COMPLAINT_MAX_VALUES][QZ_COMPLAINT_NAME];
} qz_complaint_field;

typedef struct qz_complaint_action {
    char name[QZ_COMPLAINT_NAME];
    char kind[QZ_COMPLAINT_NAME]; /* "advance" or "close", as the views show it */
    char next[QZ_COMPLAINT_NAME]; /* the state it moves to */
    size_t n_fields;
    qz_complaint_field fields[QZ_COMPLAINT_MAX_FIELDS];
} qz_complaint_action;

/* Who holds a complaint in a state when its `by` member has value `key`. */
typedef struct qz_complaint_holder {
    char key[QZ_COMPLAINT_NAME];
    char role[QZ_COMPLAINT_NAME];
    char unit_kind[QZ_COMPLAINT_NAME]; /* "": the unit complained about; else the unit
                                          that acts as this kind (store/routing.h) */
} qz_complaint_holder;

typedef enum qz_complaint_due_kind {
    QZ_COMPLAINT_DUE_NONE = 0, /* a closed state */
    QZ_COMPLAINT_DUE_FORWARD,
    QZ_COMPLAINT_DUE_DECIDE
} qz_complaint_due_kind;

typedef struct qz_complaint_state {
    char name[QZ_COMPLAINT_NAME];
    qz_complaint_due_kind due;
    bool by_addressee; /* the holder is chosen by addressed_to (else by against) */
    size_t n_holders;
    qz_complaint_holder holders[QZ_COMPLAINT_MAX_ADDRESSEES];
    size_t n_actions; /* 0: closed */
    qz_complaint_action actions[QZ_COMPLAINT_MAX_ACTIONS];
} qz_complaint_state;

/* How far a staff role sees complaints (catalog/complaints.json, "readers"): none of
 * them, those about or held by its own unit, those of its region, or every one. */
typedef enum qz_complaint_scope {
    QZ_SCOPE_NONE = 0,
    QZ_SCOPE_UNIT,
    QZ_SCOPE_REGION,
    QZ_SCOPE_COUNTRY
} qz_complaint_scope;

typedef struct qz_complaint_terms {
    int forward_wd; /* working days to forward it to the reviewing body */
    size_t n_decide;
    struct {
        char to[32]; /* "provider", "quality-authority" */
        int wd;      /* working days to decide it */
    } decide[QZ_COMPLAINT_MAX_ADDRESSEES];
    char start[QZ_COMPLAINT_NAME]; /* the state a complaint is registered in */
    size_t n_states;
    qz_complaint_state states[QZ_COMPLAINT_MAX_STATES];
    size_t n_readers;
    struct {
        char role[QZ_COMPLAINT_NAME];
        qz_complaint_scope scope;
    } readers[QZ_COMPLAINT_MAX_READERS];
    size_t n_against; /* "addressees": to whom a complaint against each party may go */
    struct {
        char against[QZ_COMPLAINT_NAME]; /* "provider", "psc" */
        size_t n;
        char to[QZ_COMPLAINT_MAX_ADDRESSEES][32];
    } addressees[QZ_COMPLAINT_MAX_ADDRESSEES];
} qz_complaint_terms;

/* Loads catalog/complaints.json at `path`: 0 and *out, or -1 with err (file, field). */
int qz_complaint_terms_load(const char *path, qz_complaint_terms *out, qz_err *err);

/* How far staff of `role` see complaints: QZ_SCOPE_NONE for a role the terms do not
 * name as a reader. */
qz_complaint_scope qz_complaint_reader_scope(const qz_complaint_terms *t, const char *role);

/* True when `to` is an addressee the terms know. */
bool qz_complaint_addressee_known(const qz_complaint_terms *t, const char *to);

/* True when a complaint against `against` may be addressed to `to` (catalog/complaints.json
 * "addressees": complaints about PSC staff go to the head of the State Corporation or the
 * authority for informatization, seed 000 item 20; those about the provider to the
 * provider or the quality authority). */
bool qz_complaint_addressee_fits(const qz_complaint_terms *t, const char *against, const char *to);

/*
 * The due instants of a complaint registered at `registered`, addressed to `to`, counted
 * in the working days of unit `u` (the day of registration not counted; each ends at the
 * unit's close): 0 with *forward_by and *decide_by, or -1 with complaint.addressee_unknown
 * or the calendar's error (a date the calendar does not cover).
 */
int qz_complaint_due(const qz_unit_time *u, const qz_complaint_terms *t, const char *to,
                     qz_instant registered, qz_instant *forward_by, qz_instant *decide_by,
                     qz_err *err);

/* The state `name` of the workflow, or NULL. */
const qz_complaint_state *qz_complaint_state_find(const qz_complaint_terms *t, const char *name);

/* Who holds a complaint (against, addressed_to) in state s, or NULL when s is closed or
 * names no holder for it. */
const qz_complaint_holder *qz_complaint_holder_of(const qz_complaint_state *s, const char *against,
                                                  const char *addressed_to);

/* The instant due in state s (forward_by or decide_by), or `none` when s is closed. */
qz_instant qz_complaint_due_in(const qz_complaint_state *s, qz_instant forward_by,
                               qz_instant decide_by, qz_instant none);

/* True when `role` holds a complaint (against, addressed_to) in state s. */
bool qz_complaint_role_holds(const qz_complaint_state *s, const char *role, const char *against,
                             const char *addressed_to);

/*
 * Checks action `name` with `data` (a JSON object or NULL) in state s: 0 and *out (the
 * action of s), or -1 with QZ_EINPUT complaint.action_unknown (field "action"),
 * request.field_missing / request.field_invalid (field: the data member), or
 * complaint.value_unknown (a choice outside its values). Whether the caller may act is
 * qz_complaint_role_holds's question, asked before this one.
 */
int qz_complaint_check_action(const qz_complaint_state *s, const char *name, const json_t *data,
                              const qz_complaint_action **out, qz_err *err);

#endif
