/* Every service of catalog/services, through the engine in memory, along every path its
 * workflow has: from acceptance, every action the step offers is taken (its required
 * fields filled with valid values) until the case ends. Each path must end in done or
 * refused, every event must name the state it left and entered, and the normal path
 * (first advance everywhere) must pass "ready" before "done". */
#include "core/engine.h"
#include "core/rules.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

static qz_rules rules;
static qz_unit_ref units[QZ_CASE_MAX_UNITS];
static size_t n_units;

static int setup(void **state)
{
    (void)state;
    qz_err err;
    if (qz_rules_load(QZ_CATALOG_DIR, NULL, NULL, &rules, &err)) {
        fprintf(stderr, "%s: %s: %s %s\n", err.file, err.field, err.key, err.value);
        return -1;
    }
    static const char *const kinds[] = {"psc",
                                        "district",
                                        "regional",
                                        "national",
                                        "production-centre",
                                        "migration-service",
                                        "nsc",
                                        "prosecutor-committee",
                                        "reviewer",
                                        "quality-authority"};
    for (n_units = 0; n_units < sizeof kinds / sizeof kinds[0]; n_units++) {
        snprintf(units[n_units].kind, QZ_CODE_LEN, "%s", kinds[n_units]);
        snprintf(units[n_units].code, QZ_CODE_LEN, "unit-%s", kinds[n_units]);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    qz_rules_free(&rules);
    return 0;
}

/* Sets payload members so that the guard holds (first allowed value; "all" of them). */
static void satisfy(const qz_guard *g, json_t *payload)
{
    if (!g)
        return;
    if (g->kind == QZ_GUARD_PAYLOAD_IN)
        json_object_set(payload, g->key, json_array_get(g->values, 0));
    else if (g->kind == QZ_GUARD_PAYLOAD_EQUALS)
        json_object_set(payload, g->key, (json_t *)g->values);
    else if (g->kind == QZ_GUARD_ALL)
        for (size_t i = 0; i < g->n_subs; i++)
            satisfy(&g->subs[i], payload);
    else if (g->kind == QZ_GUARD_ANY && g->n_subs)
        satisfy(&g->subs[0], payload);
}

/* A valid value for a field. */
static json_t *value_for(const qz_case *c, const qz_field_spec *f, int variant)
{
    switch (f->type) {
    case QZ_FIELD_GROUND:
        return json_string(c->ver->grounds[0].code);
    case QZ_FIELD_OUTCOME:
        return json_string(variant ? "hit" : "clear");
    case QZ_FIELD_DATE:
        return json_string("2026-12-01");
    case QZ_FIELD_BOOL:
        return json_boolean(variant);
    case QZ_FIELD_INT:
        return json_integer(1);
    case QZ_FIELD_IIN:
        return json_string("921029350851");
    case QZ_FIELD_CHOICE:
        return json_incref(json_array_get(f->values, 0));
    case QZ_FIELD_STAFF:
        return json_string("tester"); /* the walk's staff: every step's actor */
    case QZ_FIELD_TEXT:
    default:
        return json_string("recorded by the test");
    }
}

typedef struct walk {
    const char *service;
    int paths, ended_done, ended_refused, past_calendar, max_depth;
} walk;

/* Staff of the step's unit, or, on a step of the person concerned, that person. */
static qz_actor actor_for(const qz_case *c, const qz_action_spec *a)
{
    const qz_step *s = qz_case_step(c);
    const qz_unit_ref *u = qz_case_unit(c, a->unit ? a->unit : s->unit);
    if (s->party)
        return (qz_actor){"person", s->role, NULL, c->subject[0] ? c->subject : c->applicant};
    return (qz_actor){"tester", a->role ? a->role : s->role, u ? u->code : "", NULL};
}

/* The step's timeout, taken by the sweeper once its due has passed. */
static void explore(walk *w, const qz_case *c, int depth, qz_instant now);
static void explore_timeout(walk *w, const qz_case *c, int depth)
{
    qz_actor sweeper = {"sweeper", "system", NULL, NULL};
    qz_instant after = qz_case_run(c)->due_at + 60;
    qz_events ev = {0};
    qz_case *n = NULL;
    qz_err err;
    assert_int_equal(qz_engine_expire(&rules, c, &sweeper, after - 120, &n, &ev, &err), 0);
    assert_null(n); /* not before its due */
    if (qz_engine_expire(&rules, c, &sweeper, after, &n, &ev, &err))
        fail_msg("%s: timeout of %s: %s", w->service, qz_case_step(c)->code, err.key);
    assert_non_null(n);
    assert_string_equal(ev.v[0].action, qz_case_step(c)->timeout);
    explore(w, n, depth + 1, after);
    qz_case_free(n);
    qz_events_clear(&ev);
}

static void explore(walk *w, const qz_case *c, int depth, qz_instant now)
{
    const qz_step *s = qz_case_step(c);
    if (c->status == QZ_STATUS_DONE || c->status == QZ_STATUS_REFUSED ||
        c->status == QZ_STATUS_WITHDRAWN) {
        w->paths++;
        w->ended_done += c->status == QZ_STATUS_DONE;
        w->ended_refused += c->status == QZ_STATUS_REFUSED;
        return;
    }
    if (depth > 40 || w->paths > 2000)
        fail_msg("%s: a path runs longer than 40 steps at %s (a loop?)", w->service, s->code);
    if (depth > w->max_depth)
        w->max_depth = depth;
    for (size_t i = 0; i < s->n_actions; i++) {
        const qz_action_spec *a = &s->actions[i];
        /* A loop back (an extension, a return) is followed once per path depth budget. */
        if (a->next_index == c->state || (depth > 20 && a->kind != QZ_ACTION_ADVANCE))
            continue;
        if (s->timeout && strcmp(s->timeout, a->code) == 0) {
            explore_timeout(w, c, depth);
            continue;
        }
        for (int variant = 0; variant < 2; variant++) {
            json_t *data = json_object();
            bool has_outcome = false;
            for (size_t f = 0; f < a->n_fields; f++) {
                has_outcome |= a->fields[f].type == QZ_FIELD_OUTCOME;
                if (!a->fields[f].computed_wd) /* the engine's to fill */
                    json_object_set_new(data, a->fields[f].name,
                                        value_for(c, &a->fields[f], variant));
            }
            qz_actor who = actor_for(c, a);
            qz_events ev = {0};
            qz_case *n = NULL;
            qz_err err;
            int rc = qz_engine_apply(&rules, c, a->code, data, &who, now + 3600, &n, &ev, &err);
            json_decref(data);
            if (rc && strcmp(err.key, "case.guard_failed") == 0) {
                qz_events_clear(&ev);
                continue; /* this branch is for other facts */
            }
            if (rc && strcmp(err.key, "calendar.year_not_covered") == 0) {
                w->past_calendar++; /* past the years the calendar serves */
                qz_events_clear(&ev);
                continue;
            }
            if (rc)
                fail_msg("%s: %s/%s: %s %s %s", w->service, s->code, a->code, err.key, err.field,
                         err.value);
            assert_int_equal(ev.n, 1);
            assert_string_equal(ev.v[0].from, s->code);
            assert_string_equal(ev.v[0].to, qz_case_step(n)->code);
            assert_true(qz_case_run(n)->started_at == now + 3600);
            explore(w, n, depth + 1, now + 3600);
            qz_case_free(n);
            qz_events_clear(&ev);
            if (!has_outcome)
                break; /* only outcomes make a second variant worth walking */
        }
    }
}

/* The documents a channel needs, all given. */
static size_t all_documents(const qz_service_version *v, const char *channel, const char **out,
                            size_t cap)
{
    qz_doc_list l = qz_service_documents(v, channel);
    size_t n = 0;
    for (size_t i = 0; i < l.n && n < cap; i++)
        out[n++] = l.docs[i].kind;
    return n;
}

/* Accepts one application and walks every path from it. */
static void walk_from(const qz_service *svc, const qz_channel *ch, const char *variant,
                      const char *urgency, const char *department)
{
    const qz_service_version *v = &svc->versions[svc->n_versions - 1];
    const char *docs[32];
    json_t *payload = json_object();
    satisfy(ch->guard, payload);
    qz_application app = {.service = svc->code,
                          .channel = ch->code,
                          .lang = "ru",
                          .applicant = "921029350851",
                          .units = units,
                          .n_units = n_units,
                          .department = department,
                          .urgency = urgency,
                          .variant = variant,
                          .documents = docs,
                          .n_documents = all_documents(v, ch->code, docs, 32),
                          .payload = payload};
    qz_actor acceptor = {"tester", ch->accepted_by ? ch->accepted_by : "psc-operator",
                         strcmp(ch->code, "psc") == 0 ? "unit-psc" : "", NULL};
    qz_events ev = {0};
    qz_case *c = NULL;
    qz_err err;
    /* Monday 1 June 2026: every service's current version is in force, and the calendar
     * (to two years after the current one, 2027 provisional) covers every path; a path
     * past the years served would be cut there and counted in past_calendar. */
    qz_instant at = qz_instant_at(qz_date_from_ymd(2026, 6, 1), 10 * 3600, 5 * 3600);
    if (qz_engine_accept(&rules, &app, &acceptor, at, &c, &ev, &err)) {
        json_decref(payload);
        if (strcmp(err.key, "term.no_match") == 0)
            return; /* this variant is not offered on this channel */
        fail_msg("%s via %s (%s): %s %s %s", svc->code, ch->code, variant ? variant : "-", err.key,
                 err.field, err.value);
    }
    walk w = {.service = svc->code};
    explore(&w, c, 0, at);
    printf("  %-24s %-8s %-16s %-7s %3d paths (%d done, %d refused, %d past the calendar), "
           "longest %d steps\n",
           svc->code, ch->code, variant ? variant : (urgency ? urgency : "-"),
           department ? department : "-", w.paths, w.ended_done, w.ended_refused, w.past_calendar,
           w.max_depth + 1);
    assert_true(w.ended_done > 0);
    qz_case_free(c);
    qz_events_clear(&ev);
    json_decref(payload);
}

/* Every channel, variant, urgency and kind of department the current version offers. */
static void walk_service(const qz_service *svc)
{
    const qz_service_version *v = &svc->versions[svc->n_versions - 1];
    static const char *const departments[] = {"regional", "other"};
    size_t nv = v->n_variants ? v->n_variants : 1;
    size_t nu = v->urgencies ? json_array_size(v->urgencies) : 1;
    for (size_t k = 0; k < v->n_channels; k++)
        for (size_t i = 0; i < nv; i++)
            for (size_t u = 0; u < nu; u++)
                for (size_t d = 0; d < 2; d++)
                    walk_from(svc, &v->channels[k], v->n_variants ? v->variants[i].code : NULL,
                              v->urgencies ? json_string_value(json_array_get(v->urgencies, u))
                                           : NULL,
                              departments[d]);
}

static void test_every_service_walks_every_path_to_an_end(void **state)
{
    (void)state;
    for (size_t i = 0; i < qz_catalog_count(rules.cat); i++)
        walk_service(qz_catalog_at(rules.cat, i));
}

static void test_the_catalogue_has_the_ten_services_of_the_contract(void **state)
{
    (void)state;
    static const char *const codes[] = {"iin-foreigner",
                                        "passport-id",
                                        "temporary-id",
                                        "residence-registration",
                                        "residence-deregistration",
                                        "address-certificate",
                                        "entry-invitation",
                                        "criminal-record",
                                        "apostille",
                                        "archival-certificate"};
    qz_err err;
    for (size_t i = 0; i < 10; i++)
        if (!qz_catalog_service(rules.cat, codes[i], &err))
            fail_msg("service %s is not in the catalogue", codes[i]);
    assert_int_equal(qz_catalog_count(rules.cat), 10);
}

static qz_case *through_intake(qz_case *c, qz_instant at);

/* S8: the executor starts the additional reference check on a 10-minute case; the case
 * becomes a 5-WD one counted from its acceptance, and the interim answer is due in 4 WD. */
static void test_the_additional_check_turns_a_ten_minute_case_into_five_working_days(void **state)
{
    (void)state;
    const char *docs[] = {"application", "identity"};
    qz_application app = {.service = "criminal-record",
                          .channel = "psc",
                          .lang = "kk",
                          .applicant = "921029350851",
                          .units = units,
                          .n_units = n_units,
                          .documents = docs,
                          .n_documents = 2};
    qz_actor op = {"op", "psc-operator", "unit-psc", NULL};
    qz_actor exec = {"ex", "provider-executor", "unit-prosecutor-committee", NULL};
    qz_events ev = {0};
    qz_case *c = NULL, *n = NULL;
    qz_err err;
    /* Mon 23 Nov 2026 10:00 (+05:00): 10 minutes, 10:10. */
    qz_instant at = qz_instant_at(qz_date_from_ymd(2026, 11, 23), 10 * 3600, 5 * 3600);
    if (qz_engine_accept(&rules, &app, &op, at, &c, &ev, &err))
        fail_msg("%s %s %s", err.key, err.field, err.value);
    assert_string_equal(c->variant, "electronic");
    assert_int_equal(c->due_at, at + 600);
    c = through_intake(c, at);
    json_t *why = json_pack("{s:s}", "reason", "a namesake in the card index");
    int rc = qz_engine_apply(&rules, c, "additional-check", why, &exec, at + 300, &n, &ev, &err);
    json_decref(why);
    if (rc)
        fail_msg("%s %s %s", err.key, err.field, err.value);
    assert_string_equal(n->variant, "additional-check");
    /* 5 WD after Mon 23 Nov: Mon 30 Nov, PSC closing 18:00. */
    assert_int_equal(n->due_at, qz_instant_at(qz_date_from_ymd(2026, 11, 30), 18 * 3600, 5 * 3600));
    /* The interim answer within 4 WD of acceptance: Fri 27 Nov, the Committee's 18:30. */
    assert_int_equal(qz_case_run(n)->due_at,
                     qz_instant_at(qz_date_from_ymd(2026, 11, 27), 18 * 3600 + 1800, 5 * 3600));
    qz_case_free(c);
    qz_case_free(n);
    qz_events_clear(&ev);
}

/* Local time at UTC+5 in June 2026 (no day off in June besides weekends). */
static qz_instant J(int day, int h, int mi)
{
    return qz_instant_at(qz_date_from_ymd(2026, 6, day), h * 3600 + mi * 60, 5 * 3600);
}

static qz_case *accept_real(const char *service, const char *urgency, const char *acceptor,
                            const char *const *docs, size_t n_docs, qz_instant at)
{
    qz_application app = {.service = service,
                          .channel = "psc",
                          .lang = "kk",
                          .department = "regional",
                          .urgency = urgency,
                          .applicant = "921029350851",
                          .units = units,
                          .n_units = n_units,
                          .documents = docs,
                          .n_documents = n_docs};
    qz_actor op = {"op", acceptor, "unit-psc", NULL};
    qz_events ev = {0};
    qz_case *c = NULL;
    qz_err err;
    if (qz_engine_accept(&rules, &app, &op, at, &c, &ev, &err))
        fail_msg("%s: %s %s %s", service, err.key, err.field, err.value);
    qz_events_clear(&ev);
    return through_intake(c, at);
}

/* Takes `action` as the step's own role in the case's unit; frees the old case. */
static qz_case *take(qz_case *c, const char *action, const char *data, qz_instant at)
{
    const qz_step *s = qz_case_step(c);
    const qz_action_spec *a = NULL;
    for (size_t i = 0; i < s->n_actions; i++)
        if (strcmp(s->actions[i].code, action) == 0)
            a = &s->actions[i];
    assert_non_null(a);
    qz_actor who = actor_for(c, a);
    json_error_t jerr;
    json_t *d = data ? json_loads(data, 0, &jerr) : json_object();
    for (size_t i = 0; i < a->n_fields; i++) /* the fields this test does not care about */
        if (a->fields[i].required && !json_object_get(d, a->fields[i].name))
            json_object_set_new(d, a->fields[i].name, value_for(c, &a->fields[i], 0));
    qz_events ev = {0};
    qz_case *n = NULL;
    qz_err err;
    if (qz_engine_apply(&rules, c, action, d, &who, at, &n, &ev, &err))
        fail_msg("%s: %s %s %s", action, err.key, err.field, err.value);
    assert_int_equal(ev.n, 1);
    assert_string_equal(ev.v[0].action, action);
    json_decref(d);
    qz_events_clear(&ev);
    qz_case_free(c);
    return n;
}

/* The PSC employee certifies the application and the applicant consents, both at `at`:
 * the case reaches its provider's first step. */
static qz_case *through_intake(qz_case *c, qz_instant at)
{
    assert_string_equal(qz_case_step(c)->code, "intake");
    c = take(c, "certify", NULL, at);
    assert_string_equal(qz_case_step(c)->code, "intake.consent");
    assert_string_equal(qz_case_step(c)->role, "applicant");
    return take(c, "consent", NULL, at);
}

/* A criminal-record certificate asked on the portal on Mon 1 June 2026 at 10:00 by
 * 921029350851, about `subject` (NULL: themselves); its acceptance event in ev. */
static qz_case *asked_on_portal(const char *subject, qz_events *ev)
{
    const char *docs[] = {"e-request"};
    qz_application app = {.service = "criminal-record",
                          .channel = "portal",
                          .lang = "kk",
                          .applicant = "921029350851",
                          .subject = subject,
                          .units = units,
                          .n_units = n_units,
                          .documents = docs,
                          .n_documents = 1};
    qz_actor portal = {"921029350851", "applicant", NULL, "921029350851"};
    qz_case *c = NULL;
    qz_err err;
    if (qz_engine_accept(&rules, &app, &portal, J(1, 10, 0), &c, ev, &err))
        fail_msg("%s %s %s", err.key, err.field, err.value);
    return c;
}

/* The same about 850315423272 (seed 004 L288: it runs only once that person consents). */
static qz_case *asked_about_another(void)
{
    qz_events ev = {0};
    qz_case *c = asked_on_portal("850315423272", &ev);
    qz_events_clear(&ev);
    return c;
}

static void test_a_third_party_request_waits_for_the_persons_consent(void **state)
{
    (void)state;
    qz_case *c = asked_about_another();
    /* No certification on the portal: the request waits at the consent, 3 WD. */
    assert_string_equal(qz_case_step(c)->code, "intake.consent");
    assert_int_equal(c->n_runs, 1);
    assert_int_equal(qz_case_run(c)->due_at, J(4, 18, 0));
    /* The applicant cannot consent for the person concerned. */
    qz_actor applicant = {"921029350851", "applicant", NULL, "921029350851"};
    qz_events ev = {0};
    qz_case *n = NULL;
    qz_err err;
    assert_int_equal(qz_engine_apply(&rules, c, "consent-third-party", NULL, &applicant, J(2, 9, 0),
                                     &n, &ev, &err),
                     -1);
    assert_string_equal(err.key, "case.not_the_person");
    /* The person consents on Wed 3 June at 11:00: the 10-minute term counts from then. */
    c = take(c, "consent-third-party", NULL, J(3, 11, 0));
    assert_string_equal(qz_case_step(c)->code, "check");
    assert_int_equal(c->accepted_at, J(3, 11, 0));
    assert_int_equal(c->due_at, J(3, 11, 10));
    qz_case_free(c);
}

static void test_a_third_party_request_ends_when_consent_is_declined_or_not_given(void **state)
{
    (void)state;
    qz_case *c = take(asked_about_another(), "decline", NULL, J(2, 9, 0));
    assert_int_equal(c->status, QZ_STATUS_WITHDRAWN);
    assert_string_equal(qz_case_step(c)->code, "intake.declined");
    qz_case_free(c);

    c = asked_about_another();
    qz_actor sweeper = {"sweeper", "system", NULL, NULL};
    qz_events ev = {0};
    qz_case *n = NULL;
    qz_err err;
    assert_int_equal(qz_engine_expire(&rules, c, &sweeper, J(4, 17, 59), &n, &ev, &err), 0);
    assert_null(n);
    assert_int_equal(qz_engine_expire(&rules, c, &sweeper, J(4, 18, 0), &n, &ev, &err), 0);
    assert_non_null(n);
    assert_int_equal(n->status, QZ_STATUS_WITHDRAWN);
    assert_string_equal(qz_case_step(n)->code, "intake.lapsed");
    assert_string_equal(ev.v[0].action, "lapse");
    assert_string_equal(ev.v[0].actor, "sweeper");
    qz_events_clear(&ev);
    qz_case_free(n);
    qz_case_free(c);
}

/* A request about oneself goes straight to the provider from the portal. */
static void test_a_portal_request_needing_no_consent_starts_at_the_provider(void **state)
{
    (void)state;
    qz_events ev = {0};
    qz_case *c = asked_on_portal(NULL, &ev);
    assert_string_equal(qz_case_step(c)->code, "check");
    assert_int_equal(c->n_runs, 1);
    assert_string_equal(ev.v[0].to, "check");
    qz_events_clear(&ev);
    qz_case_free(c);
}

/* A person asking about themselves (subject = applicant) is not a third party: no consent
 * step, the request goes straight to the provider as one without a subject does. */
static void test_a_request_about_oneself_is_not_a_third_partys(void **state)
{
    (void)state;
    qz_events ev = {0};
    qz_case *c = asked_on_portal("921029350851", &ev);
    assert_string_equal(c->subject, "921029350851");
    assert_string_equal(qz_case_step(c)->code, "check");
    assert_int_equal(c->n_runs, 1);
    assert_string_equal(ev.v[0].to, "check");
    qz_events_clear(&ev);
    qz_case_free(c);
}

static void test_an_apostille_moves_along_its_steps_with_their_terms(void **state)
{
    (void)state;
    const char *docs[] = {"application", "identity", "official-document", "duty-receipt"};
    qz_case *c = accept_real("apostille", NULL, "psc-operator", docs, 4, J(1, 10, 0));
    /* 5 WD after Mon 1 June: 2, 3, 4, 5, 8 June; the PSC closes at 18:00. */
    assert_int_equal(c->due_at, J(8, 18, 0));
    /* dispatch to the provider within 1 WD (PSC hours): Tue 2 June 18:00. */
    assert_int_equal(qz_case_run(c)->due_at, J(2, 18, 0));
    c = take(c, "send", NULL, J(1, 15, 0));
    /* register "on the day received", 8 working hours from 15:00 in the Committee's hours
     * (to 18:30), capped at that day's close: 18:30. */
    assert_string_equal(qz_case_step(c)->code, "register");
    assert_int_equal(qz_case_run(c)->due_at, J(1, 18, 30));
    c = take(c, "register", NULL, J(2, 10, 0));
    /* check within 3 WD of Tue 2 June: Fri 5 June 18:30. */
    assert_int_equal(qz_case_run(c)->due_at, J(5, 18, 30));
    c = take(c, "checked",
             "{\"information-systems\": \"clear\", \"card-index\": \"clear\", "
             "\"authenticity\": \"clear\"}",
             J(3, 10, 0));
    /* the decision within 1 WD of Wed 3 June: Thu 4 June 18:30. */
    assert_string_equal(qz_case_step(c)->code, "decide");
    assert_int_equal(qz_case_run(c)->due_at, J(4, 18, 30));
    assert_false(c->at_risk);
    c = take(c, "apostille", NULL, J(4, 10, 0));
    /* to the PSC no later than one day before the term ends (Mon 8 June): Fri 5 June,
     * the Committee's close, 18:30. */
    assert_string_equal(qz_case_step(c)->code, "deliver");
    assert_int_equal(qz_case_run(c)->due_at, J(5, 18, 30));
    c = take(c, "sent", NULL, J(5, 11, 0));
    assert_int_equal(c->status, QZ_STATUS_READY);
    c = take(c, "hand-out", NULL, J(8, 9, 30));
    assert_int_equal(c->status, QZ_STATUS_DONE);
    qz_case_free(c);
}

/* A passport (S2) of `urgency` taken by the district officer at the PSC on Mon 1 June
 * 2026 at 10:00, with every document, through its intake. */
static qz_case *accept_passport(const char *urgency)
{
    const char *docs[32];
    const qz_service_version *v = qz_service_version_at(
        qz_catalog_service(rules.cat, "passport-id", NULL), qz_date_from_ymd(2026, 6, 1), NULL);
    return accept_real("passport-id", urgency, "district-officer", docs,
                       all_documents(v, "psc", docs, 32), J(1, 10, 0));
}

/* S2, urgency category 1 (11 WD from Mon 1 June: Tue 16 June 18:00), with every step of
 * 1 WD: a district register sent three days late leaves too few days for the nine
 * working-day steps after the regional check. */
static void test_a_passport_falls_at_risk_when_a_step_runs_late(void **state)
{
    (void)state;
    qz_case *c = accept_passport("1");
    assert_int_equal(c->due_at, J(16, 18, 0));
    /* 30 minutes from acceptance. */
    assert_int_equal(qz_case_run(c)->due_at, J(1, 10, 30));
    c = take(c, "registered", NULL, J(1, 10, 20));
    c = take(c, "formular-done", NULL, J(1, 10, 40));
    /* district register: 1 WD in category 1: Tue 2 June, 18:30. */
    assert_int_equal(qz_case_run(c)->due_at, J(2, 18, 30));
    qz_case *on_time = qz_case_clone(c);
    c = take(c, "sent", NULL, J(5, 10, 0));
    /* regional check due Mon 8 June 18:30; then 9 WD more: 9, 10, 11, 12, 15, 16, 17, 18,
     * 19 June, past the 16th. */
    assert_string_equal(qz_case_step(c)->code, "regional-check");
    assert_int_equal(qz_case_run(c)->due_at, J(8, 18, 30));
    assert_true(c->at_risk);
    /* Sent on Tue 2 June instead: the check is due Wed 3 June, and 9 WD after it end on
     * Tue 16 June, within the term. */
    on_time = take(on_time, "sent", NULL, J(2, 10, 0));
    assert_int_equal(qz_case_run(on_time)->due_at, J(3, 18, 30));
    assert_false(on_time->at_risk);
    qz_case_free(on_time);
    qz_case_free(c);
}

/* Local time at UTC+5 (Kazakhstan's one zone since 1 March 2024). */
static qz_instant L(int y, int mo, int d, int h, int mi)
{
    return qz_instant_at(qz_date_from_ymd(y, mo, d), h * 3600 + mi * 60, 5 * 3600);
}

/* Takes the first advance action of each step, all at `at`, until the result is ready. */
static qz_case *to_ready(qz_case *c, qz_instant at)
{
    for (int hops = 0; c->status != QZ_STATUS_READY; hops++) {
        assert_true(hops < 40);
        c = take(c, qz_step_first_advance(qz_case_step(c))->code, NULL, at);
    }
    return c;
}

/* The sweeper at `at`: the new case (the old one freed), or NULL when nothing was due
 * (c left as it was). */
static qz_case *sweep(qz_case *c, qz_instant at, const char *action)
{
    qz_actor sweeper = {"sweeper", "system", NULL, NULL};
    qz_events ev = {0};
    qz_case *n = NULL;
    qz_err err;
    if (qz_engine_expire(&rules, c, &sweeper, at, &n, &ev, &err))
        fail_msg("%s %s %s", err.key, err.field, err.value);
    if (!n)
        return NULL;
    assert_string_equal(ev.v[0].action, action);
    assert_string_equal(ev.v[0].actor, "sweeper");
    qz_events_clear(&ev);
    qz_case_free(c);
    return n;
}

/* S9: an apostilled document ready at the PSC on Fri 5 June 2026 at 11:00 and never
 * collected (seed 004, rules annex 2, standard row 5, read as annex 1's L235-L237). */
static void test_an_uncollected_apostille_is_returned_after_a_month_then_filed(void **state)
{
    (void)state;
    const char *docs[] = {"application", "identity", "official-document", "duty-receipt"};
    qz_case *c =
        to_ready(accept_real("apostille", NULL, "psc-operator", docs, 4, J(1, 10, 0)), J(5, 11, 0));
    assert_string_equal(qz_case_step(c)->code, "ready");
    /* Kept 1 month at the PSC: Sun 5 July 2026 11:00, a Sunday, for calendar time. */
    assert_int_equal(qz_case_run(c)->due_at, L(2026, 7, 5, 11, 0));
    assert_null(sweep(c, L(2026, 7, 5, 10, 59), "return"));
    c = sweep(c, L(2026, 7, 5, 11, 0), "return");
    /* Returned to the Committee, still ready there; kept 2 more months from the return:
     * Sat 5 September 2026 11:00. */
    assert_string_equal(qz_case_step(c)->code, "unclaimed");
    assert_string_equal(qz_case_step(c)->unit, "prosecutor-committee");
    assert_int_equal(c->status, QZ_STATUS_READY);
    assert_int_equal(qz_case_run(c)->due_at, L(2026, 9, 5, 11, 0));
    /* The applicant comes on Tue 7 July at 10:00 (Mon 6 July is Capital Day): the PSC asks
     * for it, the Committee sends it within 1 WD (Wed 8 July, its close at 18:30), and it
     * is ready at the PSC for another month from its arrival. */
    qz_case *recalled = take(qz_case_clone(c), "recall", NULL, L(2026, 7, 7, 10, 0));
    assert_string_equal(qz_case_step(recalled)->code, "unclaimed.recalled");
    assert_int_equal(qz_case_run(recalled)->due_at, L(2026, 7, 8, 18, 30));
    recalled = take(recalled, "send-back", NULL, L(2026, 7, 8, 9, 0));
    assert_string_equal(qz_case_step(recalled)->code, "ready");
    assert_int_equal(qz_case_run(recalled)->due_at, L(2026, 8, 8, 9, 0));
    recalled = take(recalled, "hand-out", NULL, L(2026, 7, 8, 15, 0));
    assert_int_equal(recalled->status, QZ_STATUS_DONE);
    qz_case_free(recalled);
    /* Nobody came: filed when the two months end, the case done with its result. */
    assert_null(sweep(c, L(2026, 9, 5, 10, 59), "file"));
    c = sweep(c, L(2026, 9, 5, 11, 0), "file");
    assert_string_equal(qz_case_step(c)->code, "unclaimed.filed");
    assert_int_equal(c->status, QZ_STATUS_DONE);
    assert_string_equal(c->result, "apostilled-document");
    qz_case_free(c);
}

/* S2: a passport ready at the PSC on Tue 16 June 2026 at 10:00 is kept a year (seed 002
 * item 20, L111), then returned to the district; what follows the year is not in the
 * seeds: no term runs there, and the district files it itself. */
static void test_an_uncollected_passport_is_kept_a_year(void **state)
{
    (void)state;
    qz_case *c = to_ready(accept_passport("general"), J(16, 10, 0));
    assert_string_equal(qz_case_step(c)->code, "ready");
    /* 12 calendar months: Wed 16 June 2027 10:00. */
    assert_int_equal(qz_case_run(c)->due_at, L(2027, 6, 16, 10, 0));
    assert_null(sweep(c, L(2027, 6, 16, 9, 59), "return"));
    c = sweep(c, L(2027, 6, 16, 10, 0), "return");
    assert_string_equal(qz_case_step(c)->code, "unclaimed");
    assert_string_equal(qz_case_step(c)->unit, "district");
    assert_int_equal(qz_case_run(c)->due_at, 0);
    assert_null(sweep(c, L(2030, 1, 1, 0, 0), "file"));
    c = take(c, "file", NULL, L(2027, 6, 17, 10, 0));
    assert_string_equal(qz_case_step(c)->code, "unclaimed.filed");
    assert_int_equal(c->status, QZ_STATUS_DONE);
    assert_string_equal(c->result, "passport-id");
    qz_case_free(c);
}

/* S5: a departure sheet ready at the district officer's workstation in the PSC on Mon 1
 * June 2026 at 11:00 and never collected: kept 1 month there (seed 002 item 20, L109),
 * then returned to the district as unclaimed. */
static void test_an_uncollected_departure_sheet_is_returned_after_a_month(void **state)
{
    (void)state;
    const char *docs[32];
    const qz_service_version *v =
        qz_service_version_at(qz_catalog_service(rules.cat, "residence-deregistration", NULL),
                              qz_date_from_ymd(2026, 6, 1), NULL);
    qz_case *c = to_ready(accept_real("residence-deregistration", NULL, "psc-operator", docs,
                                      all_documents(v, "psc", docs, 32), J(1, 10, 0)),
                          J(1, 11, 0));
    assert_string_equal(qz_case_step(c)->code, "ready");
    /* 1 calendar month: Wed 1 July 2026 11:00. */
    assert_int_equal(qz_case_run(c)->due_at, L(2026, 7, 1, 11, 0));
    assert_null(sweep(c, L(2026, 7, 1, 10, 59), "return"));
    c = sweep(c, L(2026, 7, 1, 11, 0), "return");
    assert_string_equal(qz_case_step(c)->code, "unclaimed");
    assert_string_equal(qz_case_step(c)->unit, "district");
    assert_int_equal(c->status, QZ_STATUS_READY);
    c = take(c, "file", NULL, L(2026, 7, 2, 10, 0));
    assert_int_equal(c->status, QZ_STATUS_DONE);
    assert_string_equal(c->result, "departure-sheet");
    qz_case_free(c);
}

/* S2 on the portal (the document type changes, seed 001 L109): the passport the provider
 * hands out at its workstation in the PSC, ready on Tue 16 June 2026 at 10:00, is kept a
 * year there as a passport is (seed 002 item 20, L111), then taken back to the district. */
static void test_an_uncollected_portal_passport_is_kept_a_year_too(void **state)
{
    (void)state;
    const qz_service *svc = qz_catalog_service(rules.cat, "passport-id", NULL);
    const qz_service_version *v = qz_service_version_at(svc, qz_date_from_ymd(2026, 6, 1), NULL);
    const char *docs[32];
    json_t *payload = json_pack("{s:s}", "reason", "document-type-change");
    qz_application app = {.service = "passport-id",
                          .channel = "portal",
                          .lang = "kk",
                          .urgency = "general",
                          .applicant = "921029350851",
                          .units = units,
                          .n_units = n_units,
                          .documents = docs,
                          .n_documents = all_documents(v, "portal", docs, 32),
                          .payload = payload};
    qz_actor portal = {"921029350851", "applicant", NULL, "921029350851"};
    qz_events ev = {0};
    qz_case *c = NULL;
    qz_err err;
    if (qz_engine_accept(&rules, &app, &portal, J(1, 10, 0), &c, &ev, &err))
        fail_msg("%s %s %s", err.key, err.field, err.value);
    qz_events_clear(&ev);
    json_decref(payload);
    /* Each step's first advance action its guards allow (the desk's hand-over to the PSC
     * is not the portal's). */
    for (int hops = 0; c->status != QZ_STATUS_READY; hops++) {
        const qz_step *s = qz_case_step(c);
        qz_case *n = NULL;
        assert_true(hops < 40);
        for (size_t i = 0; i < s->n_actions && !n; i++) {
            const qz_action_spec *a = &s->actions[i];
            qz_actor who = actor_for(c, a);
            json_t *d = json_object();
            for (size_t k = 0; k < a->n_fields; k++)
                if (a->fields[k].required)
                    json_object_set_new(d, a->fields[k].name, value_for(c, &a->fields[k], 0));
            if (a->kind == QZ_ACTION_ADVANCE &&
                qz_engine_apply(&rules, c, a->code, d, &who, J(16, 10, 0), &n, &ev, &err) == 0)
                qz_events_clear(&ev);
            json_decref(d);
        }
        assert_non_null(n);
        qz_case_free(c);
        c = n;
    }
    assert_string_equal(qz_case_step(c)->code, "ready-at-provider");
    /* 12 calendar months: Wed 16 June 2027 10:00. */
    assert_int_equal(qz_case_run(c)->due_at, L(2027, 6, 16, 10, 0));
    assert_null(sweep(c, L(2027, 6, 16, 9, 59), "return"));
    c = sweep(c, L(2027, 6, 16, 10, 0), "return");
    assert_string_equal(qz_case_step(c)->code, "unclaimed-at-provider");
    assert_int_equal(c->status, QZ_STATUS_READY);
    c = take(c, "file", NULL, L(2027, 6, 17, 10, 0));
    assert_int_equal(c->status, QZ_STATUS_DONE);
    assert_string_equal(c->result, "passport-id");
    qz_case_free(c);
}

/* S10 taken on Mon 1 June 2026 at 10:00 at a regional PSC (8 WD: Thu 11 June 18:00),
 * through its registration, the review started; the preliminary decision to refuse is
 * taken at `at`. */
static qz_case *archival_refused_at(qz_instant at)
{
    const char *docs[32];
    const qz_service_version *v =
        qz_service_version_at(qz_catalog_service(rules.cat, "archival-certificate", NULL),
                              qz_date_from_ymd(2026, 6, 1), NULL);
    qz_case *c = accept_real("archival-certificate", NULL, "psc-operator", docs,
                             all_documents(v, "psc", docs, 32), J(1, 10, 0));
    assert_int_equal(c->due_at, J(11, 18, 0));
    c = take(c, "registered", NULL, J(1, 11, 0));
    assert_string_equal(qz_case_step(c)->code, "review");
    c = take(c, "preliminary-refusal", NULL, at);
    assert_string_equal(qz_case_step(c)->code, "hearing");
    return c;
}

/* Seed 004, rules annex 3, item 6 (L96): the applicant is notified of the preliminary
 * decision and the hearing within 2 WD, and (L98) at least 3 WD before the term ends:
 * the notice is due at the earlier of the two. */
static void test_the_archival_hearing_notice_is_due_within_two_working_days(void **state)
{
    (void)state;
    /* Decided Tue 2 June: 2 WD, Thu 4 June at the Committee's close (18:30), before the
     * 3 WD ahead of Thu 11 June (Mon 8 June 18:30). */
    qz_case *c = archival_refused_at(J(2, 10, 0));
    assert_int_equal(qz_case_run(c)->due_at, J(4, 18, 30));
    qz_case_free(c);
    /* Decided Fri 5 June: 2 WD would be Tue 9 June; 3 WD before the end is Mon 8 June. */
    c = archival_refused_at(J(5, 10, 0));
    assert_int_equal(qz_case_run(c)->due_at, J(8, 18, 30));
    qz_case_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_catalogue_has_the_ten_services_of_the_contract),
        cmocka_unit_test(test_every_service_walks_every_path_to_an_end),
        cmocka_unit_test(test_the_additional_check_turns_a_ten_minute_case_into_five_working_days),
        cmocka_unit_test(test_a_third_party_request_waits_for_the_persons_consent),
        cmocka_unit_test(test_a_third_party_request_ends_when_consent_is_declined_or_not_given),
        cmocka_unit_test(test_a_portal_request_needing_no_consent_starts_at_the_provider),
        cmocka_unit_test(test_a_request_about_oneself_is_not_a_third_partys),
        cmocka_unit_test(test_an_apostille_moves_along_its_steps_with_their_terms),
        cmocka_unit_test(test_a_passport_falls_at_risk_when_a_step_runs_late),
        cmocka_unit_test(test_an_uncollected_apostille_is_returned_after_a_month_then_filed),
        cmocka_unit_test(test_an_uncollected_passport_is_kept_a_year),
        cmocka_unit_test(test_an_uncollected_departure_sheet_is_returned_after_a_month),
        cmocka_unit_test(test_an_uncollected_portal_passport_is_kept_a_year_too),
        cmocka_unit_test(test_the_archival_hearing_notice_is_due_within_two_working_days),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
