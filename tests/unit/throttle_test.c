/* throttle_test.c — sign-in counters (src/auth/throttle.c): which addresses count as one, the
 * bounded keys, the per-address and per-account-and-address locks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "auth/auth.h"
#include "base/crypto.h"
#include "store/db.h"
#include "store/settings.h"

static void test_source_grouping(void **state) {
    (void)state;
    struct login_source a, b;
    login_source_init(&a, "2001:db8:1:2::1");
    login_source_init(&b, "2001:db8:1:2:ffff:ffff:ffff:ffff");
    assert_string_equal(a.prefix, "2001:db8:1:2::/64"); /* one /64 is one client */
    assert_string_equal(a.prefix, b.prefix);
    login_source_init(&b, "2001:db8:1:3::1");
    assert_string_not_equal(a.prefix, b.prefix);
    login_source_init(&a, "192.0.2.7");
    login_source_init(&b, "::ffff:192.0.2.7");
    assert_string_equal(a.prefix, "192.0.2.7"); /* a v4-mapped address is that IPv4 address */
    assert_string_equal(b.prefix, "192.0.2.7");
    login_source_init(&a, NULL);
    assert_string_equal(a.ip, "?");
    /* Whatever a proxy sends is cut to size, never overflowed. */
    char junk[300];
    memset(junk, 'x', sizeof junk - 1);
    junk[sizeof junk - 1] = 0;
    login_source_init(&a, junk);
    assert_int_equal(strlen(a.prefix), sizeof a.prefix - 1);
}

static struct db *open_db(void) {
    struct db *db;
    char err[200];
    int applied;
    assert_int_equal(db_open("sqlite::memory:", &db, err, sizeof err), DB_OK);
    assert_int_equal(db_migrate(db, &applied), DB_OK);
    assert_int_equal(db_exec(db,
                             "INSERT INTO units (code, name, kind, path, created_at, updated_at) "
                             "VALUES ('u', 'u', 'other', '/1/', 'x', 'x')",
                             ""),
                     DB_OK);
    assert_int_equal(db_exec(db,
                             "INSERT INTO users (username, display_name, unit_id, password_hash, "
                             "created_at, updated_at) VALUES ('alice', 'A', 1, 'x', 'x', 'x')",
                             ""),
                     DB_OK);
    settings_invalidate();
    return db;
}

static int64_t rows(struct db *db) {
    int64_t n = -1;
    assert_int_equal(db_query_int(db, &n, "SELECT COUNT(*) FROM login_throttle", ""), DB_ROW);
    return n;
}

static void test_account_lock_is_per_address(void **state) {
    (void)state;
    struct db *db = open_db();
    struct login_source attacker, owner;
    login_source_init(&attacker, "203.0.113.66");
    login_source_init(&owner, "192.0.2.10");
    int64_t left;
    struct login_trip trip;
    for (int i = 1; i <= 5; i++) { /* login.max_failures = 5 */
        assert_int_equal(login_gate(db, &attacker, 1, "alice", &left), LOGIN_GATE_OPEN);
        assert_int_equal(login_record_failure(db, &attacker, 1, "alice", &trip), DB_OK);
        assert_int_equal(trip.account_failures, i);
        assert_int_equal(trip.account, i == 5);
    }
    assert_true(trip.account_first);
    assert_int_equal(login_gate(db, &attacker, 1, "alice", &left), LOGIN_GATE_ACCOUNT);
    assert_true(left > 0 && left <= 15 * 60);
    assert_int_equal(login_gate(db, &owner, 1, "alice", &left), LOGIN_GATE_OPEN);
    /* A second address locking the same account is not the first lock of the attack. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(login_record_failure(db, &owner, 1, "alice", &trip), DB_OK);
    assert_true(trip.account && !trip.account_first);
    /* Success forgets that address's count only; unlock forgets them all. */
    assert_int_equal(login_clear_failures(db, &owner, 1), DB_OK);
    assert_int_equal(login_gate(db, &owner, 1, "alice", &left), LOGIN_GATE_OPEN);
    assert_int_equal(login_gate(db, &attacker, 1, "alice", &left), LOGIN_GATE_ACCOUNT);
    assert_int_equal(login_clear_account(db, 1), DB_OK);
    assert_int_equal(login_gate(db, &attacker, 1, "alice", &left), LOGIN_GATE_OPEN);
    db_close(db);
}

