/* scope_test.c — the unit tree (paths, moves, descendants) and data scope filtering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/crypto.h"
#include "features/org/org.h"
#include "store/db.h"
#include "store/query.h"

/* The tree built for every test:
 *
 *   committee              (root)
 *   ├── office
 *   │   └── office_sub
 *   └── dept
 *       └── dept_sub
 *   other                  (second root)
 *   f7 … f10               (filler roots, so that ids reach two digits: /1/ must not see /10/)
 */
enum { COMMITTEE, OFFICE, DEPT, OFFICE_SUB, DEPT_SUB, OTHER, F7, F8, F9, F10, N_UNITS };

struct fixture {
    struct db *db;
    struct arena *a;
    int64_t id[N_UNITS];
};

static const struct audit_actor actor = {
    .user_id = 0, .username = "test", .role = "sysadmin", .ip = "127.0.0.1", .request_id = "t"};

static int setup(void **state) {
    struct fixture *x = calloc(1, sizeof(*x));
    char err[200];
    int applied;
    if (db_open("sqlite::memory:", &x->db, err, sizeof err) != DB_OK) return -1;
    if (db_migrate(x->db, &applied) != DB_OK) return -1;
    x->a = arena_new(0);
    static const struct {
        const char *code, *name, *kind;
        int parent; /* index into id[], or -1 for a root */
    } units[N_UNITS] = {
        {"committee", "区委全面依法治区委员会", "committee", -1},
        {"office", "区委依法治区办", "office", COMMITTEE},
        {"dept", "区司法局", "department", COMMITTEE},
        {"office_sub", "督察科", "office", OFFICE},
        {"dept_sub", "法治宣传科", "department", DEPT},
        {"other", "区法院", "court", -1},
        {"f7", "f7", "other", -1},
        {"f8", "f8", "other", -1},
        {"f9", "f9", "other", -1},
        {"f10", "f10", "other", -1},
    };
    if (db_begin(x->db) != DB_OK) return -1;
    for (int i = 0; i < N_UNITS; i++) {
        int64_t parent = units[i].parent < 0 ? 0 : x->id[units[i].parent];
        if (unit_create(x->db, &actor, units[i].code, units[i].name, "", units[i].kind, parent, i,
                        &x->id[i]) != DB_OK)
            return -1;
    }
    if (db_commit(x->db) != DB_OK) return -1;
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

static const char *path_of(struct fixture *x, int64_t id) {
    struct db_stmt *st = db_queryv(x->db, "SELECT path FROM units WHERE id = ?", "i", id);
    assert_non_null(st);
    assert_int_equal(db_step(st), DB_ROW);
    const char *p = arena_strdup(x->a, db_col_text(st, 0));
    db_done(st);
    return p;
}

static int64_t parent_of(struct fixture *x, int64_t id) {
    int64_t p = -1;
    assert_int_equal(
        db_query_int(x->db, &p, "SELECT COALESCE(parent_id, 0) FROM units WHERE id = ?", "i", id),
        DB_ROW);
    return p;
}

static const char *path2(struct fixture *x, int a) {
    return arena_printf(x->a, "/%lld/", (long long)x->id[a]);
}
static const char *path3(struct fixture *x, int a, int b) {
    return arena_printf(x->a, "/%lld/%lld/", (long long)x->id[a], (long long)x->id[b]);
}
static const char *path4(struct fixture *x, int a, int b, int c) {
    return arena_printf(x->a, "/%lld/%lld/%lld/", (long long)x->id[a], (long long)x->id[b],
                        (long long)x->id[c]);
}

static void test_unit_paths(void **state) {
    struct fixture *x = *state;
    assert_string_equal(path_of(x, x->id[COMMITTEE]), path2(x, COMMITTEE));
    assert_string_equal(path_of(x, x->id[OFFICE]), path3(x, COMMITTEE, OFFICE));
    assert_string_equal(path_of(x, x->id[DEPT]), path3(x, COMMITTEE, DEPT));
    assert_string_equal(path_of(x, x->id[OFFICE_SUB]), path4(x, COMMITTEE, OFFICE, OFFICE_SUB));
    assert_string_equal(path_of(x, x->id[DEPT_SUB]), path4(x, COMMITTEE, DEPT, DEPT_SUB));
    assert_string_equal(path_of(x, x->id[OTHER]), path2(x, OTHER));
    assert_int_equal(parent_of(x, x->id[OFFICE_SUB]), x->id[OFFICE]);
    assert_int_equal(parent_of(x, x->id[COMMITTEE]), 0);
    assert_int_equal(unit_id_by_code(x->db, "dept_sub"), x->id[DEPT_SUB]);
    assert_int_equal(unit_id_by_code(x->db, "nope"), 0);
    /* The prefix trap below needs two-digit ids. */
    assert_true(x->id[F10] >= 10);
}

static void test_unit_create_is_audited(void **state) {
    struct fixture *x = *state;
    int64_t n = 0;
    assert_int_equal(db_query_int(x->db, &n,
                                  "SELECT COUNT(*) FROM audit_log WHERE action = 'unit.create' "
                                  "AND object_type = 'unit'",
                                  ""),
                     DB_ROW);
    assert_int_equal(n, N_UNITS);
    struct audit_verify_result v;
    assert_int_equal(audit_verify(x->db, &v), DB_OK);
    assert_int_equal(v.ok, 1);
    assert_int_equal(v.records, N_UNITS);
}

static void test_unit_create_errors(void **state) {
    struct fixture *x = *state;
    int64_t id = 0, before = 0, after = 0;
    db_query_int(x->db, &before, "SELECT COUNT(*) FROM units", "");
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(unit_create(x->db, &actor, "office", "重复", "", "office", 0, 0, &id),
                     DB_CONSTRAINT);
    db_rollback(x->db);
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_true(unit_create(x->db, &actor, "orphan", "无上级", "", "office", 9999, 0, &id) < 0);
    db_rollback(x->db);
    db_query_int(x->db, &after, "SELECT COUNT(*) FROM units", "");
    assert_int_equal(after, before);
}

/* Run SELECT id FROM units u WHERE 1=1 <scope filter> ORDER BY id; ids into out. */
static int scoped_ids(struct fixture *x, const struct principal *p, int64_t *out, int max) {
    struct query q;
    query_init(&q, x->a, "SELECT id FROM units u WHERE 1=1");
    scope_filter(&q, p, "u.id");
    query_add(&q, " ORDER BY id", NULL);
    struct db_stmt *st = query_prepare(x->db, &q);
    assert_non_null(st);
    int n = 0;
    while (db_step(st) == DB_ROW) {
        assert_true(n < max);
        out[n++] = db_col_int(st, 0);
    }
    db_done(st);
    return n;
}

static struct principal principal_at(struct fixture *x, int unit, enum scope s) {
    struct principal p = {0};
    p.unit_id = x->id[unit];
    p.unit_path = path_of(x, x->id[unit]);
    p.scope = s;
    return p;
}

static void test_scope_own(void **state) {
    struct fixture *x = *state;
    struct principal p = principal_at(x, OFFICE, SCOPE_OWN);
    int64_t ids[N_UNITS + 1];
    assert_int_equal(scoped_ids(x, &p, ids, N_UNITS + 1), 1);
    assert_int_equal(ids[0], x->id[OFFICE]);
}

static void test_scope_subtree(void **state) {
    struct fixture *x = *state;
    int64_t ids[N_UNITS + 1];

    struct principal p = principal_at(x, OFFICE, SCOPE_SUBTREE);
    assert_int_equal(scoped_ids(x, &p, ids, N_UNITS + 1), 2);
    assert_int_equal(ids[0], x->id[OFFICE]);
    assert_int_equal(ids[1], x->id[OFFICE_SUB]);

    /* The root sees its five units and nothing of the other roots (/1/ is not a prefix of
     * /10/). */
    p = principal_at(x, COMMITTEE, SCOPE_SUBTREE);
    assert_int_equal(scoped_ids(x, &p, ids, N_UNITS + 1), 5);
    int64_t want[] = {x->id[COMMITTEE], x->id[OFFICE], x->id[DEPT], x->id[OFFICE_SUB],
                      x->id[DEPT_SUB]};
    for (int i = 0; i < 5; i++)
        assert_int_equal(ids[i], want[i]);

    p = principal_at(x, DEPT_SUB, SCOPE_SUBTREE);
    assert_int_equal(scoped_ids(x, &p, ids, N_UNITS + 1), 1);
    assert_int_equal(ids[0], x->id[DEPT_SUB]);
}

static void test_scope_all(void **state) {
    struct fixture *x = *state;
    struct principal p = principal_at(x, DEPT_SUB, SCOPE_ALL);
    int64_t ids[N_UNITS + 1];
    assert_int_equal(scoped_ids(x, &p, ids, N_UNITS + 1), N_UNITS);
}

/* The filter's parameter keeps its place among the query's other parameters. */
static void test_scope_filter_with_other_parameters(void **state) {
    struct fixture *x = *state;
    struct principal p = principal_at(x, COMMITTEE, SCOPE_SUBTREE);
    struct query q;
    query_init(&q, x->a, "SELECT id FROM units u WHERE 1=1");
    query_add(&q, " AND kind = ?", "s", "department");
    scope_filter(&q, &p, "u.id");
    query_add(&q, " AND sort_order >= ? ORDER BY id", "i", (int64_t)0);
    struct db_stmt *st = query_prepare(x->db, &q);
    assert_non_null(st);
    int64_t got[4];
    int n = 0;
    while (db_step(st) == DB_ROW && n < 4)
        got[n++] = db_col_int(st, 0);
    db_done(st);
    assert_int_equal(n, 2);
    assert_int_equal(got[0], x->id[DEPT]);
    assert_int_equal(got[1], x->id[DEPT_SUB]);
}

static void test_scope_allows_unit(void **state) {
    struct fixture *x = *state;
    struct principal own = principal_at(x, OFFICE, SCOPE_OWN);
    assert_true(scope_allows_unit(x->db, &own, x->id[OFFICE]));
    assert_false(scope_allows_unit(x->db, &own, x->id[OFFICE_SUB]));
    assert_false(scope_allows_unit(x->db, &own, x->id[COMMITTEE]));

    struct principal sub = principal_at(x, OFFICE, SCOPE_SUBTREE);
    assert_true(scope_allows_unit(x->db, &sub, x->id[OFFICE]));
    assert_true(scope_allows_unit(x->db, &sub, x->id[OFFICE_SUB]));
    assert_false(scope_allows_unit(x->db, &sub, x->id[COMMITTEE])); /* parent */
    assert_false(scope_allows_unit(x->db, &sub, x->id[DEPT]));      /* sibling */
    assert_false(scope_allows_unit(x->db, &sub, x->id[DEPT_SUB]));
    assert_false(scope_allows_unit(x->db, &sub, 99999)); /* no such unit */

    struct principal root = principal_at(x, COMMITTEE, SCOPE_SUBTREE);
    assert_true(scope_allows_unit(x->db, &root, x->id[DEPT_SUB]));
    assert_false(scope_allows_unit(x->db, &root, x->id[OTHER]));
    assert_false(scope_allows_unit(x->db, &root, x->id[F10]));

    struct principal all = principal_at(x, DEPT_SUB, SCOPE_ALL);
    assert_true(scope_allows_unit(x->db, &all, x->id[COMMITTEE]));
    assert_true(scope_allows_unit(x->db, &all, x->id[OTHER]));
}

static void test_unit_is_descendant(void **state) {
    struct fixture *x = *state;
    assert_true(unit_is_descendant(x->db, x->id[OFFICE], x->id[OFFICE]));
    assert_true(unit_is_descendant(x->db, x->id[OFFICE], x->id[OFFICE_SUB]));
    assert_true(unit_is_descendant(x->db, x->id[COMMITTEE], x->id[DEPT_SUB]));
    assert_false(unit_is_descendant(x->db, x->id[OFFICE_SUB], x->id[OFFICE]));
    assert_false(unit_is_descendant(x->db, x->id[OFFICE], x->id[DEPT_SUB]));
    assert_false(unit_is_descendant(x->db, x->id[COMMITTEE], x->id[F10]));
    assert_false(unit_is_descendant(x->db, x->id[COMMITTEE], x->id[OTHER]));
    assert_false(unit_is_descendant(x->db, 99999, x->id[OFFICE]));
}

static void test_unit_move_rewrites_subtree(void **state) {
    struct fixture *x = *state;
    /* office (with office_sub) moves under dept. */
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(unit_move(x->db, x->id[OFFICE], x->id[DEPT]), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    const char *dept = path3(x, COMMITTEE, DEPT);
    assert_string_equal(path_of(x, x->id[OFFICE]),
                        arena_printf(x->a, "%s%lld/", dept, (long long)x->id[OFFICE]));
    assert_string_equal(path_of(x, x->id[OFFICE_SUB]),
                        arena_printf(x->a, "%s%lld/%lld/", dept, (long long)x->id[OFFICE],
                                     (long long)x->id[OFFICE_SUB]));
    assert_int_equal(parent_of(x, x->id[OFFICE]), x->id[DEPT]);
    assert_int_equal(parent_of(x, x->id[OFFICE_SUB]), x->id[OFFICE]); /* unchanged */
    /* Units outside the moved subtree keep their paths. */
    assert_string_equal(path_of(x, x->id[DEPT]), dept);
    assert_string_equal(path_of(x, x->id[DEPT_SUB]), path4(x, COMMITTEE, DEPT, DEPT_SUB));
    assert_string_equal(path_of(x, x->id[COMMITTEE]), path2(x, COMMITTEE));
    assert_true(unit_is_descendant(x->db, x->id[DEPT], x->id[OFFICE_SUB]));

    /* Scope follows the move. */
    struct principal p = principal_at(x, DEPT, SCOPE_SUBTREE);
    int64_t ids[N_UNITS + 1];
    assert_int_equal(scoped_ids(x, &p, ids, N_UNITS + 1), 4);
    assert_true(scope_allows_unit(x->db, &p, x->id[OFFICE_SUB]));

    /* Then to the top level. */
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(unit_move(x->db, x->id[OFFICE], 0), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_string_equal(path_of(x, x->id[OFFICE]), path2(x, OFFICE));
    assert_string_equal(path_of(x, x->id[OFFICE_SUB]), path3(x, OFFICE, OFFICE_SUB));
    assert_int_equal(parent_of(x, x->id[OFFICE]), 0);
    assert_false(unit_is_descendant(x->db, x->id[COMMITTEE], x->id[OFFICE_SUB]));
    p = principal_at(x, COMMITTEE, SCOPE_SUBTREE);
    assert_int_equal(scoped_ids(x, &p, ids, N_UNITS + 1), 3);
}

/* Moving unit 1's subtree must not touch a unit whose path merely starts with "/1". */
static void test_unit_move_prefix_trap(void **state) {
    struct fixture *x = *state;
    const char *f10_before = path_of(x, x->id[F10]);
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(unit_move(x->db, x->id[COMMITTEE], x->id[OTHER]), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_string_equal(path_of(x, x->id[F10]), f10_before);
    assert_string_equal(path_of(x, x->id[COMMITTEE]), path3(x, OTHER, COMMITTEE));
    assert_string_equal(path_of(x, x->id[DEPT_SUB]),
                        arena_printf(x->a, "/%lld/%lld/%lld/%lld/", (long long)x->id[OTHER],
                                     (long long)x->id[COMMITTEE], (long long)x->id[DEPT],
                                     (long long)x->id[DEPT_SUB]));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    if (crypto_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        T(test_unit_paths),
        T(test_unit_create_is_audited),
        T(test_unit_create_errors),
        T(test_scope_own),
        T(test_scope_subtree),
        T(test_scope_all),
        T(test_scope_filter_with_other_parameters),
        T(test_scope_allows_unit),
        T(test_unit_is_descendant),
        T(test_unit_move_rewrites_subtree),
        T(test_unit_move_prefix_trap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
