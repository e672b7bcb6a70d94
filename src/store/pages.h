/*
 * pages.h — a person's cases and messages a page at a time, newest first, each page one
 * indexed query whatever the size of the tables (cases_applicant, cases_subject,
 * cases_representative, outbox_to): `before` is the id the previous page ended at (0: the
 * newest), `limit` the page's size (1…QZ_PAGE_MAX). Thread safe as the store is.
 */
#ifndef QZ_STORE_PAGES_H
#define QZ_STORE_PAGES_H

#include "store/cases.h"
#include "store/outbox_rows.h"

enum { QZ_PAGE_MAX = 500 };

/* The cases person `iin` is in (as applicant, subject or representative) with an id below
 * `before` (0: any), newest first, at most `limit`, as *n rows in `a` (doc left NULL). */
int qz_store_person_cases_page(qz_store *st, const char *iin, int64_t before, size_t limit,
                               qz_arena *a, qz_case_row **out, size_t *n, qz_err *err);

/* The messages to `iin` with an id below `before` (0: any), newest first, at most `limit`,
 * as *n rows in `a`; those carrying a secret (outbox_rows.h) are never among them. */
int qz_store_outbox_page(qz_store *st, const char *iin, int64_t before, size_t limit, qz_arena *a,
                         qz_outbox_row **out, size_t *n, qz_err *err);

#endif
