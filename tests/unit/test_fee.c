/* The state duty in tenge (core/fee.h) from the real catalogue: the MCI of the day of
 * acceptance (catalog/mci.json) times a service's fee, per document counted. */
#include "core/fee.h"
#include "core/rules.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static qz_rules rules;

static int setup(void **state)
{
    (void)state;
    qz_err err;
    if (qz_rules_load(QZ_CATALOG_DIR, NULL, NULL, &rules, &err)) {
        fprintf(stderr, "%s: %s: %s %s\n", err.file, err.field, err.key, err.value);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    qz_rules_free(&rules);
    return 0;
}

static qz_date D(int y, int m, int d)
{
    return qz_date_from_ymd(y, m, d);
}

static const qz_service_version *version(const char *code, qz_date on)
{
    const qz_service_version *v =
        qz_service_version_at(qz_catalog_service(rules.cat, code, NULL), on, NULL);
    assert_non_null(v);
    return v;
}

static void test_the_mci_is_the_one_in_force_on_the_day(void **state)
{
    (void)state;
    long tenge = 0;
    qz_err err;
    /* catalog/mci.json: 4 325 from 2026-01-01; 3 932 through 2025. */
    assert_int_equal(qz_mci_at(&rules.mci, D(2026, 6, 1), &tenge, &err), 0);
    assert_int_equal(tenge, 4325);
    assert_int_equal(qz_mci_at(&rules.mci, D(2025, 12, 31), &tenge, &err), 0);
    assert_int_equal(tenge, 3932);
    /* 2022: the MCI for payments stayed 3 063 after 1 April (the 3 180 was for benefits). */
    assert_int_equal(qz_mci_at(&rules.mci, D(2022, 6, 1), &tenge, &err), 0);
    assert_int_equal(tenge, 3063);
    assert_int_equal(qz_mci_at(&rules.mci, D(2017, 12, 31), &tenge, &err), -1);
    assert_string_equal(err.key, "mci.not_covered");
}

/* Seed 004, S9 standard row 6 (L401): 0.5 MCI for each document. */
static void test_the_apostille_duty_is_half_an_mci_per_document(void **state)
{
    (void)state;
    const qz_service_version *v = version("apostille", D(2026, 6, 1));
    qz_fee fee;
    qz_err err;
    json_t *three = json_pack("{s:i}", "official_documents", 3);
    /* 0.5 × 4 325 = 2 162.50 tenge a document; 3 documents: 6 487.50 tenge. */
    assert_int_equal(qz_fee_of(&rules.mci, v, D(2026, 6, 1), three, &fee, &err), 0);
    assert_int_equal(fee.mci_tenge, 4325);
    assert_int_equal(fee.count, 3);
    assert_int_equal(fee.tiyn, 648750);
    /* Accepted on 2022-06-01: 0.5 × 3 063 = 1 531.50 tenge a document, 4 594.50 for 3. */
    assert_int_equal(qz_fee_of(&rules.mci, v, D(2022, 6, 1), three, &fee, &err), 0);
    assert_int_equal(fee.tiyn, 459450);
    json_decref(three);
    /* No count given: one document. */
    assert_int_equal(qz_fee_of(&rules.mci, v, D(2026, 6, 1), NULL, &fee, &err), 0);
    assert_int_equal(fee.tiyn, 216250);
    static const char *const bad[] = {"{\"official_documents\": 0}",
                                      "{\"official_documents\": \"3\"}",
                                      "{\"official_documents\": 1001}"};
    for (size_t i = 0; i < 3; i++) {
        json_t *p = json_loads(bad[i], 0, NULL);
        assert_int_equal(qz_fee_of(&rules.mci, v, D(2026, 6, 1), p, &fee, &err), -1);
        assert_string_equal(err.key, "case.field_invalid");
        assert_string_equal(err.field, "official_documents");
        json_decref(p);
    }
}

static void test_a_free_service_owes_nothing_on_any_day(void **state)
{
    (void)state;
    const qz_service_version *v = version("archival-certificate", D(2026, 6, 1));
    qz_fee fee;
    qz_err err;
    assert_int_equal(qz_fee_of(&rules.mci, v, D(2026, 6, 1), NULL, &fee, &err), 0);
    assert_int_equal(fee.tiyn, 0);
    assert_int_equal(fee.mci_tenge, 0);
}

static void test_the_payment_reference_is_a_short_text(void **state)
{
    (void)state;
    const char *ref;
    qz_err err;
    json_t *ok = json_pack("{s:s}", "payment_reference", "EGOV-2026-000123");
    assert_int_equal(qz_fee_payment(ok, &ref, &err), 0);
    assert_string_equal(ref, "EGOV-2026-000123");
    json_decref(ok);
    assert_int_equal(qz_fee_payment(NULL, &ref, &err), 0);
    assert_null(ref);
    json_t *bad = json_pack("{s:i}", "payment_reference", 123);
    assert_int_equal(qz_fee_payment(bad, &ref, &err), -1);
    assert_string_equal(err.field, "payment_reference");
    json_decref(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_mci_is_the_one_in_force_on_the_day),
        cmocka_unit_test(test_the_apostille_duty_is_half_an_mci_per_document),
        cmocka_unit_test(test_a_free_service_owes_nothing_on_any_day),
        cmocka_unit_test(test_the_payment_reference_is_a_short_text),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
