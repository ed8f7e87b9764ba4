/* scoring_test.c — the run's totals, ranks and grades and a re-review's override
 * (features/scoring/scoring.h) on hand-made cells: total = weighted leaves' final points + bonus,
 * a veto caps the grade at assess.veto_grade, ties share a rank, the excellent quota per category
 * drops the units ranked beyond it, an override within the leaf's weight changes the final
 * points, records the change with its reason and moves the ranks, one beyond it changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "app/app.h"
#include "features/org/org.h"
#include "features/scoring/scoring.h"
#include "store/db.h"

static const struct audit_actor actor = {
    .user_id = 0, .username = "test", .role = "sysadmin", .ip = "127.0.0.1", .request_id = "t"};

struct fx {
    struct db *db;
    struct arena *a;
    int64_t unit[5], leaf[3], run;
};

static int64_t q1(struct db *db, const char *sql, int64_t id) {
    int64_t v = -1;
    assert_int_equal(db_query_int(db, &v, sql, "i", id), DB_ROW);
    return v;
}

static int setup(void **state) {
    struct fx *x = calloc(1, sizeof *x);
    char err[200];
    int applied;
    if (db_open("sqlite::memory:", &x->db, err, sizeof err) != DB_OK) return -1;
    if (db_migrate(x->db, &applied) != DB_OK) return -1;
    x->a = arena_new(0);
    struct db *db = x->db;
    if (db_begin(db) != DB_OK) return -1;
    /* departments d1 d2 d3, townships t1 t2 */
    const char *codes[] = {"d1", "d2", "d3", "t1", "t2"};
    const char *kinds[] = {"department", "department", "department", "township", "township"};
    for (int i = 0; i < 5; i++)
        if (unit_create(db, &actor, codes[i], codes[i], "", kinds[i], 0, i, &x->unit[i]) != DB_OK)
            return -1;
    const char *now = "2026-01-01T00:00:00Z";
    if (db_exec(db,
                "INSERT INTO assess_systems (id, year, name, total_points, status, created_at,"
                " updated_at) VALUES (1, 2026, 's', 1000, 'published', ?, ?)",
                "ss", now, now) != DB_OK)
        return -1;
    /* a ratio leaf of 6 分, a manual one of 4, a bonus capped at 2 (per 1) */
    const char *leaves[][4] = {{"1", "ratio", "600", "linear 0:0 100:100"},
                               {"2", "manual", "400", ""},
                               {"3", "bonus", "0", "per=1 cap=2"}};
    for (int i = 0; i < 3; i++) {
        if (db_exec(db,
                    "INSERT INTO assess_indicators (system_id, level, code, name, weight, rule,"
                    " params, created_at, updated_at) VALUES (1, 1, ?, ?, ?, ?, ?, ?, ?)",
                    "ssisss"
                    "s",
                    leaves[i][0], leaves[i][0], (int64_t)atoi(leaves[i][2]), leaves[i][1],
                    leaves[i][3], now, now) != DB_OK)
            return -1;
        x->leaf[i] = q1(db, "SELECT MAX(id) FROM assess_indicators WHERE system_id = ?", 1);
    }
    if (db_exec(db,
                "INSERT INTO assess_runs (id, system_id, year, title, period_from, period_to,"
                " created_at, updated_at) VALUES (1, 1, 2026, 'r', '2026-01-01', '2026-12-31', ?,"
                " ?)",
                "ss", now, now) != DB_OK)
        return -1;
    x->run = 1;
    /* final points per unit: ratio, manual, bonus (and d3's veto below) */
    int64_t pts[5][3] = {
        {600, 400, 200}, {500, 300, 0}, {600, 400, 200}, {300, 300, 100}, {600, 300, 0}};
    for (int u = 0; u < 5; u++) {
        if (db_exec(db,
                    "INSERT INTO assess_results (run_id, unit_id, category, updated_at) VALUES (1,"
                    " ?, ?, ?)",
                    "iss", x->unit[u], u < 3 ? "department" : "township", now) != DB_OK)
            return -1;
        for (int l = 0; l < 3; l++)
            if (db_exec(db,
                        "INSERT INTO assess_scores (run_id, unit_id, indicator_id, rule, points,"
                        " final_points, veto, computed_at, updated_at) VALUES (1, ?, ?, ?, ?, ?,"
                        " ?, ?, ?)",
                        "iisiiiss", x->unit[u], x->leaf[l], leaves[l][1], pts[u][l], pts[u][l],
                        (int64_t)(u == 2 && l == 0), now, now) != DB_OK)
                return -1;
    }
    if (db_commit(db) != DB_OK) return -1;
    *state = x;
    return 0;
}

static int teardown(void **state) {
    struct fx *x = *state;
    db_close(x->db);
    arena_free(x->a);
    free(x);
    return 0;
}

