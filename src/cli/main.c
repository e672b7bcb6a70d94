/*
 * qyzmet — the command line. Dispatches to one subcommand (cli.h); global options
 * come before it: --catalog DIR, --lang kk|ru|en. Without --catalog or $QYZMET_CATALOG
 * the catalogue is the one next to the program (catalog_dir.h).
 */
#include "cli/catalog_dir.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct command {
    const char *name;
    int (*run)(qz_cli *cli, int argc, char **argv);
} command;

static const command commands[] = {
    {"audit", qz_cmd_audit},       {"calendar", qz_cmd_calendar}, {"catalog", qz_cmd_catalog},
    {"document", qz_cmd_document}, {"iin", qz_cmd_iin},           {"import", qz_cmd_import},
    {"init", qz_cmd_init},         {"outbox", qz_cmd_outbox},     {"person", qz_cmd_person},
    {"pki", qz_cmd_pki},           {"serve", qz_cmd_serve},       {"user", qz_cmd_user},
    {"verify", qz_cmd_verify},
};

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

int main(int argc, char **argv)
{
    const char *beside = qz_cli_find_catalog(argc > 0 ? argv[0] : NULL);
    qz_cli cli = {
        .catalog_dir = env_or("QYZMET_CATALOG", beside ? beside : "catalog"),
        .lang = qz_lang_from_tag(env_or("QYZMET_LANG", env_or("LANG", "en"))),
    };
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--catalog") == 0)
            cli.catalog_dir = argv[i + 1];
        else if (strcmp(argv[i], "--lang") == 0)
            cli.lang = qz_lang_from_tag(argv[i + 1]);
        else
            break;
    }

    char dir[4096];
    qz_err err;
    qz_err_clear(&err);
    if (qz_cli_catalog_path(&cli, "strings", dir, sizeof dir, &err) == 0)
        cli.strings = qz_strings_load(dir, &err);
    if (!cli.strings) {
        qz_cli_fail(&cli, &err, 0); /* keep going: messages then print as their keys */
        /* English only: without the catalogue there are no translated strings */
        fprintf(stderr, "qyzmet: no catalogue at %s; give --catalog DIR or QYZMET_CATALOG\n",
                cli.catalog_dir);
    }

    int status = QZ_EXIT_USAGE;
    const command *cmd = NULL;
    for (size_t k = 0; i < argc && k < sizeof commands / sizeof commands[0]; k++)
        if (strcmp(argv[i], commands[k].name) == 0)
            cmd = &commands[k];
    if (cmd)
        status = cmd->run(&cli, argc - i, argv + i);
    else
        qz_cli_usage(&cli, "usage.main");
    qz_strings_free(cli.strings);
    return status;
}
