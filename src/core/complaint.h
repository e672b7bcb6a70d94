/*
 * complaint.h — the terms of a complaint about a service (platform.md, "Complaints";
 * catalog/complaints.json): the provider forwards it with the administrative file to the
 * reviewing body within N working days of receiving it (unless it satisfies it within
 * them), and it is decided within M working days of its registration, M depending on
 * whom it is addressed to. The numbers are data; this module only counts them.
 */
#ifndef QZ_COMPLAINT_H
#define QZ_COMPLAINT_H

#include "core/term.h"

enum { QZ_COMPLAINT_MAX_ADDRESSEES = 8 };

typedef struct qz_complaint_terms {
    int forward_wd; /* working days to forward it to the reviewing body */
    size_t n_decide;
    struct {
        char to[32]; /* "provider", "quality-authority" */
        int wd;      /* working days to decide it */
    } decide[QZ_COMPLAINT_MAX_ADDRESSEES];
} qz_complaint_terms;

/* Loads catalog/complaints.json at `path`: 0 and *out, or -1 with err (file, field). */
int qz_complaint_terms_load(const char *path, qz_complaint_terms *out, qz_err *err);

/* True when `to` is an addressee the terms know. */
bool qz_complaint_addressee_known(const qz_complaint_terms *t, const char *to);

/*
 * The due instants of a complaint registered at `registered`, addressed to `to`, counted
 * in the working days of unit `u` (the day of registration not counted; each ends at the
 * unit's close): 0 with *forward_by and *decide_by, or -1 with complaint.addressee_unknown
 * or the calendar's error (a date the calendar does not cover).
 */
int qz_complaint_due(const qz_unit_time *u, const qz_complaint_terms *t, const char *to,
                     qz_instant registered, qz_instant *forward_by, qz_instant *decide_by,
                     qz_err *err);

#endif
