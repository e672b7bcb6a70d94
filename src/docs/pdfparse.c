/*
 * pdfparse.c — searching a plainly written PDF (pdfparse.h): by text, from the end where
 * the latest definitions are.
 */
#include "docs/pdfparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t qz_pdf_find(const unsigned char *p, size_t n, size_t from, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = from; k && i + k <= n; i++)
        if (p[i] == (unsigned char)needle[0] && memcmp(p + i, needle, k) == 0)
            return i;
    return n;
}

/* The last occurrence of needle in p[0..n): its offset, or n. */
static size_t find_last(const unsigned char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
        if (memcmp(p + i, needle, k) == 0)
            return i;
    return n;
}

bool qz_pdf_int_after(const char *s, size_t len, const char *key, long *out)
{
    size_t at = qz_pdf_find((const unsigned char *)s, len, 0, key);
    if (at == len)
        return false;
    size_t i = at + strlen(key);
    while (i < len && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r'))
        i++;
    if (i == len || s[i] < '0' || s[i] > '9')
        return false;
    long v = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9' && v < 100000000000L; i++)
        v = v * 10 + (s[i] - '0');
    *out = v;
    return true;
}

bool qz_pdf_trailer(const unsigned char *p, size_t n, long *size, long *root, long *info,
                    long *xref)
{
    size_t sx = find_last(p, n, "startxref");
    size_t tr = find_last(p, n, "trailer");
    if (sx == n || tr == n || tr > sx)
        return false;
    const char *t = (const char *)p + tr;
    size_t len = sx - tr;
    *info = 0;
    qz_pdf_int_after(t, len, "/Info", info);
    return qz_pdf_int_after(t, len, "/Size", size) && qz_pdf_int_after(t, len, "/Root", root) &&
           qz_pdf_int_after((const char *)p + sx, n - sx, "startxref", xref);
}

bool qz_pdf_object(const unsigned char *p, size_t n, long num, size_t *start, size_t *len)
{
    char head[32];
    snprintf(head, sizeof head, "\n%ld 0 obj", num);
    size_t at = find_last(p, n, head);
    if (at == n)
        return false;
    size_t body = at + strlen(head);
    size_t end = qz_pdf_find(p, n, body, "endobj");
    if (end == n)
        return false;
    *start = body;
    *len = end - body;
    return true;
}
