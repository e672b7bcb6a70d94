#include "core/calendar_load.h"

#include "core/arena.h"
#include "core/jsonv.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_YEAR_FILES = 512, MAX_YEARS_AHEAD = 50 };

typedef struct loader {
    qz_arena arena;                   /* the spec's arrays and file names */
    json_t *docs[MAX_YEAR_FILES + 3]; /* kept alive while the spec borrows their strings */
    size_t n_docs;
    qz_calendar_spec spec;
} loader;

static int fail_at(qz_err *err, const char *path, const char *prefix)
{
    qz_err_prefix_field(err, prefix);
    qz_err_set_file(err, path);
    return -1;
}

static int parse_month_day(const char *s, qz_holiday *h, qz_err *err)
{
    int m, d;
    char tail;
    if (!s || sscanf(s, "%2d-%2d%c", &m, &d, &tail) != 2 || strlen(s) != 5 ||
        !qz_ymd_valid(2000, m, d)) /* 2000 is a leap year: 02-29 is allowed */
        return qz_err_set(err, QZ_EDATA, "calendar.month_day_malformed", NULL, s);
    if (h->n_dates == QZ_HOLIDAY_MAX_DATES)
        return qz_err_set(err, QZ_EDATA, "calendar.too_many_dates", NULL, s);
    h->dates[h->n_dates].month = m;
    h->dates[h->n_dates].day = d;
    h->n_dates++;
    return 0;
}

static int read_holiday(const json_t *o, qz_holiday *h, qz_err *err)
{
    static const char *const fields[] = {"code", "dates", "lunar",  "name", "moves_on_weekend",
                                         "from", "until", "source", NULL};
    json_t *dates, *d;
    size_t i;
    h->from = QZ_DATE_MIN;
    h->until = QZ_DATE_MAX;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_str(o, "code", true, &h->code, err) ||
        qz_json_names(o, "name", true, h->name, err) ||
        qz_json_bool(o, "moves_on_weekend", true, &h->moves_on_weekend, err) ||
        qz_json_bool(o, "lunar", false, &h->lunar, err) ||
        qz_json_date(o, "from", false, &h->from, err) ||
        qz_json_date(o, "until", false, &h->until, err) ||
        qz_json_str(o, "source", true, &h->source, err) ||
        qz_json_arr(o, "dates", !h->lunar, &dates, err))
        return -1;
    if (h->lunar && dates)
        return qz_err_set(err, QZ_EDATA, "calendar.lunar_with_dates", "dates", NULL);
    if (h->from > h->until)
        return qz_err_set(err, QZ_EDATA, "calendar.from_after_until", "until", NULL);
    json_array_foreach(dates, i, d)
    {
        if (parse_month_day(json_string_value(d), h, err)) {
            snprintf(err->field, sizeof err->field, "dates[%zu]", i);
            return -1;
        }
    }
    if (!h->lunar && h->n_dates == 0)
        return qz_err_set(err, QZ_EDATA, "calendar.holiday_no_dates", "dates", NULL);
    return 0;
}

static int read_rules(loader *L, const char *path, qz_err *err)
{
    static const char *const fields[] = {"source", "holidays", NULL};
    json_t *doc = qz_json_load_file(path, err), *list, *o;
    size_t i;
    if (!doc)
        return -1;
    L->docs[L->n_docs++] = doc;
    L->spec.file = qz_arena_strdup(&L->arena, path);
    if (!json_is_object(doc) || qz_json_only(doc, fields, err) ||
        qz_json_str(doc, "source", true, &L->spec.source, err) ||
        qz_json_arr(doc, "holidays", true, &list, err))
        return fail_at(err, path, NULL);
    qz_holiday *hs = qz_arena_alloc(&L->arena, sizeof *hs * (json_array_size(list) + 1));
    if (!hs || !L->spec.file)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    json_array_foreach(list, i, o)
    {
        if (read_holiday(o, &hs[i], err)) {
            char at[32];
            snprintf(at, sizeof at, "holidays[%zu]", i);
            return fail_at(err, path, at);
        }
    }
    L->spec.holidays = hs;
    L->spec.n_holidays = json_array_size(list);
    return 0;
}

static int read_lunar(loader *L, const json_t *lunar, qz_calendar_year *y, qz_err *err)
{
    static const char *const fields[] = {"date", "estimated", "source", NULL};
    qz_lunar_date *ls = qz_arena_alloc(&L->arena, sizeof *ls * (json_object_size(lunar) + 1));
    const char *code;
    json_t *o;
    if (!ls)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    json_object_foreach((json_t *)lunar, code, o)
    {
        qz_lunar_date *l = &ls[y->n_lunar];
        l->code = code;
        if (!json_is_object(o))
            qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
        if (!json_is_object(o) || qz_json_only(o, fields, err) ||
            qz_json_date(o, "date", true, &l->date, err) ||
            qz_json_bool(o, "estimated", false, &l->estimated, err) ||
            qz_json_str(o, "source", true, &l->source, err)) {
            qz_err_prefix_field(err, code);
            qz_err_prefix_field(err, "lunar");
            return -1;
        }
        y->n_lunar++;
    }
    y->lunar = ls;
    return 0;
}

