/*
 * csv.h — reading CSV (RFC 4180) record by record from a stream, in flat memory: one
 * read buffer and one record buffer, reused; a record longer than QZ_CSV_RECORD_MAX is
 * an error, so a file of any length is read in the same memory.
 *
 * Fields are separated by commas, records by CRLF or LF; a field in double quotes may
 * hold commas, line breaks and doubled quotes (""). The text must be UTF-8; a byte-order
 * mark at the start is skipped. Ownership: the reader owns its buffers; a record's fields
 * point into them and are valid until the next call. Not thread safe (one reader, one
 * thread).
 */
#ifndef QZ_REGISTRY_CSV_H
#define QZ_REGISTRY_CSV_H

#include "core/err.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { QZ_CSV_FIELDS_MAX = 64, QZ_CSV_RECORD_MAX = 64 * 1024 };

typedef struct qz_csv qz_csv;

typedef struct qz_csv_record {
    const char *field[QZ_CSV_FIELDS_MAX]; /* NUL-terminated */
    size_t n;                             /* fields */
    int64_t line;                         /* the line the record starts on, from 1 */
} qz_csv_record;

/* A reader of `in` (borrowed, read from its current position): 0, or -1 with err. */
int qz_csv_open(FILE *in, qz_csv **out, qz_err *err);

void qz_csv_close(qz_csv *r);

/* Reads the next record: 1 with *rec, 0 at the end of the stream, -1 with err
 * (csv.quote_unclosed, csv.quote_stray, csv.too_many_fields, csv.record_too_long,
 * csv.not_utf8 with err->value "line N", or a read error). After a malformed record the
 * reader goes on at the next line, so every bad record can be reported. */
int qz_csv_next(qz_csv *r, qz_csv_record *rec, qz_err *err);

/* The bytes read so far (for progress). */
uint64_t qz_csv_offset(const qz_csv *r);

#endif
