/* scoring.c — totals, veto, ranks and grades of a scoring run, and a re-review's override of a
 * cell (scoring.h). Set-based: a run's results are read once, ranked and graded in C, and only
 * the rows whose figures changed are written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "features/assess/assess_rule.h"
#include "features/scoring/scoring.h"
#include "store/settings.h"

const char *const scoring_grades[SG_N] = {"excellent", "good", "fair", "poor"};

int scoring_grade_of(const char *code) {
    for (int i = 0; code && i < SG_N; i++)
        if (!strcmp(code, scoring_grades[i])) return i;
    return -1;
}

int scoring_setting_text(struct db *db, const char *key, char *out, size_t n) {
    const struct setting_def *d = setting_def_by_key(key);
    snprintf(out, n, "%s", d && d->def ? d->def : "");
    struct db_stmt *st = db_queryv(db, "SELECT value FROM settings WHERE key = ?", "s", key);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW && db_col_text(st, 0)) snprintf(out, n, "%s", db_col_text(st, 0));
    db_done(st);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Sum of a unit's cells into its result row (auto_total, self_total, bonus, total, veto,
 * pending). */
static int unit_sums(struct db *db, int64_t run_id, int64_t unit_id) {
    struct db_stmt *st = db_queryv(
        db,
        "SELECT COALESCE(SUM(CASE WHEN rule IN ('bonus', 'veto') THEN 0 ELSE points END), 0),"
        " SUM(CASE WHEN rule IN ('bonus', 'veto') THEN 0 ELSE COALESCE(self_points, points) END),"
        " COALESCE(SUM(CASE WHEN rule = 'bonus' THEN final_points ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN rule IN ('bonus', 'veto') THEN 0 ELSE final_points END), 0),"
        " COALESCE(MAX(veto), 0), COALESCE(SUM(pending), 0), COUNT(*)"
        " FROM assess_scores WHERE run_id = ? AND unit_id = ?",
        "ii", run_id, unit_id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc != DB_ROW) {
        db_done(st);
        return rc < 0 ? rc : DB_ERROR;
    }
    int64_t autot = db_col_int(st, 0), selft = db_col_int(st, 1), bonus = db_col_int(st, 2),
            weighted = db_col_int(st, 3), veto = db_col_int(st, 4), pending = db_col_int(st, 5);
    db_done(st);
    char now[21];
    now_iso(now);
    return db_exec(db,
                   "UPDATE assess_results SET auto_total = ?, self_total = ?, bonus = ?,"
                   " total = ?, veto = ?, pending = ?, updated_at = ?, version = version + 1"
                   " WHERE run_id = ? AND unit_id = ? AND (auto_total <> ? OR self_total IS NULL"
                   " OR self_total <> ? OR bonus <> ? OR total <> ? OR veto <> ? OR pending <> ?)",
                   "iiiiiisiiiiiiii", autot, selft, bonus, weighted + bonus, veto ? 1 : 0, pending,
                   now, run_id, unit_id, autot, selft, bonus, weighted + bonus, veto ? 1 : 0,
                   pending);
}

struct res {
    int64_t id, total;
    int cat, veto;
    int64_t rank_all, rank_cat, old_all, old_cat;
    int grade, old_grade;
};

static int by_total(const void *x, const void *y) {
    const struct res *a = x, *b = y;
    return a->total < b->total ? 1 : a->total > b->total ? -1 : a->id < b->id ? -1 : 1;
}

