#include "cli/cli.h"

#include <stdio.h>

int qz_cli_fail(const qz_cli *cli, const qz_err *err, int status)
{
    char line[1024];
    fprintf(stderr, "qyzmet: %s\n",
            qz_strings_error(cli->strings, cli->lang, err, line, sizeof line));
    return status;
}

int qz_cli_usage(const qz_cli *cli, const char *usage_key)
{
    fprintf(stderr, "%s: %s\n", qz_strings_get(cli->strings, cli->lang, "cli.usage"),
            qz_strings_get(cli->strings, cli->lang, usage_key));
    return QZ_EXIT_USAGE;
}

int qz_cli_status_for(const qz_err *err)
{
    switch (err->code) {
    case QZ_EINPUT:
    case QZ_ERANGE:
    case QZ_ENOTFOUND:
    case QZ_EREF:
        return QZ_EXIT_USAGE;
    default:
        return QZ_EXIT_FAIL;
    }
}

int qz_cli_catalog_path(const qz_cli *cli, const char *rel, char *buf, size_t cap, qz_err *err)
{
    if ((size_t)snprintf(buf, cap, "%s/%s", cli->catalog_dir, rel) >= cap)
        return qz_err_set(err, QZ_EIO, "file.path_too_long", NULL, rel);
    return 0;
}
