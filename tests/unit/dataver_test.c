/* dataver_test.c — data versions (store/dataver.h), the caches labelled with them
 * (store/cache.h) and planner statistics (db_optimize), on a migrated SQLite database. The
 * cross-process and cross-server behaviour is tested end to end in tests/api/session-cache,
 * stats-cache and multiserver. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pthread.h>

#include "app/app.h"
#include "base/arena.h"
#include "store/cache.h"
#include "store/dataver.h"
#include "store/db.h"

static char path[64];

static struct db *open_migrated(void) {
    struct db *db;
    char err[200];
    assert_int_equal(db_open(path, &db, err, sizeof err), DB_OK);
    int applied = 0;
    assert_int_equal(db_migrate(db, &applied), DB_OK);
    return db;
}

static int setup(void **state) {
    (void)state;
    snprintf(path, sizeof path, "/tmp/fazhi-dataver-%d.db", (int)getpid());
    unlink(path);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char p[80];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    return 0;
}

static int64_t version(struct db *db, const char *name) {
    const char *names[] = {name};
    int64_t v = -1;
    assert_int_equal(dv_read(db, names, 1, &v), DB_OK);
    return v;
}

static void test_triggers_bump_what_caches_depend_on(void **state) {
    (void)state;
    struct db *db = open_migrated();
    char now[] = "2026-12-01T00:00:00Z";
    assert_int_equal(db_exec(db,
                             "INSERT INTO units (code, name, kind, path, created_at, updated_at) "
                             "VALUES ('u1', '单位', 'other', '/1/', ?, ?)",
                             "ss", now, now),
                     DB_OK);
    assert_int_equal(db_exec(db,
                             "INSERT INTO roles (code, name, scope, created_at, updated_at) "
                             "VALUES ('r1', '角色', 'all', ?, ?)",
                             "ss", now, now),
                     DB_OK);
    assert_int_equal(db_exec(db,
                             "INSERT INTO users (username, display_name, unit_id, role_id, "
                             "password_hash, created_at, updated_at) VALUES ('a', 'A', 1, 1, "
                             "'x', ?, ?)",
                             "ss", now, now),
                     DB_OK);
    int64_t auth = version(db, "auth"), org = version(db, "org"), tasks = version(db, "tasks");
    /* a sign-in: a new session and last_login_at bump nothing */
    assert_int_equal(db_exec(db,
                             "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
                             "last_seen_at) VALUES ('h', 1, 'c', 100, 100)",
                             ""),
                     DB_OK);
    assert_int_equal(db_exec(db, "UPDATE users SET last_login_at = ? WHERE id = 1", "s", now),
                     DB_OK);
    assert_int_equal(db_exec(db, "UPDATE sessions SET last_seen_at = 200", ""), DB_OK);
    assert_int_equal(version(db, "auth"), auth);
    /* what a principal is made of */
    const char *changes[] = {
        "UPDATE sessions SET last_seen_at = 150",         /* moved back */
        "UPDATE users SET locked = 1",                    /* locked */
        "UPDATE users SET role_id = NULL",                /* role */
        "UPDATE users SET display_name = 'B'",            /* name */
        "UPDATE roles SET scope = 'own'",                 /* scope */
        "INSERT INTO role_permissions VALUES (1, 'x.y')", /* a permission granted */
        "DELETE FROM role_permissions WHERE role_id = 1", /* … and revoked */
        "UPDATE units SET name = '新名'",                 /* the unit */
        "UPDATE sessions SET created_at = 50",            /* made older */
        "DELETE FROM sessions",                           /* ended */
    };
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        assert_int_equal(db_exec(db, changes[i], ""), DB_OK);
        int64_t v = version(db, "auth");
        if (v <= auth) fail_msg("%s did not bump auth", changes[i]);
        auth = v;
    }
    assert_true(version(db, "org") > org);
    assert_int_equal(version(db, "tasks"), tasks);
    db_close(db);
}

static void test_cache_labels_and_single_flight(void **state) {
    (void)state;
    struct db *db = open_migrated();
    const char *deps[] = {"org", NULL};
    struct cache *c = cache_new("test", 8, deps);
    struct arena *a = arena_new(4096);
    struct cache_ticket t;
    void *val;
    size_t len;
    assert_int_equal(cache_get(c, db, "k", 1, a, &val, &len, &t), CACHE_MISS);
    cache_put(&t, "one", 3);
    assert_int_equal(cache_get(c, db, "k", 1, a, &val, &len, &t), CACHE_HIT);
    assert_int_equal(len, 3);
    assert_string_equal(val, "one");
    cache_update(&t, "uno", 3);
    assert_int_equal(cache_get(c, db, "k", 1, a, &val, &len, &t), CACHE_HIT);
    assert_string_equal(val, "uno");
    /* another key */
    assert_int_equal(cache_get(c, db, "j", 1, a, &val, &len, &t), CACHE_MISS);
    cache_cancel(&t);
    assert_int_equal(cache_get(c, db, "j", 1, a, &val, &len, &t), CACHE_MISS);
    cache_cancel(&t);
    /* a write to a table of "org": the label is old */
    assert_int_equal(db_exec(db, "UPDATE units SET sort_order = sort_order + 1", ""), DB_OK);
    assert_int_equal(cache_get(c, db, "k", 1, a, &val, &len, &t), CACHE_MISS);
    cache_put(&t, "two", 3);
    assert_int_equal(cache_get(c, db, "k", 1, a, &val, &len, &t), CACHE_HIT);
    assert_string_equal(val, "two");
    /* dropped */
    cache_drop(c, "k", 1);
    assert_int_equal(cache_get(c, db, "k", 1, a, &val, &len, &t), CACHE_MISS);
    cache_cancel(&t);
    /* more keys than entries: still right, older ones out */
    for (int i = 0; i < 40; i++) {
        char k[16];
        snprintf(k, sizeof k, "n%d", i);
        if (cache_get(c, db, k, strlen(k), a, &val, &len, &t) == CACHE_MISS)
            cache_put(&t, k, strlen(k));
    }
    int hits = 0; /* newest first: a miss makes room by evicting the least recently used */
    for (int i = 39; i >= 0; i--) {
        char k[16];
        snprintf(k, sizeof k, "n%d", i);
        if (cache_get(c, db, k, strlen(k), a, &val, &len, &t) == CACHE_HIT) {
            assert_string_equal(val, k);
            hits++;
        } else {
            cache_cancel(&t);
        }
    }
    assert_true(hits > 0 && hits <= 8);
    arena_free(a); /* drops the references the hits held */
    cache_free(c);
    db_close(db);
}

