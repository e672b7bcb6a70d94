/*
 * qyzmet user add --db PATH --login L --role R --unit U — adds a staff account (an
 * applicant's may give --region R instead of a unit); the password is the first line
 * of stdin, never an argument (arguments show in `ps`), and a staff password must
 * follow the policy of password_policy.h. Prints the user's id.
 * qyzmet user verify --db PATH --login L — checks the password on stdin; prints
 * {"id","login","role","unit"} (exit 0) or refuses (exit 1).
 */
#include "cli/cli.h"
#include "cli/db.h"
#include "cli/opts.h"
#include "cli/password_policy.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct user_args {
    const char *db, *login, *role, *unit, *region;
} user_args;

/* Overwrites a secret so that it does not linger in memory. */
static void wipe(char *s, size_t n)
{
    volatile char *p = s;
    while (n--)
        *p++ = 0;
}

/* Reads the first line of stdin (without its line end) into buf (QZ_PASSWORD_MAX + 3). */
static int read_password(char *buf, size_t cap, qz_err *err)
{
    buf[0] = '\0';
    if (!fgets(buf, (int)cap, stdin) && ferror(stdin))
        return qz_err_set(err, QZ_EIO, "cli.stdin_failed", NULL, strerror(errno));
    size_t n = strlen(buf);
    bool whole = (n && buf[n - 1] == '\n') || feof(stdin);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    if (!whole || n > QZ_PASSWORD_MAX)
        return qz_err_setf(err, QZ_EINPUT, "store.password_too_long", "password", "%d",
                           QZ_PASSWORD_MAX);
    return 0;
}

/* Checks the role, and the region of an account without a unit, against the catalogue. */
static int check_codes(const qz_cli *cli, const user_args *a, qz_err *err)
{
    if (!a->role)
        return qz_err_set(err, QZ_EINPUT, "cli.missing_arguments", NULL, "--role R");
    if (qz_cli_code_check(cli, "roles.json", "roles", a->role, "cli.role_unknown", err))
        return -1;
    if (!a->unit && strcmp(a->role, "applicant") != 0)
        return qz_err_set(err, QZ_EINPUT, "cli.missing_arguments", NULL, "--unit U");
    if (!a->unit && !a->region)
        return qz_err_set(err, QZ_EINPUT, "cli.missing_arguments", NULL, "--unit U | --region R");
    return a->unit ? 0
                   : qz_cli_code_check(cli, "regions.json", "regions", a->region,
                                       "cli.region_unknown", err);
}

static int add_user(const user_args *a, const char *password, int64_t *id, qz_err *err)
{
    qz_store *st;
    qz_user_row u = {.login = a->login, .role = a->role, .unit = a->unit, .region = a->region};
    if (qz_cli_now(&u.created_at, err) || qz_cli_db_open(a->db, &st, err))
        return -1;
    int r = qz_store_user_add(st, &u, password, id, err);
    qz_store_close(st);
    return r;
}

static int cmd_add(qz_cli *cli, int argc, char **argv)
{
    user_args a = {0};
    const qz_opt opts[] = {{"--db", &a.db, NULL},
                           {"--login", &a.login, NULL},
                           {"--role", &a.role, NULL},
                           {"--unit", &a.unit, NULL},
                           {"--region", &a.region, NULL}};
    char password[QZ_PASSWORD_MAX + 3];
    int64_t id = 0;
    qz_err err;
    qz_err_clear(&err);
    if (qz_opts_parse(argc, argv, opts, 5, &err) ||
        qz_opts_need(a.db && a.login && a.role ? "" : NULL, "--db PATH --login L --role R", &err) ||
        check_codes(cli, &a, &err) || read_password(password, sizeof password, &err))
        return qz_cli_fail(cli, &err, qz_cli_status_for(&err));
    /* staff passwords follow the policy; an empty one is the store's to refuse */
    if (password[0] && strcmp(a.role, "applicant") != 0 &&
        qz_cli_password_policy(cli, a.login, password, &err)) {
        wipe(password, sizeof password);
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    }
    int r = add_user(&a, password, &id, &err);
    wipe(password, sizeof password);
    if (r)
        return qz_cli_fail(cli, &err, qz_cli_status_for(&err));
    printf("%" PRId64 "\n", id);
    return QZ_EXIT_OK;
}

static int verify_user(const user_args *a, const char *password, qz_err *err)
{
    qz_store *st;
    qz_arena ar = QZ_ARENA_INIT;
    qz_user_row u;
    if (qz_cli_db_open(a->db, &st, err))
        return -1;
    int r = qz_store_user_verify(st, a->login, password, &ar, &u, err);
    qz_store_close(st);
    if (r == 0)
        r = qz_cli_print_json(json_pack("{sI,ss,ss,so}", "id", (json_int_t)u.id, "login", u.login,
                                        "role", u.role, "unit",
                                        u.unit ? json_string(u.unit) : json_null()),
                              err);
    qz_arena_free(&ar);
    return r;
}

static int cmd_verify(qz_cli *cli, int argc, char **argv)
{
    user_args a = {0};
    const qz_opt opts[] = {{"--db", &a.db, NULL}, {"--login", &a.login, NULL}};
    char password[QZ_PASSWORD_MAX + 3];
    qz_err err;
    qz_err_clear(&err);
    if (qz_opts_parse(argc, argv, opts, 2, &err) ||
        qz_opts_need(a.db && a.login ? "" : NULL, "--db PATH --login L", &err) ||
        read_password(password, sizeof password, &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    int r = verify_user(&a, password, &err);
    wipe(password, sizeof password);
    return r ? qz_cli_fail(cli, &err, QZ_EXIT_FAIL) : QZ_EXIT_OK;
}

int qz_cmd_user(qz_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0)
        return cmd_add(cli, argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return cmd_verify(cli, argc - 2, argv + 2);
    return qz_cli_usage(cli, "usage.user");
}
