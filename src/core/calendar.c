#include "core/calendar.h"

#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Why one day is not an ordinary day: the holiday (index) and the source. */
typedef struct reason {
    int holiday; /* index into holidays, or -1 */
    qz_date holiday_date;
    const char *source;
    bool estimated; /* a lunar date not yet announced */
} reason;

struct qz_calendar {
    qz_arena arena;
    int first_year, last_year;
    qz_date base; /* 1 January of first_year */
    int32_t ndays;
    uint8_t *kind;   /* qz_day_kind per day */
    int32_t *why;    /* index into reasons per day, or -1 */
    int32_t *prefix; /* prefix[i]: working days among days [0, i); ndays + 1 entries */
    int32_t *wd_pos; /* wd_pos[k]: the day index of the k-th working day (k from 0) */
    int32_t nworking;
    qz_holiday *holidays;
    size_t n_holidays;
    reason *reasons;
    size_t n_reasons;
    const char *weekend_source;
    qz_year_state *years; /* by year - first_year */
};

static int fail_in(qz_err *err, const char *file, const char *key, const char *field,
                   const char *value)
{
    qz_err_set(err, QZ_EDATA, key, field, value);
    qz_err_set_file(err, file);
    return -1;
}

static int check_years(const qz_calendar_spec *spec, int *first, int *last, qz_err *err)
{
    if (spec->n_years == 0)
        return fail_in(err, spec->file, "calendar.no_years", NULL, NULL);
    int lo = spec->years[0].year, hi = lo;
    for (size_t i = 1; i < spec->n_years; i++) {
        lo = spec->years[i].year < lo ? spec->years[i].year : lo;
        hi = spec->years[i].year > hi ? spec->years[i].year : hi;
    }
    if (lo < 1900 || hi > 9998)
        return qz_err_setf(err, QZ_EDATA, "calendar.year_invalid", "year", "%d",
                           lo < 1900 ? lo : hi);
    for (int y = lo; y <= hi; y++) {
        size_t seen = 0;
        const char *file = NULL;
        for (size_t i = 0; i < spec->n_years; i++)
            if (spec->years[i].year == y) {
                seen++;
                file = spec->years[i].file;
            }
        char year[16];
        snprintf(year, sizeof year, "%d", y);
        if (seen == 0)
            return fail_in(err, spec->file, "calendar.year_missing", "years", year);
        if (seen > 1)
            return fail_in(err, file, "calendar.year_duplicate", "year", year);
    }
    *first = lo;
    *last = hi;
    return 0;
}

