/*
 * qyzmet outbox --db PATH [--to IIN] — the notifications sent, oldest first, one JSON
 * object per line: {"id","to","channel","lang","text","created_at"}. In demo and test
 * mode nothing leaves the machine, so this is where one-time passwords are read.
 */
#include "cli/cli.h"
#include "cli/db.h"
#include "cli/opts.h"

#include "core/iin.h"

static json_t *message_json(const qz_outbox_row *m)
{
    char at[QZ_INSTANT_STR];
    return json_pack("{sI,ss,ss,ss,ss,ss}", "id", (json_int_t)m->id, "to", m->to_iin, "channel",
                     m->channel, "lang", m->lang, "text", m->text, "created_at",
                     qz_cli_instant(m->created_at, at));
}

static int print_all(const qz_outbox_row *rows, size_t n, qz_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (qz_cli_print_json(message_json(&rows[i]), err))
            return -1;
    return 0;
}

int qz_cmd_outbox(qz_cli *cli, int argc, char **argv)
{
    const char *db = NULL, *to = NULL;
    const qz_opt opts[] = {{"--db", &db, NULL}, {"--to", &to, NULL}};
    qz_store *st;
    qz_iin iin;
    qz_arena a = QZ_ARENA_INIT;
    qz_outbox_row *rows;
    size_t n;
    qz_err err;
    qz_err_clear(&err);
    if (qz_opts_parse(argc - 1, argv + 1, opts, 2, &err) || qz_opts_need(db, "--db PATH", &err) ||
        (to && qz_iin_parse(to, &iin, &err)))
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    if (qz_cli_db_open(db, &st, &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
    int r = qz_store_outbox_list(st, to, &a, &rows, &n, &err) || print_all(rows, n, &err);
    qz_store_close(st);
    qz_arena_free(&a);
    return r ? qz_cli_fail(cli, &err, QZ_EXIT_FAIL) : QZ_EXIT_OK;
}
