/*
 * sqlite_effects.c — the register effects of registry.h on SQLite, run on the writer in
 * one savepoint: by qz_registry_apply alone, or inside a case's write (the extension
 * point sq_registry_effects_in).
 */
#include "store/registry_backend.h"
#include "store/sqlite_int.h"

#include <stdio.h>
#include <string.h>

static const char DEFAULT_REGION[] = "KZ-71"; /* not in the seeds: the demo's region */

static const char SQL_END_PERMANENT[] =
    "UPDATE registrations SET ended_on = ?2, end_ground = ?3"
    " WHERE iin = ?1 AND kind = 'permanent' AND ended_on IS NULL AND address IS NOT ?4";
static const char SQL_REGISTER[] =
    "INSERT INTO registrations(region, iin, kind, address, from_on, until_on, case_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT(iin, kind, address, from_on) DO NOTHING";
static const char SQL_FOREIGNER_FIND[] =
    "SELECT iin FROM foreigners WHERE citizenship = ?1 AND document_number = ?2";
static const char SQL_FOREIGNER_ADD[] =
    "INSERT INTO foreigners(iin, region, citizenship, document_number, surname, name, birth,"
    " issued_on, case_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_DOC_REPLACED[] =
    "SELECT number FROM identity_documents WHERE iin = ?1 AND kind = ?2 AND status = 'valid'"
    " AND number <> ?3 ORDER BY issued_on DESC LIMIT 1";
static const char SQL_DOC_INVALIDATE[] =
    "UPDATE identity_documents SET status = 'invalid', replaced_by = ?3"
    " WHERE iin = ?1 AND kind = ?2 AND status = 'valid' AND number <> ?3";
static const char SQL_DOC_ADD[] =
    "INSERT INTO identity_documents(region, number, iin, kind, issued_on, valid_until, status,"
    " case_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'valid', ?7)";
static const char SQL_INVITATIONS_COUNT[] =
    "SELECT count(*) FROM invitations WHERE issued_on >= ?1 AND issued_on < ?2";
static const char SQL_INVITATION_ADD[] =
    "INSERT INTO invitations(number, region, inviter, invitee, issued_on, valid_until, case_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_APOSTILLES_COUNT[] =
    "SELECT count(*) FROM apostilles WHERE entered_on >= ?1 AND entered_on < ?2";
static const char SQL_APOSTILLE_ADD[] =
    "INSERT INTO apostilles(number, region, document, applicant, entered_on, case_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

static const char *region_of(const qz_reg_effect *e)
{
    return e->region ? e->region : DEFAULT_REGION;
}

/* The case an effect comes from, bound as NULL when none (the journals' case_id is UNIQUE). */
static qz_instant case_of(const qz_reg_effect *e)
{
    return e->case_id ? (qz_instant)e->case_id : QZ_NO_TIME;
}

static int need(const char *v, const char *field, qz_err *err)
{
    return v && *v ? 0 : qz_err_set(err, QZ_EINPUT, "store.field_missing", field, NULL);
}

static int run(sq_conn *c, const char *sql, qz_err *err, const char *types, const char *a1,
               const char *a2, const char *a3, const char *a4)
{
    sqlite3_stmt *s = NULL;
    return sq_stmt(c, sql, &s, err) || sq_bind(c, s, err, types, a1, a2, a3, a4) ||
                   sq_run(c, s, "registry.duplicate", a1, err)
               ? -1
               : 0;
}

static int do_register(sq_batch *b, qz_reg_effect *e, qz_err *err)
{
    static const char *const KINDS[] = {"permanent", "temporary", NULL};
    bool known = false;
    for (const char *const *k = KINDS; e->reg_kind && *k; k++)
        known |= strcmp(*k, e->reg_kind) == 0;
    if (need(e->iin, "iin", err) || need(e->address, "address", err))
        return -1;
    if (!known)
        return qz_err_set(err, QZ_EINPUT, "registry.value_unknown", "kind", e->reg_kind);
    sqlite3_stmt *s = NULL;
    /* Seed 001 S4 item 4: registering at a new residence deregisters from the former one. */
    if (strcmp(e->reg_kind, "permanent") == 0 &&
        run(b->c, SQL_END_PERMANENT, err, "tttt", e->iin, e->on, "new-registration", e->address))
        return -1;
    return sq_stmt(b->c, SQL_REGISTER, &s, err) ||
                   sq_bind(b->c, s, err, "ttttttT", region_of(e), e->iin, e->reg_kind, e->address,
                           e->on, e->valid_until, case_of(e)) ||
                   sq_run(b->c, s, "registry.duplicate", e->iin, err)
               ? -1
               : 0;
}

