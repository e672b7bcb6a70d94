#include "app/case_access.h"

#include <string.h>

static bool same(const char *a, const char *b)
{
    return a[0] && strcmp(a, b) == 0;
}

bool qz_case_visible(const qz_case *c, const qz_principal *p)
{
    if (qz_principal_is_staff(p)) {
        for (size_t i = 0; i < c->n_units; i++)
            if (strcmp(c->units[i].code, p->unit) == 0)
                return true;
        return false;
    }
    return p->iin[0] && (same(c->applicant, p->iin) || same(c->subject, p->iin) ||
                         same(c->representative, p->iin));
}

int qz_case_log_read(qz_store *st, const qz_case *c, const qz_principal *p, qz_instant now,
                     qz_err *err)
{
    const char *state = qz_case_step(c)->code;
    if (!qz_principal_is_staff(p))
        return 0;
    qz_event_in e = {.at = now,
                     .actor = p->login,
                     .role = p->role,
                     .unit = p->unit,
                     .action = "read",
                     .from_state = state,
                     .to_state = state};
    return qz_store_case_event_record(st, c->id, &e, err); /* with the next group commit */
}

int qz_case_staff_check(qz_store *st, const qz_case *c, const char *role, const char *login,
                        qz_arena *a, qz_err *err)
{
    qz_user_row u;
    qz_err lookup;
    if (qz_store_user_get(st, login, a, &u, &lookup)) {
        if (lookup.code != QZ_ENOTFOUND) {
            *err = lookup;
            return -1;
        }
        return qz_err_set(err, QZ_EINPUT, "case.assignee_invalid", "login", login);
    }
    for (size_t i = 0; u.role && u.unit && strcmp(u.role, role) == 0 && i < c->n_units; i++)
        if (strcmp(c->units[i].code, u.unit) == 0)
            return 0;
    return qz_err_set(err, QZ_EINPUT, "case.assignee_invalid", "login", login);
}

int qz_case_staff_fields(qz_store *st, const qz_case *c, const char *action, const json_t *data,
                         qz_arena *a, qz_err *err)
{
    const qz_step *s = qz_case_step(c);
    for (size_t i = 0; action && i < s->n_actions; i++) {
        const qz_action_spec *spec = &s->actions[i];
        if (strcmp(spec->code, action) != 0)
            continue;
        for (size_t k = 0; k < spec->n_fields; k++) {
            const char *login = json_string_value(json_object_get(data, spec->fields[k].name));
            if (spec->fields[k].type == QZ_FIELD_STAFF && login &&
                qz_case_staff_check(st, c, spec->fields[k].role, login, a, err))
                return -1;
        }
    }
    return 0;
}
