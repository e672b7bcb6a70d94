/* The outbox's sender (app/sender.h) against a gateway that cannot be reached (a port
 * nobody listens on): a message that fails is tried again later, not at once; after
 * QZ_SMS_MAX_TRIES tries it is given up and marked so; a message to a person whose earlier
 * one waits for its retry waits too (in order per person); an SMS to a person with no
 * phone is given up at once. The rows are read back with SQLite itself. */
#include "app/sender.h"
#include "store/outbox.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "store_tmp.h"

static const qz_instant NOW = 1795410000; /* 2026-11-23 10:00 +05:00 */

/* A loopback port nobody listens on: bound, never listened, closed. */
static int dead_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void add_person(qz_store *st, const char *iin, const char *phone)
{
    qz_err err;
    qz_person_row p = {.iin = iin,
                       .surname = "Абенов",
                       .name = "Ержан",
                       .phone = phone,
                       .region = "KZ-71",
                       .created_at = NOW};
    if (qz_store_person_add(st, &p, &err))
        fail_msg("person: %s %s", err.key, err.value);
}

static void sms(qz_store *st, const char *iin, const char *text)
{
    qz_err err;
    qz_outbox_row m = {.region = "KZ-71",
                       .to_iin = iin,
                       .channel = "sms",
                       .lang = "kk",
                       .text = text,
                       .created_at = NOW};
    if (qz_store_outbox_append(st, &m, NULL, &err))
        fail_msg("outbox: %s %s", err.key, err.value);
}

static void test_failed_messages_wait_in_order_and_are_given_up_after_the_bound(void **state)
{
    tmp *t = *state;
    char url[64];
    qz_err err;
    size_t sent, given_up;
    qz_store *st = store_open_ok(tmp_at(t, "s.db"));
    add_person(st, "921029350851", "+77011234567");
    add_person(st, "850315423272", NULL);
    sms(st, "921029350851", "first");    /* id 1 */
    sms(st, "921029350851", "second");   /* id 2: waits behind the first */
    sms(st, "850315423272", "no phone"); /* id 3: nowhere to send it */
    qz_app app = {.store = st};
    snprintf(url, sizeof url, "http://127.0.0.1:%d/sms", dead_port());
    qz_sender *s = qz_sender_new(&app, url, &err);
    assert_non_null(s);
    const char *db = tmp_at(t, "s.db");

    /* the first is tried and waits for its retry; the second is held behind it; the one
     * with no phone is given up at once */
    assert_int_equal(qz_sender_round(s, &sent, &given_up, &err), 0);
    assert_int_equal(sent, 0);
    assert_int_equal(given_up, 1);
    assert_int_equal(raw_int(db, "SELECT tries FROM outbox WHERE id = 1"), 1);
    assert_int_equal(
        raw_int(db, "SELECT next_at > 0 AND failed_at IS NULL FROM outbox WHERE id = 1"), 1);
    assert_int_equal(raw_int(db, "SELECT tries FROM outbox WHERE id = 2"), 0);
    assert_int_equal(raw_int(db, "SELECT failed_at IS NOT NULL FROM outbox WHERE id = 3"), 1);

    /* at once again: the first is not due yet, so neither is tried */
    assert_int_equal(qz_sender_round(s, &sent, &given_up, &err), 0);
    assert_int_equal(raw_int(db, "SELECT tries FROM outbox WHERE id = 1"), 1);
    assert_int_equal(raw_int(db, "SELECT tries FROM outbox WHERE id = 2"), 0);

    /* one try short of the bound and due now: the next failure gives it up */
    raw_sql(db, "UPDATE outbox SET tries = 5, next_at = 0 WHERE id = 1");
    assert_int_equal(qz_sender_round(s, &sent, &given_up, &err), 0);
    assert_int_equal(given_up, 1);
    assert_int_equal(raw_int(db, "SELECT tries FROM outbox WHERE id = 1"), QZ_SMS_MAX_TRIES);
    assert_int_equal(raw_int(db, "SELECT failed_at IS NOT NULL AND last_error IS NOT NULL"
                                 " FROM outbox WHERE id = 1"),
                     1);
    /* now the second's turn: tried once */
    assert_int_equal(raw_int(db, "SELECT tries FROM outbox WHERE id = 2"), 1);
    qz_sender_stop(s);
    qz_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_failed_messages_wait_in_order_and_are_given_up_after_the_bound, tmp_setup,
            tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
