/*
 * catalog.h — the service standards, read from catalog/ (format: docs/catalog.md).
 *
 * A service has versions, each in force between two dates (a case follows the
 * version in force when it was accepted). A version holds the channels, the
 * binding terms, documents, grounds, results, fee, storage and the workflow: its
 * steps, each with a role, a unit kind, a term and the actions that leave it.
 * Shared sub-workflows (catalog/workflows/, e.g. the hearing before a refusal) are
 * expanded into plain steps while loading, so the engine only ever sees steps.
 *
 * Loading checks every field and every cross-reference (a `next` naming no step, a
 * workflow whose first-advance path never reaches hand-out, a role that does not
 * exist, a schedule that is not in schedules.json …) and reports the first problem
 * with its file and field. A loaded catalogue is immutable, shared freely between
 * threads, and owns everything in it: strings are borrowed from the JSON documents
 * it keeps; free it with qz_catalog_free.
 */
#ifndef QZ_CATALOG_H
#define QZ_CATALOG_H

#include "core/schedule_load.h"
#include "core/term.h"

#include <jansson.h>

enum { QZ_TERM_MAX_CHANNELS = 4 };

/* A text people read: kk, ru, en (en falls back to ru). */
typedef struct qz_text {
    const char *t[3];
} qz_text;

/* Where a term's clock starts. */
typedef enum qz_term_from {
    QZ_FROM_STEP,       /* when the step starts */
    QZ_FROM_ACCEPTANCE, /* when the case was accepted */
    QZ_FROM_STEP_NAMED, /* when step `from_step` last started */
} qz_term_from;

typedef struct qz_term_rule {
    const char *variant;    /* NULL: any; else matches the asked (or default) variant */
    const char *department; /* NULL: any; else "regional" or "other" */
    const char *urgency;    /* NULL: any */
    const char *channels[QZ_TERM_MAX_CHANNELS];
    size_t n_channels; /* 0: any channel */
    qz_term term;
    qz_term_from from;
    const char *from_step; /* QZ_FROM_STEP_NAMED */
} qz_term_rule;

typedef enum qz_guard_kind {
    QZ_GUARD_PAYLOAD_IN,
    QZ_GUARD_PAYLOAD_EQUALS,
    QZ_GUARD_CHANNEL,
    QZ_GUARD_VARIANT,
    QZ_GUARD_CHECK,
    QZ_GUARD_THIRD_PARTY, /* the case concerns someone other than its applicant */
    QZ_GUARD_CONSENT,     /* the version's third-party consent is `key` */
    QZ_GUARD_ALL,
    QZ_GUARD_ANY,
    QZ_GUARD_NOT,
} qz_guard_kind;

/* A condition on a case (docs/catalog.md, GUARD). */
typedef struct qz_guard {
    qz_guard_kind kind;
    const char *key;      /* payload member, channel, variant, check code or consent kind */
    bool yes;             /* THIRD_PARTY: whether the case must have a third party */
    const json_t *values; /* PAYLOAD_IN: array of allowed values; EQUALS: the value; CHECK:
                             "clear"|"hit" string */
    const struct qz_guard *subs;
    size_t n_subs;
} qz_guard;

typedef enum qz_status {
    QZ_STATUS_OPEN,
    QZ_STATUS_READY,
    QZ_STATUS_DONE,
    QZ_STATUS_REFUSED,
    QZ_STATUS_WITHDRAWN,
} qz_status;

typedef enum qz_action_kind {
    QZ_ACTION_ADVANCE,
    QZ_ACTION_REFUSE,
    QZ_ACTION_EXTEND,
    QZ_ACTION_RETURN,
    QZ_ACTION_OTHER,
} qz_action_kind;

typedef enum qz_field_type {
    QZ_FIELD_GROUND,
    QZ_FIELD_OUTCOME,
    QZ_FIELD_TEXT,
    QZ_FIELD_DATE,
    QZ_FIELD_BOOL,
    QZ_FIELD_INT,
    QZ_FIELD_IIN,
    QZ_FIELD_CHOICE,
    QZ_FIELD_STAFF, /* the login of a staff member of role `role`, who then works the
                       case's steps of that role (an assignment) */
} qz_field_type;