int scoring_rank(struct db *db, struct arena *a, int64_t run_id) {
    int64_t total_points = 10000;
    int rc = db_query_int(db, &total_points,
                          "SELECT s.total_points FROM assess_runs r JOIN assess_systems s"
                          " ON s.id = r.system_id WHERE r.id = ?",
                          "i", run_id);
    if (rc < 0) return rc;
    if (total_points <= 0) total_points = 10000;
    int64_t thr[3] = {setting_int(db, "assess.grade_excellent"),
                      setting_int(db, "assess.grade_good"), setting_int(db, "assess.grade_fair")};
    int64_t quota[2] = {setting_int(db, "assess.quota_excellent"),
                        setting_int(db, "assess.quota_good")};
    char vg[32];
    rc = scoring_setting_text(db, "assess.veto_grade", vg, sizeof vg);
    if (rc < 0) return rc;
    int veto_grade = scoring_grade_of(vg);
    if (veto_grade < 0) veto_grade = SG_FAIR;

    int64_t n_rows = 0;
    rc = db_query_int(db, &n_rows, "SELECT COUNT(*) FROM assess_results WHERE run_id = ?", "i",
                      run_id);
    if (rc < 0) return rc;
    struct res *r = arena_alloc(a, (size_t)(n_rows + 1) * sizeof *r);
    int n = 0;
    struct db_stmt *st =
        db_queryv(db,
                  "SELECT id, total, category, veto, rank_all, rank_category, grade"
                  " FROM assess_results WHERE run_id = ?",
                  "i", run_id);
    while (st && (rc = db_step(st)) == DB_ROW && n < n_rows) {
        struct res *x = &r[n++];
        x->id = db_col_int(st, 0);
        x->total = db_col_int(st, 1);
        const char *cat = db_col_text(st, 2);
        x->cat = cat && !strcmp(cat, "township");
        x->veto = (int)db_col_int(st, 3);
        x->old_all = db_col_type(st, 4) == DB_T_NULL ? -1 : db_col_int(st, 4);
        x->old_cat = db_col_type(st, 5) == DB_T_NULL ? -1 : db_col_int(st, 5);
        x->old_grade = scoring_grade_of(db_col_text(st, 6));
    }
    db_done(st);
    if (!st || (rc != DB_DONE && rc != DB_ROW)) return rc < 0 ? rc : DB_ERROR;
    qsort(r, (size_t)n, sizeof *r, by_total);
    int64_t cat_n[2] = {0, 0};
    for (int i = 0; i < n; i++)
        cat_n[r[i].cat]++;
    int64_t seen[2] = {0, 0}, last_total[2] = {-1, -1}, last_rank[2] = {0, 0};
    for (int i = 0; i < n; i++) {
        struct res *x = &r[i];
        x->rank_all = i && r[i - 1].total == x->total ? r[i - 1].rank_all : i + 1;
        int c = x->cat;
        seen[c]++;
        if (seen[c] > 1 && last_total[c] == x->total) {
            x->rank_cat = last_rank[c];
        } else {
            x->rank_cat = seen[c];
            last_rank[c] = seen[c];
            last_total[c] = x->total;
        }
        /* thresholds: percent of the system's total points */
        int g = SG_POOR;
        for (int k = 0; k < 3; k++)
            if (x->total * 100 >= thr[k] * total_points) {
                g = k;
                break;
            }
        /* quotas: a category's first quota % by rank keep the grade, the rest drop one */
        for (int k = 0; k < 2; k++)
            if (g == k && quota[k] > 0 && x->rank_cat > cat_n[c] * quota[k] / 100) g = k + 1;
        if (x->veto && g < veto_grade) g = veto_grade;
        x->grade = g;
    }
    char now[21];
    now_iso(now);
    for (int i = 0; i < n; i++) {
        struct res *x = &r[i];
        if (x->rank_all == x->old_all && x->rank_cat == x->old_cat && x->grade == x->old_grade)
            continue;
        rc = db_exec(db,
                     "UPDATE assess_results SET rank_all = ?, rank_category = ?, grade = ?,"
                     " updated_at = ?, version = version + 1 WHERE id = ?",
                     "iissi", x->rank_all, x->rank_cat, scoring_grades[x->grade], now, x->id);
        if (rc < 0) return rc;
    }
    return DB_OK;
}

int scoring_totals(struct db *db, struct arena *a, int64_t run_id, int64_t unit_id) {
    int rc = unit_sums(db, run_id, unit_id);
    return rc < 0 ? rc : scoring_rank(db, a, run_id);
}

int scoring_override(struct db *db, struct arena *a, int64_t score_id, int64_t points,
                     const char *reason, int64_t by_user) {
    struct db_stmt *st = db_queryv(db,
                                   "SELECT c.run_id, c.unit_id, c.indicator_id, c.final_points,"
                                   " c.num, c.den, c.rule, i.weight, i.params"
                                   " FROM assess_scores c JOIN assess_indicators i"
                                   " ON i.id = c.indicator_id WHERE c.id = ?",
                                   "i", score_id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc != DB_ROW) {
        db_done(st);
        return rc == DB_DONE ? DB_DONE : rc < 0 ? rc : DB_ERROR;
    }
    int64_t run_id = db_col_int(st, 0), unit_id = db_col_int(st, 1),
            indicator_id = db_col_int(st, 2), old = db_col_int(st, 3), num = db_col_int(st, 4),
            den = db_col_int(st, 5), weight = db_col_int(st, 7);
    const char *rule = arena_strdup(a, db_col_text(st, 6));
    const char *params = arena_strdup(a, db_col_text(st, 8) ? db_col_text(st, 8) : "");
    db_done(st);
    int64_t max = scoring_cell_max(rule, params, weight);
    if (points < 0 || points > max) return SCORING_OUT_OF_RANGE;
    char now[21];
    now_iso(now);
    rc = db_exec(db,
                 "UPDATE assess_scores SET final_points = ?, updated_at = ?, version = version + 1"
                 " WHERE id = ?",
                 "isi", points, now, score_id);
    if (rc < 0) return rc;
    rc = db_exec(db,
                 "INSERT INTO assess_changes (run_id, unit_id, indicator_id, pass, cause,"
                 " old_points, new_points, old_num, new_num, old_den, new_den, reason, by_user, at)"
                 " VALUES (?, ?, ?, 0, 'objection', ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?)",
                 "iiiiiiiiisis", run_id, unit_id, indicator_id, old, points, num, num, den, den,
                 reason ? reason : "", by_user, now);
    if (rc < 0) return rc;
    return scoring_totals(db, a, run_id, unit_id);
}

int64_t scoring_cell_max(const char *rule, const char *params, int64_t weight) {
    int t = assess_rule_type_of(rule);
    if (t == AR_VETO) return 0;
    if (t != AR_BONUS) return weight;
    struct assess_rule r;
    char zh[200], en[200];
    if (assess_rule_parse(AR_BONUS, params, weight, &r, zh, en, sizeof zh) < 0) return 0;
    return r.cap;
}
