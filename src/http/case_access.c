#include "http/case_access.h"

#include <string.h>

bool qz_principal_is_staff(const qz_principal *p)
{
    return p->unit[0] != '\0' && strcmp(p->role, "applicant") != 0;
}

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
    return qz_store_case_event_add(st, c->id, &e, err);
}
