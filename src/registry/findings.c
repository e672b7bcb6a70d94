/*
 * findings.c — the registers' answers to a step's checks (findings.h).
 */
#include "registry/findings.h"

#include "core/jsonv.h"
#include "registry/checks.h"
#include "store/registry.h"

#include <stdio.h>
#include <string.h>

static const char *register_of(const json_t *map, const char *check)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(map, "checks"), i, e)
    {
        const char *c = json_string_value(json_object_get(e, "check"));
        if (c && strcmp(c, check) == 0)
            return json_string_value(json_object_get(e, "register"));
    }
    return NULL;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* Fills f (its "matched" and "rows") from register `reg` about person iin. */
static int answer(qz_store *st, const char *reg, const char *iin, const char *as_of, qz_arena *a,
                  json_t *f, qz_err *err)
{
    json_t *rows = json_array();
    json_object_set_new(f, "rows", rows);
    if (strcmp(reg, "convictions") == 0) {
        qz_conviction_row *c;
        size_t n, counted = 0;
        if (qz_registry_convictions(st, iin, a, &c, &n, err))
            return -1;
        bool has = qz_check_record(c, n, as_of, &counted);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "article", c[i].article,
                                                  "sentenced_on", c[i].sentenced_on, "expunged_on",
                                                  str_or_null(c[i].expunged_on)));
        json_object_set_new(f, "matched", json_boolean(has));
        json_object_set_new(f, "record", json_string(has ? "has" : "none"));
        json_object_set_new(f, "as_of", json_string(as_of));
    } else if (strcmp(reg, "wanted") == 0) {
        const char *since = NULL;
        if (qz_registry_wanted(st, iin, a, &since, err))
            return -1;
        if (since)
            json_array_append_new(rows, json_pack("{s:s}", "since", since));
        json_object_set_new(f, "matched", json_boolean(since != NULL));
    } else if (strcmp(reg, "registrations") == 0) {
        qz_registration_row *r;
        size_t n;
        if (qz_registry_registrations(st, iin, a, &r, &n, err))
            return -1;
        for (size_t i = 0; i < n; i++)
            json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:o, s:o}", "kind", r[i].kind,
                                                  "address", r[i].address, "from", r[i].from_on,
                                                  "until", str_or_null(r[i].until_on), "ended_on",
                                                  str_or_null(r[i].ended_on)));
        json_object_set_new(f, "matched", json_boolean(qz_check_permanent(r, n) != NULL));
    } else {
        qz_person_record p;
        qz_err e;
        int got = qz_registry_person_get(st, iin, a, &p, &e);
        if (got && e.code != QZ_ENOTFOUND) {
            *err = e;
            return -1;
        }
        if (got == 0 && strcmp(reg, "persons") == 0)
            json_array_append_new(rows,
                                  json_pack("{s:s, s:s, s:o, s:o}", "surname", p.surname, "name",
                                            p.name, "patronymic", str_or_null(p.patronymic),
                                            "birth_date", str_or_null(p.birth)));
        if (got == 0 && strcmp(reg, "settlers") == 0) {
            qz_settler_row *s;
            size_t n;
            if (qz_registry_settlers(st, p.surname, p.name, p.birth, a, &s, &n, err))
                return -1;
            for (size_t i = 0; i < n; i++)
                json_array_append_new(
                    rows, json_pack("{s:s, s:s, s:s, s:s, s:s}", "surname", s[i].surname, "name",
                                    s[i].name, "birth_date", s[i].birth_date, "relocated_on",
                                    s[i].relocated_on, "to_place", s[i].to_place));
            json_object_set_new(f, "under_16_on_1940_01_01",
                                json_boolean(qz_check_under_16_in_1940(p.birth)));
        }
        json_object_set_new(f, "matched", json_boolean(json_array_size(rows) > 0));
    }
    return 0;
}

json_t *qz_registry_findings(qz_store *st, const char *catalog_dir, const qz_case *c,
                             const char *as_of, qz_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/register-checks.json", catalog_dir);
    json_t *map = qz_json_load_file(path, err);
    if (!map)
        return NULL;
    const qz_step *step = qz_case_step(c);
    const char *iin = c->subject[0] ? c->subject : c->applicant;
    json_t *out = json_array();
    qz_arena a = {0};
    for (size_t i = 0; out && step && i < step->n_checks; i++) {
        const char *reg = register_of(map, step->checks[i].code);
        if (!reg)
            continue;
        json_t *f = json_pack("{s:s, s:s, s:s}", "check", step->checks[i].code, "register", reg,
                              "person", iin);
        if (!f || answer(st, reg, iin, as_of, &a, f, err)) {
            json_decref(f);
            json_decref(out);
            out = NULL;
            break;
        }
        json_array_append_new(out, f);
    }
    qz_arena_free(&a);
    json_decref(map);
    return out;
}
