/* db_blob_test.c — the store's blob reader on SQLite: a value read in pieces is the value; a row
 * that goes away (or is replaced) between two reads fails the read, never serves other bytes;
 * nothing stays open between reads (a writer on another connection commits in between). And
 * db_rows_json stops once the request's memory budget is spent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/app.h"
#include "base/arena.h"
#include "store/db.h"

#define SIZE (3 * 1024 * 1024 + 123) /* several overflow pages and an odd tail */

struct fixture {
    char path[64];
    struct db *db, *writer; /* two connections to one file */
    unsigned char *value;
};

static int setup(void **state) {
    struct fixture *x = calloc(1, sizeof(*x));
    snprintf(x->path, sizeof x->path, "/tmp/fazhi-blob-test-%d.db", (int)getpid());
    unlink(x->path);
    char err[200];
    if (db_open(x->path, &x->db, err, sizeof err) != DB_OK) return -1;
    if (db_open(x->path, &x->writer, err, sizeof err) != DB_OK) return -1;
    if (db_exec(x->db, "CREATE TABLE b (k TEXT PRIMARY KEY, v BLOB)", "") != DB_OK) return -1;
    x->value = malloc(SIZE);
    for (size_t i = 0; i < SIZE; i++)
        x->value[i] = (unsigned char)(i * 2654435761u >> 13);
    struct db_stmt *st = db_prepare(x->db, "INSERT INTO b (k, v) VALUES (?, ?)");
    db_bind_text(st, 1, "one");
    db_bind_blob(st, 2, x->value, SIZE);
    int rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return -1;
    *state = x;
    return 0;
}

static int teardown(void **state) {
    struct fixture *x = *state;
    db_close(x->db);
    db_close(x->writer);
    char p[80];
    unlink(x->path);
    snprintf(p, sizeof p, "%s-wal", x->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", x->path);
    unlink(p);
    free(x->value);
    free(x);
    return 0;
}

static void test_pieces_make_the_value(void **state) {
    struct fixture *x = *state;
    struct db_blob b;
    assert_int_equal(db_blob_open(x->db, &b, "b", "v", "k", "one"), DB_ROW);
    assert_int_equal(b.size, SIZE);
    assert_true(b.piece >= 1 << 20 && b.piece <= 8 << 20);
    unsigned char *got = malloc(SIZE), buf[100000];
    int64_t off = 0, n;
    while ((n = db_blob_read(x->db, &b, off, buf, sizeof buf)) > 0) {
        memcpy(got + off, buf, (size_t)n);
        off += n;
        /* a writer commits between two pieces: nothing of the reader is in its way */
        assert_int_equal(
            db_exec(x->writer, "INSERT OR REPLACE INTO b (k, v) VALUES ('w', ?)", "s", "x"), DB_OK);
    }
    assert_int_equal(n, 0);
    assert_int_equal(off, SIZE);
    assert_memory_equal(got, x->value, SIZE);
    assert_int_equal(db_blob_read(x->db, &b, SIZE + 5, buf, sizeof buf), 0); /* past the end */
    assert_true(db_blob_read(x->db, &b, -1, buf, sizeof buf) < 0);
    free(got);
}

static void test_missing_and_vanished_rows(void **state) {
    struct fixture *x = *state;
    struct db_blob b;
    assert_int_equal(db_blob_open(x->db, &b, "b", "v", "k", "none"), DB_DONE);
    assert_true(db_blob_open(x->db, &b, "b; DROP TABLE b", "v", "k", "one") < 0); /* identifiers */
    assert_int_equal(db_blob_open(x->db, &b, "b", "v", "k", "one"), DB_ROW);
    unsigned char buf[4096];
    assert_int_equal(db_blob_read(x->db, &b, 0, buf, sizeof buf), sizeof buf);
    /* The row goes, and another takes its rowid: the reader must not serve it. */
    assert_int_equal(db_exec(x->writer, "DELETE FROM b WHERE k = 'one'", ""), DB_OK);
    assert_true(db_blob_read(x->db, &b, 4096, buf, sizeof buf) < 0);
    struct db_stmt *st = db_prepare(x->writer, "INSERT INTO b (rowid, k, v) VALUES (1, 'two', ?)");
    db_bind_blob(st, 1, x->value, SIZE);
    assert_int_equal(db_step(st), DB_DONE);
    db_done(st);
    assert_true(db_blob_read(x->db, &b, 4096, buf, sizeof buf) < 0);
    /* Inside a caller's transaction the read joins it. */
    assert_int_equal(db_blob_open(x->db, &b, "b", "v", "k", "two"), DB_ROW);
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(db_blob_read(x->db, &b, 10, buf, 5), 5);
    assert_memory_equal(buf, x->value + 10, 5);
    assert_true(db_in_tx(x->db));
    db_rollback(x->db);
}

static void test_rows_json_stops_past_the_budget(void **state) {
    struct fixture *x = *state;
    for (int i = 0; i < 50; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%02d", i);
        assert_int_equal(db_exec(x->db, "INSERT INTO b (k, v) VALUES (?, 'x')", "s", key), DB_OK);
    }
    json_t *all = json_array();
    struct db_stmt *st = db_prepare(x->db, "SELECT k FROM b");
    assert_int_equal(db_rows_json(st, all), DB_OK); /* no current arena: every row */
    db_done(st);
    assert_int_equal(json_array_size(all), 51);
    json_decref(all);
    struct arena *a = arena_new(1024);
    arena_set_budget(a, 4096);
    arena_set_current(a);
    arena_alloc(a, 8192); /* the request is past its budget */
    json_t *some = json_array();
    st = db_prepare(x->db, "SELECT k FROM b");
    assert_int_equal(db_rows_json(st, some), DB_ERROR);
    db_done(st);
    assert_int_equal(json_array_size(some), 1); /* stopped after the first row */
    json_decref(some);
    arena_set_current(NULL);
    arena_free(a);
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pieces_make_the_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_and_vanished_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_json_stops_past_the_budget, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
