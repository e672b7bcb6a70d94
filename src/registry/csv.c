/*
 * csv.c — the RFC 4180 reader of csv.h: a byte state machine over a 1 MiB read buffer,
 * copying each field's bytes (unquoted, "" made one quote) into the record buffer.
 */
#include "registry/csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { READ_BUF = 1 << 20 };

struct qz_csv {
    FILE *in;
    unsigned char *buf;
    size_t len, pos;
    bool eof;
    uint64_t offset;
    int64_t line; /* the line of the next byte */
    char rec[QZ_CSV_RECORD_MAX + 1];
};

int qz_csv_open(FILE *in, qz_csv **out, qz_err *err)
{
    qz_csv *r = calloc(1, sizeof *r);
    if (r)
        r->buf = malloc(READ_BUF);
    if (!r || !r->buf) {
        free(r);
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    r->in = in;
    r->line = 1;
    *out = r;
    return 0;
}

void qz_csv_close(qz_csv *r)
{
    if (r) {
        free(r->buf);
        free(r);
    }
}

uint64_t qz_csv_offset(const qz_csv *r)
{
    return r->offset;
}

/* Refills the buffer and returns its first byte, as next_byte. */
static int refill(qz_csv *r, qz_err *err)
{
    if (r->eof)
        return -1;
    r->len = fread(r->buf, 1, READ_BUF, r->in);
    r->pos = 0;
    if (r->len < READ_BUF) {
        if (ferror(r->in)) {
            qz_err_set(err, QZ_EIO, "csv.read_failed", NULL, NULL);
            return -2;
        }
        r->eof = true;
    }
    if (r->len == 0)
        return -1;
    r->offset++;
    int c = r->buf[r->pos++];
    if (c == '\n')
        r->line++;
    return c;
}

/* The next byte, or -1 at the end (-2 with err on a read error). */
static inline int next_byte(qz_csv *r, qz_err *err)
{
    if (r->pos == r->len)
        return refill(r, err);
    r->offset++;
    int c = r->buf[r->pos++];
    if (c == '\n')
        r->line++;
    return c;
}

static int peek_byte(qz_csv *r)
{
    if (r->pos == r->len) {
        if (r->eof)
            return -1;
        r->len = fread(r->buf, 1, READ_BUF, r->in);
        r->pos = 0;
        if (r->len < READ_BUF)
            r->eof = true;
        if (r->len == 0)
            return -1;
    }
    return r->buf[r->pos];
}

/* Skips to the start of the next line after a malformed record. */
static void skip_line(qz_csv *r)
{
    int c;
    qz_err ignored;
    while ((c = next_byte(r, &ignored)) >= 0 && c != '\n') {
    }
}

/* Whether s[0..n) is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
static bool utf8_ok(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t len = c < 0x80             ? 1
                     : (c & 0xE0) == 0xC0 ? 2
                     : (c & 0xF0) == 0xE0 ? 3
                     : (c & 0xF8) == 0xF0 ? 4
                                          : 0;
        if (!len || i + len > n || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4))
            return false;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
        if (len == 3 && ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0)))
            return false;
        if (len == 4 && ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90)))
            return false;
        i += len;
    }
    return true;
}

static int bad(qz_csv *r, int64_t line, const char *key, qz_err *err)
{
    skip_line(r);
    return qz_err_setf(err, QZ_EINPUT, key, NULL, "%lld", (long long)line);
}

int qz_csv_next(qz_csv *r, qz_csv_record *rec, qz_err *err)
{
    if (r->offset == 0 && peek_byte(r) == 0xEF) { /* a UTF-8 byte-order mark */
        next_byte(r, err);
        if (next_byte(r, err) != 0xBB || next_byte(r, err) != 0xBF)
            return bad(r, 1, "csv.not_utf8", err);
    }
    int c = next_byte(r, err);
    if (c == -2)
        return -1;
    if (c == -1)
        return 0;
    rec->line = r->line - (c == '\n');
    rec->n = 0;
    size_t len = 0, start = 0;
    bool quoted = false, was_quoted = false;
    for (;;) {
        if (c == -2)
            return -1;
        if (quoted) {
            if (c == -1)
                return qz_err_setf(err, QZ_EINPUT, "csv.quote_unclosed", NULL, "%lld",
                                   (long long)rec->line);
            if (c == '"') {
                if (peek_byte(r) == '"') {
                    next_byte(r, err);
                } else {
                    quoted = false;
                    c = next_byte(r, err);
                    if (c != ',' && c != '\n' && c != '\r' && c != -1)
                        return c == -2 ? -1 : bad(r, rec->line, "csv.quote_stray", err);
                    continue;
                }
            }
        } else if (c == ',' || c == '\n' || c == -1 || c == '\r') {
            if (c == '\r') {
                if (peek_byte(r) != '\n')
                    return bad(r, rec->line, "csv.quote_stray", err);
                c = next_byte(r, err);
            }
            if (rec->n == QZ_CSV_FIELDS_MAX) {
                if (c == ',')
                    skip_line(r);
                return qz_err_setf(err, QZ_EINPUT, "csv.too_many_fields", NULL, "%lld",
                                   (long long)rec->line);
            }
            r->rec[len] = '\0';
            if (!utf8_ok((const unsigned char *)r->rec + start, len - start)) {
                if (c == ',')
                    skip_line(r);
                return qz_err_setf(err, QZ_EINPUT, "csv.not_utf8", NULL, "%lld",
                                   (long long)rec->line);
            }
            rec->field[rec->n++] = r->rec + start;
            start = ++len;
            if (c != ',')
                return 1;
            was_quoted = false;
            c = next_byte(r, err);
            continue;
        } else if (c == '"') {
            if (len != start || was_quoted)
                return bad(r, rec->line, "csv.quote_stray", err);
            quoted = was_quoted = true;
            c = next_byte(r, err);
            continue;
        }
        if (len >= QZ_CSV_RECORD_MAX - 1) {
            if (!quoted)
                skip_line(r);
            return qz_err_setf(err, QZ_EINPUT, "csv.record_too_long", NULL, "%lld",
                               (long long)rec->line);
        }
        r->rec[len++] = (char)c;
        c = next_byte(r, err);
    }
}
