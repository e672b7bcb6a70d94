/* The reads that must not grow with the whole table (issue: the speed a national service
 * needs): a person's cases and messages a page at a time, a unit's inbox, the sweeper's
 * pages and the SMS sender's queue. Each statement's EXPLAIN QUERY PLAN, on a database the
 * store migrated, must search an index for every table it reads — never "SCAN cases",
 * "SCAN outbox" or "SCAN case_steps" (a full pass) — so the test asserts the plan, not
 * the time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/sqlite_int.h"
#include "store_tmp.h"

/* The plan's lines, joined with "\n", into buf. */
static void plan_of(const char *path, const char *sql, char *buf, size_t cap)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    char query[4096];
    size_t used = 0;
    snprintf(query, sizeof query, "EXPLAIN QUERY PLAN %s", sql);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_prepare_v2(db, query, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    buf[0] = '\0';
    while (sqlite3_step(s) == SQLITE_ROW && used < cap)
        used += (size_t)snprintf(buf + used, cap - used, "%s\n", sqlite3_column_text(s, 3));
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* Asserts that the plan of `sql` scans none of the big tables and uses `index`. */
static void uses_index(const char *path, const char *sql, const char *index)
{
    char plan[4096];
    plan_of(path, sql, plan, sizeof plan);
    static const char *const scans[] = {"SCAN cases", "SCAN outbox", "SCAN case_steps",
                                        "SCAN c\n",   "SCAN s\n",    "SCAN o\n"};
    for (size_t i = 0; i < sizeof scans / sizeof scans[0]; i++)
        if (strstr(plan, scans[i]))
            fail_msg("a full scan (%s) in the plan of\n%s\n%s", scans[i], sql, plan);
    if (!strstr(plan, index))
        fail_msg("%s is not used by\n%s\n%s", index, sql, plan);
}

static void test_the_paged_reads_search_indexes(void **state)
{
    tmp *t = *state;
    qz_store_close(store_open_ok(tmp_at(t, "plans.db")));
    const char *db = tmp_at(t, "plans.db");
    uses_index(db, SQ_SQL_PERSON_CASES, "cases_applicant");
    uses_index(db, SQ_SQL_PERSON_CASES, "cases_subject");
    uses_index(db, SQ_SQL_PERSON_CASES, "cases_representative");
    uses_index(db, SQ_SQL_OUTBOX_PAGE, "outbox_to");
    uses_index(db, SQ_SQL_OUTBOX_DUE, "outbox_pending");
    uses_index(db, SQ_SQL_INBOX, "case_steps_inbox");
    uses_index(db, SQ_SQL_TIMER_STEPS, "case_steps_risk");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_the_paged_reads_search_indexes, tmp_setup,
                                        tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
