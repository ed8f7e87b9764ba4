/* scoring_module.c — the scoring run's declarations (http/module.h): its tables, settings
 * (the assessed unit kinds, grade thresholds and quotas, the veto's grade), the entities and the
 * run's kind, the cells' attachments, the menu entries. */
#include "features/assess/assess.h"
#include "features/scoring/scoring.h"
#include "features/scoring/scoring_run.h"
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
    {2, "the runs' timeline",
     "CREATE TABLE assess_run_events ("
     " id @ID@, run_id BIGINT NOT NULL REFERENCES assess_runs(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX assess_run_events_run ON assess_run_events(run_id, id);"
     "CREATE INDEX assess_scores_unit ON assess_scores(unit_id, run_id);",
     NULL, NULL},
};

static const struct setting_def settings[] = {
    {"assess.unit_kinds", SETTING_TEXT, "department,court,procuratorate,street,township", 1, 200,
     "assess.manage", "assess", "被考核单位类型", "Assessed unit kinds",
     "参加年度考核的单位类型（逗号分隔）：department 区直部门、court 法院、procuratorate 检察院、"
     "street 街道、township 乡镇"},
    {"assess.grade_excellent", SETTING_INT, "90", 1, 100, "assess.manage", "assess",
     "优秀等次分数线（%）", "Excellent from (%)", "总分达到满分的该百分比为优秀"},
    {"assess.grade_good", SETTING_INT, "80", 1, 100, "assess.manage", "assess",
     "良好等次分数线（%）", "Good from (%)", "总分达到满分的该百分比为良好"},
    {"assess.grade_fair", SETTING_INT, "60", 1, 100, "assess.manage", "assess",
     "一般等次分数线（%）", "Fair from (%)", "总分达到满分的该百分比为一般，以下为较差"},
    {"assess.quota_excellent", SETTING_INT, "30", 0, 100, "assess.manage", "assess",
     "优秀等次比例上限（%）", "Excellent quota (%)",
     "同一类别单位中优秀等次至多占该百分比（按排名），超出的降一等次；0 表示不限"},
    {"assess.quota_good", SETTING_INT, "0", 0, 100, "assess.manage", "assess",
     "良好等次比例上限（%）", "Good quota (%)",
     "同一类别单位中良好等次至多占该百分比（按排名），超出的降一等次；0 表示不限"},
    {"assess.veto_grade", SETTING_TEXT, "fair", 3, 9, "assess.manage", "assess",
     "一票否决单位最高等次", "Highest grade when vetoed",
     "被一票否决的单位等次不高于此：excellent 优秀、good 良好、fair 一般、poor 较差"},
};

static const struct entity *const entities[] = {&entity_assess_runs, &entity_assess_results,
                                                &entity_assess_scores, &entity_assess_changes};
static const struct flow_kind *const kinds[] = {&assess_run_kind};

static const struct module_file_owner file_owners[] = {
    {"assess_score", scoring_score_can_read},
};

static const struct menu_item menu[] = {
    {"assess", "/assess-runs", "entity", "考核组织", "Assessment runs", "DataAnalysis",
     &perm_assess_view, 20, 0, NULL},
    {"assess", "/assess-mine", "scoring/mine", "本单位考核", "Our assessment", "Medal",
     &perm_assess_work, 22, 0, NULL},
    {"assess", "/assess-units/:run/:unit", "scoring/unit", "单位得分", "A unit's scores", "Medal",
     &perm_assess_view, 24, 1, "/assess-runs"},
};

static const struct audit_name audit_names[] = {
    {"assess_run", "考核组织", "Assessment run"},
    {"assess_score", "考核得分", "Score cell"},
    {"assess_score.self", "单位自评", "Self-assessment"},
    {"assess_score.assess", "评分员评分", "Assessor's points"},
};

static const struct copy_table tables[] = {
    {"assess_runs", "id", 1},    {"assess_results", "id", 1},    {"assess_scores", "id", 1},
    {"assess_changes", "id", 1}, {"assess_run_events", "id", 1},
};

int scoring_demo(struct db *db, struct arena *a, int32_t today); /* scoring_demo.c */

const struct module scoring_module = {
    .name = "scoring",
    .zh = "考核计分",
    .en = "Scoring",
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
    .settings = settings,
    .n_settings = MODULE_N(settings),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .kinds = kinds,
    .n_kinds = MODULE_N(kinds),
    .file_owners = file_owners,
    .n_file_owners = MODULE_N(file_owners),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
    .demo = scoring_demo,
};
