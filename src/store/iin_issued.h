/*
 * iin_issued.h — the IINs issued by this system (sqlite_iin.c).
 * Part of the store's interface: store.h says what holds for all of it (durability,
 * threads, ownership, errors). One header per domain, as the backend's sqlite_*.c files.
 */
#ifndef QZ_STORE_IIN_ISSUED_H
#define QZ_STORE_IIN_ISSUED_H

#include "store/store_open.h"

/* Records `iin` (a valid IIN) as issued at `now`: 0 when newly recorded, -1 with
 * QZ_ECONFLICT store.iin_taken when it was issued before, or another error. */
int qz_store_iin_claim(qz_store *st, const char *iin, qz_instant now, qz_err *err);

/*
 * Issues a new IIN for `birth` and `sex`: tries every serial once, in an order drawn
 * from `seed` (pass random bits), skipping unissuable serials and those already
 * claimed, and claims the first free one at `now`. 0 and the IIN in out (QZ_IIN_STR
 * bytes), or -1 with QZ_ECONFLICT store.iin_exhausted when none is left, or the error
 * of qz_iin_compose (a birth date outside 1800–2099) or of the database.
 */
int qz_store_iin_issue(qz_store *st, qz_date birth, qz_sex sex, uint64_t seed, qz_instant now,
                       char *out, qz_err *err);

#endif
