/*
 * sqlite_iin.c — issued IINs: claiming one, and issuing a new one, each a write on the
 * store's writer (sqlite_writer.c).
 */
#include "store/sqlite_int.h"

#include <string.h>

static const char SQL_CLAIM[] = "INSERT INTO issued_iin(iin, issued_at) VALUES (?1, ?2)";

typedef struct claim_req {
    const char *iin;
    qz_instant now;
} claim_req;

typedef struct issue_req {
    qz_date birth;
    qz_sex sex;
    uint64_t seed;
    qz_instant now;
    char *out;
} issue_req;

/* Inserts one issued IIN; QZ_ECONFLICT store.iin_taken when it is there already. */
static int insert_iin(sq_conn *c, const char *iin, qz_instant now, qz_err *err)
{
    sqlite3_stmt *s = NULL;
    return sq_stmt(c, SQL_CLAIM, &s, err) || sq_bind(c, s, err, "ti", iin, (int64_t)now) ||
                   sq_run(c, s, "store.iin_taken", iin, err)
               ? -1
               : 0;
}

static int apply_claim(sq_batch *b, void *arg, qz_err *err)
{
    claim_req *r = arg;
    return insert_iin(b->c, r->iin, r->now, err);
}

int sq_iin_claim(void *impl, const char *iin, qz_instant now, qz_err *err)
{
    claim_req r = {iin, now};
    return sq_submit(impl, apply_claim, &r, err);
}

/* Returns a step in 1..9999 coprime with 10000 (odd, not a multiple of 5), so that
 * start + k * step visits every serial exactly once for k = 0..9999. */
static uint32_t serial_step(uint64_t bits)
{
    uint32_t step = (uint32_t)(bits % QZ_IIN_SERIALS) | 1u;
    if (step % 5 == 0)
        step = (step + 2) % QZ_IIN_SERIALS;
    return step;
}

/* Tries the serials in order; 0 with out filled, or -1 (store.iin_exhausted when every
 * one is taken). */
static int apply_issue(sq_batch *b, void *arg, qz_err *err)
{
    issue_req *r = arg;
    return sq_iin_issue_in(b, r->birth, r->sex, r->seed, r->now, r->out, err);
}

int sq_iin_issue_in(sq_batch *b, qz_date birth, qz_sex sex, uint64_t seed, qz_instant now,
                    char *out, qz_err *err)
{
    issue_req rr = {birth, sex, seed, now, out}, *r = &rr;
    uint32_t start = (uint32_t)(r->seed % QZ_IIN_SERIALS), step = serial_step(r->seed >> 32);
    char iin[QZ_IIN_STR], date[QZ_DATE_STR];
    for (uint32_t k = 0; k < QZ_IIN_SERIALS; k++) {
        int serial = (int)((start + (uint64_t)k * step) % QZ_IIN_SERIALS);
        if (qz_iin_compose(r->birth, r->sex, serial, iin, err))
            continue; /* unissuable: store.c has checked birth and sex */
        if (insert_iin(b->c, iin, r->now, err) == 0) {
            memcpy(r->out, iin, QZ_IIN_STR);
            return 0;
        }
        if (err->code != QZ_ECONFLICT)
            return -1;
    }
    return qz_err_setf(err, QZ_ECONFLICT, "store.iin_exhausted", NULL, "%s %s",
                       qz_date_format(r->birth, date), qz_iin_sex_name(r->sex));
}

int sq_iin_issue(void *impl, qz_date birth, qz_sex sex, uint64_t seed, qz_instant now, char *out,
                 qz_err *err)
{
    issue_req r = {birth, sex, seed, now, out};
    return sq_submit(impl, apply_issue, &r, err);
}
