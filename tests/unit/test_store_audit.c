/* qz_store_audit_verify on a chain of twelve events, tampered with raw SQL the way an
 * insider with the file would: edited, deleted (with and without renumbering), and
 * inserted rows (with a garbage hash, for no case, and with a correctly computed hash).
 * Each time the first broken event is named. A case row edited in the table, or a case
 * whose newest event was cut off, is named by its case (the rows replayed against the
 * events and the document).
 *
 * The chain: cases 1, 2, 3 are created, then each moves three times, round by round, so
 * event k (1..12) belongs to case (k - 1) % 3 + 1 with seq (k - 1) / 3 + 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store_tmp.h"
#include "store/chain.h"

static const char UNGUARD[] = "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;";

static void build_chain(const char *path)
{
    static const char *const states[] = {"accepted", "registered", "checked", "decided"};
    /* each write's document says what its row says (audit verify compares them) */
    static const char *const docs[] = {
        "{\"service\":\"apostille\",\"state\":\"accepted\",\"status\":\"open\","
        "\"applicant\":\"921029350851\"}",
        "{\"service\":\"apostille\",\"state\":\"registered\",\"status\":\"open\","
        "\"applicant\":\"921029350851\"}",
        "{\"service\":\"apostille\",\"state\":\"checked\",\"status\":\"open\","
        "\"applicant\":\"921029350851\"}",
        "{\"service\":\"apostille\",\"state\":\"decided\",\"status\":\"open\","
        "\"applicant\":\"921029350851\"}"};
    qz_store *st = store_open_ok(path);
    qz_case_written out;
    qz_err err;
    int64_t version[4] = {0};
    for (int round = 0; round < 4; round++)
        for (int64_t c = 1; c <= 3; c++) {
            case_fixture f;
            case_fixture_init(&f, "provider-astana", CASE_NOW + 86400);
            f.w.id = round ? c : 0;
            f.w.expected_version = version[c];
            f.w.state = states[round];
            f.w.doc = docs[round];
            f.event.at = CASE_NOW + round * 3600;
            f.event.from_state = round ? states[round - 1] : NULL;
            f.event.to_state = states[round];
            if (qz_store_case_write(st, &f.w, &out, &err) != 0)
                fail_msg("write: %s %s", err.key, err.value);
            version[c] = out.version;
        }
    qz_store_close(st);
}

/* Runs verify on the file: returns its result, filling brk. */
static int verify(const char *path, uint64_t *n, qz_audit_break *brk)
{
    qz_store *st = store_open_ok(path);
    qz_err err;
    int r = qz_store_audit_verify(st, n, brk, &err);
    if (r < 0)
        fail_msg("verify: %s %s", err.key, err.value);
    qz_store_close(st);
    return r;
}

static void expect_break(const char *path, qz_audit_kind kind, int64_t id, const char *reason)
{
    uint64_t n;
    qz_audit_break brk;
    assert_int_equal(verify(path, &n, &brk), 1);
    assert_int_equal(brk.kind, kind);
    assert_int_equal(brk.event_id, id);
    assert_string_equal(brk.reason, reason);
    assert_int_equal(n, id - 1); /* every event before it passed */
}

static void test_an_untouched_chain_verifies_every_event(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    uint64_t n;
    qz_audit_break brk;
    build_chain(path);
    assert_int_equal(verify(path, &n, &brk), 0);
    assert_int_equal(n, 12);
}

static void test_an_empty_database_has_a_whole_chain_of_no_events(void **state)
{
    uint64_t n = 99;
    qz_audit_break brk;
    assert_int_equal(verify(tmp_at(*state, "q.db"), &n, &brk), 0);
    assert_int_equal(n, 0);
}

static void test_the_events_table_refuses_updates_and_deletes(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    sqlite3 *db;
    build_chain(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE events SET actor = 'x'", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM events", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void test_an_edited_event_is_named(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, UNGUARD);
    raw_sql(path, "UPDATE events SET data = '{\"documents\":[\"forged\"]}' WHERE id = 5");
    expect_break(path, QZ_AUDIT_EDITED, 5, "hash");
}

static void test_an_edited_last_event_is_named(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, UNGUARD);
    raw_sql(path, "UPDATE events SET actor = 'someone-else' WHERE id = 12");
    expect_break(path, QZ_AUDIT_EDITED, 12, "hash");
}

static void test_a_value_of_the_wrong_type_counts_as_an_edit(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, UNGUARD);
    /* Text that is no integer stays text in an INTEGER column. */
    raw_sql(path, "UPDATE events SET at = '2026-01-05 morning' WHERE id = 4");
    expect_break(path, QZ_AUDIT_EDITED, 4, "hash");
}

