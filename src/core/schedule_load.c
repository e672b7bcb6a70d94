#include "core/schedule_load.h"

#include "core/arena.h"
#include "core/jsonv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qz_timetable {
    qz_arena arena;
    qz_schedule *schedules;
    size_t n_schedules;
    qz_zone *zones;
    size_t n_zones;
    const qz_zone *default_zone;
};

static const char *const day_keys[] = {
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "mon-fri", "working-weekend", NULL};

static int parse_span(const char *s, int *open, int *close, qz_err *err)
{
    char a[6], b[6];
    if (!s || strlen(s) != 11 || s[5] != '-')
        return qz_err_set(err, QZ_EDATA, "schedule.span_malformed", NULL, s);
    memcpy(a, s, 5);
    a[5] = '\0';
    memcpy(b, s + 6, 5);
    b[5] = '\0';
    if (qz_clock_parse(a, open, err) || qz_clock_parse(b, close, err) || *open >= *close)
        return qz_err_set(err, QZ_EDATA, "schedule.span_malformed", NULL, s);
    return 0;
}

static int read_day(const json_t *list, qz_day_hours *h, qz_err *err)
{
    json_t *v;
    size_t i;
    if (!json_is_array(list))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "array");
    if (json_array_size(list) > QZ_SCHEDULE_MAX_SPANS)
        return qz_err_set(err, QZ_EDATA, "json.too_many", NULL, NULL);
    h->n = 0;
    json_array_foreach(list, i, v)
    {
        int open, close;
        if (parse_span(json_string_value(v), &open, &close, err))
            return -1;
        if (i > 0 && open < h->spans[i - 1].close)
            return qz_err_set(err, QZ_EDATA, "schedule.spans_overlap", NULL, json_string_value(v));
        h->spans[i].open = open;
        h->spans[i].close = close;
        h->n++;
    }
    return 0;
}

static int read_hours(const json_t *hours, qz_schedule *s, qz_err *err)
{
    json_t *v;
    bool have_weekend = false;
    if (qz_json_only(hours, day_keys, err))
        return -1;
    for (int k = 0; day_keys[k]; k++) {
        qz_day_hours h;
        if (!(v = json_object_get(hours, day_keys[k])))
            continue;
        if (read_day(v, &h, err)) {
            qz_err_prefix_field(err, day_keys[k]);
            return -1;
        }
        if (k < 7)
            s->week[k] = h;
        else if (k == 7)
            for (int d = 0; d < 5; d++)
                s->week[d] = h;
        else {
            s->working_weekend = h;
            have_weekend = true;
        }
    }
    if (!have_weekend)
        s->working_weekend = s->week[0];
    return 0;
}

static int read_schedule(qz_timetable *t, const json_t *o, qz_schedule *s, qz_err *err)
{
    static const char *const fields[] = {"code", "name", "hours", "source", NULL};
    const char *code, *source, *names[3];
    json_t *hours;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_str(o, "code", true, &code, err) ||
        qz_json_names(o, "name", true, names, err) || qz_json_obj(o, "hours", true, &hours, err) ||
        qz_json_str(o, "source", true, &source, err))
        return -1;
    if (read_hours(hours, s, err)) {
        qz_err_prefix_field(err, "hours");
        return -1;
    }
    s->code = qz_arena_strdup(&t->arena, code);
    s->source = qz_arena_strdup(&t->arena, source);
    for (int l = 0; l < 3; l++)
        s->name[l] = qz_arena_strdup(&t->arena, names[l]);
    if (!s->code || !s->source || !s->name[0] || !s->name[1] || !s->name[2])
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    return 0;
}

/* Parses "+HH:MM" / "-HH:MM" into seconds east of UTC. */
static int parse_offset(const char *s, int *out, qz_err *err)
{
    qz_local_time lt;
    char probe[40];
    /* Reuse the instant parser's offset rules on a fixed date. */
    if (!s || strlen(s) > 6 || (s[0] != '+' && s[0] != '-'))
        return qz_err_set(err, QZ_EDATA, "zone.offset_malformed", NULL, s);
    snprintf(probe, sizeof probe, "2000-01-01T00:00%s", s);
    if (qz_local_time_parse(probe, &lt, err))
        return qz_err_set(err, QZ_EDATA, "zone.offset_malformed", NULL, s);
    *out = lt.offset_s;
    return 0;
}

static int read_period(const json_t *o, qz_zone *z, bool last, qz_err *err)
{
    static const char *const fields[] = {"offset", "until", NULL};
    const char *offset, *until;
    qz_local_time lt;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_str(o, "offset", true, &offset, err) ||
        qz_json_str(o, "until", !last, &until, err) ||
        parse_offset(offset, &z->periods[z->n].offset_s, err))
        return -1;
    z->periods[z->n].until = QZ_INSTANT_MAX;
    if (until) {
        if (last)
            return qz_err_set(err, QZ_EDATA, "zone.last_has_until", "until", until);
        if (qz_local_time_parse(until, &lt, err) || !lt.has_offset)
            return qz_err_set(err, QZ_EDATA, "zone.until_malformed", "until", until);
        z->periods[z->n].until = qz_instant_at(lt.date, lt.second_of_day, lt.offset_s);
        if (z->n > 0 && z->periods[z->n].until <= z->periods[z->n - 1].until)
            return qz_err_set(err, QZ_EDATA, "zone.until_not_increasing", "until", until);
    }
    z->n++;
    return 0;
}

