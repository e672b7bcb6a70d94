/*
 * qyzmet calendar is-working|add|between|due|explain|years — working-day questions
 * answered from catalog/calendar, a service's due instant from its terms, and the years
 * served with what each still lacks.
 */
#include "cli/cli.h"

#include "app/calendar_reload.h"
#include "cli/db.h"
#include "core/calendar_load.h"
#include "core/rules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything `due` and `explain` need, loaded from the catalogue. */
typedef struct due_ctx {
    qz_rules rules;
    const qz_service *svc;
    const qz_service_version *ver;
    const qz_term_rule *rule;
    qz_unit_time unit;
    qz_due due;
} due_ctx;

typedef struct due_args {
    const char *service, *accepted;
    qz_term_query q;
    const char *schedule, *zone;
} due_args;

static qz_calendar *load_calendar(const qz_cli *cli, qz_err *err)
{
    char dir[4096];
    if (qz_cli_catalog_path(cli, "calendar", dir, sizeof dir, err))
        return NULL;
    return qz_calendar_load(dir, err);
}

/* What a provisional year still lacks, in the reader's language ("" when confirmed). */
static char *year_missing(const qz_cli *cli, const qz_year_state *st, char *buf, size_t cap)
{
    char year[16], date[QZ_DATE_STR], part[512];
    size_t n = 0;
    buf[0] = '\0';
    snprintf(year, sizeof year, "%d", st->year);
    const char *parts[3] = {NULL, NULL, NULL};
    const char *args[][1] = {{year}, {year}, {qz_date_format(st->estimated_on, date)}};
    if (st->computed)
        parts[0] = "calendar.missing.computed";
    if (st->moves_pending)
        parts[1] = "calendar.missing.act";
    if (st->lunar_estimated)
        parts[2] = "calendar.missing.lunar";
    for (int i = 0; i < 3; i++) {
        if (!parts[i])
            continue;
        qz_strings_format(cli->strings, cli->lang, parts[i], NULL, args[i], 1, part, sizeof part);
        int w = snprintf(buf + n, cap - n, "%s%s", n ? "; " : "", part);
        if (w < 0 || (size_t)w >= cap - n)
            break;
        n += (size_t)w;
    }
    return buf;
}

static int parse_int(const char *s, int *out, qz_err *err)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || !*s || *end || errno || v < -100000 || v > 100000)
        return qz_err_set(err, QZ_EINPUT, "number.malformed", NULL, s);
    *out = (int)v;
    return 0;
}

static int cmd_is_working(qz_cli *cli, qz_calendar *cal, int argc, char **argv, qz_err *err)
{
    qz_date d;
    bool working;
    if (argc != 1)
        return qz_cli_usage(cli, "usage.calendar");
    if (qz_date_parse(argv[0], &d, err) || qz_calendar_is_working(cal, d, &working, err))
        return qz_cli_fail(cli, err, QZ_EXIT_USAGE);
    puts(working ? "working" : "day-off");
    return QZ_EXIT_OK;
}

static int cmd_add(qz_cli *cli, qz_calendar *cal, int argc, char **argv, qz_err *err)
{
    qz_date d, out;
    int n = 0;
    char buf[QZ_DATE_STR];
    if (argc != 2)
        return qz_cli_usage(cli, "usage.calendar");
    if (qz_date_parse(argv[0], &d, err) || parse_int(argv[1], &n, err) ||
        qz_calendar_add(cal, d, n, &out, err))
        return qz_cli_fail(cli, err, QZ_EXIT_USAGE);
    puts(qz_date_format(out, buf));
    return QZ_EXIT_OK;
}

static int cmd_between(qz_cli *cli, qz_calendar *cal, int argc, char **argv, qz_err *err)
{
    qz_date a, b;
    int n = 0;
    if (argc != 2)
        return qz_cli_usage(cli, "usage.calendar");
    if (qz_date_parse(argv[0], &a, err) || qz_date_parse(argv[1], &b, err) ||
        qz_calendar_between(cal, a, b, &n, err))
        return qz_cli_fail(cli, err, QZ_EXIT_USAGE);
    printf("%d\n", n);
    return QZ_EXIT_OK;
}