typedef struct qz_field_spec {
    const char *name;
    qz_field_type type;
    bool required;
    const json_t *values; /* CHOICE: the allowed strings */
    const char *role;     /* STAFF: the role the person is assigned to */
    int computed_wd;      /* DATE, > 0: not given but computed by the engine, this many
                             working days after the day of acceptance (the interim answer's
                             "apply again after", seed 004 L219) */
} qz_field_spec;

enum { QZ_NOTICE_MAX_ARGS = 4 };

typedef struct qz_action_spec {
    const char *code;
    qz_action_kind kind;
    const char *next;
    size_t next_index; /* index of `next` in the workflow's steps */
    qz_text name;
    const char *role;        /* NULL: the step's role */
    const char *unit;        /* NULL: the step's unit kind */
    const char *set_variant; /* the case becomes this variant; its binding due is recomputed */
    bool restarts_term;      /* the binding term counts again from when the action is taken */
    const qz_guard *guard;
    const qz_field_spec *fields;
    size_t n_fields;
    const char *notice; /* the persons' message when the action is taken (notify.case.<notice>),
                           before the step's and the status's; or NULL */
    const char *notice_args[QZ_NOTICE_MAX_ARGS]; /* the case's data members the message
                                                    states as {4}, {5}, … */
    size_t n_notice_args;
    const char *source;
} qz_action_spec;

typedef struct qz_check_spec {
    const char *code;
    qz_text name;
    const char *source;
} qz_check_spec;

typedef struct qz_step {
    const char *code;
    qz_text name;
    const char *unit; /* unit kind: whose hours count the step's term, whose inbox shows it */
    const char *role;
    const char *party;    /* "subject": the person the case concerns acts, not staff; or NULL */
    const qz_guard *when; /* the step applies only when this holds (NULL: always); a step
                             that does not apply is passed along its first advance action */
    const char *timeout;  /* the action the sweeper takes once the step's due has passed,
                             offered to nobody else; or NULL */
    const char *notice;   /* the persons' message on coming to this step (the strings'
                             notify.case.<notice>) instead of its status's; or NULL */
    bool together;        /* in a "one application" bundle, an action taken here is taken
                             on the linked cases waiting at the same step too */
    const qz_term_rule *terms; /* the step's target term; n_terms 0: none */
    size_t n_terms;
    int deadline_wd; /* >= 0: due that many working days before the case's due; -1: none */
    qz_status status;
    const char *result;
    const qz_check_spec *checks;
    size_t n_checks;
    const qz_action_spec *actions;
    size_t n_actions;
    const char *source;
} qz_step;

typedef struct qz_workflow {
    size_t start; /* index of the start step */
    const qz_step *steps;
    size_t n_steps;
} qz_workflow;

/* The ways a portal request may be confirmed by the applicant (bits of qz_channel.confirm):
 * their EDS, or a one-time password sent to their registered phone. */
enum { QZ_CONFIRM_EDS = 1u << 0, QZ_CONFIRM_OTP = 1u << 1 };

typedef struct qz_channel {
    const char *code;     /* "psc", "portal", "provider" */
    const char *schedule; /* the schedule whose hours count this channel's terms */
    const char *accepted_by, *signed_by, *handed_out_by; /* roles; may be NULL */
    const qz_guard *guard;
    unsigned confirm; /* portal: QZ_CONFIRM_* bits, QZ_CONFIRM_EDS when not given; else 0 */
    const char *confirm_source; /* where the service says so; NULL when not given */
    const char *source;
} qz_channel;

typedef struct qz_document_spec {
    const char *kind;
    qz_text name;
    bool required;
    const qz_guard *when;
    const char *source;
} qz_document_spec;

typedef struct qz_doc_list {
    const char *channel;
    const qz_document_spec *docs;
    size_t n;
} qz_doc_list;

typedef struct qz_coded {
    const char *code;
    qz_text name;
    const char *form; /* results: "paper" | "electronic"; else NULL */
    const char *source;
} qz_coded;

typedef struct qz_service_version {
    qz_date from, until; /* in force, inclusive; until = QZ_DATE_MAX when open */
    const char *source;
    qz_text name;
    const char *provider_unit; /* the unit kind that provides the service */
    const qz_channel *channels;
    size_t n_channels;
    const qz_term_rule *terms;
    size_t n_terms;
    const json_t *urgencies; /* array of strings, or NULL */
    const qz_coded *variants;
    size_t n_variants;
    double fee_mci;
    bool fee_per_document;
    const char *fee_count; /* per document: the payload member counting them; NULL: one */
    const qz_doc_list *documents;
    size_t n_documents;
    const qz_coded *grounds;
    size_t n_grounds;
    const qz_coded *results;
    size_t n_results;
    int storage_psc_months, storage_provider_months;
    const json_t *json;         /* the version as written in the file */
    const char *const *bundles; /* service codes */
    size_t n_bundles;
    bool third_party;
    const char *third_party_consent;
    qz_workflow workflow;
} qz_service_version;

