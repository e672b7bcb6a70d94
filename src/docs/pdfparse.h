/*
 * pdfparse.h — the little of PDF's syntax that signing and verifying need (private to
 * src/docs): the last cross-reference's trailer, an object's latest definition, and a
 * dictionary's key. Works on documents written plainly (cairo's, and the updates sign.c
 * appends); anything else is "not found". Pure functions over the caller's bytes.
 */
#ifndef QZ_DOCS_PDFPARSE_H
#define QZ_DOCS_PDFPARSE_H

#include <stdbool.h>
#include <stddef.h>

/* The latest trailer's /Size, /Root and /Info object numbers (info 0 when none), and the
 * offset of the last cross-reference section: true when found. */
bool qz_pdf_trailer(const unsigned char *p, size_t n, long *size, long *root, long *info,
                    long *xref);

/* The latest definition of object `num`: the text between "N 0 obj" and "endobj"
 * (*start, *len); true when found. */
bool qz_pdf_object(const unsigned char *p, size_t n, long num, size_t *start, size_t *len);

/* The first integer after `key` (e.g. "/Pages", "/Kids [") in s[0..len): true when found. */
bool qz_pdf_int_after(const char *s, size_t len, const char *key, long *out);

/* Finds `needle` in p[from..n): its offset, or n. */
size_t qz_pdf_find(const unsigned char *p, size_t n, size_t from, const char *needle);

#endif
