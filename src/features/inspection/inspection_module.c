/* inspection_module.c — the 法治督察 plans module's declarations (http/module.h): permissions and
 * grants, the setting of the rectification report period, the tables, the entities and the two
 * kinds (whose routes are generated), the evidence's read check, the menu entries and the demo. */
#include "features/inspection/inspection.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_inspection_view = {"inspection.view",
                                        "inspection",
                                        "查看督察方案与记录",
                                        "View inspection plans and records",
                                        0,
                                        0};
struct perm_def perm_inspection_work = {"inspection.work",
                                        "inspection",
                                        "实施督察（登记督察记录、反馈意见）",
                                        "Carry out inspections (records, feedback)",
                                        0,
                                        0};
struct perm_def perm_inspection_manage = {"inspection.manage",
                                          "inspection",
                                          "制定、报批、通知督察方案",
                                          "Draw up, approve and notify inspection plans",
                                          0,
                                          0};
static struct perm_def *const perms[] = {&perm_inspection_view, &perm_inspection_work,
                                         &perm_inspection_manage};

/* The office draws the plans up and runs them; inspectors carry them out (the plans they are
 * on); leaders read; a unit's clerks read the plans naming their unit and acknowledge the
 * notice. Reviewers: none. */
static const struct perm_grant grants[] = {
    {"office", "inspection.view inspection.work inspection.manage"},
    {"inspector", "inspection.view inspection.work file.upload"}, /* evidence of records */
    {"leader", "inspection.view"},
    {"clerk", "inspection.view"},
};

static const struct setting_def settings[] = {
    {"inspection.report_days", SETTING_INT, "15", 1, 180, "setting.manage", "inspection",
     "督察整改报告期限（日）", "Rectification report period (days)",
     "方案未规定期限的，被督察单位自收到督察反馈意见之日起 15 日内报送整改情况（法治督察工作规定的"
     "通常做法）；方案规定了期限的，按方案"},
};

static const struct migration migrations[] = {
    {1, "inspection plans, their timeline, items, team, targets and records",
     "CREATE TABLE inspection_plans ("
     " id @ID@, plan_no TEXT UNIQUE, plan_type TEXT NOT NULL,"
     " parent_id BIGINT REFERENCES inspection_plans(id), year BIGINT NOT NULL,"
     " title TEXT NOT NULL, unit_id BIGINT REFERENCES units(id),"
     " scope_text TEXT NOT NULL DEFAULT '', purpose TEXT NOT NULL DEFAULT '',"
     " methods TEXT NOT NULL DEFAULT '', start_on TEXT NOT NULL, end_on TEXT NOT NULL,"
     " prepare TEXT NOT NULL DEFAULT '', report_days BIGINT, status TEXT NOT NULL,"
     " notified_on TEXT, started_on TEXT, feedback_on TEXT, completed_on TEXT,"
     " stop_reason TEXT NOT NULL DEFAULT '', created_by BIGINT REFERENCES users(id),"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX inspection_plans_start ON inspection_plans(start_on);"
     "CREATE INDEX inspection_plans_status ON inspection_plans(status, start_on);"
     "CREATE INDEX inspection_plans_year ON inspection_plans(year, plan_type);"
     "CREATE INDEX inspection_plans_parent ON inspection_plans(parent_id);"
     "CREATE TABLE inspection_plan_events ("
     " id @ID@, plan_id BIGINT NOT NULL REFERENCES inspection_plans(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX inspection_plan_events_plan ON inspection_plan_events(plan_id, id);"
     "CREATE TABLE inspection_items ("
     " id @ID@, plan_id BIGINT NOT NULL REFERENCES inspection_plans(id), seq BIGINT NOT NULL,"
     " content TEXT NOT NULL, basis TEXT NOT NULL, method TEXT,"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX inspection_items_plan ON inspection_items(plan_id, seq);"
     "CREATE TABLE inspection_team ("
     " id @ID@, plan_id BIGINT NOT NULL REFERENCES inspection_plans(id),"
     " inspector_id BIGINT NOT NULL REFERENCES inspectors(id), role TEXT NOT NULL,"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE UNIQUE INDEX inspection_team_member ON inspection_team(plan_id, inspector_id);"
     "CREATE INDEX inspection_team_inspector ON inspection_team(inspector_id, plan_id);"
     "CREATE TABLE inspection_targets ("
     " id @ID@, plan_id BIGINT NOT NULL REFERENCES inspection_plans(id),"
     " unit_id BIGINT NOT NULL REFERENCES units(id), planned_on TEXT, status TEXT NOT NULL,"
     " notified_at TEXT, acknowledged_at TEXT, acknowledged_by BIGINT REFERENCES users(id),"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE UNIQUE INDEX inspection_targets_unit ON inspection_targets(plan_id, unit_id);"
     "CREATE INDEX inspection_targets_by_unit ON inspection_targets(unit_id, plan_id);"
     "CREATE TABLE inspection_records ("
     " id @ID@, plan_id BIGINT NOT NULL REFERENCES inspection_plans(id),"
     " unit_id BIGINT NOT NULL REFERENCES units(id), method TEXT NOT NULL,"
     " inspected_on TEXT NOT NULL, participants TEXT NOT NULL DEFAULT '',"
     " checked TEXT NOT NULL, conclusion TEXT NOT NULL DEFAULT '',"
     " case_review_id BIGINT REFERENCES case_reviews(id), created_by BIGINT REFERENCES users(id),"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX inspection_records_plan ON inspection_records(plan_id, inspected_on);"
     "CREATE INDEX inspection_records_unit ON inspection_records(unit_id, inspected_on);",
     NULL, NULL},
};

