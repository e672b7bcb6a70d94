/*
 * catalog.h — the service standards, read from the JSON files of catalog/services.
 *
 * A service has versions, each in force between two dates (a case follows the
 * version in force when it was accepted); a version names its channels (each
 * with the schedule whose hours count its terms) and its terms, each selected by
 * variant, channel, department kind and urgency. Every value carries its source
 * in the seeds, or "not in the seeds" for a configurable default.
 *
 * This is the part of the standard the calendar needs; documents, fees and
 * workflows join it in the engine's issue. A loaded catalogue is immutable and
 * may be shared between threads; everything in it is owned by it.
 */
#ifndef QZ_CATALOG_H
#define QZ_CATALOG_H

#include "core/term.h"

enum { QZ_TERM_MAX_CHANNELS = 4 };

typedef struct qz_term_rule {
    const char *variant;    /* NULL: any; else matches the asked (or default) variant */
    const char *department; /* NULL: any; else "regional" or "other" */
    const char *urgency;    /* NULL: any */
    const char *channels[QZ_TERM_MAX_CHANNELS];
    size_t n_channels;      /* 0: any channel */
    qz_term term;
} qz_term_rule;

typedef struct qz_channel {
    const char *code;     /* "psc", "portal" */
    const char *schedule; /* the schedule whose hours count this channel's terms */
    const char *source;
} qz_channel;

typedef struct qz_service_version {
    qz_date from, until; /* in force, inclusive; until = QZ_DATE_MAX when open */
    const char *source;
    const char *name[3];
    const qz_channel *channels;
    size_t n_channels;
    const qz_term_rule *terms;
    size_t n_terms;
} qz_service_version;

typedef struct qz_service {
    const char *code;
    const char *file;
    const qz_service_version *versions;
    size_t n_versions;
} qz_service;

typedef struct qz_catalog qz_catalog;

/* Loads every .json file of `dir` (catalog/services); NULL with err (file, field, reason). */
qz_catalog *qz_catalog_load(const char *dir, qz_err *err);

void qz_catalog_free(qz_catalog *cat);

size_t qz_catalog_count(const qz_catalog *cat);

/* Returns the service with this code, or NULL with err (service.unknown). */
const qz_service *qz_catalog_service(const qz_catalog *cat, const char *code, qz_err *err);

/* Returns the version in force on d, or NULL with err (service.no_version). */
const qz_service_version *qz_service_version_at(const qz_service *s, qz_date d, qz_err *err);

/* Returns the channel, or NULL with err (service.channel_unavailable). */
const qz_channel *qz_service_channel(const qz_service_version *v, const char *code, qz_err *err);

/* What a term is asked for; NULL members are "not given". */
typedef struct qz_term_query {
    const char *channel;
    const char *variant; /* NULL: the version's first variant */
    const char *department;
    const char *urgency;
} qz_term_query;

/* Returns the first term rule matching q, or NULL with err: term.option_needed (value:
 * the option a matching rule needs) or term.no_match. */
const qz_term_rule *qz_service_term(const qz_service_version *v, const qz_term_query *q,
                                    qz_err *err);

#endif
