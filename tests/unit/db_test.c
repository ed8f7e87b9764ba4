/* db_test.c — the storage interface's own rules: which engine a --db string names, what a
 * unit of work records about what it sent (the basis of running a request again after a lost
 * connection; the loss itself is tested against a real PostgreSQL in tests/api/pgrestart), and
 * db_rows_json stopping once the request's memory budget is spent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "app/app.h"
#include "base/arena.h"
#include "store/db.h"

static void test_url_names_engine(void **state) {
    (void)state;
    assert_true(db_url_is_postgres("postgres://fazhi@db1:5432/fazhi"));
    assert_true(
        db_url_is_postgres("postgresql://fazhi@db1,db2/fazhi?target_session_attrs=read-write"));
    assert_true(db_url_is_postgres("host=db1,db2 port=5432,5433 dbname=fazhi user=fazhi "
                                   "target_session_attrs=read-write"));
    assert_true(db_url_is_postgres("dbname=fazhi"));
    assert_true(db_url_is_postgres("service=fazhi"));
    /* SQLite: a path, or anything after sqlite: */
    assert_false(db_url_is_postgres("sqlite:/var/lib/fazhi/fazhi.db"));
    assert_false(db_url_is_postgres("sqlite:host=x.db"));
    assert_false(db_url_is_postgres("/var/lib/fazhi/fazhi.db"));
    assert_false(db_url_is_postgres("data/a=b.db")); /* not a libpq keyword */
    assert_false(db_url_is_postgres("x=1 y=2"));
    assert_false(db_url_is_postgres(":memory:"));
}

static void test_unit_records_what_was_sent(void **state) {
    (void)state;
    struct db *db;
    char err[200];
    assert_int_equal(db_open("sqlite::memory:", &db, err, sizeof err), DB_OK);
    assert_int_equal(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", ""), DB_OK);

    db_unit_start(db);
    assert_false(db_unit_sent_writes(db));
    int64_t n = -1;
    assert_int_equal(db_query_int(db, &n, "SELECT COUNT(*) FROM t", ""), DB_ROW);
    assert_int_equal(db_query_int(db, &n, "\n  select COUNT(*) FROM t", ""), DB_ROW);
    assert_false(db_unit_sent_writes(db)); /* reads change nothing */

    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(db_exec(db, "INSERT INTO t (v) VALUES (?)", "s", "a"), DB_OK);
    assert_false(db_unit_sent_writes(db)); /* before COMMIT a lost session keeps nothing */
    db_rollback(db);
    assert_false(db_unit_sent_writes(db));
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(db_exec(db, "INSERT INTO t (v) VALUES (?)", "s", "b"), DB_OK);
    assert_int_equal(db_commit(db), DB_OK);
    assert_true(db_unit_sent_writes(db)); /* a COMMIT went out */

    db_unit_start(db);
    assert_false(db_unit_sent_writes(db));
    assert_int_equal(db_exec(db, "UPDATE t SET v = ? WHERE id = 1", "s", "c"), DB_OK);
    assert_true(db_unit_sent_writes(db)); /* a write outside a transaction */

    db_unit_start(db);
    assert_int_equal(db_query_int(db, &n, "WITH x AS (SELECT 1) SELECT COUNT(*) FROM x", ""),
                     DB_ROW);
    assert_true(db_unit_sent_writes(db)); /* WITH may hold a write: counted, to be safe */

    assert_false(db_lost(db)); /* a SQLite connection never breaks */
    db_close(db);
}

static void test_rows_json_stops_past_the_budget(void **state) {
    (void)state;
    struct db *db;
    char err[200];
    assert_int_equal(db_open("sqlite::memory:", &db, err, sizeof err), DB_OK);
    assert_int_equal(db_exec(db, "CREATE TABLE b (k TEXT PRIMARY KEY, v BLOB)", ""), DB_OK);
    for (int i = 0; i < 51; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%02d", i);
        assert_int_equal(db_exec(db, "INSERT INTO b (k, v) VALUES (?, 'x')", "s", key), DB_OK);
    }
    json_t *all = json_array();
    struct db_stmt *st = db_prepare(db, "SELECT k FROM b");
    assert_int_equal(db_rows_json(st, all), DB_OK); /* no current arena: every row */
    db_done(st);
    assert_int_equal(json_array_size(all), 51);
    json_decref(all);
    struct arena *a = arena_new(1024);
    arena_set_budget(a, 4096);
    arena_set_current(a);
    arena_alloc(a, 8192); /* the request is past its budget */
    json_t *some = json_array();
    st = db_prepare(db, "SELECT k FROM b");
    assert_int_equal(db_rows_json(st, some), DB_ERROR);
    db_done(st);
    assert_int_equal(json_array_size(some), 1); /* stopped after the first row */
    json_decref(some);
    arena_set_current(NULL);
    arena_free(a);
    db_close(db);
}

/* An IN between an equality and a range of one index, with statistics (what ANALYZE and the
 * optimizer's statistics give every real database): only the rows in the range. SQLite 3.40.1's
 * seek-scan answered the last IN value's rows past the range too (1, 2 and 4 here). */
static void test_in_then_range_answers_only_the_range(void **state) {
    (void)state;
    struct db *db;
    char err[200];
    assert_int_equal(db_open("sqlite::memory:", &db, err, sizeof err), DB_OK);
    assert_int_equal(db_exec(db,
                             "CREATE TABLE t (id INTEGER PRIMARY KEY, u BIGINT NOT NULL, "
                             "s TEXT NOT NULL, d TEXT NOT NULL)",
                             ""),
                     DB_OK);
    assert_int_equal(db_exec(db, "CREATE INDEX t_usd ON t (u, s, d)", ""), DB_OK);
    assert_int_equal(db_exec(db,
                             "INSERT INTO t (u, s, d) VALUES (7, 'closing', '2026-07-07'), "
                             "(7, 'in_progress', '2026-11-07'), (7, 'in_progress', '2027-01-07'), "
                             "(7, 'issued', '2027-01-07')",
                             ""),
                     DB_OK);
    for (int i = 0; i < 5; i++)
        assert_int_equal(db_exec(db,
                                 "INSERT INTO t (u, s, d) VALUES (?, 'in_progress', '2026-01-01')",
                                 "i", (int64_t)(100 + i)),
                         DB_OK);
    assert_int_equal(db_exec(db, "ANALYZE", ""), DB_OK);
    struct db_stmt *st =
        db_prepare(db, "SELECT id FROM t WHERE u = 7 AND s IN ('issued', "
                       "'in_progress', 'closing') AND d < '2026-12-01' ORDER BY id");
    int64_t got[8];
    int n = 0;
    while (db_step(st) == DB_ROW && n < 8)
        got[n++] = db_col_int(st, 0);
    db_done(st);
    assert_int_equal(n, 2);
    assert_int_equal(got[0], 1);
    assert_int_equal(got[1], 2);
    db_close(db);
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_names_engine),
        cmocka_unit_test(test_unit_records_what_was_sent),
        cmocka_unit_test(test_rows_json_stops_past_the_budget),
        cmocka_unit_test(test_in_then_range_answers_only_the_range),
    };
    return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