static void test_address_limit_and_bounded_rows(void **state) {
    (void)state;
    struct db *db = open_db();
    struct login_source src;
    login_source_init(&src, "198.51.100.7");
    int64_t left;
    struct login_trip trip;
    int tripped = 0;
    for (int i = 0; i < 30; i++) { /* login.ip_max_failures = 30 */
        char name[32];
        snprintf(name, sizeof name, "nobody%d", i);
        assert_int_equal(login_gate(db, &src, 0, name, &left), LOGIN_GATE_OPEN);
        assert_int_equal(login_record_failure(db, &src, 0, name, &trip), DB_OK);
        tripped += trip.address;
    }
    assert_int_equal(tripped, 1);
    assert_int_equal(trip.address_failures, 30);
    assert_int_equal(login_gate(db, &src, 0, "anyone", &left), LOGIN_GATE_ADDRESS);
    assert_int_equal(login_gate(db, &src, 1, "alice", &left), LOGIN_GATE_ADDRESS);
    /* 30 made-up names: one address row and one row per name checked, never more. */
    assert_int_equal(rows(db), 31);
    int64_t names = 0;
    assert_int_equal(db_query_int(db, &names,
                                  "SELECT COUNT(*) FROM login_throttle WHERE key LIKE '%nobody%'",
                                  ""),
                     DB_ROW);
    assert_int_equal(names, 0); /* names are kept only as hashes */
    /* The same made-up name from the same address always meets the same counter. */
    for (int i = 0; i < 5; i++) {
        struct login_source other;
        login_source_init(&other, "192.0.2.99");
        assert_int_equal(login_record_failure(db, &other, 0, "Ghost", &trip), DB_OK);
    }
    assert_true(trip.account && !trip.address);
    struct login_source other;
    login_source_init(&other, "192.0.2.99");
    assert_int_equal(login_gate(db, &other, 0, "ghost", &left), LOGIN_GATE_ACCOUNT);
    db_close(db);
}

static void test_spent_rows_are_deleted(void **state) {
    (void)state;
    struct db *db = open_db();
    /* 200 spent rows (window and lock long over), as a quiet night leaves them. */
    for (int i = 0; i < 200; i++) {
        char key[40];
        snprintf(key, sizeof key, "a:10.0.%d.%d", i / 256, i % 256);
        assert_int_equal(db_exec(db,
                                 "INSERT INTO login_throttle (key, failures, window_start, "
                                 "locked_until) VALUES (?, 3, 1000, 0)",
                                 "s", key),
                         DB_OK);
    }
    struct login_source src;
    login_source_init(&src, "192.0.2.1");
    struct login_trip trip;
    for (int i = 0; i < 4; i++)
        assert_int_equal(login_record_failure(db, &src, 1, "alice", &trip), DB_OK);
    /* Each failure deletes a batch of spent rows; the live ones stay. */
    assert_int_equal(rows(db), 2);
    assert_int_equal(trip.account_failures, 4);
    db_close(db);
}

/* An anonymous write's rate per address (a public comment): max per window, then refused with
 * the seconds left; another address and another scope have their own counts; a window that is
 * over starts afresh, and the sign-in's counters ignore these rows. */
static void test_address_rate(void **state) {
    (void)state;
    struct db *db = open_db();
    struct login_source a, b;
    login_source_init(&a, "198.51.100.9");
    login_source_init(&b, "198.51.100.10");
    int64_t retry = 0;
    for (int i = 0; i < 3; i++)
        assert_int_equal(address_rate_hit(db, "consult", &a, 3, 3600, &retry), 1);
    assert_int_equal(address_rate_hit(db, "consult", &a, 3, 3600, &retry), 0);
    assert_true(retry > 3500 && retry <= 3600);
    assert_int_equal(address_rate_hit(db, "consult", &b, 3, 3600, &retry), 1);
    assert_int_equal(address_rate_hit(db, "other", &a, 3, 3600, &retry), 1);
    int64_t failures = -1;
    assert_int_equal(login_failures(db, &a, 0, "x", &failures), DB_OK);
    assert_int_equal(failures, 0);
    assert_int_equal(login_gate(db, &a, 0, "x", &retry), LOGIN_GATE_OPEN);
    /* the window over (moved back in time): counting starts again */
    assert_int_equal(db_exec(db,
                             "UPDATE login_throttle SET window_start = window_start - 4000, "
                             "locked_until = locked_until - 4000 WHERE key LIKE 'r:consult:%'",
                             ""),
                     DB_OK);
    assert_int_equal(address_rate_hit(db, "consult", &a, 3, 3600, &retry), 1);
    db_close(db);
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    if (crypto_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_grouping),
        cmocka_unit_test(test_account_lock_is_per_address),
        cmocka_unit_test(test_address_limit_and_bounded_rows),
        cmocka_unit_test(test_spent_rows_are_deleted),
        cmocka_unit_test(test_address_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
