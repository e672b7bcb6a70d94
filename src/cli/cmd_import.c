/*
 * qyzmet import KIND FILE --db PATH [--partial] — imports a CSV file into a register
 * (contract.md; registry/import.h; the formats in docs/registers.md). Prints
 * `imported N` (rows that changed the register), each rejected row as `line N: reason` on
 * stderr; exits 0 when every row was taken, 1 when rows were rejected (nothing imported
 * unless --partial), 2 on bad usage. Shows its progress on stderr when that is a
 * terminal.
 */
#include "cli/cli.h"
#include "cli/db.h"
#include "cli/opts.h"
#include "registry/import.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct import_ui {
    const qz_cli *cli;
    struct timespec start;
    bool tty;
} import_ui;

static void on_reject(void *ctx, int64_t line, const qz_err *why)
{
    const import_ui *ui = ctx;
    char text[1024];
    fprintf(stderr, "%sline %lld: %s\n", ui->tty ? "\r\033[K" : "", (long long)line,
            qz_strings_error(ui->cli->strings, ui->cli->lang, why, text, sizeof text));
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* rows, rate and time left on one line of the terminal (both passes: the check reads the
 * first half of the bytes, the write the second). */
static void on_progress(void *ctx, int64_t rows, uint64_t bytes, uint64_t total, bool writing)
{
    const import_ui *ui = ctx;
    double s = seconds_since(&ui->start);
    double rate = s > 0 ? (double)rows / s : 0;
    fprintf(stderr, "\r\033[K%s %lld rows, %.0f rows/s", writing ? "writing" : "checking",
            (long long)rows, rate);
    if (total && bytes && bytes <= total) {
        double left = s * (double)(total - bytes) / (double)bytes;
        fprintf(stderr, ", %.0f s left", left);
    }
    fflush(stderr);
}

int qz_cmd_import(qz_cli *cli, int argc, char **argv)
{
    const char *db = NULL;
    bool partial = false;
    qz_register kind;
    qz_err err;
    qz_err_clear(&err);
    const qz_opt opts[] = {{"--db", &db, NULL}, {"--partial", NULL, &partial}};
    if (argc < 3 || strncmp(argv[1], "--", 2) == 0 || strncmp(argv[2], "--", 2) == 0)
        return qz_cli_usage(cli, "usage.import");
    if (qz_opts_parse(argc - 3, argv + 3, opts, sizeof opts / sizeof opts[0], &err) ||
        qz_opts_need(db, "--db PATH", &err) || qz_registry_kind(argv[1], &kind, &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    import_ui ui = {.cli = cli, .tty = isatty(STDERR_FILENO) == 1};
    clock_gettime(CLOCK_MONOTONIC, &ui.start);
    qz_import_opts o = {.partial = partial,
                        .on_reject = on_reject,
                        .on_progress = ui.tty ? on_progress : NULL,
                        .ctx = &ui};
    qz_import_result res;
    qz_store *st;
    if (qz_cli_now(&o.now, &err) || qz_cli_db_open(db, &st, &err))
        return qz_cli_fail(cli, &err, qz_cli_status_for(&err));
    int r = qz_import_file(st, kind, argv[2], &o, &res, &err);
    qz_store_close(st);
    if (ui.tty)
        fprintf(stderr, "\r\033[K");
    if (r)
        return qz_cli_fail(cli, &err,
                           err.code == QZ_EINPUT ? QZ_EXIT_FAIL : qz_cli_status_for(&err));
    printf("imported %lld\n", (long long)res.changed);
    return res.rejected ? QZ_EXIT_FAIL : QZ_EXIT_OK;
}
