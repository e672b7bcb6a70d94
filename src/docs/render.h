/*
 * render.h — a document (a receipt, a refusal, a result) as PDF, from its template in
 * catalog/documents/KIND.json: A4, the issuing unit above, the title, the template's
 * lines with the document's fields filled in — in one language, or in Kazakh and Russian
 * both where the template is bilingual (the form of the seed is) —, then a Code 128
 * barcode of the document's number (libzint; scanned when the papers change hands) and a
 * QR code of the address that verifies it. Text is laid out by pango in DejaVu Sans,
 * which has every Kazakh letter; cairo subsets the font into the file. The document's
 * kind and number go into the PDF's /Keywords as "qyzmet KIND NUMBER", which verify.h
 * reads back from the signed bytes.
 *
 * Template format (docs/documents.md): {"kind", "source", "bilingual", "title": {kk, ru},
 * "lines": [{kk, ru, "style"?: "body"|"small"|"strong"}], "choices"?: {FIELD: {VALUE:
 * {kk, ru}}}, "sample": {FIELD: VALUE}}. A line's {FIELD} is the field's value, or, when the
 * template lists choices for FIELD, the text of the value's choice in the line's language.
 *
 * Thread safe (each call its own cairo surface; pango's font map is per thread).
 */
#ifndef QZ_DOCS_RENDER_H
#define QZ_DOCS_RENDER_H

#include "core/date.h"
#include "core/err.h"
#include "core/strings.h"
#include "docs/bytes.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct qz_doc_field {
    const char *name, *value;
} qz_doc_field;

typedef struct qz_doc_spec {
    const char *kind;              /* the template: catalog/documents/KIND.json */
    const char *number;            /* the document's number (letters, digits, '-') */
    qz_lang lang;                  /* its language, unless the template is bilingual */
    const char *unit_kk, *unit_ru; /* the issuing unit's name */
    qz_instant issued_at;
    const char *verify_url; /* what the QR code holds */
    const qz_doc_field *fields;
    size_t n_fields;
    bool sample; /* a field not given takes the template's "sample" value (docs, tests) */
    bool dash;   /* a field not given prints as a dash (what the registers do not know) */
} qz_doc_spec;

/* Renders spec into *out (appended): 0, or -1 with err (QZ_ENOTFOUND docs.kind_unknown,
 * QZ_EDATA from the template, docs.render_failed). `strings` gives the texts around the
 * template's (number, date, verify). */
int qz_doc_render(const char *catalog_dir, const qz_strings *strings, const qz_doc_spec *spec,
                  qz_bytes *out, qz_err *err);

/* Whether catalog/documents/KIND.json exists and is bilingual (*bilingual); 0 or -1. */
int qz_doc_template_check(const char *catalog_dir, const char *kind, bool *bilingual, qz_err *err);

#endif