static int read_zone(qz_timetable *t, const json_t *o, qz_zone *z, qz_err *err)
{
    static const char *const fields[] = {"code", "offsets", "source", NULL};
    const char *code, *source;
    json_t *offsets, *p;
    size_t i;
    if (!json_is_object(o))
        return qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (qz_json_only(o, fields, err) || qz_json_str(o, "code", true, &code, err) ||
        qz_json_arr(o, "offsets", true, &offsets, err) ||
        qz_json_str(o, "source", true, &source, err))
        return -1;
    size_t n = json_array_size(offsets);
    if (n == 0 || n > QZ_ZONE_MAX_PERIODS)
        return qz_err_set(err, QZ_EDATA, "json.out_of_range", "offsets", NULL);
    json_array_foreach(offsets, i, p)
    {
        if (read_period(p, z, i + 1 == n, err)) {
            char at[32];
            snprintf(at, sizeof at, "offsets[%zu]", i);
            qz_err_prefix_field(err, at);
            return -1;
        }
    }
    z->code = qz_arena_strdup(&t->arena, code);
    return z->code ? 0 : qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
}

/* Reads the array `key` of a file's object, one element at a time with `read`. */
static int read_list(qz_timetable *t, const char *path, const char *key, size_t elem, void **out,
                     size_t *n, int (*read)(qz_timetable *, const json_t *, void *, qz_err *),
                     const char *const *fields, json_t **doc_out, qz_err *err)
{
    json_t *doc = qz_json_load_file(path, err), *list, *o;
    size_t i;
    if (!doc)
        return -1;
    *doc_out = doc;
    if (!json_is_object(doc))
        qz_err_set(err, QZ_EDATA, "json.wrong_type", NULL, "object");
    if (!json_is_object(doc) || qz_json_only(doc, fields, err) ||
        qz_json_arr(doc, key, true, &list, err))
        goto fail;
    unsigned char *items = qz_arena_alloc(&t->arena, elem * (json_array_size(list) + 1));
    if (!items) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        goto fail;
    }
    json_array_foreach(list, i, o)
    {
        if (read(t, o, items + i * elem, err)) {
            char at[48];
            snprintf(at, sizeof at, "%s[%zu]", key, i);
            qz_err_prefix_field(err, at);
            goto fail;
        }
    }
    *out = items;
    *n = json_array_size(list);
    return 0;
fail:
    qz_err_set_file(err, path);
    return -1;
}

static int read_schedule_any(qz_timetable *t, const json_t *o, void *s, qz_err *err)
{
    return read_schedule(t, o, s, err);
}

static int read_zone_any(qz_timetable *t, const json_t *o, void *z, qz_err *err)
{
    return read_zone(t, o, z, err);
}

qz_timetable *qz_timetable_load(const char *schedules_path, const char *zones_path, qz_err *err)
{
    static const char *const sched_fields[] = {"schedules", NULL};
    static const char *const zone_fields[] = {"default", "zones", NULL};
    qz_timetable *t = calloc(1, sizeof *t);
    json_t *sdoc = NULL, *zdoc = NULL;
    void *items = NULL;
    const char *def = NULL;
    int rc;
    if (!t) {
        qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        return NULL;
    }
    rc = read_list(t, schedules_path, "schedules", sizeof(qz_schedule), &items, &t->n_schedules,
                   read_schedule_any, sched_fields, &sdoc, err);
    t->schedules = items;
    if (rc == 0)
        rc = read_list(t, zones_path, "zones", sizeof(qz_zone), &items, &t->n_zones, read_zone_any,
                       zone_fields, &zdoc, err);
    if (rc == 0) {
        t->zones = items;
        if (qz_json_str(zdoc, "default", true, &def, err) ||
            !(t->default_zone = qz_timetable_zone(t, def, err))) {
            qz_err_set_file(err, zones_path);
            rc = -1;
        }
    }
    json_decref(sdoc);
    json_decref(zdoc);
    if (rc != 0) {
        qz_timetable_free(t);
        return NULL;
    }
    return t;
}

void qz_timetable_free(qz_timetable *t)
{
    if (!t)
        return;
    qz_arena_free(&t->arena);
    free(t);
}

const qz_schedule *qz_timetable_schedule(const qz_timetable *t, const char *code, qz_err *err)
{
    for (size_t i = 0; code && i < t->n_schedules; i++)
        if (strcmp(t->schedules[i].code, code) == 0)
            return &t->schedules[i];
    qz_err_set(err, QZ_ENOTFOUND, "schedule.unknown", NULL, code);
    return NULL;
}

const qz_zone *qz_timetable_zone(const qz_timetable *t, const char *code, qz_err *err)
{
    for (size_t i = 0; code && i < t->n_zones; i++)
        if (strcmp(t->zones[i].code, code) == 0)
            return &t->zones[i];
    qz_err_set(err, QZ_ENOTFOUND, "zone.unknown", NULL, code);
    return NULL;
}

const qz_zone *qz_timetable_default_zone(const qz_timetable *t)
{
    return t->default_zone;
}
