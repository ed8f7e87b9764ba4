/* appeal_module.c — the 申辩 and 复核 module's declarations (http/module.h): its settings (the
 * objection window and the re-review period, in working days), the objections' tables, entity
 * and kind (whose routes are generated), the charts' route, the attachments, the menu entries
 * and the demo data. Its permissions are the assess module's (assess.work objects, assess.score
 * re-reviews, assess.manage assigns). */
#include "features/appeal/appeal.h"
#include "features/appeal/appeal_http.h"
#include "features/assess/assess.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

static const struct setting_def settings[] = {
    {"assess.objection_days", SETTING_INT, "5", 1, 30, "setting.manage", "assess",
     "申辩期限（工作日）", "Objection period (working days)",
     "考核结果公布后，被考核单位可在此期限内对本单位的评分提出申辩（自公布次日起按工作日计算）"},
    {"assess.review_days", SETTING_INT, "10", 1, 60, "setting.manage", "assess",
     "复核期限（工作日）", "Re-review period (working days)",
     "申辩分派复核后，复核人应在此期限内作出维持原评分或改分的决定"},
};

static const struct migration migrations[] = {
    {1, "objections to assessment scores and their timeline",
     "CREATE TABLE assess_objections ("
     " id @ID@, objection_no TEXT UNIQUE, run_id BIGINT NOT NULL REFERENCES assess_runs(id),"
     " score_id BIGINT NOT NULL REFERENCES assess_scores(id),"
     " unit_id BIGINT NOT NULL REFERENCES units(id),"
     " indicator_id BIGINT NOT NULL REFERENCES assess_indicators(id),"
     " points_before BIGINT NOT NULL, requested_points BIGINT, reason TEXT NOT NULL,"
     " status TEXT NOT NULL, reviewer_id BIGINT REFERENCES users(id), assigned_on TEXT,"
     " decided_points BIGINT, decision_note TEXT NOT NULL DEFAULT '', decided_on TEXT,"
     " decided_by BIGINT REFERENCES users(id), created_by BIGINT REFERENCES users(id),"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX assess_objections_run ON assess_objections(run_id, unit_id);"
     "CREATE INDEX assess_objections_unit ON assess_objections(unit_id, created_at);"
     "CREATE INDEX assess_objections_score ON assess_objections(score_id);"
     "CREATE INDEX assess_objections_status ON assess_objections(status, created_at);"
     "CREATE TABLE assess_objection_events ("
     " id @ID@, objection_id BIGINT NOT NULL REFERENCES assess_objections(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX assess_objection_events_record ON assess_objection_events(objection_id, id);",
     NULL, NULL},
};

static const struct copy_table tables[] = {
    {"assess_objections", "id", 1},
    {"assess_objection_events", "id", 1},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/assess/charts", &perm_assess_view, appeal_charts},
};

static const struct module_file_owner file_owners[] = {
    {"assess_objection", appeal_file_readable},
};

static const struct entity *const entities[] = {&entity_assess_objections};
static const struct flow_kind *const kinds[] = {&assess_objection_kind};

static const struct menu_item menu[] = {
    {"assess", "/assess-charts", "appeal/charts", "考核分析", "Assessment analysis", "PieChart",
     &perm_assess_view, 40, 0, NULL},
    {"assess", "/assess-objections", "entity", "申辩与复核", "Objections and re-reviews",
     "ChatLineSquare", &perm_assess_view, 41, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"assess_objection", "考核申辩", "Assessment objection"},
};

const struct module appeal_module = {
    .name = "appeal",
    .zh = "考核申辩与分析",
    .en = "Objections and charts",
    .settings = settings,
    .n_settings = MODULE_N(settings),
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .file_owners = file_owners,
    .n_file_owners = MODULE_N(file_owners),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .kinds = kinds,
    .n_kinds = MODULE_N(kinds),
    .demo = appeal_demo,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
