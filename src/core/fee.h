/*
 * fee.h — the state duty in tenge. A service's fee is data in monthly calculation indices
 * (MCI, catalog/services: "fee"); catalog/mci.json gives the tenge an MCI was worth from
 * each date. The duty is the fee times the MCI on the day of acceptance, times the number
 * of documents when the fee is per document (seed 004, S9 standard row 6, L401: 0.5 MCI
 * for each document). Amounts are counted in tiyn (1/100 tenge), exactly.
 *
 * The table is plain data: loaded once with the rules, then read by any number of threads.
 */
#ifndef QZ_FEE_H
#define QZ_FEE_H

#include "core/catalog.h"
#include "core/date.h"
#include "core/err.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

enum { QZ_MCI_MAX = 64, QZ_FEE_MAX_COUNT = 1000 };

typedef struct qz_mci_value {
    qz_date from;
    long tenge;
} qz_mci_value;

/* The MCI by date, in date order: each value holds from its date until the next one. */
typedef struct qz_mci {
    size_t n;
    qz_mci_value values[QZ_MCI_MAX];
} qz_mci;

/* The duty a case owes: mci × mci_tenge × count, in tiyn. */
typedef struct qz_fee {
    double mci;        /* the fee in MCI per unit (0: free) */
    bool per_document; /* the unit: each document, or the application */
    long count;        /* how many units: 1 per application */
    long mci_tenge;    /* the MCI on the day (0 when free) */
    int64_t tiyn;      /* the whole duty */
} qz_fee;

/* Loads catalog/mci.json: {"source", "values": [{"from", "tenge", "source"}]}, dates
 * strictly rising. On failure err names the file and field. */
int qz_mci_load(const char *path, qz_mci *out, qz_err *err);

/* The MCI in force on `on`; mci.not_covered when the table starts later. */
int qz_mci_at(const qz_mci *m, qz_date on, long *tenge, qz_err *err);

/* The duty of version v for a case accepted on `on`. A fee per document counts the
 * payload member the fee names (its `count`: an integer 1..QZ_FEE_MAX_COUNT, 1 when
 * absent); another value is case.field_invalid naming that member. A free service
 * owes 0 whatever the date. */
int qz_fee_of(const qz_mci *m, const qz_service_version *v, qz_date on, const json_t *payload,
              qz_fee *out, qz_err *err);

/* The payment the desk checked (seed 002 item 11, L87: the PSC employee checks the payment
 * documents, their details and the amount): the payload member "payment_reference", the
 * payment gateway's reference or the bank receipt's number. NULL when not given; a value
 * that is not a string of 1..64 characters is case.field_invalid. */
int qz_fee_payment(const json_t *payload, const char **reference, qz_err *err);

/* {"mci", "per", "count", "mci_tenge", "tenge", "payment_reference"}: the duty as the
 * receipt and the acceptance event show it (tenge with its tiyn as a fraction); a new
 * reference, NULL when memory runs out. */
json_t *qz_fee_json(const qz_fee *f, const char *payment_reference);

#endif
