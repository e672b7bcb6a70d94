/* Routing (store/routing.h): the units of a case from its PSC branch's region, the
 * country-wide units where the region has none, and a clear refusal where nobody serves
 * a kind the workflow needs. The units are a small copy of catalog/demo/units.json. */
#include "core/rules.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/routing.h"
#include "store_tmp.h"

static qz_rules rules;

static const qz_unit_row units[] = {
    {.code = "psc-astana-1", .kind = "psc", .department = "regional", .region = "KZ-71"},
    {.code = "psc-akmola", .kind = "psc", .department = "other", .region = "KZ-11"},
    {.code = "psc-almaty-duty",
     .kind = "psc",
     .department = "duty",
     .region = "KZ-75",
     .schedule = "psc-duty"},
    {.code = "mp-national",
     .kind = "provider",
     .region = "KZ-71",
     .acts_as = "national",
     .area = "country"},
    {.code = "mp-astana", .kind = "provider", .region = "KZ-71", .acts_as = "regional"},
    {.code = "mp-astana-esil", .kind = "provider", .region = "KZ-71", .acts_as = "district"},
    {.code = "mp-astana-almaty", .kind = "provider", .region = "KZ-71", .acts_as = "district"},
    {.code = "ipc",
     .kind = "provider",
     .region = "KZ-71",
     .acts_as = "production-centre",
     .area = "country"},
    {.code = "kpssu-astana",
     .kind = "provider",
     .region = "KZ-71",
     .acts_as = "prosecutor-committee",
     .schedule = "prosecutor-committee"},
    {.code = "mp-almaty",
     .kind = "provider",
     .region = "KZ-75",
     .acts_as = "regional,district,migration-service"},
    {.code = "nsc", .kind = "authority", .region = "KZ-71", .acts_as = "nsc", .area = "country"},
};

static int setup(void **state)
{
    qz_err err;
    if (qz_rules_load(QZ_CATALOG_DIR, NULL, NULL, &rules, &err) || tmp_setup(state))
        return -1;
    qz_store *st = store_open_ok(tmp_at(*state, "r.db"));
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        qz_unit_row u = units[i];
        u.name_kk = u.name_ru = u.code;
        if (qz_store_unit_add(st, &u, &err))
            fail_msg("%s: %s %s", u.code, err.key, err.value);
    }
    qz_store_close(st);
    return 0;
}

static int teardown(void **state)
{
    qz_rules_free(&rules);
    return tmp_teardown(state);
}

static const qz_service_version *current(const char *code)
{
    qz_err err;
    const qz_service *s = qz_catalog_service(rules.cat, code, &err);
    assert_non_null(s);
    return &s->versions[s->n_versions - 1];
}

/* Routes `service` at `branch`: the return code, *r and err. */
static int route(void **state, const char *service, const char *branch, qz_route *r, qz_err *err)
{
    qz_store *st = store_open_ok(tmp_at(*state, "r.db"));
    int rc = qz_route_case(st, current(service), branch, r, err);
    qz_store_close(st);
    return rc;
}

static const qz_unit_ref *unit_of(const qz_route *r, const char *kind)
{
    for (size_t i = 0; i < r->n_units; i++)
        if (strcmp(r->units[i].kind, kind) == 0)
            return &r->units[i];
    return NULL;
}

static void test_an_apostille_goes_to_the_committee_body_of_the_branch_region(void **state)
{
    qz_route r;
    qz_err err;
    assert_int_equal(route(state, "apostille", "psc-astana-1", &r, &err), 0);
    assert_int_equal(r.n_units, 2); /* the apostille's steps use psc and prosecutor-committee */
    assert_string_equal(r.units[0].kind, "psc");
    assert_string_equal(r.units[0].code, "psc-astana-1");
    assert_string_equal(r.units[0].schedule, ""); /* the channel's hours */
    assert_string_equal(unit_of(&r, "prosecutor-committee")->code, "kpssu-astana");
    assert_string_equal(unit_of(&r, "prosecutor-committee")->schedule, "prosecutor-committee");
    assert_string_equal(r.region, "KZ-71");
    assert_string_equal(r.department, "regional");
}