static int read_move(const json_t *o, qz_day_move *m, qz_err *err)
{
    static const char *const fields[] = {"date", "becomes", "source", NULL};
    const char *becomes;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_date(o, "date", true, &m->date, err) ||
        qz_json_str(o, "becomes", true, &becomes, err) ||
        qz_json_str(o, "source", true, &m->source, err))
        return -1;
    if (strcmp(becomes, "working") != 0 && strcmp(becomes, "day-off") != 0)
        return qz_err_set(err, QZ_EDATA, "calendar.becomes_invalid", "becomes", becomes);
    m->working = strcmp(becomes, "working") == 0;
    return 0;
}

static int read_year(loader *L, const char *path, int file_year, qz_calendar_year *y, qz_err *err)
{
    static const char *const fields[] = {"year", "lunar", "moves", "pending", "sources", NULL};
    json_t *doc = qz_json_load_file(path, err), *lunar, *moves, *o;
    long year = 0;
    size_t i;
    if (!doc)
        return -1;
    L->docs[L->n_docs++] = doc;
    y->file = qz_arena_strdup(&L->arena, path);
    if (!y->file)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    if (!json_is_object(doc))
        qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (!json_is_object(doc) || qz_json_only(doc, fields, err) ||
        qz_json_int(doc, "year", true, 1900, 9998, &year, err) ||
        qz_json_obj(doc, "lunar", false, &lunar, err) ||
        qz_json_arr(doc, "moves", true, &moves, err) ||
        qz_json_str(doc, "pending", false, &y->pending, err))
        return fail_at(err, path, NULL);
    if (year != file_year) {
        qz_err_setf(err, QZ_EDATA, "calendar.year_mismatch", "year", "%ld", year);
        return fail_at(err, path, NULL);
    }
    y->year = (int)year;
    if (lunar && read_lunar(L, lunar, y, err))
        return fail_at(err, path, NULL);
    qz_day_move *ms = qz_arena_alloc(&L->arena, sizeof *ms * (json_array_size(moves) + 1));
    if (!ms)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    json_array_foreach(moves, i, o)
    {
        if (read_move(o, &ms[i], err)) {
            char at[32];
            snprintf(at, sizeof at, "moves[%zu]", i);
            return fail_at(err, path, at);
        }
    }
    y->moves = ms;
    y->n_moves = json_array_size(moves);
    return 0;
}

/* Returns the year of a file named kz-YYYY.json, or 0. */
static int year_of_name(const char *name)
{
    int year;
    char tail[8];
    if (strlen(name) != 12 || sscanf(name, "kz-%4d.%5s", &year, tail) != 2 ||
        strcmp(tail, "json") != 0)
        return 0;
    return year;
}

static int read_years(loader *L, const char *dir, qz_err *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    qz_calendar_year *ys = qz_arena_alloc(&L->arena, sizeof *ys * MAX_YEAR_FILES);
    int rc = 0;
    if (!d)
        return qz_err_set(err, QZ_EIO, "file.cannot_open", NULL, dir);
    if (!ys)
        rc = qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    while (rc == 0 && (e = readdir(d)) != NULL) {
        int year = year_of_name(e->d_name);
        char path[4096];
        if (year == 0)
            continue;
        if (L->spec.n_years == MAX_YEAR_FILES)
            rc = qz_err_set(err, QZ_EDATA, "calendar.too_many_years", NULL, e->d_name);
        else if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path)
            rc = qz_err_set(err, QZ_EIO, "file.path_too_long", NULL, e->d_name);
        else
            rc = read_year(L, path, year, &ys[L->spec.n_years++], err);
    }
    closedir(d);
    L->spec.years = ys;
    return rc;
}

/* Loads an optional file of `dir`: NULL with no error when it is not there. */
static json_t *load_optional(loader *L, const char *dir, const char *name, char *path, size_t size,
                             qz_err *err)
{
    if ((size_t)snprintf(path, size, "%s/%s", dir, name) >= size) {
        qz_err_set(err, QZ_EIO, "file.path_too_long", NULL, name);
        return NULL;
    }
    qz_err_clear(err);
    if (access(path, F_OK) != 0)
        return NULL;
    json_t *doc = qz_json_load_file(path, err);
    if (doc)
        L->docs[L->n_docs++] = doc;
    return doc;
}

