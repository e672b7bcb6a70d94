/*
 * bytes.c — the buffer of bytes.h, doubling as it grows.
 */
#include "docs/bytes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(qz_bytes *b, size_t more, qz_err *err)
{
    if (b->n + more <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + more)
        cap *= 2;
    unsigned char *p = realloc(b->p, cap);
    if (!p)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    b->p = p;
    b->cap = cap;
    return 0;
}

int qz_bytes_add(qz_bytes *b, const void *data, size_t n, qz_err *err)
{
    if (reserve(b, n + 1, err))
        return -1;
    memcpy(b->p + b->n, data, n);
    b->n += n;
    b->p[b->n] = 0; /* so that the text can be searched as a string up to its first NUL */
    return 0;
}

int qz_bytes_printf(qz_bytes *b, qz_err *err, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0 || reserve(b, (size_t)len + 1, err)) {
        va_end(ap2);
        return len < 0 ? qz_err_set(err, QZ_EINTERNAL, "docs.format", NULL, fmt) : -1;
    }
    vsnprintf((char *)b->p + b->n, (size_t)len + 1, fmt, ap2);
    va_end(ap2);
    b->n += (size_t)len;
    return 0;
}

void qz_bytes_free(qz_bytes *b)
{
    free(b->p);
    *b = (qz_bytes){0};
}
