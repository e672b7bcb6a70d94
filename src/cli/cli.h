/*
 * cli.h — what every `qyzmet` subcommand shares: the language and string catalogue
 * for messages, the catalogue folder, and the exit statuses of contract.md.
 *
 * A subcommand is `int qz_cmd_NAME(qz_cli *cli, int argc, char **argv)` where argv[0]
 * is the subcommand's own name; it prints results to stdout, errors to stderr (in
 * the user's language, through qz_cli_fail) and returns the process exit status.
 */
#ifndef QZ_CLI_H
#define QZ_CLI_H

#include "core/err.h"
#include "core/strings.h"

enum {
    QZ_EXIT_OK = 0,
    QZ_EXIT_FAIL = 1,  /* the answer is "no" (invalid IIN, broken audit) or the data is broken */
    QZ_EXIT_USAGE = 2, /* bad input: malformed arguments, unknown names */
};

typedef struct qz_cli {
    const char *catalog_dir; /* borrowed; catalog/ by default, --catalog or $QYZMET_CATALOG */
    qz_lang lang;            /* from $QYZMET_LANG, else $LANG */
    qz_strings *strings;     /* owned by main; NULL when the string catalogue failed to load */
} qz_cli;

/* Prints `err` as one line on stderr in the user's language; returns `status`. */
int qz_cli_fail(const qz_cli *cli, const qz_err *err, int status);

/* Prints "usage: …" (the text of key `usage_key`) on stderr; returns QZ_EXIT_USAGE. */
int qz_cli_usage(const qz_cli *cli, const char *usage_key);

/* Returns the exit status an error of this code deserves: data and I/O problems 1, the
 * caller's input 2. */
int qz_cli_status_for(const qz_err *err);

/* Builds "<catalog_dir>/<rel>" into buf; -1 with err set when it does not fit. */
int qz_cli_catalog_path(const qz_cli *cli, const char *rel, char *buf, size_t cap, qz_err *err);

int qz_cmd_calendar(qz_cli *cli, int argc, char **argv);
int qz_cmd_catalog(qz_cli *cli, int argc, char **argv);
int qz_cmd_iin(qz_cli *cli, int argc, char **argv);
int qz_cmd_init(qz_cli *cli, int argc, char **argv);
int qz_cmd_user(qz_cli *cli, int argc, char **argv);
int qz_cmd_person(qz_cli *cli, int argc, char **argv);
int qz_cmd_outbox(qz_cli *cli, int argc, char **argv);
int qz_cmd_audit(qz_cli *cli, int argc, char **argv);
int qz_cmd_serve(qz_cli *cli, int argc, char **argv);
int qz_cmd_import(qz_cli *cli, int argc, char **argv);
int qz_cmd_pki(qz_cli *cli, int argc, char **argv);
int qz_cmd_verify(qz_cli *cli, int argc, char **argv);
int qz_cmd_document(qz_cli *cli, int argc, char **argv);

#endif