struct waiter {
    struct cache *c;
    int rc;
    char got[8];
};

static void *wait_for_value(void *p) {
    struct waiter *w = p;
    struct db *db;
    char err[200];
    if (db_open(path, &db, err, sizeof err) != DB_OK) return NULL;
    struct arena *a = arena_new(4096);
    struct cache_ticket t;
    void *val;
    size_t len;
    w->rc = cache_get(w->c, db, "s", 1, a, &val, &len, &t);
    if (w->rc == CACHE_HIT)
        snprintf(w->got, sizeof w->got, "%s", (char *)val);
    else
        cache_cancel(&t);
    arena_free(a);
    db_close(db);
    return NULL;
}

static void test_many_misses_share_one_computation(void **state) {
    (void)state;
    struct db *db = open_migrated();
    const char *deps[] = {"tasks", NULL};
    struct cache *c = cache_new("flight", 8, deps);
    struct arena *a = arena_new(4096);
    struct cache_ticket t;
    void *val;
    size_t len;
    assert_int_equal(cache_get(c, db, "s", 1, a, &val, &len, &t), CACHE_MISS); /* computing */
    pthread_t th[4];
    struct waiter w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct waiter){c, -1, ""};
        pthread_create(&th[i], NULL, wait_for_value, &w[i]);
    }
    usleep(1000 * 1000); /* they wait for this computation (a loaded machine starts them slowly) */
    cache_put(&t, "v", 1);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].rc, CACHE_HIT);
        assert_string_equal(w[i].got, "v");
    }
    struct cache_stats s;
    cache_stats_get(c, &s);
    assert_int_equal(s.misses, 1);
    assert_int_equal(s.hits, 4);
    assert_int_equal(s.waits, 4);
    arena_free(a);
    cache_free(c);
    db_close(db);
}

struct next_one {
    struct cache *c;
    int rc;
    volatile int returned;
};

static void *miss_after_change(void *p) {
    struct next_one *w = p;
    struct db *db;
    char err[200];
    if (db_open(path, &db, err, sizeof err) != DB_OK) return NULL;
    struct arena *a = arena_new(4096);
    struct cache_ticket t;
    void *val;
    size_t len;
    w->rc = cache_get(w->c, db, "s", 1, a, &val, &len, &t);
    w->returned = 1;
    if (w->rc == CACHE_MISS) cache_put(&t, "new", 3);
    arena_free(a);
    db_close(db);
    return NULL;
}

/* Data changed while a value was computed: a request that knows of the change waits for that
 * computation (no second one at the same time), then computes the next one itself. */
static void test_one_computation_at_a_time(void **state) {
    (void)state;
    struct db *db = open_migrated();
    const char *deps[] = {"org", NULL};
    struct cache *c = cache_new("serial", 8, deps);
    struct arena *a = arena_new(4096);
    struct cache_ticket t;
    void *val;
    size_t len;
    assert_int_equal(cache_get(c, db, "s", 1, a, &val, &len, &t), CACHE_MISS);
    assert_int_equal(db_exec(db, "UPDATE units SET sort_order = sort_order + 1", ""), DB_OK);
    struct next_one w = {c, -1, 0};
    pthread_t th;
    pthread_create(&th, NULL, miss_after_change, &w);
    usleep(100 * 1000);
    assert_false(w.returned); /* waiting for the computation in flight */
    cache_put(&t, "old", 3);
    pthread_join(th, NULL);
    assert_int_equal(w.rc, CACHE_MISS); /* the old value did not see the change: it computed */
    assert_int_equal(cache_get(c, db, "s", 1, a, &val, &len, &t), CACHE_HIT);
    assert_string_equal(val, "new");
    arena_free(a);
    cache_free(c);
    db_close(db);
}

static void test_statistics(void **state) {
    (void)state;
    struct db *db = open_migrated();
    int64_t n = -1;
    assert_int_equal(db_optimize(db, DB_OPTIMIZE_START), DB_OK);
    assert_int_equal(
        db_query_int(db, &n, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'", ""),
        DB_ROW);
    assert_int_equal(n, 1);
    assert_int_equal(db_optimize(db, DB_OPTIMIZE_START), DB_OK); /* analyzed: PRAGMA optimize */
    assert_int_equal(db_optimize(db, DB_OPTIMIZE_DAILY), DB_OK);
    assert_int_equal(db_optimize(db, DB_OPTIMIZE_FULL), DB_OK);
    db_close(db);
}

int main(void) {
    if (modules_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_triggers_bump_what_caches_depend_on),
        cmocka_unit_test(test_cache_labels_and_single_flight),
        cmocka_unit_test(test_many_misses_share_one_computation),
        cmocka_unit_test(test_one_computation_at_a_time),
        cmocka_unit_test(test_statistics),
    };
    return cmocka_run_group_tests_name("dataver", tests, setup, teardown);
}