static void test_a_passport_finds_district_and_region_locally_and_the_rest_nationally(void **state)
{
    qz_route r;
    qz_err err;
    assert_int_equal(route(state, "passport-id", "psc-astana-1", &r, &err), 0);
    assert_string_equal(unit_of(&r, "district")->code, "mp-astana-almaty"); /* first by code */
    assert_string_equal(unit_of(&r, "regional")->code, "mp-astana");
    assert_string_equal(unit_of(&r, "national")->code, "mp-national");
    assert_string_equal(unit_of(&r, "production-centre")->code, "ipc");
    assert_null(unit_of(&r, "nsc")); /* only the kinds the workflow uses */
}

static void test_one_unit_may_act_as_several_kinds(void **state)
{
    qz_route r;
    qz_err err;
    assert_int_equal(route(state, "entry-invitation", "psc-almaty-duty", &r, &err), 0);
    assert_string_equal(unit_of(&r, "migration-service")->code, "mp-almaty");
    assert_string_equal(unit_of(&r, "nsc")->code, "nsc"); /* the action's unit kind, country-wide */
    assert_string_equal(r.units[0].schedule, "psc-duty");
    assert_string_equal(r.department, ""); /* a duty department: the application says */
}

static void test_a_kind_nobody_serves_in_the_region_is_refused_by_name(void **state)
{
    qz_route r;
    qz_err err;
    assert_int_equal(route(state, "apostille", "psc-akmola", &r, &err), -1);
    assert_int_equal(err.code, QZ_EINPUT);
    assert_string_equal(err.key, "routing.no_unit");
    assert_string_equal(err.value, "prosecutor-committee (KZ-11)");
    assert_int_equal(route(state, "passport-id", "psc-akmola", &r, &err), -1);
    assert_string_equal(err.value, "district (KZ-11)");
}

static void test_only_a_psc_that_exists_is_a_branch(void **state)
{
    qz_route r;
    qz_err err;
    assert_int_equal(route(state, "apostille", "psc-mars", &r, &err), -1);
    assert_string_equal(err.key, "routing.branch_unknown");
    assert_string_equal(err.field, "branch");
    assert_int_equal(route(state, "apostille", "kpssu-astana", &r, &err), -1);
    assert_string_equal(err.key, "routing.not_a_branch");
    assert_int_equal(route(state, "apostille", "", &r, &err), -1);
    assert_string_equal(err.field, "branch");
}

static void test_acts_as_matches_whole_kinds_of_the_list(void **state)
{
    (void)state;
    assert_true(qz_route_acts_as("regional,district", "district"));
    assert_true(qz_route_acts_as("regional", "regional"));
    assert_false(qz_route_acts_as("regional", "region"));
    assert_false(qz_route_acts_as("regional,district", "dis"));
    assert_false(qz_route_acts_as(NULL, "psc"));
}

static void test_a_unit_with_a_malformed_kind_list_or_area_is_refused(void **state)
{
    qz_store *st = store_open_ok(tmp_at(*state, "r.db"));
    qz_unit_row u = units[4];
    qz_err err;
    static const char *const bad_lists[] = {"",         ",",   "regional,", ",regional",
                                            "Regional", "a b", "-x"};
    u.name_kk = u.name_ru = "x";
    for (size_t i = 0; i < sizeof bad_lists / sizeof bad_lists[0]; i++) {
        u.code = "x";
        u.acts_as = bad_lists[i];
        assert_int_equal(qz_store_unit_add(st, &u, &err), -1);
        assert_string_equal(err.key, "store.unit_acts_as");
    }
    u.acts_as = "regional";
    u.area = "planet";
    assert_int_equal(qz_store_unit_add(st, &u, &err), -1);
    assert_string_equal(err.key, "store.unit_area");
    qz_store_close(st);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_an_apostille_goes_to_the_committee_body_of_the_branch_region),
        T(test_a_passport_finds_district_and_region_locally_and_the_rest_nationally),
        T(test_one_unit_may_act_as_several_kinds),
        T(test_a_kind_nobody_serves_in_the_region_is_refused_by_name),
        T(test_only_a_psc_that_exists_is_a_branch),
        T(test_acts_as_matches_whole_kinds_of_the_list),
        T(test_a_unit_with_a_malformed_kind_list_or_area_is_refused),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
