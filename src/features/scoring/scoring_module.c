/* scoring_module.c — the scoring run's declarations (http/module.h): its tables. */
#include "features/scoring/scoring.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const struct migration migrations[] = {
    {1, "scoring runs, results, score cells and their changes",
     "CREATE TABLE assess_runs ("
     " id @ID@, system_id BIGINT NOT NULL REFERENCES assess_systems(id), year BIGINT NOT NULL,"
     " title TEXT NOT NULL, period_from TEXT NOT NULL, period_to TEXT NOT NULL,"
     " status TEXT NOT NULL DEFAULT 'draft', runs BIGINT NOT NULL DEFAULT 0,"
     " units_total BIGINT NOT NULL DEFAULT 0, units_done BIGINT NOT NULL DEFAULT 0,"
     " started_at TEXT, finished_at TEXT, published_at TEXT, objection_until TEXT,"
     " note TEXT NOT NULL DEFAULT '', created_by BIGINT REFERENCES users(id),"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX assess_runs_year ON assess_runs(year);"
     "CREATE TABLE assess_results ("
     " id @ID@, run_id BIGINT NOT NULL REFERENCES assess_runs(id),"
     " unit_id BIGINT NOT NULL REFERENCES units(id), category TEXT NOT NULL,"
     " auto_total BIGINT NOT NULL DEFAULT 0, self_total BIGINT, bonus BIGINT NOT NULL DEFAULT 0,"
     " total BIGINT NOT NULL DEFAULT 0, veto BIGINT NOT NULL DEFAULT 0, grade TEXT,"
     " rank_all BIGINT, rank_category BIGINT, pending BIGINT NOT NULL DEFAULT 0,"
     " status TEXT NOT NULL DEFAULT 'scored', updated_at TEXT NOT NULL,"
     " version BIGINT NOT NULL DEFAULT 1, UNIQUE (run_id, unit_id));"
     "CREATE INDEX assess_results_rank ON assess_results(run_id, category, total);"
     "CREATE INDEX assess_results_unit ON assess_results(unit_id, run_id);"
     "CREATE TABLE assess_scores ("
     " id @ID@, run_id BIGINT NOT NULL REFERENCES assess_runs(id),"
     " unit_id BIGINT NOT NULL REFERENCES units(id),"
     " indicator_id BIGINT NOT NULL REFERENCES assess_indicators(id), rule TEXT NOT NULL,"
     " metric TEXT NOT NULL DEFAULT '', num BIGINT NOT NULL DEFAULT 0, den BIGINT NOT NULL"
     " DEFAULT 0, value BIGINT NOT NULL DEFAULT 0, has_value BIGINT NOT NULL DEFAULT 0,"
     " points BIGINT NOT NULL DEFAULT 0, veto BIGINT NOT NULL DEFAULT 0,"
     " pending BIGINT NOT NULL DEFAULT 0, self_points BIGINT, self_note TEXT NOT NULL DEFAULT '',"
     " assessor_points BIGINT, assessor_note TEXT NOT NULL DEFAULT '',"
     " assessor_id BIGINT REFERENCES users(id), final_points BIGINT NOT NULL DEFAULT 0,"
     " explain_zh TEXT NOT NULL DEFAULT '', explain_en TEXT NOT NULL DEFAULT '',"
     " drill TEXT NOT NULL DEFAULT '', computed_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " version BIGINT NOT NULL DEFAULT 1, UNIQUE (run_id, unit_id, indicator_id));"
     "CREATE INDEX assess_scores_indicator ON assess_scores(run_id, indicator_id);"
     "CREATE TABLE assess_changes ("
     " id @ID@, run_id BIGINT NOT NULL REFERENCES assess_runs(id),"
     " unit_id BIGINT NOT NULL REFERENCES units(id),"
     " indicator_id BIGINT REFERENCES assess_indicators(id), pass BIGINT NOT NULL DEFAULT 0,"
     " cause TEXT NOT NULL, old_points BIGINT, new_points BIGINT, old_num BIGINT, new_num BIGINT,"
     " old_den BIGINT, new_den BIGINT, reason TEXT NOT NULL DEFAULT '',"
     " by_user BIGINT REFERENCES users(id), at TEXT NOT NULL);"
     "CREATE INDEX assess_changes_run ON assess_changes(run_id, unit_id, id);",
     NULL, NULL},
};

static const struct copy_table tables[] = {
    {"assess_runs", "id", 1},
    {"assess_results", "id", 1},
    {"assess_scores", "id", 1},
    {"assess_changes", "id", 1},
};

const struct module scoring_module = {
    .name = "scoring",
    .zh = "考核计分",
    .en = "Scoring",
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
};
