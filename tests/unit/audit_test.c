/* audit_test.c — the append-only, hash-chained audit log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "app/app.h"
#include "audit/audit.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "store/db.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static const struct audit_actor alice = {.user_id = 7,
                                         .username = "alice",
                                         .role = "office",
                                         .unit_id = 2,
                                         .ip = "10.0.0.1",
                                         .request_id = "req-1"};
static const struct audit_actor nobody = {.username = "ghost"}; /* unknown user, NULLs */

static int setup(void **state) {
    struct db *db = NULL;
    char err[200];
    int applied;
    if (db_open("sqlite::memory:", &db, err, sizeof err) != DB_OK) return -1;
    if (db_migrate(db, &applied) != DB_OK) return -1;
    *state = db;
    return 0;
}

static int teardown(void **state) {
    db_close(*state);
    return 0;
}

static int64_t count(struct db *db) {
    int64_t n = -1;
    assert_int_equal(db_query_int(db, &n, "SELECT COUNT(*) FROM audit_log", ""), DB_ROW);
    return n;
}

/* Three records in one transaction, the second by an unknown actor. */
static void append_three(struct db *db) {
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(audit_append(db, &alice, "unit.create", "unit", "1", "ok", "{\"a\":1}"), 0);
    assert_int_equal(audit_append(db, &nobody, "auth.login", "user", NULL, "denied", NULL), 0);
    assert_int_equal(audit_append(db, &alice, "unit.update", "unit", "1", "ok", "{\"a\":2}"), 0);
    assert_int_equal(db_commit(db), DB_OK);
}

static struct audit_verify_result verify(struct db *db) {
    struct audit_verify_result v;
    assert_int_equal(audit_verify(db, &v), DB_OK);
    return v;
}

static void test_append_refused_outside_transaction(void **state) {
    struct db *db = *state;
    assert_true(audit_append(db, &alice, "unit.create", "unit", "1", "ok", "") < 0);
    assert_int_equal(count(db), 0);
    struct audit_verify_result v = verify(db);
    assert_int_equal(v.ok, 1);
    assert_int_equal(v.records, 0);
}

static void test_rolled_back_append_leaves_nothing(void **state) {
    struct db *db = *state;
    assert_int_equal(db_begin(db), DB_OK);
    assert_int_equal(audit_append(db, &alice, "unit.create", "unit", "1", "ok", ""), 0);
    db_rollback(db);
    assert_int_equal(count(db), 0);
    int64_t head = -1;
    db_query_int(db, &head, "SELECT seq FROM audit_head WHERE id = 1", "");
    assert_int_equal(head, 0);
    /* The next append starts the chain at 1 again. */
    append_three(db);
    assert_int_equal(verify(db).ok, 1);
    int64_t first = 0;
    db_query_int(db, &first, "SELECT MIN(seq) FROM audit_log", "");
    assert_int_equal(first, 1);
}

static void test_records_chain(void **state) {
    struct db *db = *state;
    append_three(db);
    struct db_stmt *st = db_prepare(
        db, "SELECT seq, ts, actor_id, actor, role, unit_id, ip, request_id, action, object_type, "
            "object_id, result, detail, hash_alg, prev_hash, hash FROM audit_log ORDER BY seq");
    assert_non_null(st);
    char prev[65] = ZERO_HASH;
    int64_t n = 0;
    while (db_step(st) == DB_ROW) {
        n++;
        assert_int_equal(db_col_int(st, 0), n);
        assert_string_equal(db_col_text(st, 13), AUDIT_HASH_ALG);
        assert_string_equal(db_col_text(st, 14), prev); /* prev_hash of n+1 == hash of n */
        char h[65];
        audit_hash(prev, n, db_col_text(st, 1), db_col_int(st, 2), db_col_text(st, 3),
                   db_col_text(st, 4), db_col_int(st, 5), db_col_text(st, 6), db_col_text(st, 7),
                   db_col_text(st, 8), db_col_text(st, 9), db_col_text(st, 10), db_col_text(st, 11),
                   db_col_text(st, 12), h);
        assert_string_equal(db_col_text(st, 15), h);
        assert_string_not_equal(h, prev);
        memcpy(prev, h, sizeof prev);
    }
    db_done(st);
    assert_int_equal(n, 3);

    /* The head holds the last seq and hash. */
    st = db_prepare(db, "SELECT seq, hash FROM audit_head WHERE id = 1");
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 3);
    assert_string_equal(db_col_text(st, 1), prev);
    db_done(st);

    /* The unknown actor's record stores NULL ids and empty texts. */
    st = db_prepare(db, "SELECT actor_id IS NULL, unit_id IS NULL, object_id, detail, actor, ip "
                        "FROM audit_log WHERE seq = 2");
    assert_int_equal(db_step(st), DB_ROW);
    assert_int_equal(db_col_int(st, 0), 1);
    assert_int_equal(db_col_int(st, 1), 1);
    assert_string_equal(db_col_text(st, 2), "");
    assert_string_equal(db_col_text(st, 3), "");
    assert_string_equal(db_col_text(st, 4), "ghost");
    assert_string_equal(db_col_text(st, 5), "");
    db_done(st);
}

