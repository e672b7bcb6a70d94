/*
 * qyzmet iin check|new — validate an IIN (one JSON object on stdout) or compose a
 * new one, claimed in a database with --db so that it is never printed twice.
 */
#include "cli/cli.h"

#include "core/iin.h"
#include "store/entropy.h"
#include "store/store.h"

#include <jansson.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

typedef struct new_args {
    const char *birth, *sex, *db;
} new_args;

/* Sets obj[key] = value, taking value; -1 when either could not be made. */
static int set(json_t *obj, const char *key, json_t *value)
{
    return value ? json_object_set_new(obj, key, value) : -1;
}

/* Returns the length of the valid UTF-8 sequence at p (as strict as jansson: no
 * overlong forms, surrogates or code points above U+10FFFF), or 0. */
static int utf8_len(const unsigned char *p)
{
    int n = p[0] < 0x80                   ? 1
            : p[0] >= 0xC2 && p[0] < 0xE0 ? 2
            : (p[0] >> 4) == 0xE          ? 3
            : p[0] >= 0xF0 && p[0] < 0xF5 ? 4
                                          : 0;
    unsigned long cp = n == 2 ? p[0] & 0x1Fu : n == 3 ? p[0] & 0x0Fu : p[0] & 0x07u;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return n;
}

/* Replaces each byte of s that is not part of valid UTF-8 with '?', so that text
 * quoting the user's input (any bytes) can go into JSON. */
static void utf8_scrub(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        int n = utf8_len(p);
        if (n == 0)
            *p++ = '?';
        else
            p += n;
    }
}

/* Builds the answer of `check`: valid with birth date and sex, or the reason. */
static json_t *check_answer(const qz_cli *cli, const qz_iin *iin, const qz_err *perr)
{
    char date[QZ_DATE_STR], msg[512];
    json_t *obj = json_object();
    if (!obj)
        return NULL;
    if (perr) {
        qz_strings_format(cli->strings, cli->lang, perr->key, perr, NULL, 0, msg, sizeof msg);
        utf8_scrub(msg);
    }
    int bad = perr ? set(obj, "valid", json_false()) ||
                         set(obj, "reason", json_string(qz_iin_reason(perr))) ||
                         set(obj, "message", json_string(msg))
                   : set(obj, "valid", json_true()) ||
                         set(obj, "birth_date", json_string(qz_date_format(iin->birth, date))) ||
                         set(obj, "sex", json_string(qz_iin_sex_name(iin->sex)));
    if (bad) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

/* Prints a JSON value as one compact line of UTF-8. */
static int print_json(const json_t *obj, qz_err *err)
{
    char *s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!s)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    int r = puts(s);
    free(s);
    if (r == EOF)
        return qz_err_set(err, QZ_EIO, "iin.output_failed", NULL, strerror(errno));
    return 0;
}

static int cmd_check(qz_cli *cli, int argc, char **argv)
{
    qz_iin iin;
    qz_err perr, err;
    qz_err_clear(&perr);
    qz_err_clear(&err);
    if (argc != 1)
        return qz_cli_usage(cli, "usage.iin");
    int valid = qz_iin_parse(argv[0], &iin, &perr) == 0;
    json_t *obj = check_answer(cli, &iin, valid ? NULL : &perr);
    if (!obj) {
        qz_err_set(&err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
    }
    int r = print_json(obj, &err);
    json_decref(obj);
    if (r)
        return qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
    return valid ? QZ_EXIT_OK : QZ_EXIT_FAIL;
}

static int parse_new_args(int argc, char **argv, new_args *a, qz_err *err)
{
    static const char *const opts[] = {"--birth", "--sex", "--db"};
    const char **slots[] = {&a->birth, &a->sex, &a->db};
    for (int i = 0; i < argc; i++) {
        size_t k = 0;
        while (k < 3 && strcmp(argv[i], opts[k]) != 0)
            k++;
        if (k == 3 && argv[i][0] == '-' && argv[i][1] == '-')
            return qz_err_set(err, QZ_EINPUT, "cli.option_unknown", NULL, argv[i]);
        if (k == 3)
            return qz_err_set(err, QZ_EINPUT, "cli.too_many_arguments", NULL, argv[i]);
        if (i + 1 >= argc)
            return qz_err_set(err, QZ_EINPUT, "cli.option_needs_value", argv[i], argv[i]);
        *slots[k] = argv[++i];
    }
    if (!a->birth || !a->sex)
        return qz_err_set(err, QZ_EINPUT, "cli.missing_arguments", NULL,
                          "--birth DATE --sex male|female");
    return 0;
}

/* Composes an IIN with a random serial, skipping the few that can never be issued. */
static int compose_random(qz_date birth, qz_sex sex, char *out, qz_err *err)
{
    uint32_t start;
    if (qz_random_bytes(&start, sizeof start, err))
        return -1;
    for (uint32_t k = 0; k < QZ_IIN_SERIALS; k++) {
        int serial = (int)((start + k) % QZ_IIN_SERIALS);
        if (qz_iin_compose(birth, sex, serial, out, err) == 0)
            return 0;
        if (err->code != QZ_ECONFLICT)
            return -1;
    }
    return -1; /* not reached: at most one serial in ten of a run can be unissuable */
}

/* Issues an IIN claimed in the database `target`. */
static int issue_claimed(const char *target, qz_date birth, qz_sex sex, char *out, qz_err *err)
{
    uint64_t seed;
    qz_store *st;
    time_t now = time(NULL);
    if (now == (time_t)-1)
        return qz_err_set(err, QZ_EIO, "iin.clock_failed", NULL, strerror(errno));
    if (qz_random_bytes(&seed, sizeof seed, err) || qz_store_open(target, &st, err))
        return -1;
    int r = qz_store_iin_issue(st, birth, sex, seed, (qz_instant)now, out, err);
    qz_store_close(st);
    return r;
}

static int cmd_new(qz_cli *cli, int argc, char **argv)
{
    new_args a = {0};
    qz_date birth;
    qz_sex sex;
    qz_err err;
    char iin[QZ_IIN_STR];
    qz_err_clear(&err);
    if (parse_new_args(argc, argv, &a, &err) || qz_date_parse(a.birth, &birth, &err) ||
        qz_iin_sex_parse(a.sex, &sex, &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    /* Refuse a birth date outside 1800–2099 before touching any database. */
    if (qz_iin_compose(birth, sex, 0, iin, &err) && err.code != QZ_ECONFLICT)
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    int r =
        a.db ? issue_claimed(a.db, birth, sex, iin, &err) : compose_random(birth, sex, iin, &err);
    if (r)
        return qz_cli_fail(cli, &err, err.code == QZ_EINPUT ? QZ_EXIT_USAGE : QZ_EXIT_FAIL);
    if (puts(iin) == EOF) {
        qz_err_set(&err, QZ_EIO, "iin.output_failed", NULL, strerror(errno));
        return qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
    }
    return QZ_EXIT_OK;
}

int qz_cmd_iin(qz_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "check") == 0)
        return cmd_check(cli, argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "new") == 0)
        return cmd_new(cli, argc - 2, argv + 2);
    return qz_cli_usage(cli, "usage.iin");
}