static const struct copy_table tables[] = {
    {"inspection_plans", "id", 1},   {"inspection_plan_events", "id", 1},
    {"inspection_items", "id", 1},   {"inspection_team", "id", 1},
    {"inspection_targets", "id", 1}, {"inspection_records", "id", 1},
};

static const struct module_file_owner file_owners[] = {
    {"inspection_record", inspection_record_file_readable},
};

static const struct entity *const entities[] = {
    &entity_inspection_plans,   &entity_inspection_items,   &entity_inspection_team,
    &entity_inspection_targets, &entity_inspection_records,
};
static const struct flow_kind *const kinds[] = {&inspection_plan_kind, &inspection_target_kind};

static const struct menu_item menu[] = {
    {"inspection", "/inspection-plans", "entity", "督察方案", "Inspection plans", "Document",
     &perm_inspection_view, 10, 0, NULL},
    {"inspection", "/inspection-targets", "entity", "督察通知", "Inspection notices", "Bell",
     &perm_inspection_view, 11, 0, NULL},
    {"inspection", "/inspection-records", "entity", "督察记录", "Inspection records", "Notebook",
     &perm_inspection_view, 12, 0, NULL},
    /* every plan's items in one list: where the office imports a plan's items from Excel */
    {"inspection", "/inspection-items", "entity", "督察事项", "Inspection items", "List",
     &perm_inspection_view, 13, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"inspection_plan", "督察方案", "Inspection plan"},
    {"inspection_item", "督察事项", "Inspection item"},
    {"inspection_member", "督察组成员", "Inspection team member"},
    {"inspection_target", "被督察单位", "Inspected unit"},
    {"inspection_record", "督察记录", "Inspection record"},
};

const struct module inspection_module = {
    .name = "inspection",
    .zh = "督察方案",
    .en = "Inspection plans",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .settings = settings,
    .n_settings = MODULE_N(settings),
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
    .file_owners = file_owners,
    .n_file_owners = MODULE_N(file_owners),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .kinds = kinds,
    .n_kinds = MODULE_N(kinds),
    .demo = inspection_demo,
    .demo_scale = inspection_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
