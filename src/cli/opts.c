#include "cli/opts.h"

#include <string.h>

static const qz_opt *find(const qz_opt *opts, size_t n, const char *name)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(opts[k].name, name) == 0)
            return &opts[k];
    return NULL;
}

int qz_opts_parse(int argc, char **argv, const qz_opt *opts, size_t n, qz_err *err)
{
    for (int i = 0; i < argc; i++) {
        const qz_opt *o = find(opts, n, argv[i]);
        if (!o && strncmp(argv[i], "--", 2) == 0)
            return qz_err_set(err, QZ_EINPUT, "cli.option_unknown", NULL, argv[i]);
        if (!o)
            return qz_err_set(err, QZ_EINPUT, "cli.too_many_arguments", NULL, argv[i]);
        if (o->flag) {
            *o->flag = true;
            continue;
        }
        if (i + 1 >= argc)
            return qz_err_set(err, QZ_EINPUT, "cli.option_needs_value", argv[i], argv[i]);
        *o->value = argv[++i];
    }
    return 0;
}

int qz_opts_need(const char *value, const char *what, qz_err *err)
{
    return value ? 0 : qz_err_set(err, QZ_EINPUT, "cli.missing_arguments", NULL, what);
}
