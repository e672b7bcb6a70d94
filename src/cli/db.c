#include "cli/db.h"

#include "core/jsonv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

enum { KZ_OFFSET_S = 5 * 3600 };

int qz_cli_db_open(const char *target, qz_store **st, qz_err *err)
{
    *st = NULL;
    bool url = target && strstr(target, "://") != NULL;
    if (target && *target && !url && access(target, F_OK) != 0)
        return qz_err_set(err, QZ_EIO, "cli.db_missing", "--db", target);
    return qz_store_open(target, st, err);
}

/* 1 when the array holds an object whose "code" is `code`. */
static bool listed(const json_t *arr, const char *code)
{
    size_t i;
    const json_t *entry;
    json_array_foreach(arr, i, entry)
    {
        const char *c = json_string_value(json_object_get(entry, "code"));
        if (c && strcmp(c, code) == 0)
            return true;
    }
    return false;
}

int qz_cli_code_check(const qz_cli *cli, const char *file, const char *list, const char *code,
                      const char *unknown_key, qz_err *err)
{
    char path[4096];
    json_t *arr = NULL;
    if (qz_cli_catalog_path(cli, file, path, sizeof path, err))
        return -1;
    json_t *doc = qz_json_load_file(path, err);
    if (!doc)
        return -1;
    int r = qz_json_arr(doc, list, true, &arr, err);
    if (r)
        qz_err_set_file(err, path);
    else if (!listed(arr, code))
        r = qz_err_set(err, QZ_EINPUT, unknown_key, NULL, code);
    json_decref(doc);
    return r;
}

int qz_cli_print_json(json_t *obj, qz_err *err)
{
    char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(obj);
    if (!s)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    int r = puts(s);
    free(s);
    if (r == EOF)
        return qz_err_set(err, QZ_EIO, "cli.output_failed", NULL, strerror(errno));
    return 0;
}

int qz_cli_now(qz_instant *now, qz_err *err)
{
    time_t t = time(NULL);
    if (t == (time_t)-1)
        return qz_err_set(err, QZ_EIO, "cli.clock_failed", NULL, strerror(errno));
    *now = (qz_instant)t;
    return 0;
}

char *qz_cli_instant(qz_instant t, char *buf)
{
    return qz_instant_format(t, KZ_OFFSET_S, buf);
}