static int cmd_years(qz_cli *cli, qz_calendar *cal, int argc, char **argv, qz_err *err)
{
    (void)argv;
    if (argc != 0)
        return qz_cli_usage(cli, "usage.calendar");
    for (int y = qz_calendar_first_year(cal); y <= qz_calendar_last_year(cal); y++) {
        qz_year_state st;
        char year[16], missing[1024], line[1400];
        if (qz_calendar_year_state(cal, y, &st, err))
            return qz_cli_fail(cli, err, QZ_EXIT_FAIL);
        snprintf(year, sizeof year, "%d", y);
        bool provisional = qz_year_state_provisional(&st);
        const char *args[] = {year,
                              provisional ? year_missing(cli, &st, missing, sizeof missing) : "",
                              st.pending ? st.pending : ""};
        qz_strings_format(cli->strings, cli->lang,
                          !provisional ? "calendar.year_confirmed"
                          : st.pending ? "calendar.year_provisional_pending"
                                       : "calendar.year_provisional",
                          NULL, args, 3, line, sizeof line);
        puts(line);
    }
    return QZ_EXIT_OK;
}

static int parse_due_args(int argc, char **argv, due_args *a, qz_err *err)
{
    static const char *const opts[] = {"--channel", "--department", "--urgency",
                                       "--variant", "--schedule",   "--zone"};
    const char **slots[] = {&a->q.channel, &a->q.department, &a->q.urgency,
                            &a->q.variant, &a->schedule,     &a->zone};
    int positional = 0;
    for (int i = 0; i < argc; i++) {
        size_t k = 0;
        while (k < 6 && strcmp(argv[i], opts[k]) != 0)
            k++;
        if (k < 6) {
            if (i + 1 >= argc)
                return qz_err_set(err, QZ_EINPUT, "cli.option_needs_value", argv[i], argv[i]);
            *slots[k] = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] == '-')
            return qz_err_set(err, QZ_EINPUT, "cli.option_unknown", NULL, argv[i]);
        else if (positional == 0 && ++positional)
            a->service = argv[i];
        else if (positional == 1 && ++positional)
            a->accepted = argv[i];
        else
            return qz_err_set(err, QZ_EINPUT, "cli.too_many_arguments", NULL, argv[i]);
    }
    if (!a->accepted)
        return qz_err_set(err, QZ_EINPUT, "cli.missing_arguments", NULL, "SERVICE ACCEPTED_AT");
    if (!a->q.channel)
        a->q.channel = "psc";
    if (a->q.department && strcmp(a->q.department, "regional") && strcmp(a->q.department, "other"))
        return qz_err_set(err, QZ_EINPUT, "term.department_invalid", "--department",
                          a->q.department);
    return 0;
}

/* Resolves the instant the request was received: with its own offset, or in the zone. */
static int received_instant(const due_args *a, const qz_zone *z, qz_instant *out, qz_err *err)
{
    qz_local_time lt;
    if (qz_local_time_parse(a->accepted, &lt, err))
        return -1;
    *out = lt.has_offset ? qz_instant_at(lt.date, lt.second_of_day, lt.offset_s)
                         : qz_zone_instant(z, lt.date, lt.second_of_day);
    return 0;
}

