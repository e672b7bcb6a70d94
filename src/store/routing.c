#include "store/routing.h"

#include <stdio.h>
#include <string.h>

bool qz_route_acts_as(const char *acts_as, const char *kind)
{
    size_t len = strlen(kind);
    for (const char *p = acts_as; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n == len && strncmp(p, kind, n) == 0)
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

/* The unit kinds a version's workflow uses, psc first, each once. */
static int needed_kinds(const qz_service_version *v, const char **kinds, size_t *n, qz_err *err)
{
    const qz_workflow *w = &v->workflow;
    *n = 0;
    kinds[(*n)++] = "psc";
    for (size_t i = 0; i < w->n_steps; i++) {
        const qz_step *s = &w->steps[i];
        for (size_t k = 0; k <= s->n_actions; k++) {
            const char *kind = k == 0 ? s->unit : s->actions[k - 1].unit;
            bool seen = kind == NULL;
            for (size_t j = 0; j < *n && !seen; j++)
                seen = strcmp(kinds[j], kind) == 0;
            if (seen)
                continue;
            if (*n == QZ_CASE_MAX_UNITS)
                return qz_err_set(err, QZ_EINPUT, "routing.too_many_kinds", "units", kind);
            kinds[(*n)++] = kind;
        }
    }
    return 0;
}

static void set_ref(qz_unit_ref *ref, const char *kind, const qz_unit_row *u)
{
    snprintf(ref->kind, sizeof ref->kind, "%s", kind);
    snprintf(ref->code, sizeof ref->code, "%s", u->code);
    snprintf(ref->schedule, sizeof ref->schedule, "%s", u->schedule ? u->schedule : "");
}

/* The first of rows[0..n) acting as `kind`; with `country`, only those serving the whole
 * country. */
static const qz_unit_row *find_unit(const qz_unit_row *rows, size_t n, const char *kind,
                                    bool country)
{
    for (size_t i = 0; i < n; i++)
        if (qz_route_acts_as(rows[i].acts_as, kind) &&
            (!country || (rows[i].area && strcmp(rows[i].area, "country") == 0)))
            return &rows[i];
    return NULL;
}

static int take_branch(const qz_unit_row *b, qz_route *out, qz_err *err)
{
    if (strcmp(b->kind, "psc") != 0)
        return qz_err_set(err, QZ_EINPUT, "routing.not_a_branch", "branch", b->code);
    if (strlen(b->region) >= sizeof out->region)
        return qz_err_set(err, QZ_EINPUT, "routing.branch_unknown", "branch", b->code);
    snprintf(out->region, sizeof out->region, "%s", b->region);
    const char *d = b->department;
    snprintf(out->department, sizeof out->department, "%s",
             d && (strcmp(d, "regional") == 0 || strcmp(d, "other") == 0) ? d : "");
    set_ref(&out->units[out->n_units++], "psc", b);
    return 0;
}

/* Finds the unit of each kind after psc: the branch's region first, then the country. */
static int route_kinds(qz_store *st, const char *const *kinds, size_t n_kinds, qz_arena *a,
                       qz_route *out, qz_err *err)
{
    qz_unit_row *local = NULL, *all = NULL;
    size_t n_local = 0, n_all = 0;
    if (qz_store_unit_list(st, out->region, a, &local, &n_local, err))
        return -1;
    for (size_t i = 1; i < n_kinds; i++) {
        const qz_unit_row *u = find_unit(local, n_local, kinds[i], false);
        if (!u && !all && qz_store_unit_list(st, NULL, a, &all, &n_all, err))
            return -1;
        if (!u)
            u = find_unit(all, n_all, kinds[i], true);
        if (!u)
            return qz_err_setf(err, QZ_EINPUT, "routing.no_unit", "branch", "%s (%s)", kinds[i],
                               out->region);
        set_ref(&out->units[out->n_units++], kinds[i], u);
    }
    return 0;
}

int qz_route_case(qz_store *st, const qz_service_version *v, const char *branch, qz_route *out,
                  qz_err *err)
{
    const char *kinds[QZ_CASE_MAX_UNITS];
    size_t n_kinds = 0;
    qz_arena a = QZ_ARENA_INIT;
    qz_unit_row b;
    memset(out, 0, sizeof *out);
    if (!branch || !*branch)
        return qz_err_set(err, QZ_EINPUT, "case.field_missing", "branch", "branch");
    if (needed_kinds(v, kinds, &n_kinds, err))
        return -1;
    int rc = qz_store_unit_get(st, branch, &a, &b, err);
    if (rc && err->code == QZ_ENOTFOUND)
        qz_err_set(err, QZ_EINPUT, "routing.branch_unknown", "branch", branch);
    if (rc == 0)
        rc = take_branch(&b, out, err) || route_kinds(st, kinds, n_kinds, &a, out, err) ? -1 : 0;
    qz_arena_free(&a);
    return rc;
}
