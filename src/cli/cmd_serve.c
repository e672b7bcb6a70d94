/*
 * qyzmet serve --db PATH --port N [--clock fixed:ISO|offset:SECONDS] [--trust PATH]
 *              [--sms-gateway URL] [--threads N] —
 * serves the HTTP API on 127.0.0.1:N until SIGTERM or SIGINT, then lets the requests in
 * flight finish and exits 0. Meanwhile a thread runs the timers every minute
 * (app/sweeper.h) and, with --sms-gateway, another delivers the outbox's SMS through the
 * gateway at URL (app/sender.h); without one they stay in the outbox, and start-up says
 * so. --trust: a PEM file of the CA certificates that portal requests' EDS must chain to
 * (app/eds.h); without it every portal request is refused. --threads: the HTTP threads
 * (default: QZ_SERVE_THREADS_PER_CORE per online core, at least 8). --keys DIR: the units'
 * signing keys and their CA (docs/pki.h, `qyzmet pki make`); without it documents cannot
 * be issued (their endpoints answer 503).
 * Connection safety (http/guard.h): --max-connections N (1000), --max-per-address N (64),
 * --header-timeout S (10), --body-timeout S (30).
 */
#include "cli/cli.h"
#include "cli/db.h"

#include "core/rules.h"
#include "app/eds.h"
#include "http/server.h"
#include "app/sender.h"
#include "app/sweeper.h"
#include "http/static.h"
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct serve_args {
    const char *db, *port, *clock, *trust, *gateway, *threads, *keys;
    const char *max_connections, *per_address, *header_timeout, *body_timeout;
} serve_args;

/* HTTP threads per core by default: a request mostly waits for the group commit's fsync,
 * so many threads keep the batches full (src/app/README.md, docs/performance.md). */
enum { QZ_SERVE_THREADS_PER_CORE = 8, QZ_SERVE_THREADS_MIN = 8, QZ_SERVE_THREADS_MAX = 256 };

/* The number of threads: --threads, else the default for the machine. */
static int thread_count(const char *arg, unsigned *out, qz_err *err)
{
    if (!arg) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        long n = (cores > 0 ? cores : 1) * QZ_SERVE_THREADS_PER_CORE;
        *out = (unsigned)(n < QZ_SERVE_THREADS_MIN   ? QZ_SERVE_THREADS_MIN
                          : n > QZ_SERVE_THREADS_MAX ? QZ_SERVE_THREADS_MAX
                                                     : n);
        return 0;
    }
    char *end;
    errno = 0;
    long n = strtol(arg, &end, 10);
    if (*end || errno || n < 1 || n > QZ_SERVE_THREADS_MAX)
        return qz_err_set(err, QZ_EINPUT, "number.malformed", "--threads", arg);
    *out = (unsigned)n;
    return 0;
}

/* A positive whole number option, or 0 when it was not given. */
static int limit_of(const char *opt, const char *text, unsigned *out, qz_err *err)
{
    if (!text)
        return 0;
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (*end || errno || v < 1 || v > 100000)
        return qz_err_set(err, QZ_EINPUT, "number.malformed", opt, text);
    *out = (unsigned)v;
    return 0;
}

static int parse_args(int argc, char **argv, serve_args *a, int *port, qz_err *err)
{
    for (int i = 1; i < argc; i += 2) {
        const char **slot = strcmp(argv[i], "--db") == 0                ? &a->db
                            : strcmp(argv[i], "--port") == 0            ? &a->port
                            : strcmp(argv[i], "--clock") == 0           ? &a->clock
                            : strcmp(argv[i], "--trust") == 0           ? &a->trust
                            : strcmp(argv[i], "--sms-gateway") == 0     ? &a->gateway
                            : strcmp(argv[i], "--threads") == 0         ? &a->threads
                            : strcmp(argv[i], "--keys") == 0            ? &a->keys
                            : strcmp(argv[i], "--max-connections") == 0 ? &a->max_connections
                            : strcmp(argv[i], "--max-per-address") == 0 ? &a->per_address
                            : strcmp(argv[i], "--header-timeout") == 0  ? &a->header_timeout
                            : strcmp(argv[i], "--body-timeout") == 0    ? &a->body_timeout
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
    qz_sender *sender = NULL;
    unsigned threads = 0;
    sigset_t set;
    char line[512];
    qz_err_clear(&err);
    if (parse_args(argc, argv, &a, &port, &err) || thread_count(a.threads, &threads, &err))
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
    qz_http_ctx ctx = {&rules, store, clock, cli->strings, trust, a.keys, cli->catalog_dir};
    qz_server_config cfg = {.port = port, .threads = threads, .web_dir = qz_static_dir()};
    if (limit_of("--max-connections", a.max_connections, &cfg.max_connections, &err) ||
        limit_of("--max-per-address", a.per_address, &cfg.per_address, &err) ||
        limit_of("--header-timeout", a.header_timeout, &cfg.header_timeout_s, &err) ||
        limit_of("--body-timeout", a.body_timeout, &cfg.body_timeout_s, &err) ||
        (a.gateway && !(sender = qz_sender_start(&ctx, a.gateway, &err)))) {
        qz_cli_fail(cli, &err, QZ_EXIT_USAGE);
        status = QZ_EXIT_USAGE;
        goto done;
    }
    if (!(server = qz_server_start(&cfg, &ctx, &err))) {
        qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
        goto done;
    }
    if (!(sweeper = qz_sweeper_start(&ctx, QZ_SWEEP_PERIOD_S, &err))) {
        qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
        qz_server_stop(server);
        goto done;
    }
    if (a.gateway)
        printf("qyzmet: %s\n",
               qz_strings_format(cli->strings, cli->lang, "sender.gateway", NULL,
                                 (const char *[]){a.gateway}, 1, line, sizeof line));
    else
        printf("qyzmet: %s\n", qz_strings_get(cli->strings, cli->lang, "sender.no_gateway"));
    printf("qyzmet: serving on http://127.0.0.1:%d/ (SIGTERM to stop)\n", port);
    fflush(stdout);
    sigwait(&set, &sig);
    qz_sweeper_stop(sweeper); /* a sweep under way ends first; the store is still open */
    qz_server_stop(server);
    status = QZ_EXIT_OK;
done:
    qz_sender_stop(sender);
    qz_trust_free(trust);
    qz_store_close(store);
    qz_rules_free(&rules);
    qz_clock_free(clock);
    return status;
}
