/*
 * opts.h — "--name value" and "--flag" options of a subcommand (private to src/cli).
 * Values are borrowed from argv. Not thread safe only in that it writes the caller's
 * slots; no global state.
 */
#ifndef QZ_CLI_OPTS_H
#define QZ_CLI_OPTS_H

#include "core/err.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct qz_opt {
    const char *name;   /* "--db" */
    const char **value; /* receives the value; NULL for a flag */
    bool *flag;         /* set to true when a flag is given */
} qz_opt;

/* Parses argv[0..argc) as the options of `opts` (n of them); a repeated option keeps the
 * last value. 0, or -1 with QZ_EINPUT cli.option_unknown, cli.option_needs_value or
 * cli.too_many_arguments. */
int qz_opts_parse(int argc, char **argv, const qz_opt *opts, size_t n, qz_err *err);

/* -1 with QZ_EINPUT cli.missing_arguments naming `what` when value is NULL. */
int qz_opts_need(const char *value, const char *what, qz_err *err);

#endif