static int do_deregister(sq_batch *b, qz_reg_effect *e, qz_err *err)
{
    static const char *const GROUNDS[] = {"leaving-abroad", "imprisonment",
                                          "court-terminated-right", NULL};
    bool known = false;
    for (const char *const *g = GROUNDS; e->ground && *g; g++)
        known |= strcmp(*g, e->ground) == 0;
    if (need(e->iin, "iin", err))
        return -1;
    if (!known)
        return qz_err_set(err, QZ_EINPUT, "registry.value_unknown", "ground", e->ground);
    if (run(b->c, SQL_END_PERMANENT, err, "tttt", e->iin, e->on, e->ground, NULL))
        return -1;
    if (sqlite3_changes(b->c->db) == 0)
        return qz_err_set(err, QZ_ENOTFOUND, "registry.no_registration", "iin", e->iin);
    return 0;
}

static int do_foreigner(sq_batch *b, qz_reg_effect *e, qz_instant now, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    qz_date birth;
    qz_sex sex;
    if (need(e->citizenship, "citizenship", err) ||
        need(e->document_number, "document_number", err) || need(e->surname, "surname", err) ||
        need(e->name, "name", err) || need(e->birth, "birth", err) ||
        qz_date_parse(e->birth, &birth, err) || qz_iin_sex_parse(e->sex, &sex, err))
        return -1;
    if (sq_stmt(b->c, SQL_FOREIGNER_FIND, &s, err) ||
        sq_bind(b->c, s, err, "tt", e->citizenship, e->document_number))
        return -1;
    int got = sq_row(b->c, s, err);
    if (got < 0)
        return -1;
    if (got == 1) { /* once for life: the IIN issued before */
        const unsigned char *iin = sqlite3_column_text(s, 0);
        snprintf(e->out_iin, sizeof e->out_iin, "%s", iin ? (const char *)iin : "");
        sqlite3_reset(s);
        e->existed = true;
        return 0;
    }
    e->existed = false;
    if (sq_iin_issue_in(b, birth, sex, e->seed, now, e->out_iin, err) ||
        sq_stmt(b->c, SQL_FOREIGNER_ADD, &s, err) ||
        sq_bind(b->c, s, err, "ttttttttT", e->out_iin, region_of(e), e->citizenship,
                e->document_number, e->surname, e->name, e->birth, e->on, case_of(e)))
        return -1;
    return sq_run(b->c, s, "registry.duplicate", e->out_iin, err);
}

static int do_document(sq_batch *b, qz_reg_effect *e, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    if (need(e->iin, "iin", err) || need(e->number, "number", err) ||
        need(e->doc_kind, "kind", err))
        return -1;
    e->out_number[0] = '\0';
    if (sq_stmt(b->c, SQL_DOC_REPLACED, &s, err) ||
        sq_bind(b->c, s, err, "ttt", e->iin, e->doc_kind, e->number))
        return -1;
    int got = sq_row(b->c, s, err);
    if (got < 0)
        return -1;
    if (got == 1) {
        const unsigned char *n = sqlite3_column_text(s, 0);
        snprintf(e->out_number, sizeof e->out_number, "%s", n ? (const char *)n : "");
        sqlite3_reset(s);
    }
    if (run(b->c, SQL_DOC_INVALIDATE, err, "ttt", e->iin, e->doc_kind, e->number, NULL) ||
        sq_stmt(b->c, SQL_DOC_ADD, &s, err) ||
        sq_bind(b->c, s, err, "ttttttT", region_of(e), e->number, e->iin, e->doc_kind, e->on,
                e->valid_until, case_of(e)))
        return -1;
    return sq_run(b->c, s, "registry.duplicate", e->number, err);
}

