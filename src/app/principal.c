#include "app/principal.h"

#include <string.h>

qz_actor qz_principal_actor(const qz_principal *p)
{
    return (qz_actor){.login = p->login,
                      .role = p->role,
                      .unit = p->unit[0] ? p->unit : NULL,
                      .iin = p->iin[0] ? p->iin : NULL};
}

bool qz_principal_is_staff(const qz_principal *p)
{
    return p->unit[0] != '\0' && strcmp(p->role, "applicant") != 0;
}
