/*
 * bytes.h — a growable byte buffer (a document being made). Owned by whoever declared it;
 * free with qz_bytes_free. Not thread safe.
 */
#ifndef QZ_DOCS_BYTES_H
#define QZ_DOCS_BYTES_H

#include "core/err.h"

#include <stddef.h>

typedef struct qz_bytes {
    unsigned char *p;
    size_t n, cap;
} qz_bytes;

/* Appends n bytes: 0, or -1 with QZ_ENOMEM. */
int qz_bytes_add(qz_bytes *b, const void *data, size_t n, qz_err *err);

/* Appends printf-formatted text: 0, or -1 with QZ_ENOMEM. */
int qz_bytes_printf(qz_bytes *b, qz_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void qz_bytes_free(qz_bytes *b);

#endif
