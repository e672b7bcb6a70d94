/*
 * rows.h — what a register's row must be before it is written (docs/registers.md): a
 * file's header mapped to the register's columns, and each row checked field by field
 * (IINs and BINs by their check digit, a person's birth date and sex as the IIN encodes
 * them, dates, the closed lists of values, phone numbers, text in reason).
 *
 * Pure functions of their input; thread safe.
 */
#ifndef QZ_REGISTRY_ROWS_H
#define QZ_REGISTRY_ROWS_H

#include "registry/csv.h"
#include "store/registry.h"

/* Where each column of `kind` is in a record of the file: map[col] is its field index,
 * or -1 when the file has no such column (optional ones only). 0, or -1 with QZ_EINPUT
 * registry.column_missing (field: the column) or registry.column_repeated. */
int qz_reg_header(qz_register kind, const qz_csv_record *header, int map[QZ_REG_MAX_FIELDS],
                  qz_err *err);

/* Fills *row from record `rec` through `map` (fields borrowed from rec; an empty field
 * becomes NULL) and checks it: 0, or -1 with QZ_EINPUT and the reason (field: the
 * column, value: what was found). */
int qz_reg_row_read(qz_register kind, const int map[QZ_REG_MAX_FIELDS], const qz_csv_record *rec,
                    qz_reg_row *row, qz_err *err);

/* Checks a row whose fields are already in place (as qz_reg_row_read does). */
int qz_reg_row_check(qz_register kind, const qz_reg_row *row, qz_err *err);

#endif
