/*
 * qyzmet init --db PATH [--demo] — creates a new database; refuses (exit 1) when PATH
 * exists, so an existing database is never touched. With --demo it also adds the
 * demo units, people and one account per role of catalog/demo/, and prints one JSON
 * object per line: each unit {"unit","kind","department"?,"name":{"kk","ru"}}, then
 * each user {"login","password","role","unit"} with a fresh random password (80 bits
 * from getrandom; shown only here, stored only as its argon2id hash). The applicant's
 * password also goes to their phone, in the outbox. The demo also fills the registers
 * from catalog/demo/registers/KIND.csv (scripts/demo-registers), through the import. If
 * anything fails, the new file is removed again.
 */
#include "cli/cli.h"
#include "cli/db.h"
#include "cli/demo.h"
#include "store/settings.h"
#include "cli/opts.h"
#include "registry/import.h"
#include "store/entropy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum { PASSWORD_LEN = 19 }; /* four groups of four characters, 5 bits each, dash-separated */

static const char ALPHABET[33] = "abcdefghijkmnpqrstuvwxyz23456789"; /* no l, o, 0, 1 */

/* Creates the empty file, failing if anything is at PATH already. */
static int create_exclusive(const char *path, qz_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST)
        return qz_err_set(err, QZ_ECONFLICT, "cli.db_exists", "--db", path);
    if (fd < 0 || close(fd) != 0)
        return qz_err_set(err, QZ_EIO, "cli.db_create_failed", "--db", strerror(errno));
    return 0;
}

/* Removes a database this command created, with its log and index files. */
static void remove_db(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char name[4096];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if ((size_t)snprintf(name, sizeof name, "%s%s", path, suffixes[i]) < sizeof name)
            (void)unlink(name);
}

static int new_password(char out[PASSWORD_LEN + 1], qz_err *err)
{
    unsigned char bytes[16];
    if (qz_random_bytes(bytes, sizeof bytes, err))
        return -1;
    for (int i = 0, k = 0; i < 16; i++) {
        if (i && i % 4 == 0)
            out[k++] = '-';
        out[k++] = ALPHABET[bytes[i] & 31];
    }
    out[PASSWORD_LEN] = '\0';
    return 0;
}

/* Checks each kind of a comma-separated list against roles.json's unit kinds. */
static int check_kinds(const qz_cli *cli, const char *list, qz_err *err)
{
    char kind[64];
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        snprintf(kind, sizeof kind, "%.*s", (int)len, p);
        if (qz_cli_code_check(cli, "roles.json", "unit_kinds", kind, "cli.unit_kind_unknown", err))
            return -1;
        p += len + (p[len] == ',');
    }
    return 0;
}

static int check_demo_codes(const qz_cli *cli, const qz_demo *d, qz_err *err)
{
    for (size_t i = 0; i < d->n_units; i++) {
        const qz_unit_row *u = &d->units[i];
        if (qz_cli_code_check(cli, "regions.json", "regions", u->region, "cli.region_unknown",
                              err) ||
            check_kinds(cli, u->acts_as, err) ||
            (u->schedule && qz_cli_code_check(cli, "schedules.json", "schedules", u->schedule,
                                              "cli.schedule_unknown", err)))
            return -1;
    }
    for (size_t i = 0; i < d->n_users; i++)
        if (qz_cli_code_check(cli, "roles.json", "roles", d->users[i].role, "cli.role_unknown",
                              err))
            return -1;
    return 0;
}

static int add_units(qz_store *st, const qz_demo *d, qz_err *err)
{
    /* a demo database shows the one-time passwords it sends in `qyzmet outbox` */
    if (qz_store_setting_put(st, QZ_SETTING_MODE, QZ_MODE_DEMO, err))
        return -1;
    for (size_t i = 0; i < d->n_units; i++) {
        const qz_unit_row *u = &d->units[i];
        if (qz_store_unit_add(st, u, err) ||
            qz_cli_print_json(json_pack("{ss,ss,ss*,s:{ss,ss}}", "unit", u->code, "kind", u->kind,
                                        "department", u->department, "name", "kk", u->name_kk, "ru",
                                        u->name_ru),
                              err))
            return -1;
    }
    return 0;
}

static int add_persons(qz_store *st, qz_demo *d, qz_instant now, qz_err *err)
{
    for (size_t i = 0; i < d->n_persons; i++) {
        d->persons[i].row.created_at = now;
        d->persons[i].row.lang = d->persons[i].lang;
        if (qz_store_person_add(st, &d->persons[i].row, err))
            return -1;
    }
    return 0;
}

