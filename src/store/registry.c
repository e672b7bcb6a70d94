/*
 * registry.c — the public functions of registry.h: the registers' names and columns (the
 * import's file formats, docs/registers.md), then the backend's operations.
 */
#include "store/backend.h"
#include "store/registry_backend.h"

#include <string.h>

typedef struct reg_def {
    const char *name;
    const qz_reg_column *cols;
    size_t n;
} reg_def;

#define COLS(a) a, sizeof a / sizeof a[0]

/* {name, required, in_header}: required columns need a value; in_header ones must be in
 * the file's header (contract.md's columns, "may be empty" ones included). `region` is
 * where a row lives (store.h); absent, the demo's Astana, KZ-71. */
static const qz_reg_column PERSONS[] = {
    {"iin", true, true},           {"surname", true, true},         {"name", true, true},
    {"patronymic", false, true},   {"birth_date", true, true},      {"sex", true, true},
    {"phone", false, true},        {"surname_latin", false, false}, {"name_latin", false, false},
    {"birth_place", false, false}, {"citizenship", false, false},   {"region", false, false},
};
static const qz_reg_column CONVICTIONS[] = {
    {"iin", true, true},          {"article", true, true},  {"sentenced_on", true, true},
    {"expunged_on", false, true}, {"region", false, false},
};
static const qz_reg_column WANTED[] = {
    {"iin", true, true}, {"since", true, true}, {"region", false, false}};
static const qz_reg_column REGISTRATIONS[] = {
    {"iin", true, true},  {"kind", true, true},   {"address", true, true},
    {"from", true, true}, {"until", false, true}, {"region", false, false},
};
static const qz_reg_column SETTLERS[] = {
    {"surname", true, true},    {"name", true, true},         {"patronymic", false, true},
    {"birth_date", true, true}, {"relocated_on", true, true}, {"from_place", true, true},
    {"to_place", true, true},   {"region", false, false},
};
static const qz_reg_column DOCUMENTS[] = {
    {"number", true, true},    {"iin", true, true},          {"kind", true, true},
    {"issued_on", true, true}, {"valid_until", false, true}, {"status", true, true},
    {"region", false, false},
};
static const qz_reg_column LEGAL_ENTITIES[] = {
    {"bin", true, true},           {"name_kk", true, true},  {"name_ru", true, true},
    {"registered_on", true, true}, {"region", false, false},
};

static const qz_reg_column FOREIGNERS[] = {
    {"iin", true, true},       {"citizenship", true, true}, {"document_number", true, true},
    {"surname", true, true},   {"name", true, true},        {"birth_date", true, true},
    {"issued_on", true, true}, {"region", false, false},
};

static const reg_def DEFS[QZ_REG_COUNT] = {
    [QZ_REG_PERSONS] = {"persons", COLS(PERSONS)},
    [QZ_REG_CONVICTIONS] = {"convictions", COLS(CONVICTIONS)},
    [QZ_REG_WANTED] = {"wanted", COLS(WANTED)},
    [QZ_REG_REGISTRATIONS] = {"registrations", COLS(REGISTRATIONS)},
    [QZ_REG_SETTLERS] = {"settlers", COLS(SETTLERS)},
    [QZ_REG_DOCUMENTS] = {"documents", COLS(DOCUMENTS)},
    [QZ_REG_LEGAL_ENTITIES] = {"legal-entities", COLS(LEGAL_ENTITIES)},
    [QZ_REG_FOREIGNERS] = {"foreigners", COLS(FOREIGNERS)},
};

int qz_registry_kind(const char *name, qz_register *out, qz_err *err)
{
    for (int k = 0; name && k < QZ_REG_COUNT; k++)
        if (strcmp(name, DEFS[k].name) == 0) {
            *out = (qz_register)k;
            return 0;
        }
    return qz_err_set(err, QZ_EINPUT, "registry.kind_unknown", "KIND", name ? name : "");
}

const char *qz_registry_name(qz_register kind)
{
    return kind < QZ_REG_COUNT ? DEFS[kind].name : "";
}

const qz_reg_column *qz_registry_columns(qz_register kind, size_t *n)
{
    *n = kind < QZ_REG_COUNT ? DEFS[kind].n : 0;
    return kind < QZ_REG_COUNT ? DEFS[kind].cols : NULL;
}

static const qz_registry_ops *ops_of(qz_store *st, void **impl)
{
    return qz_store_backend(st, impl)->registry;
}

static int need_iin(const char *iin, qz_err *err)
{
    return iin && *iin ? 0 : qz_err_set(err, QZ_EINPUT, "store.field_missing", "iin", NULL);
}

int qz_registry_import(qz_store *st, qz_register kind, const qz_reg_row *rows, size_t n,
                       qz_instant now, int64_t *changed, qz_err *err)
{
    void *impl;
    *changed = 0;
    if (kind >= QZ_REG_COUNT)
        return qz_err_set(err, QZ_EINPUT, "registry.kind_unknown", "KIND", NULL);
    if (n == 0)
        return 0;
    return ops_of(st, &impl)->import(impl, kind, rows, n, now, changed, err);
}

int qz_registry_convictions(qz_store *st, const char *iin, qz_arena *a, qz_conviction_row **out,
                            size_t *n, qz_err *err)
{
    void *impl;
    *out = NULL;
    *n = 0;
    return need_iin(iin, err) || ops_of(st, &impl)->convictions(impl, iin, a, out, n, err);
}

int qz_registry_wanted(qz_store *st, const char *iin, qz_arena *a, const char **since, qz_err *err)
{
    void *impl;
    *since = NULL;
    return need_iin(iin, err) || ops_of(st, &impl)->wanted(impl, iin, a, since, err);
}

int qz_registry_registrations(qz_store *st, const char *iin, qz_arena *a, qz_registration_row **out,
                              size_t *n, qz_err *err)
{
    void *impl;
    *out = NULL;
    *n = 0;
    return need_iin(iin, err) || ops_of(st, &impl)->registrations(impl, iin, a, out, n, err);
}

int qz_registry_settlers(qz_store *st, const char *surname, const char *name,
                         const char *birth_date, qz_arena *a, qz_settler_row **out, size_t *n,
                         qz_err *err)
{
    void *impl;
    *out = NULL;
    *n = 0;
    if (!surname || !*surname || !name || !*name)
        return qz_err_set(err, QZ_EINPUT, "store.field_missing", "surname", NULL);
    return ops_of(st, &impl)->settlers(impl, surname, name, birth_date, a, out, n, err);
}

int qz_registry_count(qz_store *st, qz_register kind, int64_t *out, qz_err *err)
{
    void *impl;
    *out = 0;
    if (kind >= QZ_REG_COUNT)
        return qz_err_set(err, QZ_EINPUT, "registry.kind_unknown", "KIND", NULL);
    return ops_of(st, &impl)->count(impl, kind, out, err);
}

int qz_registry_person_get(qz_store *st, const char *iin, qz_arena *a, qz_person_record *out,
                           qz_err *err)
{
    void *impl;
    memset(out, 0, sizeof *out);
    return need_iin(iin, err) || ops_of(st, &impl)->person(impl, iin, a, out, err);
}

int qz_registry_apply(qz_store *st, qz_reg_effect *e, size_t n, qz_instant now, qz_err *err)
{
    void *impl;
    for (size_t i = 0; i < n; i++)
        if (!e[i].on || !*e[i].on)
            return qz_err_set(err, QZ_EINPUT, "store.field_missing", "on", NULL);
    return n == 0 ? 0 : ops_of(st, &impl)->apply(impl, e, n, now, err);
}