static void test_the_first_of_two_breaks_is_the_one_named(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, UNGUARD);
    raw_sql(path, "UPDATE events SET role = 'admin' WHERE id IN (3, 8)");
    expect_break(path, QZ_AUDIT_EDITED, 3, "hash");
}

static void test_a_deleted_event_is_named_by_the_gap_it_leaves(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    uint64_t n;
    qz_audit_break brk;
    build_chain(path);
    raw_sql(path, UNGUARD);
    raw_sql(path, "DELETE FROM events WHERE id = 5");
    assert_int_equal(verify(path, &n, &brk), 1);
    assert_int_equal(brk.kind, QZ_AUDIT_DELETED);
    assert_int_equal(brk.event_id, 6);
    assert_int_equal(brk.missing_from, 5);
    assert_int_equal(brk.missing_to, 5);
    assert_string_equal(brk.reason, "id_gap");
}

static void test_a_deleted_first_event_is_found(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    uint64_t n;
    qz_audit_break brk;
    build_chain(path);
    raw_sql(path, UNGUARD);
    raw_sql(path, "DELETE FROM events WHERE id = 1");
    assert_int_equal(verify(path, &n, &brk), 1);
    assert_int_equal(brk.kind, QZ_AUDIT_DELETED);
    assert_int_equal(brk.event_id, 2);
    assert_int_equal(brk.missing_from, 1);
}

static void test_a_deletion_hidden_by_renumbering_is_found(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, UNGUARD);
    raw_sql(path, "DELETE FROM events WHERE id = 5; UPDATE events SET id = id - 1 WHERE id > 5");
    /* The event now numbered 5 (case 3's second) points to a hash no row has. */
    expect_break(path, QZ_AUDIT_DELETED, 5, "prev_hash");
}

/* Moves events 6.. one id up, leaving id 6 free. */
static const char MAKE_ROOM[] = "UPDATE events SET id = -id WHERE id > 5;"
                                "UPDATE events SET id = -id + 1 WHERE id < 0;";

static void test_an_inserted_event_with_a_made_up_hash_is_named(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, UNGUARD);
    raw_sql(path, MAKE_ROOM);
    raw_sql(path, "INSERT INTO events(id, region, case_id, seq, at, actor, role, unit, action,"
                  " from_state, to_state, data, prev_hash, hash)"
                  " SELECT 6, region, case_id, 99, at, 'intruder', role, unit, 'approve',"
                  " from_state, to_state, data, hash, randomblob(32) FROM events WHERE id = 5");
    expect_break(path, QZ_AUDIT_INSERTED, 6, "skipped");
}

static void test_an_event_appended_for_no_case_is_inserted(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, "INSERT INTO events(id, region, case_id, seq, at, actor, role, unit, action,"
                  " from_state, to_state, data, prev_hash, hash)"
                  " SELECT 13, region, 999, 1, at, actor, role, unit, action,"
                  " from_state, to_state, data, hash, zeroblob(32) FROM events WHERE id = 12");
    expect_break(path, QZ_AUDIT_INSERTED, 13, "no_case");
}

/* Inserts at id 6 an event of case 3, seq 2, linked to event 5 with a correctly computed
 * hash, after moving case 3's later seqs up — a forger who knows the algorithm. */