/* served.json: how many years after the current one are served; 0 when absent. */
static int read_served(loader *L, const char *dir, int *ahead, qz_err *err)
{
    static const char *const fields[] = {"years_ahead", "source", NULL};
    char path[4096];
    const char *source;
    long n = 0;
    json_t *doc = load_optional(L, dir, "served.json", path, sizeof path, err);
    *ahead = 0;
    if (!doc)
        return err->key[0] ? -1 : 0;
    if (!json_is_object(doc))
        qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (!json_is_object(doc) || qz_json_only(doc, fields, err) ||
        qz_json_int(doc, "years_ahead", true, 0, MAX_YEARS_AHEAD, &n, err) ||
        qz_json_str(doc, "source", true, &source, err))
        return fail_at(err, path, NULL);
    *ahead = (int)n;
    return 0;
}

/* The estimate of a lunar holiday in `year` from lunar-estimates.json, or -1 with
 * calendar.estimate_missing naming the holiday and the year. */
static int find_estimate(const json_t *doc, const char *path, const char *code, int year,
                         qz_lunar_date *out, qz_err *err)
{
    static const char *const fields[] = {"date", "source", NULL};
    json_t *list = json_object_get(json_object_get(doc, "estimates"), code), *o;
    size_t i;
    json_array_foreach(list, i, o)
    {
        qz_date d;
        const char *source;
        if (!json_is_object(o))
            qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
        if (!json_is_object(o) || qz_json_only(o, fields, err) ||
            qz_json_date(o, "date", true, &d, err) ||
            qz_json_str(o, "source", true, &source, err)) {
            char at[64];
            snprintf(at, sizeof at, "estimates.%s[%zu]", code, i);
            return fail_at(err, path, at);
        }
        if (qz_date_to_ymd(d).year == year) {
            *out = (qz_lunar_date){.code = code, .date = d, .estimated = true, .source = source};
            return 0;
        }
    }
    char field[64];
    snprintf(field, sizeof field, "estimates.%s", code);
    qz_err_setf(err, QZ_EDATA, "calendar.estimate_missing", field, "%d", year);
    qz_err_set_file(err, path);
    return -1;
}

/* Appends the years after the last file up to current_year + years_ahead, computed from
 * the holidays in force and the estimates of the lunar dates. */
static int add_computed_years(loader *L, const char *dir, int current_year, qz_err *err)
{
    int ahead = 0, last = 0;
    if (read_served(L, dir, &ahead, err))
        return -1;
    for (size_t i = 0; i < L->spec.n_years; i++)
        last = L->spec.years[i].year > last ? L->spec.years[i].year : last;
    if (ahead == 0 || last == 0 || last >= current_year + ahead)
        return 0;
    char path[4096];
    json_t *est = load_optional(L, dir, "lunar-estimates.json", path, sizeof path, err);
    if (!est && err->key[0])
        return -1;
    qz_calendar_year *ys = (qz_calendar_year *)L->spec.years;
    for (int year = last + 1; year <= current_year + ahead; year++) {
        if (L->spec.n_years == MAX_YEAR_FILES)
            return qz_err_set(err, QZ_EDATA, "calendar.too_many_years", NULL, NULL);
        qz_calendar_year *y = &ys[L->spec.n_years];
        *y = (qz_calendar_year){.year = year, .computed = true};
        qz_lunar_date *ls = qz_arena_alloc(&L->arena, sizeof *ls * (L->spec.n_holidays + 1));
        if (!ls)
            return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        y->lunar = ls;
        for (size_t h = 0; h < L->spec.n_holidays; h++) {
            const qz_holiday *hol = &L->spec.holidays[h];
            qz_date mid = qz_date_from_ymd(year, 7, 1);
            if (!hol->lunar || mid < hol->from || mid > hol->until)
                continue;
            if (!est) {
                qz_err_setf(err, QZ_EDATA, "calendar.estimate_missing", hol->code, "%d", year);
                qz_err_set_file(err, path);
                return -1;
            }
            if (find_estimate(est, path, hol->code, year, &ls[y->n_lunar], err))
                return -1;
            y->n_lunar++;
        }
        L->spec.n_years++;
    }
    return 0;
}

static int current_year_utc(void)
{
    time_t now = time(NULL);
    struct tm tm;
    return gmtime_r(&now, &tm) ? tm.tm_year + 1900 : 1970;
}

qz_calendar *qz_calendar_load(const char *dir, qz_err *err)
{
    return qz_calendar_load_at(dir, current_year_utc(), err);
}

qz_calendar *qz_calendar_load_at(const char *dir, int current_year, qz_err *err)
{
    loader L = {.arena = QZ_ARENA_INIT};
    char path[4096];
    qz_calendar *cal = NULL;
    if ((size_t)snprintf(path, sizeof path, "%s/holidays.json", dir) >= sizeof path)
        qz_err_set(err, QZ_EIO, "file.path_too_long", NULL, dir);
    else if (read_rules(&L, path, err) == 0 && read_years(&L, dir, err) == 0 &&
             add_computed_years(&L, dir, current_year, err) == 0)
        cal = qz_calendar_build(&L.spec, err);
    for (size_t i = 0; i < L.n_docs; i++)
        json_decref(L.docs[i]);
    qz_arena_free(&L.arena);
    return cal;
}
