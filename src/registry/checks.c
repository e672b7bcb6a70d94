/*
 * checks.c — the rules of checks.h. Dates are compared as text: "YYYY-MM-DD" orders as
 * the dates do.
 */
#include "registry/checks.h"

#include <string.h>

bool qz_check_record(const qz_conviction_row *c, size_t n, const char *as_of, size_t *counted)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].sentenced_on, as_of) <= 0 &&
            (!c[i].expunged_on || strcmp(c[i].expunged_on, as_of) > 0))
            k++;
    if (counted)
        *counted = k;
    return k > 0;
}

bool qz_check_under_16_in_1940(const char *birth)
{
    /* 16 on 1940-01-01 means born on or before 1924-01-01. */
    return birth && strcmp(birth, "1924-01-01") > 0;
}

const qz_registration_row *qz_check_permanent(const qz_registration_row *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!r[i].ended_on && strcmp(r[i].kind, "permanent") == 0)
            return &r[i];
    return NULL;
}