static void insert_forgery(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    qz_event_row x = {.id = 6,
                      .region = "KZ-71",
                      .case_id = 3,
                      .seq = 2,
                      .at = CASE_NOW + 3600,
                      .actor = "forger",
                      .role = "provider-head",
                      .unit = "provider-astana",
                      .action = "approve",
                      .from_state = "accepted",
                      .to_state = "decided"};
    qz_err err;
    raw_sql(path, "UPDATE events SET seq = -seq WHERE case_id = 3 AND seq >= 2;"
                  "UPDATE events SET seq = -seq + 1 WHERE case_id = 3 AND seq < 0;");
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT hash FROM events WHERE id = 5", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    memcpy(x.prev_hash, sqlite3_column_blob(s, 0), QZ_HASH_LEN);
    sqlite3_finalize(s);
    assert_int_equal(qz_chain_hash(&x, x.hash, &err), 0);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO events(id, region, case_id, seq, at, actor,"
                                        " role, unit, action, from_state, to_state, data,"
                                        " prev_hash, hash) VALUES (6, 'KZ-71', 3, 2, ?1,"
                                        " 'forger', 'provider-head', 'provider-astana',"
                                        " 'approve', 'accepted', 'decided', NULL, ?2, ?3)",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_bind_int64(s, 1, x.at), SQLITE_OK);
    assert_int_equal(sqlite3_bind_blob(s, 2, x.prev_hash, QZ_HASH_LEN, SQLITE_STATIC), SQLITE_OK);
    assert_int_equal(sqlite3_bind_blob(s, 3, x.hash, QZ_HASH_LEN, SQLITE_STATIC), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

static void test_an_inserted_event_with_a_correct_hash_is_caught_by_the_fork(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, UNGUARD);
    raw_sql(path, MAKE_ROOM);
    insert_forgery(path);
    /* Event 6 itself checks out; event 7 (the real case 3 seq 2, now seq 3) still points
     * to event 5, as event 6 does: two rows claim one predecessor, and the one slipped in
     * first is the forgery. */
    expect_break(path, QZ_AUDIT_INSERTED, 6, "fork");
}

static void test_a_damaged_database_file_gives_a_clear_error(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, "PRAGMA journal_mode = DELETE"); /* fold the log into the file */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    char junk[4096];
    memset(junk, 0xA5, sizeof junk);
    /* Overwrite every page after the first (the schema) with the same junk. */
    assert_int_equal(fseek(f, 4096, SEEK_SET), 0);
    for (int i = 0; i < 8; i++)
        assert_int_equal(fwrite(junk, 1, sizeof junk, f), sizeof junk);
    assert_int_equal(fclose(f), 0);
    qz_store *st = NULL;
    qz_err err;
    uint64_t n;
    qz_audit_break brk;
    if (qz_store_open(path, &st, &err) == 0) {
        assert_int_equal(qz_store_audit_verify(st, &n, &brk, &err), -1);
        qz_store_close(st);
    }
    assert_int_equal(err.code, QZ_EDATA);
    assert_string_equal(err.key, "store.corrupt");
    assert_string_equal(err.file, path);
}

/* A whole chain, and case `id` whose row disagrees with it in `field`. */
static void expect_case_row(const char *path, int64_t id, const char *field)
{
    uint64_t n;
    qz_audit_break brk;
    assert_int_equal(verify(path, &n, &brk), 1);
    assert_int_equal(brk.kind, QZ_AUDIT_CASE_ROW);
    assert_int_equal(brk.case_id, id);
    assert_string_equal(brk.reason, field);
}

static void test_a_case_row_ended_in_the_table_is_named(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, "UPDATE cases SET status = 'done' WHERE id = 2");
    expect_case_row(path, 2, "status");
}

static void test_a_case_row_moved_in_the_table_is_named_even_with_its_document(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, "UPDATE cases SET state = 'accepted',"
                  " doc = json_set(doc, '$.state', 'accepted') WHERE id = 1");
    expect_case_row(path, 1, "state");
}

static void test_an_applicant_changed_in_the_table_is_named(void **state)
{
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, "UPDATE cases SET applicant = '850315423272' WHERE id = 3");
    expect_case_row(path, 3, "applicant");
}

static void test_a_deleted_newest_event_is_named_by_its_case(void **state)
{
    /* Event 12, the last, moved case 3 from checked to decided: without it, the chain
     * that is left is whole, but case 3's row is ahead of its events. */
    const char *path = tmp_at(*state, "q.db");
    build_chain(path);
    raw_sql(path, UNGUARD);
    raw_sql(path, "DELETE FROM events WHERE id = 12");
    expect_case_row(path, 3, "state");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)
    const struct CMUnitTest tests[] = {
        T(test_an_untouched_chain_verifies_every_event),
        T(test_a_case_row_ended_in_the_table_is_named),
        T(test_a_case_row_moved_in_the_table_is_named_even_with_its_document),
        T(test_an_applicant_changed_in_the_table_is_named),
        T(test_a_deleted_newest_event_is_named_by_its_case),
        T(test_an_empty_database_has_a_whole_chain_of_no_events),
        T(test_the_events_table_refuses_updates_and_deletes),
        T(test_an_edited_event_is_named),
        T(test_an_edited_last_event_is_named),
        T(test_a_value_of_the_wrong_type_counts_as_an_edit),
        T(test_the_first_of_two_breaks_is_the_one_named),
        T(test_a_deleted_event_is_named_by_the_gap_it_leaves),
        T(test_a_deleted_first_event_is_found),
        T(test_a_deletion_hidden_by_renumbering_is_found),
        T(test_an_inserted_event_with_a_made_up_hash_is_named),
        T(test_an_event_appended_for_no_case_is_inserted),
        T(test_an_inserted_event_with_a_correct_hash_is_caught_by_the_fork),
        T(test_a_damaged_database_file_gives_a_clear_error),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