/* Sends an applicant who is one of the demo people their password by SMS. */
static int tell_password(const qz_cli *cli, qz_store *st, const qz_demo *d, const char *login,
                         const char *password, qz_instant now, qz_err *err)
{
    char text[256];
    const char *args[] = {password};
    for (size_t i = 0; i < d->n_persons; i++) {
        const qz_demo_person *p = &d->persons[i];
        if (strcmp(p->row.iin, login) != 0)
            continue;
        qz_strings_format(cli->strings, qz_lang_from_tag(p->lang), "notify.demo_password", NULL,
                          args, 1, text, sizeof text);
        qz_outbox_row m = {.region = p->row.region,
                           .to_iin = p->row.iin,
                           .channel = "sms",
                           .lang = p->lang,
                           .text = text,
                           .created_at = now,
                           .secret = QZ_SECRET_TEST};
        return qz_store_outbox_append(st, &m, NULL, err);
    }
    return 0;
}

static int add_users(const qz_cli *cli, qz_store *st, const qz_demo *d, qz_instant now, qz_err *err)
{
    char password[PASSWORD_LEN + 1];
    for (size_t i = 0; i < d->n_users; i++) {
        qz_user_row u = d->users[i];
        u.created_at = now;
        if (new_password(password, err) || qz_store_user_add(st, &u, password, NULL, err) ||
            tell_password(cli, st, d, u.login, password, now, err) ||
            qz_cli_print_json(json_pack("{ss,ss,ss,so}", "login", u.login, "password", password,
                                        "role", u.role, "unit",
                                        u.unit ? json_string(u.unit) : json_null()),
                              err))
            return -1;
    }
    return 0;
}

static void demo_reject(void *ctx, int64_t line, const qz_err *why)
{
    *(qz_err *)ctx = *why;
    qz_err_setf(ctx, why->code, why->key, why->field, "line %lld: %s", (long long)line, why->value);
}

/* Imports the demo registers, persons first (the others name them); a rejected row is the
 * demo's mistake and fails init. */
static int add_registers(const qz_cli *cli, qz_store *st, qz_instant now, qz_err *err)
{
    static const char *const KINDS[] = {"persons", "documents",  "registrations",  "convictions",
                                        "wanted",  "foreigners", "legal-entities", "settlers"};
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++) {
        char rel[128], path[4096];
        qz_register kind;
        qz_import_result res;
        qz_err bad;
        qz_err_clear(&bad);
        qz_import_opts o = {.now = now, .on_reject = demo_reject, .ctx = &bad};
        snprintf(rel, sizeof rel, "demo/registers/%s.csv", KINDS[i]);
        if (qz_registry_kind(KINDS[i], &kind, err) ||
            qz_cli_catalog_path(cli, rel, path, sizeof path, err) ||
            qz_import_file(st, kind, path, &o, &res, err))
            return -1;
        if (res.rejected) {
            *err = bad;
            qz_err_set_file(err, path);
            return -1;
        }
    }
    return 0;
}

static int run_demo(const qz_cli *cli, qz_store *st, qz_err *err)
{
    char dir[4096];
    qz_demo d;
    qz_instant now;
    if (qz_cli_now(&now, err) || qz_cli_catalog_path(cli, "demo", dir, sizeof dir, err))
        return -1;
    int r = qz_demo_load(dir, &d, err) || check_demo_codes(cli, &d, err) ||
            add_units(st, &d, err) || add_persons(st, &d, now, err) ||
            add_users(cli, st, &d, now, err) || add_registers(cli, st, now, err);
    qz_demo_free(&d);
    return r ? -1 : 0;
}

int qz_cmd_init(qz_cli *cli, int argc, char **argv)
{
    const char *db = NULL;
    bool demo = false;
    const qz_opt opts[] = {{"--db", &db, NULL}, {"--demo", NULL, &demo}};
    qz_store *st = NULL;
    qz_err err;
    qz_err_clear(&err);
    if (qz_opts_parse(argc - 1, argv + 1, opts, 2, &err) || qz_opts_need(db, "--db PATH", &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    bool url = strstr(db, "://") != NULL;
    if (!url && create_exclusive(db, &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
    int r = qz_store_open(db, &st, &err) || (demo && run_demo(cli, st, &err));
    qz_store_close(st);
    if (r && !url)
        remove_db(db);
    return r ? qz_cli_fail(cli, &err, QZ_EXIT_FAIL) : QZ_EXIT_OK;
}