/* Computes the due instant; on failure err says why and the status to exit with. */
static int compute_due(const qz_cli *cli, const due_args *a, due_ctx *c, qz_err *err)
{
    const qz_channel *ch;
    qz_instant received;
    if (qz_rules_load(cli->catalog_dir, NULL, NULL, &c->rules, err))
        return QZ_EXIT_FAIL;
    c->unit.cal = c->rules.cal;
    c->unit.zone = a->zone ? qz_timetable_zone(c->rules.tt, a->zone, err)
                           : qz_timetable_default_zone(c->rules.tt);
    if (!c->unit.zone || received_instant(a, c->unit.zone, &received, err) ||
        !(c->svc = qz_catalog_service(c->rules.cat, a->service, err)))
        return QZ_EXIT_USAGE;
    qz_date day = qz_instant_date(received, qz_zone_offset(c->unit.zone, received));
    if (!(c->ver = qz_service_version_at(c->svc, day, err)) ||
        !(ch = qz_service_channel(c->ver, a->q.channel, err)) ||
        !(c->rule = qz_service_term(c->ver, &a->q, err)) ||
        !(c->unit.sched =
              qz_timetable_schedule(c->rules.tt, a->schedule ? a->schedule : ch->schedule, err)) ||
        qz_term_due(&c->unit, &c->rule->term, received, &c->due, err))
        return qz_cli_status_for(err);
    return QZ_EXIT_OK;
}

static const char *tr(const qz_cli *cli, const char *key)
{
    return qz_strings_get(cli->strings, cli->lang, key);
}

static void print_fmt(const qz_cli *cli, const char *key, const char *const *args, size_t n)
{
    char line[1024];
    puts(qz_strings_format(cli->strings, cli->lang, key, NULL, args, n, line, sizeof line));
}

/* How a day of the trace is counted: a working day of a term in working days; a day of a
 * term in calendar days (every day counts, whatever it is); a day after a calendar-day
 * term's last day, which fell on a day off and rolls to the next working day. */
typedef enum trace_mode { TRACE_WD, TRACE_CD, TRACE_ROLL } trace_mode;

static void explain_day(const qz_cli *cli, const due_ctx *c, qz_date d, int *counted,
                        trace_mode mode)
{
    static const char *const weekday_keys[] = {"weekday.1", "weekday.2", "weekday.3", "weekday.4",
                                               "weekday.5", "weekday.6", "weekday.7"};
    qz_day_info info;
    qz_err err;
    char date[QZ_DATE_STR], hdate[QZ_DATE_STR], num[16];
    if (qz_calendar_day(c->rules.cal, d, &info, &err))
        return;
    qz_date_format(d, date);
    const char *name = info.holiday ? info.holiday->name[cli->lang] : "";
    const char *src = info.source ? info.source : "";
    const char *key = "explain.weekend";
    switch (info.kind) {
    case QZ_DAY_WORKING:
        key = "explain.working";
        break;
    case QZ_DAY_WORKING_MOVED:
        key = "explain.working_moved";
        break;
    case QZ_DAY_WEEKEND:
        break;
    case QZ_DAY_HOLIDAY:
        key = "explain.holiday";
        break;
    case QZ_DAY_TRANSFERRED:
        key = "explain.transferred";
        qz_date_format(info.holiday_date, hdate);
        break;
    case QZ_DAY_MOVED_OFF:
        key = "explain.moved_off";
        break;
    }
    bool working = info.kind == QZ_DAY_WORKING || info.kind == QZ_DAY_WORKING_MOVED;
    char cd_key[48];
    if (mode == TRACE_CD || (mode == TRACE_WD && working))
        ++*counted;
    if (mode == TRACE_CD) {
        snprintf(cd_key, sizeof cd_key, "explain.cd_%s", key + strlen("explain."));
        key = cd_key;
    } else if (mode == TRACE_ROLL && working) {
        key = "explain.cd_end";
    }
    snprintf(num, sizeof num, "%d", *counted);
    const char *args[] = {date, tr(cli, weekday_keys[qz_date_weekday(d) - 1]), num, name,
                          src,  info.kind == QZ_DAY_TRANSFERRED ? hdate : ""};
    char line[1200], body[900], mark[128] = "";
    qz_strings_format(cli->strings, cli->lang, key, NULL, args + 2, 4, body, sizeof body);
    if (info.provisional) {
        char year[16];
        snprintf(year, sizeof year, "%d", qz_date_to_ymd(d).year);
        const char *y[] = {year};
        mark[0] = ' ';
        qz_strings_format(cli->strings, cli->lang,
                          info.estimated ? "explain.provisional_estimate" : "explain.provisional",
                          NULL, y, 1, mark + 1, sizeof mark - 1);
    }
    snprintf(line, sizeof line, "%s %-3s  %s%s", args[0], args[1], body, mark);
    puts(line);
}

