/*
 * qyzmet audit verify --db PATH — walks the hash chain of every event and prints
 * "ok N events" (exit 0), or the first broken link: the event, its case, and whether
 * it was edited, deleted around or inserted; or the first case whose row disagrees with
 * its events or its document, and the field (exit 1).
 */
#include "cli/cli.h"
#include "cli/db.h"
#include "cli/opts.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Prints the first break, in the user's language, on stdout. */
static int print_break(const qz_cli *cli, const qz_audit_break *b)
{
    char id[24], kase[24], from[24], to[24], line[512];
    snprintf(id, sizeof id, "%" PRId64, b->event_id);
    snprintf(kase, sizeof kase, "%" PRId64, b->case_id);
    snprintf(from, sizeof from, "%" PRId64, b->missing_from);
    snprintf(to, sizeof to, "%" PRId64, b->missing_to);
    const char *args[] = {id, kase, b->kind == QZ_AUDIT_DELETED && b->missing_to ? from : b->reason,
                          to};
    const char *key = b->kind == QZ_AUDIT_CASE_ROW                   ? "cli.audit_case_row"
                      : b->kind == QZ_AUDIT_EDITED                   ? "cli.audit_edited"
                      : b->kind == QZ_AUDIT_INSERTED                 ? "cli.audit_inserted"
                      : b->kind == QZ_AUDIT_DELETED && b->missing_to ? "cli.audit_deleted_ids"
                                                                     : "cli.audit_deleted";
    qz_strings_format(cli->strings, cli->lang, key, NULL, args, 4, line, sizeof line);
    printf("%s\n", line);
    return QZ_EXIT_FAIL;
}

int qz_cmd_audit(qz_cli *cli, int argc, char **argv)
{
    const char *db = NULL;
    const qz_opt opts[] = {{"--db", &db, NULL}};
    qz_store *st;
    qz_audit_break brk;
    uint64_t n = 0;
    qz_err err;
    qz_err_clear(&err);
    if (argc < 2 || strcmp(argv[1], "verify") != 0)
        return qz_cli_usage(cli, "usage.audit");
    if (qz_opts_parse(argc - 2, argv + 2, opts, 1, &err) || qz_opts_need(db, "--db PATH", &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    if (qz_cli_db_open(db, &st, &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
    int r = qz_store_audit_verify(st, &n, &brk, &err);
    qz_store_close(st);
    if (r < 0)
        return qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
    if (r == 1)
        return print_break(cli, &brk);
    printf("ok %" PRIu64 " events\n", n);
    return QZ_EXIT_OK;
}
