/*
 * qyzmet serve --db PATH --port N [--clock fixed:ISO|offset:SECONDS] [--trust PATH] —
 * serves the HTTP API on 127.0.0.1:N until SIGTERM or SIGINT, then lets the requests in
 * flight finish and exits 0. Meanwhile a thread runs the timers every minute
 * (http/sweeper.h). --trust: a PEM file of the CA certificates that portal requests' EDS
 * must chain to (http/eds.h); without it every portal request is refused.
 */
#include "cli/cli.h"
#include "cli/db.h"

#include "core/rules.h"
#include "http/eds.h"
#include "http/server.h"
#include "http/static.h"
#include "http/sweeper.h"
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct serve_args {
    const char *db, *port, *clock, *trust;
} serve_args;

static int parse_args(int argc, char **argv, serve_args *a, int *port, qz_err *err)
{
    for (int i = 1; i < argc; i += 2) {
        const char **slot = strcmp(argv[i], "--db") == 0      ? &a->db
                            : strcmp(argv[i], "--port") == 0  ? &a->port
                            : strcmp(argv[i], "--clock") == 0 ? &a->clock
                            : strcmp(argv[i], "--trust") == 0 ? &a->trust
                                                              : NULL;
        if (!slot)
            return qz_err_set(err, QZ_EINPUT, "cli.option_unknown", NULL, argv[i]);
        if (i + 1 >= argc)
            return qz_err_set(err, QZ_EINPUT, "cli.option_needs_value", argv[i], argv[i]);
        *slot = argv[i + 1];
    }
    if (!a->db || !a->port)
        return qz_err_set(err, QZ_EINPUT, "cli.missing_arguments", NULL, "--db --port");
    char *end;
    errno = 0;
    long p = strtol(a->port, &end, 10);
    if (*end || errno || p < 1 || p > 65535)
        return qz_err_set(err, QZ_EINPUT, "number.malformed", "--port", a->port);
    *port = (int)p;
    return 0;
}

/* Blocks SIGTERM and SIGINT in every thread, so that only sigwait sees them. */
static int block_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGINT);
    return pthread_sigmask(SIG_BLOCK, set, NULL);
}

int qz_cmd_serve(qz_cli *cli, int argc, char **argv)
{
    serve_args a = {0};
    int port = 0, status = QZ_EXIT_FAIL, sig;
    qz_err err;
    qz_rules rules = {0};
    qz_store *store = NULL;
    qz_clock *clock = NULL;
    qz_server *server = NULL;
    qz_trust *trust = NULL;
    qz_sweeper *sweeper = NULL;
    sigset_t set;
    qz_err_clear(&err);
    if (parse_args(argc, argv, &a, &port, &err))
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    if (!(clock = qz_clock_new(a.clock, &err)))
        return qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
    if (a.trust && !(trust = qz_trust_load(a.trust, clock, &err))) {
        qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
        goto done;
    }
    /* The years the calendar serves follow the server's clock (a test's or demo's too). */
    qz_instant now = qz_clock_now(clock);
    int year = qz_date_to_ymd(qz_instant_date(now, 0)).year;
    if (block_signals(&set) != 0 ||
        qz_rules_load_at(cli->catalog_dir, year, NULL, NULL, &rules, &err) ||
        qz_store_open(a.db, &store, &err) ||
        qz_cli_calendar_reload(cli, &rules, store, now, true, &err)) {
        qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
        goto done;
    }
    qz_http_ctx ctx = {&rules, store, clock, cli->strings, trust};
    qz_server_config cfg = {.port = port, .web_dir = qz_static_dir()};
    if (!(server = qz_server_start(&cfg, &ctx, &err))) {
        qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
        goto done;
    }
    if (!(sweeper = qz_sweeper_start(&ctx, QZ_SWEEP_PERIOD_S, &err))) {
        qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
        qz_server_stop(server);
        goto done;
    }
    printf("qyzmet: serving on http://127.0.0.1:%d/ (SIGTERM to stop)\n", port);
    fflush(stdout);
    sigwait(&set, &sig);
    qz_sweeper_stop(sweeper); /* a sweep under way ends first; the store is still open */
    qz_server_stop(server);
    status = QZ_EXIT_OK;
done:
    qz_trust_free(trust);
    qz_store_close(store);
    qz_rules_free(&rules);
    qz_clock_free(clock);
    return status;
}