/* One line per provisional year the counted days run through: what it lacks. */
static void explain_provisional_years(const qz_cli *cli, const due_ctx *c)
{
    int from = qz_date_to_ymd(c->due.first_day).year, to = qz_date_to_ymd(c->due.last_day).year;
    for (int y = from; y <= to; y++) {
        qz_year_state st;
        qz_err err;
        char missing[1024], year[16];
        if (qz_calendar_year_state(c->rules.cal, y, &st, &err) || !qz_year_state_provisional(&st))
            continue;
        snprintf(year, sizeof year, "%d", y);
        const char *args[] = {year, year_missing(cli, &st, missing, sizeof missing)};
        print_fmt(cli, "explain.provisional_year", args, 2);
    }
}

static void explain(const qz_cli *cli, const due_ctx *c)
{
    const qz_term *t = &c->rule->term;
    int off_r = qz_zone_offset(c->unit.zone, c->due.received);
    int off_a = qz_zone_offset(c->unit.zone, c->due.accepted);
    char received[QZ_INSTANT_STR], accepted[QZ_INSTANT_STR], first[QZ_DATE_STR], from[QZ_DATE_STR];
    char amount[16];
    snprintf(amount, sizeof amount, "%d", t->amount);
    const char *version[] = {c->svc->code, c->ver->name.t[cli->lang],
                             qz_date_format(c->ver->from, from), c->ver->source};
    print_fmt(cli, "explain.service", version, 4);
    char unit_key[32];
    snprintf(unit_key, sizeof unit_key, "term.unit.%s", qz_term_unit_name(t->unit));
    const char *term[] = {amount, tr(cli, unit_key), t->source};
    print_fmt(cli, "explain.term", term, 3);
    const char *start[] = {qz_instant_format(c->due.received, off_r, received),
                           qz_instant_format(c->due.accepted, off_a, accepted),
                           c->unit.sched->name[cli->lang], c->unit.sched->source};
    print_fmt(cli,
              c->due.received == c->due.accepted ? "explain.received" : "explain.received_later",
              start, 4);
    qz_date_format(c->due.first_day, first);
    explain_provisional_years(cli, c);
    int counted = 0;
    if (t->unit == QZ_TERM_WD || t->unit == QZ_TERM_CD) {
        const char *day[] = {first};
        print_fmt(
            cli, t->first_day_counts ? "explain.first_day_counts" : "explain.first_day_not_counted",
            day, 1);
        if (t->unit == QZ_TERM_WD) {
            for (qz_date d = c->due.first_day + !t->first_day_counts; d <= c->due.last_day; d++)
                explain_day(cli, c, d, &counted, TRACE_WD);
        } else {
            /* The same count as core/term.c: n calendar days after the first day. */
            qz_date end = c->due.first_day + t->amount - (t->first_day_counts && t->amount > 0);
            for (qz_date d = c->due.first_day + !t->first_day_counts; d <= end; d++)
                explain_day(cli, c, d, &counted, TRACE_CD);
            if (c->due.last_day > end)
                print_fmt(cli, "explain.cd_rolled", NULL, 0);
            for (qz_date d = end + 1; d <= c->due.last_day; d++)
                explain_day(cli, c, d, &counted, TRACE_ROLL);
        }
    } else {
        char due[QZ_INSTANT_STR];
        const char *span[] = {
            accepted, qz_instant_format(c->due.due, qz_zone_offset(c->unit.zone, c->due.due), due)};
        print_fmt(cli, "explain.business_time", span, 2);
        const char *day[] = {first};
        if (t->same_day)
            print_fmt(cli, "explain.same_day", day, 1);
    }
}