/* The next number of a journal in the year of `on`: PREFIX-YEAR-NNNNNN. */
static int next_number(sq_batch *b, const char *count_sql, const char *prefix, const char *on,
                       char *out, size_t cap, qz_err *err)
{
    char from[24], to[24];
    int year = 0;
    if (sscanf(on, "%4d", &year) != 1 || year < 1900 || year > 2999)
        return qz_err_set(err, QZ_EINPUT, "registry.date_invalid", "on", on);
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-01-01", year + 1);
    sqlite3_stmt *s = NULL;
    if (sq_stmt(b->c, count_sql, &s, err) || sq_bind(b->c, s, err, "tt", from, to))
        return -1;
    int got = sq_row(b->c, s, err);
    if (got != 1)
        return got < 0 ? -1 : sq_fail_key(b->c, QZ_EINTERNAL, "store.sqlite_error", prefix, err);
    long long n = sqlite3_column_int64(s, 0) + 1;
    sqlite3_reset(s);
    snprintf(out, cap, "%s-%04d-%06lld", prefix, year, n);
    return 0;
}

static int do_invitation(sq_batch *b, qz_reg_effect *e, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    if (need(e->inviter, "inviter", err) || need(e->invitee, "invitee", err) ||
        need(e->valid_until, "valid_until", err) ||
        next_number(b, SQL_INVITATIONS_COUNT, "INV", e->on, e->out_number, sizeof e->out_number,
                    err) ||
        sq_stmt(b->c, SQL_INVITATION_ADD, &s, err) ||
        sq_bind(b->c, s, err, "ttttttT", e->out_number, region_of(e), e->inviter, e->invitee, e->on,
                e->valid_until, case_of(e)))
        return -1;
    return sq_run(b->c, s, "registry.duplicate", e->out_number, err);
}

static int do_apostille(sq_batch *b, qz_reg_effect *e, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    if (need(e->document, "document", err) || need(e->iin, "iin", err) ||
        next_number(b, SQL_APOSTILLES_COUNT, "AP", e->on, e->out_number, sizeof e->out_number,
                    err) ||
        sq_stmt(b->c, SQL_APOSTILLE_ADD, &s, err) ||
        sq_bind(b->c, s, err, "tttttT", e->out_number, region_of(e), e->document, e->iin, e->on,
                case_of(e)))
        return -1;
    return sq_run(b->c, s, "registry.duplicate", e->out_number, err);
}

int sq_registry_effects_in(sq_batch *b, qz_reg_effect *e, size_t n, qz_instant now, qz_err *err)
{
    for (size_t i = 0; i < n; i++) {
        int rc;
        switch (e[i].kind) {
        case QZ_EFFECT_REGISTER:
            rc = do_register(b, &e[i], err);
            break;
        case QZ_EFFECT_DEREGISTER:
            rc = do_deregister(b, &e[i], err);
            break;
        case QZ_EFFECT_FOREIGNER_IIN:
            rc = do_foreigner(b, &e[i], now, err);
            break;
        case QZ_EFFECT_DOCUMENT:
            rc = do_document(b, &e[i], err);
            break;
        case QZ_EFFECT_INVITATION:
            rc = do_invitation(b, &e[i], err);
            break;
        case QZ_EFFECT_APOSTILLE:
            rc = do_apostille(b, &e[i], err);
            break;
        default:
            rc = qz_err_set(err, QZ_EINPUT, "registry.value_unknown", "effect", NULL);
        }
        if (rc)
            return -1;
    }
    return 0;
}

typedef struct effects_req {
    qz_reg_effect *e;
    size_t n;
    qz_instant now;
} effects_req;

static int apply_effects(sq_batch *b, void *arg, qz_err *err)
{
    effects_req *r = arg;
    return sq_registry_effects_in(b, r->e, r->n, r->now, err);
}

int sq_registry_apply(void *impl, qz_reg_effect *e, size_t n, qz_instant now, qz_err *err)
{
    effects_req r = {e, n, now};
    return sq_submit(impl, apply_effects, &r, err);
}
