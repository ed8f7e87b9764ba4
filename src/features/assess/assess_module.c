/* assess_module.c — the 年度考核 module's declarations (http/module.h): the permissions of the
 * whole assessment and their grants, the indicator systems' tables and entities, the menu. */
#include "features/assess/assess.h"
#include "features/assess/assess_http.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_assess_view = {"assess.view",
                                    "assess",
                                    "查看考核指标与考核结果",
                                    "View indicator systems and assessment results",
                                    0,
                                    0};
struct perm_def perm_assess_work = {
    "assess.work", "assess", "本单位自评、提出申辩", "Self-assess and object for one's unit", 0, 0};
struct perm_def perm_assess_score = {
    "assess.score", "assess", "考核评分与复核", "Score units and re-review objections", 0, 0};
struct perm_def perm_assess_manage = {"assess.manage",
                                      "assess",
                                      "管理考核指标体系、组织考核与公布结果",
                                      "Manage indicator systems, run and publish assessments",
                                      0,
                                      0};
static struct perm_def *const perms[] = {&perm_assess_view, &perm_assess_work, &perm_assess_score,
                                         &perm_assess_manage};

/* The office runs the assessment and its staff score (any two of its accounts: the re-review
 * is by another assessor than the one who scored); leaders read every result; a unit's clerk
 * reads its own unit's scores, assesses itself and objects. */
static const struct perm_grant grants[] = {
    {"office", "assess.view assess.score assess.manage"},
    {"leader", "assess.view"},
    {"clerk", "assess.view assess.work"},
};

static const struct migration migrations[] = {
    {1, "indicator systems",
     "CREATE TABLE assess_systems ("
     " id @ID@, year BIGINT NOT NULL, name TEXT NOT NULL, version_no BIGINT NOT NULL DEFAULT 1,"
     " based_on_id BIGINT REFERENCES assess_systems(id), change_note TEXT NOT NULL DEFAULT '',"
     " total_points BIGINT NOT NULL DEFAULT 10000, status TEXT NOT NULL DEFAULT 'draft',"
     " published_at TEXT, published_by BIGINT REFERENCES users(id),"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX assess_systems_year ON assess_systems(year, status);"
     "CREATE TABLE assess_indicators ("
     " id @ID@, system_id BIGINT NOT NULL REFERENCES assess_systems(id),"
     " parent_id BIGINT REFERENCES assess_indicators(id), level BIGINT NOT NULL, code TEXT NOT "
     "NULL,"
     " name TEXT NOT NULL, weight BIGINT NOT NULL DEFAULT 0, rule TEXT, metric TEXT NOT NULL"
     " DEFAULT '', params TEXT NOT NULL DEFAULT '', method TEXT NOT NULL DEFAULT '',"
     " evidence TEXT NOT NULL DEFAULT '', sort_order BIGINT NOT NULL DEFAULT 0,"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1,"
     " UNIQUE (system_id, code));"
     "CREATE INDEX assess_indicators_parent ON assess_indicators(system_id, parent_id);",
     NULL, NULL},
    /* the kind assess_system's timeline: created, published, retired, a new version made */
    {2, "indicator systems' timeline",
     "CREATE TABLE assess_system_events ("
     " id @ID@, system_id BIGINT NOT NULL REFERENCES assess_systems(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX assess_system_events_record ON assess_system_events(system_id, id);",
     NULL, NULL},
};

static const struct copy_table tables[] = {
    {"assess_systems", "id", 1},
    {"assess_indicators", "id", 1},
    {"assess_system_events", "id", 1},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/assess-systems/:id/check", &perm_assess_view, assess_check_route},
    {M_GET, "/api/v1/assess-systems/:id/changes", &perm_assess_view, assess_changes_route},
    {M_GET, "/api/v1/assess-systems/:id/export.xlsx", &perm_assess_view, assess_export_route},
    {M_POST, "/api/v1/assess-systems/:id/import", &perm_assess_manage, assess_import_route},
    {M_POST, "/api/v1/assess-systems/import", &perm_assess_manage, assess_import_new_route},
    {M_POST, "/api/v1/assess-systems/default", &perm_assess_manage, assess_default_route},
    {M_GET, "/api/v1/assess/metrics", &perm_assess_view, assess_metrics_route},
};

static const struct flow_kind *const kinds[] = {&assess_system_kind};

static const struct entity *const entities[] = {&entity_assess_systems, &entity_assess_indicators};

static const struct menu_item menu[] = {
    {"assess", "/assess-systems", "entity", "考核指标体系", "Indicator systems", "List",
     &perm_assess_view, 10, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"assess_system", "考核指标体系", "Indicator system"},
    {"assess_indicator", "考核指标", "Indicator"},
    {"assess_system.import", "导入指标体系表", "Import the system's sheet"},
};

const struct module assess_module = {
    .name = "assess",
    .zh = "年度考核",
    .en = "Assessment",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .kinds = kinds,
    .n_kinds = MODULE_N(kinds),
    .demo = assess_demo,
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
