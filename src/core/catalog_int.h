/*
 * catalog_int.h — private to the catalogue loader (catalog*.c): the container and
 * the helpers that parse one part of a standard. Each helper fills `err` with the
 * field relative to the object it was given; callers prefix their own path.
 */
#ifndef QZ_CATALOG_INT_H
#define QZ_CATALOG_INT_H

#include "core/arena.h"
#include "core/catalog.h"

struct qz_catalog {
    qz_arena arena;
    json_t **docs; /* every JSON document the catalogue borrows strings from; owned */
    size_t n_docs, cap_docs;
    qz_service *services;
    size_t n, cap;
    const json_t *roles;       /* array of {"code", "name"} */
    const json_t *unit_kinds;  /* array of {"code", "name"} */
    const json_t *assignments; /* array of {"by", "assigns", "source"} */
};

typedef struct cat_ctx {
    qz_catalog *cat;
    const qz_timetable *tt;      /* may be NULL */
    const json_t *templates;     /* object: template code -> template document; may be NULL */
    const qz_service_version *v; /* the version being read (its grounds, provider …) */
    qz_catalog_report report;    /* may be NULL: stop at the first broken file */
    void *report_ctx;
    size_t broken; /* files reported */
} cat_ctx;

/* Keeps a document alive for the catalogue's lifetime (takes the reference). */
int cat_keep(qz_catalog *cat, json_t *doc, qz_err *err);

/* n zeroed elements of size `size` from the catalogue's arena (n may be 0). */
void *cat_alloc(qz_catalog *cat, size_t n, size_t size, qz_err *err);

int cat_text(const json_t *o, const char *key, bool required, qz_text *out, qz_err *err);
int cat_term_rule(const json_t *o, qz_term_rule *r, qz_err *err);
int cat_term_rules(cat_ctx *c, const json_t *v, qz_term_rule **out, size_t *n, qz_err *err);
int cat_guard(cat_ctx *c, const json_t *o, const qz_guard **out, qz_err *err);

/* True for the ways a person consents to a request about them: "otp",
 * "power-of-attorney", "none". */
bool cat_consent_known(const char *consent);
int cat_workflow(cat_ctx *c, const json_t *o, qz_service_version *v, qz_err *err);

/* True when `code` is listed in `list` (an array of {"code"}). */
bool cat_listed(const json_t *list, const char *code);

/* Prefixes err's field with "key[i]". */
void cat_prefix_index(qz_err *err, const char *key, size_t i);

#endif
