/* query_test.c — SQL built together with its bound parameters; LIKE escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "base/arena.h"
#include "store/db.h"
#include "store/query.h"

struct fixture {
    struct db *db;
    struct arena *a;
};

static const char *names[] = {
    "100%",        "100 percent", "1000",        "a_b",         "axb", "ab",
    "back\\slash", "backXslash",  "法治_办公室", "法治X办公室", "%",   "_",
};
#define N_NAMES (int)(sizeof names / sizeof names[0])

static int setup(void **state) {
    struct fixture *x = calloc(1, sizeof(*x));
    char err[200];
    if (db_open("sqlite::memory:", &x->db, err, sizeof err) != DB_OK) return -1;
    x->a = arena_new(0);
    if (db_exec(x->db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", "") != DB_OK)
        return -1;
    for (int i = 0; i < N_NAMES; i++)
        if (db_exec(x->db, "INSERT INTO t (name) VALUES (?)", "s", names[i]) != DB_OK) return -1;
    *state = x;
    return 0;
}

static int teardown(void **state) {
    struct fixture *x = *state;
    db_close(x->db);
    arena_free(x->a);
    free(x);
    return 0;
}

static void test_parameters_bound_in_order(void **state) {
    struct fixture *x = *state;
    struct query q;
    query_init(&q, x->a, "SELECT 1");
    query_add(&q, "", NULL); /* a fragment without parameters */
    assert_int_equal(q.n, 0);
    query_add(&q, ", ?", "i", (int64_t)42);
    query_add(&q, ", ?, ?", "si", "法治", (int64_t)-5);
    query_add(&q, ", ? || ?", "ss", "ab", "cd");
    query_add(&q, ", ? IS NULL", "s", (const char *)NULL);
    query_add(&q, ", ?", "i", (int64_t)INT64_MAX);
    assert_int_equal(q.n, 7);
    assert_string_equal(q.sql.data, "SELECT 1, ?, ?, ?, ? || ?, ? IS NULL, ?");
    struct db_stmt *st = query_prepare(x->db, &q);
    assert_non_null(st);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 1), 42);
    assert_string_equal(db_col_text(st, 2), "法治");
    assert_int_equal(db_col_int(st, 3), -5);
    assert_string_equal(db_col_text(st, 4), "abcd");
    assert_int_equal(db_col_int(st, 5), 1);
    assert_int_equal(db_col_int(st, 6), INT64_MAX);
    db_done(st);
}

/* A value is data, never SQL. */
static void test_values_are_not_sql(void **state) {
    struct fixture *x = *state;
    struct query q;
    query_init(&q, x->a, "SELECT COUNT(*) FROM t WHERE 1=1");
    query_add(&q, " AND name = ?", "s", "x' OR '1'='1");
    struct db_stmt *st = query_prepare(x->db, &q);
    assert_non_null(st);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 0);
    db_done(st);
}

/* Names matching `name LIKE query_contains(text)`, as a '|'-joined list in id order. */
static const char *search(struct fixture *x, const char *text) {
    struct query q;
    query_init(&q, x->a, "SELECT name FROM t WHERE 1=1");
    query_add(&q, " AND name" QUERY_LIKE, "s", query_contains(x->a, text));
    query_add(&q, " ORDER BY id", NULL);
    struct db_stmt *st = query_prepare(x->db, &q);
    assert_non_null(st);
    struct buf b;
    buf_init(&b, x->a, 0);
    while (db_step(st) == DB_ROW) {
        if (b.len) buf_puts(&b, "|");
        buf_puts(&b, db_col_text(st, 0));
    }
    db_done(st);
    return b.data;
}

static void test_like_matches_literally(void **state) {
    struct fixture *x = *state;
    assert_string_equal(search(x, "100%"), "100%");
    assert_string_equal(search(x, "%"), "100%|%");
    assert_string_equal(search(x, "a_b"), "a_b");
    assert_string_equal(search(x, "_"), "a_b|法治_办公室|_");
    assert_string_equal(search(x, "\\"), "back\\slash");
    assert_string_equal(search(x, "k\\s"), "back\\slash");
    assert_string_equal(search(x, "治_办"), "法治_办公室");
    /* Plain text still matches anywhere in the value. */
    assert_string_equal(search(x, "percent"), "100 percent");
    assert_string_equal(search(x, "100"), "100%|100 percent|1000");
    assert_string_equal(search(x, "办公室"), "法治_办公室|法治X办公室");
    assert_string_equal(search(x, "nothing"), "");
}