static int cmd_due(qz_cli *cli, int argc, char **argv, bool with_explanation, qz_err *err)
{
    due_args a = {0};
    due_ctx c = {0};
    if (parse_due_args(argc, argv, &a, err))
        return qz_cli_fail(cli, err, QZ_EXIT_USAGE);
    int status = compute_due(cli, &a, &c, err);
    if (status != QZ_EXIT_OK) {
        qz_cli_fail(cli, err, status);
    } else {
        char due[QZ_INSTANT_STR];
        puts(qz_instant_format(c.due.due, qz_zone_offset(c.unit.zone, c.due.due), due));
        if (with_explanation)
            explain(cli, &c);
    }
    qz_rules_free(&c.rules);
    return status;
}

int qz_cli_calendar_reload(const qz_cli *cli, const qz_rules *rules, qz_store *st, qz_instant now,
                           bool quiet, qz_err *err)
{
    qz_app app = {rules, st, NULL, cli->strings, NULL};
    qz_reload_report rep;
    if (qz_calendar_reload(&app, now, &rep, err))
        return -1;
    if (!quiet || rep.cases_moved > 0) {
        char a[24], b[24], c[24];
        snprintf(a, sizeof a, "%zu", rep.days_changed);
        snprintf(b, sizeof b, "%zu", rep.cases_checked);
        snprintf(c, sizeof c, "%zu", rep.cases_moved);
        const char *args[] = {a, b, c};
        print_fmt(cli, rep.first ? "calendar.reload_first" : "calendar.reload_done", args, 3);
    }
    if (rep.cases_failed > 0) {
        char n[24], id[24], line[512], why[1024];
        snprintf(n, sizeof n, "%zu", rep.cases_failed);
        snprintf(id, sizeof id, "%lld", (long long)rep.first_failed);
        const char *args[] = {n, id};
        fprintf(stderr, "qyzmet: %s: %s\n",
                qz_strings_format(cli->strings, cli->lang, "calendar.reload_failed", NULL, args, 2,
                                  line, sizeof line),
                qz_strings_error(cli->strings, cli->lang, &rep.failed_err, why, sizeof why));
    }
    return 0;
}

/* qyzmet calendar reload --db PATH */
static int cmd_reload(qz_cli *cli, int argc, char **argv, qz_err *err)
{
    qz_rules rules = {0};
    qz_store *st = NULL;
    qz_instant now;
    int status = QZ_EXIT_FAIL;
    if (argc != 2 || strcmp(argv[0], "--db") != 0)
        return qz_cli_usage(cli, "usage.calendar");
    if (qz_cli_now(&now, err) || qz_rules_load(cli->catalog_dir, NULL, NULL, &rules, err) ||
        qz_cli_db_open(argv[1], &st, err) ||
        qz_cli_calendar_reload(cli, &rules, st, now, false, err))
        qz_cli_fail(cli, err, QZ_EXIT_FAIL);
    else
        status = QZ_EXIT_OK;
    qz_store_close(st);
    qz_rules_free(&rules);
    return status;
}

int qz_cmd_calendar(qz_cli *cli, int argc, char **argv)
{
    qz_err err;
    qz_err_clear(&err);
    if (argc < 2)
        return qz_cli_usage(cli, "usage.calendar");
    const char *sub = argv[1];
    if (strcmp(sub, "due") == 0 || strcmp(sub, "explain") == 0)
        return cmd_due(cli, argc - 2, argv + 2, sub[0] == 'e', &err);
    if (strcmp(sub, "reload") == 0)
        return cmd_reload(cli, argc - 2, argv + 2, &err);
    int (*run)(qz_cli *, qz_calendar *, int, char **, qz_err *) =
        strcmp(sub, "is-working") == 0 ? cmd_is_working
        : strcmp(sub, "add") == 0      ? cmd_add
        : strcmp(sub, "between") == 0  ? cmd_between
        : strcmp(sub, "years") == 0    ? cmd_years
                                       : NULL;
    if (!run)
        return qz_cli_usage(cli, "usage.calendar");
    qz_calendar *cal = load_calendar(cli, &err);
    if (!cal)
        return qz_cli_fail(cli, &err, QZ_EXIT_FAIL);
    int status = run(cli, cal, argc - 2, argv + 2, &err);
    qz_calendar_free(cal);
    return status;
}
