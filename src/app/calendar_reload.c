/*
 * calendar_reload.c — counting the open cases' dues again after the calendar data changed
 * (calendar_reload.h).
 */
#include "app/calendar_reload.h"

#include "app/write.h"
#include "core/arena.h"
#include "store/calendar_days.h"
#include "store/case_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_TRIES = 3 };

/* The kinds of the days of `year` in the calendar: 'w' or 'o', NUL-terminated in buf. */
static int year_days(const qz_calendar *cal, int year, char *buf, qz_err *err)
{
    size_t n = 0;
    for (qz_date d = qz_date_from_ymd(year, 1, 1); d < qz_date_from_ymd(year + 1, 1, 1); d++) {
        bool working;
        if (qz_calendar_is_working(cal, d, &working, err))
            return -1;
        buf[n++] = working ? 'w' : 'o';
    }
    buf[n] = '\0';
    return 0;
}

/* The changed days: sorted dates (owned by the caller). */
typedef struct changes {
    qz_date *days;
    size_t n;
} changes;

static int find_changes(const qz_calendar *cal, const qz_calendar_days_row *old, size_t n_old,
                        changes *out, qz_err *err)
{
    char days[367];
    size_t cap = 0;
    for (size_t i = 0; i < n_old; i++) {
        int y = old[i].year;
        if (y < qz_calendar_first_year(cal) || y > qz_calendar_last_year(cal))
            continue; /* no longer served: nothing to compare */
        if (year_days(cal, y, days, err))
            return -1;
        for (size_t k = 0; days[k] && old[i].days[k]; k++) {
            if (days[k] == old[i].days[k])
                continue;
            if (out->n == cap) {
                cap = cap ? cap * 2 : 16;
                qz_date *v = realloc(out->days, cap * sizeof *v);
                if (!v)
                    return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
                out->days = v;
            }
            out->days[out->n++] = qz_date_from_ymd(y, 1, 1) + (qz_date)k;
        }
    }
    return 0;
}

/* The reason a due that runs from `from` to `to` moved: the sources of the changed days
 * in between, each once, joined with "; " (or the changed days when none has a source:
 * a move taken out of the data). */
static void reason_of(const qz_calendar *cal, const changes *ch, qz_date from, qz_date to,
                      char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ch->n; i++) {
        qz_date d = ch->days[i];
        qz_day_info info;
        qz_err err;
        char text[1024], date[QZ_DATE_STR];
        if (d < from || d > to || qz_calendar_day(cal, d, &info, &err))
            continue;
        qz_date_format(d, date);
        if (info.source && *info.source)
            snprintf(text, sizeof text, "%s", info.source);
        else
            snprintf(text, sizeof text, "%s: calendar data changed", date);
        if (strstr(buf, text))
            continue;
        int w = snprintf(buf + len, cap - len, "%s%s", len ? "; " : "", text);
        if (w < 0 || (size_t)w >= cap - len)
            return;
        len += (size_t)w;
    }
}

/* Counts one case again and writes it when a due moved (with its notices, in the same
 * write: app/write.h); *moved says so. A person's action written in between makes the
 * write stale: the case is read again. */
static int recount(const qz_app *app, int64_t id, const changes *ch, qz_instant now, bool *moved,
                   qz_err *err)
{
    static const qz_actor calendar = {"calendar", "system", NULL, NULL};
    const qz_rules *r = app->rules;
    *moved = false;
    for (int tries = 0; tries < MAX_TRIES; tries++) {
        qz_case *c = qz_case_load(app->store, r->cat, id, err), *n = NULL;
        qz_events ev = {0};
        qz_arena a = QZ_ARENA_INIT;
        qz_case_row row;
        if (!c)
            return -1;
        int rc = qz_engine_recount_dues(r, c, &calendar, NULL, now, &n, &ev, err);
        if (rc == 0 && n) {
            const qz_zone *z = qz_engine_zone(r, c);
            qz_instant last =
                n->due_at > qz_case_run(n)->due_at ? n->due_at : qz_case_run(n)->due_at;
            char reason[2048];
            reason_of(r->cal, ch,
                      qz_instant_date(qz_case_run(c)->started_at < c->accepted_at
                                          ? qz_case_run(c)->started_at
                                          : c->accepted_at,
                                      qz_zone_offset(z, c->accepted_at)),
                      qz_instant_date(last, qz_zone_offset(z, last)), reason, sizeof reason);
            if (json_object_set_new(ev.v[0].data, "reason", json_string(reason)))
                rc = qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        }
        if (rc == 0 && n)
            rc = qz_store_case_get(app->store, id, &a, &row, err);
        qz_change change = {
            .before = c, .after = n, .ev = &ev, .region = rc == 0 ? row.region : NULL};
        if (rc == 0 && n)
            rc = qz_app_commit(app, &change, 1, false, NULL, now, err);
        qz_changes_clear(&change, 1);
        bool stale = rc != 0 && err->code == QZ_ECONFLICT;
        *moved = rc == 0 && n;
        qz_arena_free(&a);
        qz_events_clear(&ev);
        qz_case_free(n);
        qz_case_free(c);
        if (!stale)
            return rc;
    }
    return -1;
}

/* Remembers every year the calendar serves. */
static int remember(const qz_calendar *cal, qz_store *st, qz_instant now, qz_err *err)
{
    int first = qz_calendar_first_year(cal), last = qz_calendar_last_year(cal);
    size_t n = (size_t)(last - first + 1);
    qz_calendar_days_row *rows = calloc(n, sizeof *rows);
    char *text = calloc(n, 367);
    int rc = rows && text ? 0 : qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rows[i].year = first + (int)i;
        rows[i].days = text + i * 367;
        rc = year_days(cal, rows[i].year, text + i * 367, err);
    }
    if (rc == 0)
        rc = qz_store_calendar_days_put(st, rows, n, now, err);
    free(rows);
    free(text);
    return rc;
}

int qz_calendar_reload(const qz_app *app, qz_instant now, qz_reload_report *out, qz_err *err)
{
    const qz_rules *r = app->rules;
    qz_store *st = app->store;
    qz_arena a = QZ_ARENA_INIT;
    qz_calendar_days_row *old = NULL;
    int64_t *ids = NULL;
    size_t n_old = 0, n_ids = 0;
    changes ch = {0};
    *out = (qz_reload_report){0};
    int rc = qz_store_calendar_days(st, &a, &old, &n_old, err);
    out->first = rc == 0 && n_old == 0;
    if (rc == 0)
        rc = find_changes(r->cal, old, n_old, &ch, err);
    out->days_changed = ch.n;
    if (rc == 0 && ch.n > 0)
        rc = qz_store_unended_case_ids(st, &a, &ids, &n_ids, err);
    for (size_t i = 0; rc == 0 && i < n_ids; i++) {
        bool moved = false;
        rc = recount(app, ids[i], &ch, now, &moved, err);
        out->cases_checked++;
        out->cases_moved += moved;
        if (rc != 0 && strncmp(err->key, "calendar.", 9) == 0) {
            if (out->cases_failed++ == 0) {
                out->first_failed = ids[i];
                out->failed_err = *err;
            }
            rc = 0;
        }
    }
    if (rc == 0)
        rc = remember(r->cal, st, now, err);
    free(ch.days);
    qz_arena_free(&a);
    return rc;
}
