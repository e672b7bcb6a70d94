#include "cli/demo.h"

#include "core/jsonv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*entry_fn)(const json_t *obj, void *row, qz_arena *a, qz_err *err);

/* Reads the optional array of unit kinds `key` into one comma-separated string in `a`. */
static int kind_list(const json_t *obj, const char *key, qz_arena *a, const char **out, qz_err *err)
{
    json_t *arr = NULL, *v;
    size_t i, len = 1;
    if (qz_json_arr(obj, key, false, &arr, err))
        return -1;
    if (!arr || json_array_size(arr) == 0)
        return 0;
    json_array_foreach(arr, i, v)
    {
        if (!json_is_string(v))
            return qz_err_set(err, QZ_EDATA, "json.wrong_type", key, "string");
        len += json_string_length(v) + 1;
    }
    char *list = qz_arena_alloc(a, len);
    if (!list)
        return qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
    json_array_foreach(arr, i, v)
    {
        if (i)
            strcat(list, ",");
        strcat(list, json_string_value(v));
    }
    *out = list;
    return 0;
}

static int unit_entry(const json_t *obj, void *row, qz_arena *a, qz_err *err)
{
    static const char *const allowed[] = {"code", "kind",    "department", "region", "parent",
                                          "name", "acts_as", "schedule",   "area",   NULL};
    qz_unit_row *u = row;
    json_t *name = NULL;
    return qz_json_only(obj, allowed, err) || qz_json_str(obj, "code", true, &u->code, err) ||
           qz_json_str(obj, "kind", true, &u->kind, err) ||
           qz_json_str(obj, "department", false, &u->department, err) ||
           qz_json_str(obj, "region", true, &u->region, err) ||
           qz_json_str(obj, "parent", false, &u->parent, err) ||
           qz_json_obj(obj, "name", true, &name, err) ||
           qz_json_str(name, "kk", true, &u->name_kk, err) ||
           qz_json_str(name, "ru", true, &u->name_ru, err) ||
           kind_list(obj, "acts_as", a, &u->acts_as, err) ||
           qz_json_str(obj, "schedule", false, &u->schedule, err) ||
           qz_json_str(obj, "area", false, &u->area, err);
}

static int user_entry(const json_t *obj, void *row, qz_arena *a, qz_err *err)
{
    (void)a;
    static const char *const allowed[] = {"login", "role", "unit", "region", NULL};
    qz_user_row *u = row;
    return qz_json_only(obj, allowed, err) || qz_json_str(obj, "login", true, &u->login, err) ||
           qz_json_str(obj, "role", true, &u->role, err) ||
           qz_json_str(obj, "unit", false, &u->unit, err) ||
           qz_json_str(obj, "region", !u->unit, &u->region, err);
}

static int person_entry(const json_t *obj, void *row, qz_arena *a, qz_err *err)
{
    (void)a;
    static const char *const allowed[] = {"iin",   "surname", "name", "patronymic", "birth",
                                          "phone", "region",  "lang", NULL};
    qz_demo_person *p = row;
    p->row.has_birth = json_object_get(obj, "birth") != NULL;
    return qz_json_only(obj, allowed, err) || qz_json_str(obj, "iin", true, &p->row.iin, err) ||
           qz_json_str(obj, "surname", true, &p->row.surname, err) ||
           qz_json_str(obj, "name", true, &p->row.name, err) ||
           qz_json_str(obj, "patronymic", false, &p->row.patronymic, err) ||
           qz_json_date(obj, "birth", false, &p->row.birth, err) ||
           qz_json_str(obj, "phone", false, &p->row.phone, err) ||
           qz_json_str(obj, "region", true, &p->row.region, err) ||
           qz_json_str(obj, "lang", true, &p->lang, err);
}

/* Loads "<dir>/<file>" and reads each entry of its array `list` into a new array of
 * `size`-byte rows. */
static int load_list(const char *dir, const char *file, const char *list, entry_fn fn, size_t size,
                     qz_arena *a, json_t **doc, void **rows, size_t *n, qz_err *err)
{
    char path[4096], field[64];
    json_t *arr = NULL, *entry;
    size_t i;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path)
        return qz_err_set(err, QZ_EIO, "file.path_too_long", NULL, file);
    if (!(*doc = qz_json_load_file(path, err)))
        return -1;
    if (qz_json_arr(*doc, list, true, &arr, err) ||
        !(*rows = calloc(json_array_size(arr) + 1, size))) {
        if (err->code == QZ_OK)
            qz_err_set(err, QZ_ENOMEM, "out_of_memory", NULL, NULL);
        qz_err_set_file(err, path);
        return -1;
    }
    json_array_foreach(arr, i, entry)
    {
        if (fn(entry, (char *)*rows + i * size, a, err)) {
            snprintf(field, sizeof field, "%s[%zu]", list, i);
            qz_err_prefix_field(err, field);
            qz_err_set_file(err, path);
            return -1;
        }
    }
    *n = json_array_size(arr);
    return 0;
}

int qz_demo_load(const char *dir, qz_demo *d, qz_err *err)
{
    memset(d, 0, sizeof *d);
    qz_err_clear(err);
    return load_list(dir, "units.json", "units", unit_entry, sizeof *d->units, &d->arena,
                     &d->docs[0], (void **)&d->units, &d->n_units, err) ||
                   load_list(dir, "users.json", "users", user_entry, sizeof *d->users, &d->arena,
                             &d->docs[1], (void **)&d->users, &d->n_users, err) ||
                   load_list(dir, "persons.json", "persons", person_entry, sizeof *d->persons,
                             &d->arena, &d->docs[2], (void **)&d->persons, &d->n_persons, err)
               ? -1
               : 0;
}

void qz_demo_free(qz_demo *d)
{
    for (int i = 0; i < 3; i++)
        json_decref(d->docs[i]);
    free(d->units);
    free(d->users);
    free(d->persons);
    qz_arena_free(&d->arena);
    memset(d, 0, sizeof *d);
}