static void result(struct fx *x, int u, int64_t *total, int64_t *rank_all, int64_t *rank_cat,
                   char grade[16]) {
    struct db_stmt *st = db_queryv(x->db,
                                   "SELECT total, rank_all, rank_category, grade FROM"
                                   " assess_results WHERE run_id = 1 AND unit_id = ?",
                                   "i", x->unit[u]);
    assert_int_equal(db_step(st), DB_ROW);
    *total = db_col_int(st, 0);
    *rank_all = db_col_int(st, 1);
    *rank_cat = db_col_int(st, 2);
    snprintf(grade, 16, "%s", db_col_text(st, 3));
    db_done(st);
}

static void test_totals_ranks_grades(void **state) {
    struct fx *x = *state;
    assert_int_equal(db_begin(x->db), DB_OK);
    for (int u = 0; u < 5; u++)
        assert_int_equal(scoring_totals(x->db, x->a, 1, x->unit[u]), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    int64_t t, ra, rc;
    char g[16];
    /* d1: 600 + 400 + bonus 200 = 1200 (120 %); d3 the same but vetoed */
    result(x, 0, &t, &ra, &rc, g);
    assert_int_equal(t, 1200);
    assert_int_equal(ra, 1);
    assert_int_equal(rc, 1);
    /* 3 departments × 30 % = 0.9: no excellent at all — d1 drops to good */
    assert_string_equal(g, "good");
    result(x, 2, &t, &ra, &rc, g);
    assert_int_equal(t, 1200);
    assert_int_equal(ra, 1); /* ties share the rank */
    assert_int_equal(rc, 1);
    assert_string_equal(g, "fair"); /* vetoed: at most assess.veto_grade */
    result(x, 1, &t, &ra, &rc, g);
    assert_int_equal(t, 800);
    assert_int_equal(ra, 4); /* after d1, d3 and t2 (900) */
    assert_int_equal(rc, 3);
    assert_string_equal(g, "good"); /* 80 % */
    result(x, 3, &t, &ra, &rc, g);
    assert_int_equal(t, 700);
    assert_int_equal(rc, 2);
    assert_string_equal(g, "fair"); /* 70 % */
    result(x, 4, &t, &ra, &rc, g);
    assert_int_equal(t, 900);
    assert_int_equal(ra, 3);
    assert_int_equal(rc, 1);
    assert_string_equal(g, "good"); /* 90 % would be excellent: 2 townships × 30 % = 0 */
}

static void test_override(void **state) {
    struct fx *x = *state;
    int64_t cell = 0;
    assert_int_equal(db_query_int(x->db, &cell,
                                  "SELECT id FROM assess_scores WHERE unit_id = ? AND"
                                  " indicator_id = ?",
                                  "ii", x->unit[3], x->leaf[1]),
                     DB_ROW);
    assert_int_equal(db_begin(x->db), DB_OK);
    for (int u = 0; u < 5; u++)
        assert_int_equal(scoring_totals(x->db, x->a, 1, x->unit[u]), DB_OK);
    /* beyond the manual leaf's 4 分: refused, nothing written */
    assert_int_equal(scoring_override(x->db, x->a, cell, 401, "复核", 0), SCORING_OUT_OF_RANGE);
    assert_int_equal(q1(x->db, "SELECT COUNT(*) FROM assess_changes WHERE run_id = ?", 1), 0);
    assert_int_equal(scoring_override(x->db, x->a, 999999, 100, "复核", 0), DB_DONE);
    /* t1: 300 → 400 on the manual leaf: total 800, now above t2? no: t2 900 stays first */
    assert_int_equal(scoring_override(x->db, x->a, cell, 400, "复核认定材料齐全", 0), DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    assert_int_equal(q1(x->db, "SELECT final_points FROM assess_scores WHERE id = ?", cell), 400);
    struct db_stmt *st = db_queryv(x->db,
                                   "SELECT cause, old_points, new_points, reason FROM"
                                   " assess_changes WHERE run_id = 1",
                                   "");
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_col_text(st, 0), "objection");
    assert_int_equal(db_col_int(st, 1), 300);
    assert_int_equal(db_col_int(st, 2), 400);
    assert_string_equal(db_col_text(st, 3), "复核认定材料齐全");
    assert_int_equal(db_step(st), DB_DONE);
    db_done(st);
    int64_t t, ra, rc;
    char g[16];
    result(x, 3, &t, &ra, &rc, g);
    assert_int_equal(t, 800);
    assert_int_equal(rc, 2);
    assert_int_equal(ra, 4); /* ties d2's 800 */
    result(x, 1, &t, &ra, &rc, g);
    assert_int_equal(ra, 4);
    assert_string_equal(g, "good");
    /* the bonus's cap is its maximum */
    int64_t bonus = 0;
    assert_int_equal(db_query_int(x->db, &bonus,
                                  "SELECT id FROM assess_scores WHERE unit_id = ? AND"
                                  " indicator_id = ?",
                                  "ii", x->unit[3], x->leaf[2]),
                     DB_ROW);
    assert_int_equal(scoring_cell_max("bonus", "per=1 cap=2", 0), 200);
    assert_int_equal(scoring_cell_max("manual", "", 400), 400);
    assert_int_equal(scoring_cell_max("veto", "", 0), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void) {
    if (modules_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        T(test_totals_ranks_grades),
        T(test_override),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
