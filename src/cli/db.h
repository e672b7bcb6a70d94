/*
 * db.h — what the commands that use the store share (private to src/cli): opening an
 * existing database, the catalogue's code lists (roles, regions), printing JSON lines,
 * and the clock.
 */
#ifndef QZ_CLI_DB_H
#define QZ_CLI_DB_H

#include "cli/cli.h"
#include "core/rules.h"
#include "store/store.h"

#include <jansson.h>
#include <stdbool.h>

/* Opens the database `target`, which must already exist unless it is a URL (only
 * `init` creates one): -1 with QZ_EIO cli.db_missing otherwise. */
int qz_cli_db_open(const char *target, qz_store **st, qz_err *err);

/* 0 when `code` is the "code" of an entry of array `list` in catalogue file `file`
 * ("roles.json", "roles"); -1 with QZ_EINPUT `unknown_key` (value: code), or the file's
 * error. */
int qz_cli_code_check(const qz_cli *cli, const char *file, const char *list, const char *code,
                      const char *unknown_key, qz_err *err);

/* Prints obj as one compact line of JSON on stdout, and releases it (obj may be NULL,
 * which is out of memory). 0, or -1 with err. */
int qz_cli_print_json(json_t *obj, qz_err *err);

/* The current time; -1 with err when the clock fails. */
int qz_cli_now(qz_instant *now, qz_err *err);

/* Writes an instant as ISO 8601 at UTC+5, Kazakhstan's one offset since 2024-03-01
 * (QZ_INSTANT_STR bytes). */
char *qz_cli_instant(qz_instant t, char *buf);

/* Counts again the dues of the open cases of `st` that cross a day the calendar of `rules`
 * changed since the store last saw it (app/calendar_reload.h), notifying their persons;
 * prints what it did (with `quiet`, only when a case moved). 0, or -1 with err. Used by
 * `calendar reload` and at the start of `serve`. */
int qz_cli_calendar_reload(const qz_cli *cli, const qz_rules *rules, qz_store *st, qz_instant now,
                           bool quiet, qz_err *err);

#endif