static void test_like_escape_text(void **state) {
    struct fixture *x = *state;
    assert_string_equal(query_like_escape(x->a, "plain"), "plain");
    assert_string_equal(query_like_escape(x->a, "50%_\\"), "50\\%\\_\\\\");
    assert_string_equal(query_like_escape(x->a, ""), "");
    assert_string_equal(query_contains(x->a, "a%b"), "%a\\%b%");
    assert_string_equal(query_contains(x->a, ""), "%%");
}

/* Every parameter lands in its place, up to the limit: a sum of CASE terms (flat, not an
 * expression tree as deep as the parameters are many) of the values 1 … QUERY_MAX_PARAMS. */
static void test_max_parameters_work(void **state) {
    struct fixture *x = *state;
    struct query q;
    query_init(&q, x->a, "SELECT (SELECT COUNT(*) FROM t WHERE id IN (0");
    for (int i = 1; i <= QUERY_MAX_PARAMS; i++)
        query_add(&q, ", ?", "i", (int64_t)(i % 2 ? i : -i)); /* odd ids only */
    query_add(&q, "))", "");
    assert_int_equal(q.n, QUERY_MAX_PARAMS);
    assert_int_equal(q.overflow, 0);
    struct db_stmt *st = query_prepare(x->db, &q);
    assert_non_null(st);
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), (N_NAMES + 1) / 2); /* ids 1, 3, 5 … of the table */
    db_done(st);
}

/* An id list is padded to one of a few sizes with its last id: the same rows, few statements. */
static void test_id_lists(void **state) {
    struct fixture *x = *state;
    int64_t ids[QUERY_IDS_MAX];
    for (int i = 0; i < QUERY_IDS_MAX; i++)
        ids[i] = i + 1;
    const int sizes[][2] = {{1, 8}, {8, 8}, {9, 32}, {200, 512}, {513, 1024}, {1024, 1024}};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        struct query q;
        query_init(&q, x->a, "SELECT COUNT(*) FROM t WHERE id");
        query_add_ids(&q, ids, sizes[k][0]);
        assert_int_equal(q.n, sizes[k][1]);
        assert_int_equal(q.p[q.n - 1].i, sizes[k][0]); /* padded with the last id */
        struct db_stmt *st = query_prepare(x->db, &q);
        assert_non_null(st);
        assert_int_equal(db_step(st), DB_ROW);
        assert_int_equal(db_col_int(st, 0), sizes[k][0] < N_NAMES ? sizes[k][0] : N_NAMES);
        db_done(st);
    }
    struct query q;
    query_init(&q, x->a, "SELECT 1 WHERE 1");
    query_add_ids(&q, ids, 0); /* no ids is a caller's bug: the statement fails */
    assert_int_equal(q.overflow, 1);
    assert_null(query_prepare(x->db, &q));
}

static void test_overflow_makes_prepare_fail(void **state) {
    struct fixture *x = *state;
    struct query q;
    query_init(&q, x->a, "SELECT 0");
    for (int i = 1; i <= QUERY_MAX_PARAMS + 1; i++)
        query_add(&q, " + ?", "i", (int64_t)i);
    assert_int_equal(q.overflow, 1);
    assert_int_equal(q.n, QUERY_MAX_PARAMS); /* nothing written past the array */
    assert_null(query_prepare(x->db, &q));

    /* Overflow within one call with several types. */
    query_init(&q, x->a, "SELECT 0");
    for (int i = 0; i < QUERY_MAX_PARAMS - 1; i++)
        query_add(&q, " + ?", "i", (int64_t)1);
    query_add(&q, " + ? + ? + length(?)", "iis", (int64_t)1, (int64_t)1, "x");
    assert_int_equal(q.overflow, 1);
    assert_int_equal(q.n, QUERY_MAX_PARAMS);
    assert_null(query_prepare(x->db, &q));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        T(test_parameters_bound_in_order),
        T(test_values_are_not_sql),
        T(test_id_lists),
        T(test_like_matches_literally),
        T(test_like_escape_text),
        T(test_max_parameters_work),
        T(test_overflow_makes_prepare_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