static int copy_holidays(qz_calendar *cal, const qz_calendar_spec *spec, qz_err *err)
{
    cal->holidays = qz_arena_alloc(&cal->arena, sizeof *cal->holidays * (spec->n_holidays + 1));
    if (!cal->holidays)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    for (size_t i = 0; i < spec->n_holidays; i++) {
        const qz_holiday *h = &spec->holidays[i];
        qz_holiday *c = &cal->holidays[i];
        char field[48];
        snprintf(field, sizeof field, "holidays[%zu]", i);
        if (!h->code || !*h->code)
            return fail_in(err, spec->file, "calendar.holiday_no_code", field, NULL);
        for (size_t j = 0; j < i; j++)
            if (strcmp(cal->holidays[j].code, h->code) == 0)
                return fail_in(err, spec->file, "calendar.holiday_duplicate", field, h->code);
        if (!h->lunar && h->n_dates == 0)
            return fail_in(err, spec->file, "calendar.holiday_no_dates", field, h->code);
        *c = *h;
        c->code = qz_arena_strdup(&cal->arena, h->code);
        c->source = qz_arena_strdup(&cal->arena, h->source);
        for (int l = 0; l < 3; l++)
            c->name[l] = qz_arena_strdup(&cal->arena, h->name[l] ? h->name[l] : h->code);
        if (!c->code || !c->name[0] || !c->name[1] || !c->name[2] || (h->source && !c->source))
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    cal->n_holidays = spec->n_holidays;
    return 0;
}

static int32_t add_reason(qz_calendar *cal, int holiday, qz_date hdate, const char *source)
{
    reason *r = &cal->reasons[cal->n_reasons];
    r->holiday = holiday;
    r->holiday_date = hdate;
    r->estimated = false;
    r->source = qz_arena_strdup(&cal->arena, source);
    if (source && !r->source)
        return -1;
    return (int32_t)cal->n_reasons++;
}

static bool in_force(const qz_holiday *h, qz_date d)
{
    return d >= h->from && d <= h->until;
}

/* Marks one holiday date; a date already a holiday keeps its first reason. */
static int mark_holiday(qz_calendar *cal, int hi, qz_date d, const char *source, bool estimated,
                        qz_err *err)
{
    int32_t i = d - cal->base;
    if (cal->kind[i] == QZ_DAY_HOLIDAY)
        return 0;
    int32_t r = add_reason(cal, hi, d, source);
    if (r < 0)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    cal->reasons[r].estimated = estimated;
    cal->kind[i] = QZ_DAY_HOLIDAY;
    cal->why[i] = r;
    return 0;
}

static const qz_lunar_date *find_lunar(const qz_calendar_year *y, const char *code)
{
    for (size_t i = 0; i < y->n_lunar; i++)
        if (y->lunar[i].code && strcmp(y->lunar[i].code, code) == 0)
            return &y->lunar[i];
    return NULL;
}

static int mark_year_holidays(qz_calendar *cal, const qz_calendar_year *y, qz_err *err)
{
    char field[64];
    for (size_t k = 0; k < y->n_lunar; k++)
        if (!qz_calendar_holiday(cal, y->lunar[k].code)) {
            snprintf(field, sizeof field, "lunar.%s", y->lunar[k].code ? y->lunar[k].code : "");
            return fail_in(err, y->file, "calendar.unknown_holiday", field, y->lunar[k].code);
        }
    for (size_t hi = 0; hi < cal->n_holidays; hi++) {
        const qz_holiday *h = &cal->holidays[hi];
        if (h->lunar) {
            const qz_lunar_date *l = find_lunar(y, h->code);
            snprintf(field, sizeof field, "lunar.%s", h->code);
            if (!l) {
                qz_date mid = qz_date_from_ymd(y->year, 7, 1);
                if (!in_force(h, mid))
                    continue;
                return fail_in(err, y->file, "calendar.lunar_missing", field, h->code);
            }
            if (qz_date_to_ymd(l->date).year != y->year) {
                char date[QZ_DATE_STR];
                return fail_in(err, y->file, "calendar.date_outside_year", field,
                               qz_date_format(l->date, date));
            }
            if (in_force(h, l->date) &&
                mark_holiday(cal, (int)hi, l->date, l->source, l->estimated, err))
                return -1;
            continue;
        }
        for (int k = 0; k < h->n_dates; k++) {
            if (!qz_ymd_valid(y->year, h->dates[k].month, h->dates[k].day))
                continue; /* 29 February in a common year */
            qz_date d = qz_date_from_ymd(y->year, h->dates[k].month, h->dates[k].day);
            if (in_force(h, d) && mark_holiday(cal, (int)hi, d, h->source, false, err))
                return -1;
        }
    }
    return 0;
}

/* Applies one kind of a year's decree moves. Days off come before the weekend rule, so a
 * holiday's transferred day off skips a decree day off; working days come after it, so a
 * decree may make a working day of a Saturday/Sunday or of a weekday the weekend rule had
 * given a holiday's day off to (2020: Victory Day's day off moved from Monday 11 May to
 * Friday 8 May). */
static int apply_moves(qz_calendar *cal, const qz_calendar_year *y, bool working, qz_err *err)
{
    for (size_t k = 0; k < y->n_moves; k++) {
        const qz_day_move *m = &y->moves[k];
        char field[48], date[QZ_DATE_STR];
        if (m->working != working)
            continue;
        snprintf(field, sizeof field, "moves[%zu].date", k);
        qz_date_format(m->date, date);
        if (qz_date_to_ymd(m->date).year != y->year)
            return fail_in(err, y->file, "calendar.date_outside_year", field, date);
        int32_t i = m->date - cal->base;
        bool fits = m->working
                        ? cal->kind[i] == QZ_DAY_WEEKEND || cal->kind[i] == QZ_DAY_TRANSFERRED
                        : cal->kind[i] == QZ_DAY_WORKING;
        if (!fits)
            return fail_in(err, y->file,
                           m->working ? "calendar.move_working_not_weekend"
                                      : "calendar.move_off_not_working",
                           field, date);
        int32_t r = add_reason(cal, -1, 0, m->source);
        if (r < 0)
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        cal->kind[i] = m->working ? QZ_DAY_WORKING_MOVED : QZ_DAY_MOVED_OFF;
        cal->why[i] = r;
    }
    return 0;
}

/* The Labour Code's rule: a holiday on a weekend gives its day off to the next working day. */
static int apply_weekend_rule(qz_calendar *cal, qz_err *err)
{
    int32_t next = 0; /* transfers never go backwards, so the search resumes where it left */
    for (int32_t i = 0; i < cal->ndays; i++) {
        if (cal->kind[i] != QZ_DAY_HOLIDAY)
            continue;
        const reason *r = &cal->reasons[cal->why[i]];
        const qz_holiday *h = &cal->holidays[r->holiday];
        if (!h->moves_on_weekend || qz_date_weekday(cal->base + i) < 6)
            continue;
        if (next <= i)
            next = i + 1;
        while (next < cal->ndays && cal->kind[next] != QZ_DAY_WORKING)
            next++;
        if (next >= cal->ndays) {
            char date[QZ_DATE_STR];
            return fail_in(err, NULL, "calendar.transfer_outside_data", h->code,
                           qz_date_format(cal->base + i, date));
        }
        int32_t t = add_reason(cal, r->holiday, cal->base + i, cal->weekend_source);
        if (t < 0)
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        cal->kind[next] = QZ_DAY_TRANSFERRED;
        cal->why[next] = t;
    }
    return 0;
}

static bool kind_is_working(uint8_t k)
{
    return k == QZ_DAY_WORKING || k == QZ_DAY_WORKING_MOVED;
}

static int build_counts(qz_calendar *cal, qz_err *err)
{
    cal->prefix = qz_arena_alloc(&cal->arena, sizeof *cal->prefix * ((size_t)cal->ndays + 1));
    cal->wd_pos = qz_arena_alloc(&cal->arena, sizeof *cal->wd_pos * (size_t)cal->ndays);
    if (!cal->prefix || !cal->wd_pos)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    int32_t n = 0;
    for (int32_t i = 0; i < cal->ndays; i++) {
        cal->prefix[i] = n;
        if (kind_is_working(cal->kind[i]))
            cal->wd_pos[n++] = i;
    }
    cal->prefix[cal->ndays] = n;
    cal->nworking = n;
    return 0;
}

static int record_year_states(qz_calendar *cal, const qz_calendar_spec *spec, qz_err *err)
{
    int n = cal->last_year - cal->first_year + 1;
    cal->years = qz_arena_alloc(&cal->arena, sizeof *cal->years * (size_t)n);
    if (!cal->years)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    for (size_t i = 0; i < spec->n_years; i++) {
        const qz_calendar_year *y = &spec->years[i];
        qz_year_state *s = &cal->years[y->year - cal->first_year];
        *s = (qz_year_state){.year = y->year, .computed = y->computed};
        s->file = y->file ? qz_arena_strdup(&cal->arena, y->file) : NULL;
        s->pending = y->pending ? qz_arena_strdup(&cal->arena, y->pending) : NULL;
        if ((y->file && !s->file) || (y->pending && !s->pending))
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        s->moves_pending = y->computed || y->pending;
        for (size_t k = 0; k < y->n_lunar; k++)
            if (y->lunar[k].estimated && !s->lunar_estimated) {
                s->lunar_estimated = true;
                s->estimated_on = y->lunar[k].date;
            }
    }
    return 0;
}

static int allocate_days(qz_calendar *cal, const qz_calendar_spec *spec, qz_err *err)
{
    cal->base = qz_date_from_ymd(cal->first_year, 1, 1);
    cal->ndays = qz_date_from_ymd(cal->last_year + 1, 1, 1) - cal->base;
    size_t n_reasons = (size_t)cal->ndays; /* at most one reason per day and per move */
    for (size_t i = 0; i < spec->n_years; i++)
        n_reasons += spec->years[i].n_moves;
    cal->kind = qz_arena_alloc(&cal->arena, (size_t)cal->ndays);
    cal->why = qz_arena_alloc(&cal->arena, sizeof *cal->why * (size_t)cal->ndays);
    cal->reasons = qz_arena_alloc(&cal->arena, sizeof *cal->reasons * n_reasons);
    if (!cal->kind || !cal->why || !cal->reasons)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    for (int32_t i = 0; i < cal->ndays; i++) {
        cal->kind[i] = qz_date_weekday(cal->base + i) >= 6 ? QZ_DAY_WEEKEND : QZ_DAY_WORKING;
        cal->why[i] = -1;
    }
    return 0;
}

qz_calendar *qz_calendar_build(const qz_calendar_spec *spec, qz_err *err)
{
    qz_calendar *cal = calloc(1, sizeof *cal);
    if (!cal) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    int rc = check_years(spec, &cal->first_year, &cal->last_year, err);
    if (rc == 0)
        rc = copy_holidays(cal, spec, err);
    if (rc == 0) {
        cal->weekend_source = qz_arena_strdup(&cal->arena, spec->source ? spec->source : "");
        rc = cal->weekend_source ? allocate_days(cal, spec, err)
                                 : qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    }
    if (rc == 0)
        rc = record_year_states(cal, spec, err);
    for (size_t i = 0; rc == 0 && i < spec->n_years; i++)
        rc = mark_year_holidays(cal, &spec->years[i], err);
    for (size_t i = 0; rc == 0 && i < spec->n_years; i++)
        rc = apply_moves(cal, &spec->years[i], false, err);
    if (rc == 0)
        rc = apply_weekend_rule(cal, err);
    for (size_t i = 0; rc == 0 && i < spec->n_years; i++)
        rc = apply_moves(cal, &spec->years[i], true, err);
    if (rc == 0)
        rc = build_counts(cal, err);
    if (rc != 0) {
        qz_calendar_free(cal);
        return NULL;
    }
    return cal;
}

void qz_calendar_free(qz_calendar *cal)
{
    if (!cal)
        return;
    qz_arena_free(&cal->arena);
    free(cal);
}

int qz_calendar_first_year(const qz_calendar *cal)
{
    return cal->first_year;
}

int qz_calendar_last_year(const qz_calendar *cal)
{
    return cal->last_year;
}

int qz_calendar_year_state(const qz_calendar *cal, int year, qz_year_state *out, qz_err *err)
{
    if (year < cal->first_year || year > cal->last_year)
        return qz_err_setf(err, QZ_ERANGE, "calendar.year_not_covered", NULL, "%d", year);
    *out = cal->years[year - cal->first_year];
    return 0;
}

bool qz_year_state_provisional(const qz_year_state *s)
{
    return s->computed || s->moves_pending || s->lunar_estimated;
}

bool qz_calendar_provisional(const qz_calendar *cal, qz_date d)
{
    int year = qz_date_to_ymd(d).year;
    if (year < cal->first_year || year > cal->last_year)
        return false;
    return qz_year_state_provisional(&cal->years[year - cal->first_year]);
}

static int index_of(const qz_calendar *cal, qz_date d, int32_t *out, qz_err *err)
{
    int64_t i = (int64_t)d - cal->base;
    if (i < 0 || i >= cal->ndays)
        return qz_err_setf(err, QZ_ERANGE, "calendar.year_not_covered", NULL, "%d",
                           qz_date_to_ymd(d).year);
    *out = (int32_t)i;
    return 0;
}

/* The error for an answer past the data's last working day (or before its first). */
static int beyond(const qz_calendar *cal, bool after, qz_err *err)
{
    return qz_err_setf(err, QZ_ERANGE, "calendar.year_not_covered", NULL, "%d",
                       after ? cal->last_year + 1 : cal->first_year - 1);
}

int qz_calendar_is_working(const qz_calendar *cal, qz_date d, bool *out, qz_err *err)
{
    int32_t i = 0;
    if (index_of(cal, d, &i, err))
        return -1;
    *out = kind_is_working(cal->kind[i]);
    return 0;
}

int qz_calendar_day(const qz_calendar *cal, qz_date d, qz_day_info *out, qz_err *err)
{
    int32_t i = 0;
    if (index_of(cal, d, &i, err))
        return -1;
    qz_day_info info = {.kind = (qz_day_kind)cal->kind[i]};
    if (cal->why[i] >= 0) {
        const reason *r = &cal->reasons[cal->why[i]];
        info.holiday = r->holiday >= 0 ? &cal->holidays[r->holiday] : NULL;
        info.holiday_date = r->holiday_date;
        info.source = r->source;
        info.estimated = r->estimated;
    }
    info.provisional =
        qz_year_state_provisional(&cal->years[qz_date_to_ymd(d).year - cal->first_year]);
    *out = info;
    return 0;
}

int qz_calendar_add(const qz_calendar *cal, qz_date d, int n, qz_date *out, qz_err *err)
{
    int32_t i = 0;
    if (index_of(cal, d, &i, err))
        return -1;
    if (n == 0) {
        *out = d;
        return 0;
    }
    /* k: position among working days of the answer. */
    int64_t k = n > 0 ? (int64_t)cal->prefix[i + 1] + n - 1 : (int64_t)cal->prefix[i] + n;
    if (k < 0 || k >= cal->nworking)
        return beyond(cal, n > 0, err);
    *out = cal->base + cal->wd_pos[k];
    return 0;
}

int qz_calendar_between(const qz_calendar *cal, qz_date a, qz_date b, int *out, qz_err *err)
{
    int32_t ia = 0, ib = 0;
    if (index_of(cal, a, &ia, err) || index_of(cal, b, &ib, err))
        return -1;
    *out = cal->prefix[ib + 1] - cal->prefix[ia + 1];
    return 0;
}

int qz_calendar_next_working(const qz_calendar *cal, qz_date d, qz_date *out, qz_err *err)
{
    int32_t i = 0;
    if (index_of(cal, d, &i, err))
        return -1;
    if (cal->prefix[i] >= cal->nworking)
        return beyond(cal, true, err);
    *out = cal->base + cal->wd_pos[cal->prefix[i]];
    return 0;
}

const qz_holiday *qz_calendar_holiday(const qz_calendar *cal, const char *code)
{
    for (size_t i = 0; code && i < cal->n_holidays; i++)
        if (strcmp(cal->holidays[i].code, code) == 0)
            return &cal->holidays[i];
    return NULL;
}

const char *qz_calendar_weekend_rule_source(const qz_calendar *cal)
{
    return cal->weekend_source;
}
