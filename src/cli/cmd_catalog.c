/*
 * qyzmet catalog check [DIR] — loads the whole catalogue (calendar, schedules, roles,
 * shared workflows, every service) and prints each broken file with its field and
 * reason, or "ok N services".
 */
#include "cli/cli.h"

#include "core/rules.h"

#include <stdio.h>
#include <string.h>

static void report(void *ctx, const qz_err *err)
{
    qz_cli_fail(ctx, err, QZ_EXIT_FAIL);
}

int qz_cmd_catalog(qz_cli *cli, int argc, char **argv)
{
    qz_rules rules;
    qz_err err;
    if (argc < 2 || argc > 3 || strcmp(argv[1], "check") != 0)
        return qz_cli_usage(cli, "usage.catalog");
    qz_cli local = *cli;
    if (argc == 3)
        local.catalog_dir = argv[2];
    if (qz_rules_load(local.catalog_dir, report, &local, &rules, &err)) {
        if (strcmp(err.key, "catalog.broken_files") != 0) /* those were reported one by one */
            qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
        return QZ_EXIT_FAIL;
    }
    printf("ok %zu services\n", qz_catalog_count(rules.cat));
    qz_rules_free(&rules);
    return QZ_EXIT_OK;
}
