/*
 * qyzmet outbox --db PATH [--to IIN] — the notifications sent, oldest first, one JSON
 * object per line: {"id","to","channel","lang","text","created_at","secret"}. In demo and test
 * mode nothing leaves the machine, so this is where one-time passwords are read; one
 * sent in production is withheld (store.h, qz_secret).
 */
#include "cli/cli.h"
#include "cli/db.h"
#include "cli/opts.h"

#include "core/iin.h"

/* A message sent in production that carries a one-time password or a password shows
 * this text instead of its own: only the SMS channel ever has the code. */
static json_t *message_json(const qz_cli *cli, const qz_outbox_row *m)
{
    char at[QZ_INSTANT_STR];
    const char *text =
        m->secret == QZ_SECRET_PROD
            ? qz_strings_get(cli->strings, qz_lang_from_tag(m->lang), "notify.secret_withheld")
            : m->text;
    return json_pack("{sI,ss,ss,ss,ss,ss,sb}", "id", (json_int_t)m->id, "to", m->to_iin, "channel",
                     m->channel, "lang", m->lang, "text", text, "created_at",
                     qz_cli_instant(m->created_at, at), "secret", m->secret != QZ_SECRET_NONE);
}

static int print_all(const qz_cli *cli, const qz_outbox_row *rows, size_t n, qz_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (qz_cli_print_json(message_json(cli, &rows[i]), err))
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
    int r = qz_store_outbox_list(st, to, &a, &rows, &n, &err) || print_all(cli, rows, n, &err);
    qz_store_close(st);
    qz_arena_free(&a);
    return r ? qz_cli_fail(cli, &err, QZ_EXIT_FAIL) : QZ_EXIT_OK;
}
