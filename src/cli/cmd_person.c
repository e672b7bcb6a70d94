/*
 * qyzmet person add --db PATH --iin IIN --surname S --name N [--patronymic P]
 *                   [--phone P] [--birth DATE] [--region R] [--lang kk|ru|en] — registers a
 * person and prints the IIN. The region (catalog/regions.json) defaults to Astana, KZ-71;
 * the language of the messages sent to them to Kazakh.
 */
#include "cli/cli.h"
#include "cli/db.h"
#include "cli/opts.h"

#include <stdio.h>
#include <string.h>

static const char DEFAULT_REGION[] = "KZ-71"; /* not in the seeds: the demo's region */

typedef struct person_args {
    const char *db, *iin, *surname, *name, *patronymic, *phone, *birth, *region, *lang;
} person_args;

static int parse(int argc, char **argv, person_args *a, qz_person_row *p, qz_err *err)
{
    const qz_opt opts[] = {{"--db", &a->db, NULL},
                           {"--iin", &a->iin, NULL},
                           {"--surname", &a->surname, NULL},
                           {"--name", &a->name, NULL},
                           {"--patronymic", &a->patronymic, NULL},
                           {"--phone", &a->phone, NULL},
                           {"--birth", &a->birth, NULL},
                           {"--region", &a->region, NULL},
                           {"--lang", &a->lang, NULL}};
    if (qz_opts_parse(argc, argv, opts, sizeof opts / sizeof opts[0], err) ||
        qz_opts_need(a->db && a->iin && a->surname && a->name ? "" : NULL,
                     "--db PATH --iin IIN --surname S --name N", err))
        return -1;
    *p = (qz_person_row){.iin = a->iin,
                         .surname = a->surname,
                         .name = a->name,
                         .patronymic = a->patronymic,
                         .phone = a->phone,
                         .lang = a->lang,
                         .region = a->region ? a->region : DEFAULT_REGION};
    p->has_birth = a->birth != NULL;
    return a->birth ? qz_date_parse(a->birth, &p->birth, err) : 0;
}

static int cmd_add(qz_cli *cli, int argc, char **argv)
{
    person_args a = {0};
    qz_person_row p;
    qz_store *st;
    qz_err err;
    qz_err_clear(&err);
    if (parse(argc, argv, &a, &p, &err) ||
        qz_cli_code_check(cli, "regions.json", "regions", p.region, "cli.region_unknown", &err))
        return qz_cli_fail(cli, &err, qz_cli_status_for(&err));
    if (qz_cli_now(&p.created_at, &err) || qz_cli_db_open(a.db, &st, &err))
        return qz_cli_fail(cli, &err, qz_cli_status_for(&err));
    int r = qz_store_person_add(st, &p, &err);
    qz_store_close(st);
    if (r)
        return qz_cli_fail(cli, &err, qz_cli_status_for(&err));
    printf("%s\n", p.iin);
    return QZ_EXIT_OK;
}

int qz_cmd_person(qz_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0)
        return cmd_add(cli, argc - 2, argv + 2);
    return qz_cli_usage(cli, "usage.person");
}