static void test_verify_intact(void **state) {
    struct db *db = *state;
    append_three(db);
    assert_int_equal(db_begin(db), DB_OK); /* a second transaction continues the chain */
    assert_int_equal(audit_append(db, &alice, "unit.delete", "unit", "1", "ok", ""), 0);
    assert_int_equal(db_commit(db), DB_OK);
    struct audit_verify_result v = verify(db);
    assert_int_equal(v.ok, 1);
    assert_int_equal(v.records, 4);
    assert_int_equal(v.first_bad_seq, 0);
    assert_string_equal(v.message, "intact");
}

static void test_edited_detail_is_detected(void **state) {
    struct db *db = *state;
    append_three(db);
    assert_int_equal(db_exec(db, "DROP TRIGGER audit_log_no_update", ""), DB_OK);
    assert_int_equal(db_exec(db, "UPDATE audit_log SET detail = '{\"a\":9}' WHERE seq = 2", ""),
                     DB_OK);
    struct audit_verify_result v = verify(db);
    assert_int_equal(v.ok, 0);
    assert_int_equal(v.first_bad_seq, 2);
    assert_true(strlen(v.message) > 0);
    assert_string_not_equal(v.message, "intact");
}

static void test_edited_first_record_is_detected(void **state) {
    struct db *db = *state;
    append_three(db);
    assert_int_equal(db_exec(db, "DROP TRIGGER audit_log_no_update", ""), DB_OK);
    assert_int_equal(db_exec(db, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1", ""),
                     DB_OK);
    struct audit_verify_result v = verify(db);
    assert_int_equal(v.ok, 0);
    assert_int_equal(v.first_bad_seq, 1);
}

/* A record rewritten together with its own hash breaks the link to the next record. */
static void test_rehashed_record_breaks_next_link(void **state) {
    struct db *db = *state;
    append_three(db);
    assert_int_equal(db_exec(db, "DROP TRIGGER audit_log_no_update", ""), DB_OK);
    struct db_stmt *st =
        db_prepare(db, "SELECT prev_hash, ts, object_id FROM audit_log WHERE seq = 2");
    assert_int_equal(db_step(st), DB_ROW);
    char prev[65], ts[21], h[65];
    snprintf(prev, sizeof prev, "%s", db_col_text(st, 0));
    snprintf(ts, sizeof ts, "%s", db_col_text(st, 1));
    db_done(st);
    audit_hash(prev, 2, ts, 0, "ghost", "", 0, "", "", "auth.login", "user", "", "ok", "", h);
    assert_int_equal(
        db_exec(db, "UPDATE audit_log SET result = 'ok', hash = ? WHERE seq = 2", "s", h), DB_OK);
    struct audit_verify_result v = verify(db);
    assert_int_equal(v.ok, 0);
    assert_int_equal(v.first_bad_seq, 3);
}

static void test_deleted_last_record_detected_via_head(void **state) {
    struct db *db = *state;
    append_three(db);
    assert_int_equal(db_exec(db, "DROP TRIGGER audit_log_no_delete", ""), DB_OK);
    assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE seq = 3", ""), DB_OK);
    struct audit_verify_result v = verify(db);
    assert_int_equal(v.ok, 0);
    assert_int_equal(v.records, 2);
    assert_int_equal(v.first_bad_seq, 3);
}

/* Cut from the end together with the head row: without a head nothing shows the cut, so a
 * missing head is itself a failure (and says so), also on an empty log. */
static void test_missing_head_is_not_intact(void **state) {
    struct db *db = *state;
    assert_int_equal(db_exec(db, "DELETE FROM audit_head", ""), DB_OK);
    struct audit_verify_result v = verify(db);
    assert_int_equal(v.ok, 0);
    assert_non_null(strstr(v.message, "head row is missing"));
    struct audit_head h;
    assert_int_equal(audit_head_read(db, &h), DB_DONE);
    assert_int_equal(db_begin(db), DB_OK);
    assert_true(audit_append(db, &alice, "unit.create", "unit", "1", "ok", "") < 0);
    db_rollback(db);
}

static void test_missing_head_after_records(void **state) {
    struct db *db = *state;
    append_three(db);
    struct audit_head h;
    assert_int_equal(audit_head_read(db, &h), DB_ROW);
    assert_int_equal(h.seq, 3);
    assert_int_equal(strlen(h.hash), 64);
    assert_int_equal(db_exec(db, "DROP TRIGGER audit_log_no_delete", ""), DB_OK);
    assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE seq = 3", ""), DB_OK);
    assert_int_equal(db_exec(db, "DELETE FROM audit_head", ""), DB_OK);
    struct audit_verify_result v = verify(db);
    assert_int_equal(v.ok, 0);
    assert_int_equal(v.records, 2);
    assert_int_equal(v.first_bad_seq, 3);
    assert_non_null(strstr(v.message, "head"));
}

static void test_deleted_middle_record_detected(void **state) {
    struct db *db = *state;
    append_three(db);
    assert_int_equal(db_exec(db, "DROP TRIGGER audit_log_no_delete", ""), DB_OK);
    assert_int_equal(db_exec(db, "DELETE FROM audit_log WHERE seq = 2", ""), DB_OK);
    struct audit_verify_result v = verify(db);
    assert_int_equal(v.ok, 0);
    assert_int_equal(v.first_bad_seq, 2);
}

static void test_database_refuses_update_and_delete(void **state) {
    struct db *db = *state;
    append_three(db);
    assert_true(db_exec(db, "UPDATE audit_log SET detail = 'x' WHERE seq = 2", "") < 0);
    assert_true(db_exec(db, "UPDATE audit_log SET seq = seq + 10", "") < 0);
    assert_true(db_exec(db, "DELETE FROM audit_log WHERE seq = 3", "") < 0);
    assert_true(db_exec(db, "DELETE FROM audit_log", "") < 0);
    /* Also inside a transaction. */
    assert_int_equal(db_begin(db), DB_OK);
    assert_true(db_exec(db, "DELETE FROM audit_log WHERE seq = 1", "") < 0);
    db_rollback(db);
    assert_int_equal(count(db), 3);
    struct audit_verify_result v = verify(db);
    assert_int_equal(v.ok, 1);
    assert_int_equal(v.records, 3);
}

/* ---- audit_hash ---- */

struct fields {
    const char *prev, *ts, *actor, *role, *ip, *rid, *action, *otype, *oid, *result, *detail;
    int64_t seq, actor_id, unit_id;
};

static void hash_of(const struct fields *f, char out[65]) {
    audit_hash(f->prev, f->seq, f->ts, f->actor_id, f->actor, f->role, f->unit_id, f->ip, f->rid,
               f->action, f->otype, f->oid, f->result, f->detail, out);
}

static const struct fields base = {ZERO_HASH,
                                   "2026-11-26T08:00:00Z",
                                   "alice",
                                   "office",
                                   "10.0.0.1",
                                   "req-1",
                                   "unit.create",
                                   "unit",
                                   "12",
                                   "ok",
                                   "{\"a\":1}",
                                   1,
                                   7,
                                   2};

static void test_hash_deterministic(void **state) {
    (void)state;
    char a[65], b[65];
    hash_of(&base, a);
    hash_of(&base, b);
    assert_string_equal(a, b);
    assert_int_equal(strlen(a), 64);
    assert_int_equal(strspn(a, "0123456789abcdef"), 64);
}

static void test_hash_changes_with_every_field(void **state) {
    (void)state;
    char h0[65], h[65];
    hash_of(&base, h0);
    for (int i = 0; i < 14; i++) {
        struct fields f = base;
        switch (i) {
        case 0:
            f.prev = "1000000000000000000000000000000000000000000000000000000000000000";
            break;
        case 1:
            f.seq = 2;
            break;
        case 2:
            f.ts = "2026-11-26T08:00:01Z";
            break;
        case 3:
            f.actor_id = 8;
            break;
        case 4:
            f.actor = "alicf";
            break;
        case 5:
            f.role = "leader";
            break;
        case 6:
            f.unit_id = 3;
            break;
        case 7:
            f.ip = "10.0.0.2";
            break;
        case 8:
            f.rid = "req-2";
            break;
        case 9:
            f.action = "unit.update";
            break;
        case 10:
            f.otype = "person";
            break;
        case 11:
            f.oid = "13";
            break;
        case 12:
            f.result = "denied";
            break;
        case 13:
            f.detail = "{\"a\":2}";
            break;
        }
        hash_of(&f, h);
        if (strcmp(h, h0) == 0) fail_msg("changing field %d leaves the hash unchanged", i);
    }
}

/* Length prefixes keep field boundaries: moving text between fields changes the hash. */
static void test_hash_field_boundaries(void **state) {
    (void)state;
    char h0[65], h[65];
    struct fields f = base;
    f.actor = "ab";
    f.role = "c";
    hash_of(&f, h0);
    f.actor = "a";
    f.role = "bc";
    hash_of(&f, h);
    assert_string_not_equal(h, h0);
    f = base;
    f.oid = "1";
    f.result = "2ok";
    hash_of(&f, h0);
    f.oid = "12";
    f.result = "ok";
    hash_of(&f, h);
    assert_string_not_equal(h, h0);
}

static void put(struct buf *b, const char *s) {
    buf_printf(b, "%zu:%s", strlen(s), s);
}

/* The documented canonical form, so that an exported log can be checked by other tools:
 * SHA-256 over "fazhi-audit-v1" and each field as <decimal length>:<bytes>, in a fixed order. */
static void test_hash_canonical_form(void **state) {
    (void)state;
    struct arena *a = arena_new(0);
    struct buf b;
    buf_init(&b, a, 0);
    const struct fields *f = &base;
    put(&b, "fazhi-audit-v1");
    put(&b, f->prev);
    put(&b, "1");
    put(&b, f->ts);
    put(&b, "7");
    put(&b, f->actor);
    put(&b, f->role);
    put(&b, "2");
    put(&b, f->ip);
    put(&b, f->rid);
    put(&b, f->action);
    put(&b, f->otype);
    put(&b, f->oid);
    put(&b, f->result);
    put(&b, f->detail);
    char want[65], got[65];
    sha256_hex(b.data, b.len, want);
    hash_of(f, got);
    assert_string_equal(got, want);
    arena_free(a);
}

/* Records appended while the log is being verified (the daily jobs, other users) never make an
 * intact log look cut: the head is read before the records. */
struct appender {
    const char *path;
    atomic_int stop;
    int appended;
};

static void *append_loop(void *arg) {
    struct appender *ap = arg;
    struct db *db = NULL;
    char err[200];
    if (db_open(ap->path, &db, err, sizeof err) != DB_OK) return NULL;
    while (!atomic_load(&ap->stop)) {
        if (db_begin(db) != DB_OK) continue;
        if (audit_append(db, &alice, "unit.update", "unit", "1", "ok", NULL) == DB_OK &&
            db_commit(db) == DB_OK)
            ap->appended++;
        else
            db_rollback(db);
    }
    db_close(db);
    return NULL;
}

static void test_verify_while_appending(void **state) {
    (void)state;
    char path[] = "/tmp/fazhi-audit-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char url[64];
    snprintf(url, sizeof url, "sqlite:%s", path);
    struct db *db = NULL;
    char err[200];
    int applied;
    assert_int_equal(db_open(url, &db, err, sizeof err), DB_OK);
    assert_int_equal(db_migrate(db, &applied), DB_OK);
    for (int i = 0; i < 50; i++)
        append_three(db);
    struct appender ap = {.path = url};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, append_loop, &ap), 0);
    int intact = 0;
    for (int i = 0; i < 200; i++) {
        struct audit_verify_result v = verify(db);
        if (!v.ok) fprintf(stderr, "verify %d: %s\n", i, v.message);
        intact += v.ok;
    }
    atomic_store(&ap.stop, 1);
    pthread_join(t, NULL);
    assert_true(ap.appended > 0);
    assert_int_equal(intact, 200);
    db_close(db);
    unlink(path);
    char side[80];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    if (crypto_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        T(test_append_refused_outside_transaction),
        T(test_rolled_back_append_leaves_nothing),
        T(test_records_chain),
        T(test_verify_intact),
        T(test_edited_detail_is_detected),
        T(test_edited_first_record_is_detected),
        T(test_rehashed_record_breaks_next_link),
        T(test_deleted_last_record_detected_via_head),
        T(test_deleted_middle_record_detected),
        T(test_missing_head_is_not_intact),
        T(test_missing_head_after_records),
        T(test_database_refuses_update_and_delete),
        cmocka_unit_test(test_verify_while_appending),
        cmocka_unit_test(test_hash_deterministic),
        cmocka_unit_test(test_hash_changes_with_every_field),
        cmocka_unit_test(test_hash_field_boundaries),
        cmocka_unit_test(test_hash_canonical_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
