/*
 * audit.h — verifying the hash chain of events (audit.c, sqlite_audit.c).
 * Part of the store's interface: store.h says what holds for all of it (durability,
 * threads, ownership, errors). One header per domain, as the backend's sqlite_*.c files.
 */
#ifndef QZ_STORE_AUDIT_H
#define QZ_STORE_AUDIT_H

#include "store/store_open.h"

typedef enum qz_audit_kind {
    QZ_AUDIT_EDITED = 1, /* a row's contents no longer match its hash */
    QZ_AUDIT_DELETED,    /* rows are missing before this one */
    QZ_AUDIT_INSERTED,   /* this row was never written by qyzmet's chain */
    QZ_AUDIT_CASE_ROW    /* a case's row disagrees with its events or its document */
} qz_audit_kind;

/* Where and how the chain first breaks. */
typedef struct qz_audit_break {
    qz_audit_kind kind;
    int64_t event_id;                 /* the first broken event (in id order) */
    int64_t case_id;                  /* its case */
    int64_t missing_from, missing_to; /* DELETED by an id gap: the ids missing; else 0 */
    char reason[24];                  /* the evidence: "hash", "prev_hash", "id_gap", "seq_gap",
                                         "seq_repeat", "fork", "skipped"; for a case row,
                                         the field that disagrees */
} qz_audit_break;

/*
 * Walks every event in id order, recomputing the chain: each hash must be SHA-256 of the
 * previous event's hash and the event's own columns (chain.h), ids consecutive from 1,
 * each case's seq consecutive from 1. Returns 0 with *n_events when the chain is whole,
 * 1 with *first_break filled when it is broken, or -1 with err. Removing events from the
 * very end of the chain cannot be seen from the chain alone (nothing after them refers
 * to them); an operator who records the event count detects it.
 *
 * Then, when the chain is whole, replays each case: its row's state must be the state its
 * events last moved it to, its status must agree (an ended status is its state), and its
 * row must say what its document says (state, status, service, applicant, subject);
 * the first case that disagrees is QZ_AUDIT_CASE_ROW with the field as the reason.
 */
int qz_store_audit_verify(qz_store *st, uint64_t *n_events, qz_audit_break *first_break,
                          qz_err *err);

#endif
