/* scoring.h — the 年度考核 scoring run (计分): every assessed unit of a year scored against a
 * published indicator system (features/assess), each score cell computed from the metrics
 * engine's figures for the unit (features/metrics: one grouped query per entity, never one per
 * unit), linked to the records it counts (the metric's drill list) and to the rule and system
 * version used; totals, veto, ranking by unit category and grades; a re-run after a data
 * correction records each score that changed and why (assess_changes).
 *
 * Tables (scoring_module.c migration 1):
 *   assess_runs     a year's run over a system: status (its kind), progress, the period
 *   assess_results  one row per run and unit: totals, veto, grade, rank (overall and in its
 *                   category: department / township — the unit kinds street and township)
 *   assess_scores   one row per run, unit and leaf: the metric's figures (num, den, value,
 *                   has_value), the computed points, the unit's self-assessment (self_points,
 *                   self_note), the assessor's points (assessor_points, assessor_id, note),
 *                   final_points (what counts: an objection's re-review may change it), the
 *                   explanation, the drill (the list that opens the records behind it)
 *   assess_changes  what a re-run or a re-review changed: old and new figures and points, why
 * Amounts are hundredths (assess_rule.h). */
#ifndef FAZHI_SCORING_H
#define FAZHI_SCORING_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "store/db.h"

/* Recompute unit `unit_id`'s total, veto and grade in run `run_id` from its score cells'
 * final_points, then the run's ranks and grades (quotas are per category, so one unit's
 * change may move others): inside the caller's transaction. The objection module calls it after
 * a re-review changed a cell. DB_OK or < 0. */
int scoring_totals(struct db *db, struct arena *a, int64_t run_id, int64_t unit_id);

/* A re-review's decision on cell `score_id`: final_points := points (hundredths, 0 … the leaf's
 * weight, or its cap for a bonus), an assess_changes row (cause 'objection') with the reason and
 * who, then scoring_totals for its unit. Inside the caller's transaction (its audit record is the
 * caller's). DB_OK, DB_DONE (no such cell), SCORING_OUT_OF_RANGE (points outside 0 …
 * scoring_cell_max: nothing written) or < 0. */
#define SCORING_OUT_OF_RANGE 20
int scoring_override(struct db *db, struct arena *a, int64_t score_id, int64_t points,
                     const char *reason, int64_t by_user);

/* The highest points a cell may have: the leaf's weight, a bonus's cap, 0 for a veto. */
int64_t scoring_cell_max(const char *rule, const char *params, int64_t weight);

/* The run's ranks (rank_all, rank_category: by total descending, ties share a rank) and grades
 * (thresholds assess.grade_* as percent of the system's total points, quotas assess.quota_* per
 * category, a vetoed unit at most assess.veto_grade) from its results' totals; only changed rows
 * are written. Inside the caller's transaction. DB_OK or < 0. */
int scoring_rank(struct db *db, struct arena *a, int64_t run_id);

enum scoring_grade { SG_EXCELLENT, SG_GOOD, SG_FAIR, SG_POOR, SG_N };
extern const char *const scoring_grades[SG_N]; /* "excellent" … */
int scoring_grade_of(const char *code);        /* -1 when unknown */
/* A text setting's value (its default when unset), into out. DB_OK or < 0. */
int scoring_setting_text(struct db *db, const char *key, char *out, size_t n);

#endif
