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

#include "auth/auth.h"
#include "base/crypto.h"
#include "store/db.h"
#include "store/settings.h"

static void test_source_grouping(void **state) {
    (void)state;
    struct login_source a, b;
    login_source_init(&a, "2001:db8:1:2::1");
    login_source_init(&b, "2001:db8:1:2:ffff:ffff:ffff:ffff");
    assert_int_equal(a.bucket, b.bucket); /* one /64 is one client */
    assert_int_equal(a.prefix_len, 8);
    login_source_init(&a, "192.0.2.7");
    login_source_init(&b, "::ffff:192.0.2.7");
    assert_int_equal(a.bucket, b.bucket); /* a v4-mapped address is that IPv4 address */
    assert_int_equal(a.prefix_len, 4);
    login_source_init(&a, NULL);
    assert_string_equal(a.ip, "?");
    /* Whatever arrives, the bucket stays in range and long text is cut, not overflowed. */
    char junk[300];
    memset(junk, 'x', sizeof junk - 1);
    junk[sizeof junk - 1] = 0;
    login_source_init(&a, junk);
    assert_true(a.bucket < LOGIN_BUCKETS);
    assert_true(a.prefix_len <= sizeof a.prefix);
    int spread = 0;
    uint32_t first = 0;
    for (int i = 0; i < 64; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "198.51.100.%d", i);
        login_source_init(&a, ip);
        assert_true(a.bucket < LOGIN_BUCKETS);
        if (i == 0) first = a.bucket;
        spread += a.bucket != first;
    }
    assert_true(spread > 50); /* different addresses land in different buckets */
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
    /* 30 made-up names: one address row and at most one row per name, never more. */
    assert_true(rows(db) <= 31);
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

int main(void) {
    if (crypto_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_grouping),
        cmocka_unit_test(test_account_lock_is_per_address),
        cmocka_unit_test(test_address_limit_and_bounded_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
