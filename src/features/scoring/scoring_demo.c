/* scoring_demo.c — demo 年度考核计分: `fazhi demo` adds the second assessor (assessor, role
 * office: the re-review is by another assessor than the one who scored) and, for each of 2025 and
 * 2026 that has a published indicator system (the assess module's demo makes them), a run for the
 * demo units walked through the kind as the office: 2025 scored, self-assessed, reviewed,
 * published and finalized after its objection period; 2026 scored, a unit's self-assessment, the
 * assessor's scores of the manual leaves, published (its objections are the appeal module's). A
 * year without a published system gets no run. */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "features/accounts/accounts.h"
#include "features/flow/flow_demo.h"
#include "features/scoring/scoring.h"
#include "features/scoring/scoring_run.h"

static int act(struct db *db, struct arena *a, int64_t id, const char *action, int32_t on) {
    return flow_demo_act(db, a, &assess_run_kind, "office", id, action, json_object(), on, 0);
}

/* The assessor's points on every manual leaf still pending, and a note: 80 % to 100 % of the
 * weight by the unit, then the totals. */
static int assess_manual(struct db *db, struct arena *a, int64_t run, int64_t assessor) {
    char now[21];
    now_iso(now);
    int rc =
        db_exec(db,
                "UPDATE assess_scores SET assessor_points = (SELECT i.weight FROM"
                " assess_indicators i WHERE i.id = assess_scores.indicator_id) * (80 +"
                " (unit_id * 7 + indicator_id * 3) % 21) / 100, assessor_note ="
                " '已核查佐证材料，按评分标准评定', assessor_id = ?, pending = 0, updated_at = ?"
                " WHERE run_id = ? AND pending = 1 AND rule = 'manual'",
                "isi", assessor, now, run);
    if (rc == DB_OK)
        rc = db_exec(db,
                     "UPDATE assess_scores SET points = assessor_points, final_points ="
                     " assessor_points WHERE run_id = ? AND rule = 'manual' AND assessor_points IS"
                     " NOT NULL",
                     "i", run);
    if (rc == DB_OK)
        rc = db_exec(db,
                     "INSERT INTO assess_changes (run_id, unit_id, indicator_id, pass, cause,"
                     " old_points, new_points, old_num, new_num, old_den, new_den, reason, by_user,"
                     " at) SELECT run_id, unit_id, indicator_id, 0, 'review', 0, assessor_points,"
                     " num, num, den, den, assessor_note, assessor_id, ? FROM assess_scores WHERE"
                     " run_id = ? AND rule = 'manual' AND assessor_id = ?",
                     "sii", now, run, assessor);
    struct db_stmt *st =
        rc == DB_OK ? db_queryv(db, "SELECT unit_id FROM assess_results WHERE run_id = ?", "i", run)
                    : NULL;
    int64_t units[256];
    int n = 0;
    while (st && db_step(st) == DB_ROW && n < 256)
        units[n++] = db_col_int(st, 0);
    db_done(st);
    for (int i = 0; rc == DB_OK && i < n; i++)
        rc = scoring_totals(db, a, run, units[i]);
    return rc;
}

static int demo_year(struct db *db, struct arena *a, int year, int32_t today, int64_t assessor,
                     const struct audit_actor *who) {
    int64_t sys = 0, office = 0;
    int rc = db_query_int(db, &sys,
                          "SELECT id FROM assess_systems WHERE year = ? AND status = 'published'"
                          " ORDER BY version_no DESC LIMIT 1",
                          "i", (int64_t)year);
    if (rc == DB_DONE) return DB_OK; /* no published system for the year: no run */
    if (rc != DB_ROW) return DB_ERROR;
    if (db_query_int(db, &office, "SELECT id FROM users WHERE username = 'office'", "") != DB_ROW)
        return DB_ERROR;
    char now[21];
    now_iso(now);
    int64_t run = 0;
    struct db_stmt *st = db_queryv(
        db,
        "INSERT INTO assess_runs (system_id, year, title, period_from, period_to, status, note,"
        " created_by, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?,"
        " 1) RETURNING id",
        "iissssiss", sys, (int64_t)year, arena_printf(a, "%d 年度法治建设考核", year),
        arena_printf(a, "%d-01-01", year), arena_printf(a, "%d-12-31", year),
        "对各区直部门、乡镇街道年度法治建设工作进行考核", office, now, now);
    rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) run = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return DB_ERROR;
    rc = flow_demo_created(db, a, &assess_run_kind, "office", run);
    int64_t token = 0;
    const char *why = NULL;
    char err[300];
    if (rc == DB_OK) rc = scoring_pass_begin(db, a, run, 0, who, &token, &why);
    if (rc == DB_OK) rc = scoring_compute_in_tx(db, run, 0, token, err, sizeof err);
    if (rc != DB_OK) {
        fprintf(stderr, "fazhi demo: scoring %d: %s\n", year, why ? why : err);
        return DB_ERROR;
    }
    int32_t self_on = year < 2026 ? today - 300 : today - 20, review_on = self_on + 7,
            publish_on = review_on + 7;
    if (self_on > today) self_on = review_on = publish_on = today;
    rc = act(db, a, run, "open_self", self_on);
    /* a unit assesses itself on its manual leaves: the points it claims and why */
    if (rc == DB_OK)
        rc = db_exec(
            db,
            "UPDATE assess_scores SET self_points = (SELECT i.weight FROM assess_indicators"
            " i WHERE i.id = assess_scores.indicator_id), self_note = '已按要求完成，佐证材料"
            "见附件' WHERE run_id = ? AND rule = 'manual' AND unit_id IN (SELECT id FROM"
            " units WHERE code IN ('justice', 'chengguan'))",
            "i", run);
    if (rc == DB_OK) rc = act(db, a, run, "start_review", review_on);
    if (rc == DB_OK) rc = assess_manual(db, a, run, assessor);
    if (rc == DB_OK) rc = act(db, a, run, "publish", publish_on);
    if (rc == DB_OK && year < 2026) rc = act(db, a, run, "finalize", publish_on + 30);
    return rc;
}

int scoring_demo(struct db *db, struct arena *a, int32_t today) {
    struct principal p;
    struct audit_actor who;
    if (flow_demo_actor(db, a, "office", &p, &who)) return DB_ERROR;
    int64_t office_unit = 0, assessor = 0;
    if (db_query_int(db, &office_unit, "SELECT unit_id FROM users WHERE username = 'office'", "") !=
        DB_ROW)
        return DB_ERROR;
    /* the second assessor signs in with the demo accounts' password: office's hash */
    int rc = account_create(db, &who, "assessor", "考核评分员 吴敏", office_unit, "office",
                            "Assessor#Demo-2026x", 0, &assessor);
    if (rc == DB_OK)
        rc = db_exec(db,
                     "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE"
                     " username = 'office') WHERE id = ?",
                     "i", assessor);
    if (rc == DB_OK) rc = demo_year(db, a, 2025, today, assessor, &who);
    if (rc == DB_OK) rc = demo_year(db, a, 2026, today, assessor, &who);
    return rc;
}