typedef struct qz_service {
    const char *code;
    const char *file;
    const qz_service_version *versions;
    size_t n_versions;
} qz_service;

typedef struct qz_catalog qz_catalog;

/* Called for each broken service file when loading goes on past problems. */
typedef void (*qz_catalog_report)(void *ctx, const qz_err *err);

/*
 * Loads the services of `dir` (catalog/services), expanding the shared workflows of
 * `workflows_dir` (may be NULL when no service uses one), and checks roles, unit kinds
 * and schedules against `roles_path` (catalog/roles.json) and `tt` (may be NULL to skip
 * the schedule check). NULL with err (file, field, reason) on the first problem; with
 * `report`, every broken service file is reported and the others still checked (the
 * result is still NULL when any was broken).
 */
qz_catalog *qz_catalog_load(const char *dir, const char *workflows_dir, const char *roles_path,
                            const qz_timetable *tt, qz_catalog_report report, void *report_ctx,
                            qz_err *err);

void qz_catalog_free(qz_catalog *cat);

size_t qz_catalog_count(const qz_catalog *cat);

/* The i-th service, in file-name order. */
const qz_service *qz_catalog_at(const qz_catalog *cat, size_t i);

/* Returns the service with this code, or NULL with err (service.unknown). */
const qz_service *qz_catalog_service(const qz_catalog *cat, const char *code, qz_err *err);

/* Returns true when `role` is one of the catalogue's roles. */
bool qz_catalog_role_exists(const qz_catalog *cat, const char *role);

/* True when staff of role `by` may assign who works a case's steps of `role`
 * (catalog/roles.json, "assignments"). */
bool qz_catalog_may_assign(const qz_catalog *cat, const char *by, const char *role);

/* Returns the version in force on d, or NULL with err (service.no_version). */
const qz_service_version *qz_service_version_at(const qz_service *s, qz_date d, qz_err *err);

/* The version of service `code` in force from `from` (YYYY-MM-DD, as stored with a case),
 * or NULL with err (service.unknown, date.*, service.no_version). */
const qz_service_version *qz_catalog_version(const qz_catalog *cat, const char *code,
                                             const char *from, qz_err *err);

/* Returns the channel, or NULL with err (service.channel_unavailable). */
const qz_channel *qz_service_channel(const qz_service_version *v, const char *code, qz_err *err);

/* Returns the documents of a channel (n = 0 when none are listed). */
qz_doc_list qz_service_documents(const qz_service_version *v, const char *channel);

/* The step's first action of kind advance (its normal way forward), or NULL. */
const qz_action_spec *qz_step_first_advance(const qz_step *s);

/* Returns the step with this code and its index, or NULL. */
const qz_step *qz_workflow_step(const qz_workflow *w, const char *code, size_t *index);

/* What a term is asked for; NULL members are "not given". */
typedef struct qz_term_query {
    const char *channel;
    const char *variant; /* NULL: the first variant the rules name */
    const char *department;
    const char *urgency;
} qz_term_query;

/* Returns the first rule of rules[0..n) matching q, or NULL with err: term.option_needed
 * (value: the option a matching rule needs) or term.no_match. */
const qz_term_rule *qz_term_rules_match(const qz_term_rule *rules, size_t n, const qz_term_query *q,
                                        qz_err *err);

/* The binding term of a version for q (qz_term_rules_match on its terms). */
const qz_term_rule *qz_service_term(const qz_service_version *v, const qz_term_query *q,
                                    qz_err *err);

/* Returns "open", "ready", "done", "refused" or "withdrawn". */
const char *qz_status_name(qz_status s);

/* Returns "advance", "refuse", "extend", "return" or "other". */
const char *qz_action_kind_name(qz_action_kind k);

/* Returns "ground", "outcome", "text", "date", "bool", "int", "iin" or "choice". */
const char *qz_field_type_name(qz_field_type t);

#endif
