/* decision_module.c — the 重大行政决策 module's declarations (http/module.h): permissions and
 * grants, the setting of the legality review's minimum period, the tables, the entities
 * (decisions, their execution reports, the expert pool and its declared interests) and the kind
 * (whose routes are generated), the menu entries and the demo data. */
#include "features/decision/decision.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_decision_view = {"decision.view",        "decision", "查看重大行政决策",
                                      "View major decisions", 0,          0};
struct perm_def perm_decision_work = {"decision.work",
                                      "decision",
                                      "办理本单位承办的重大行政决策及分配的合法性审查",
                                      "Handle the unit's major decisions and assigned reviews",
                                      0,
                                      0};
struct perm_def perm_decision_manage = {"decision.manage",
                                        "decision",
                                        "办理全部重大行政决策、管理专家库（依法治区办）",
                                        "Handle every major decision, keep the expert pool",
                                        0,
                                        0};
static struct perm_def *const perms[] = {&perm_decision_view, &perm_decision_work,
                                         &perm_decision_manage};

/* The lead units' clerks walk their decisions; the legality reviewer (审核员) reviews what is
 * sent to them; the office may act for any unit and keeps the expert pool; leaders and
 * inspectors read. */
static const struct perm_grant grants[] = {
    {"office", "decision.view decision.work decision.manage"},
    {"clerk", "decision.view decision.work"},
    {"reviewer", "decision.view decision.work"},
    {"leader", "decision.view"},
    {"inspector", "decision.view"},
};

static const struct setting_def settings[] = {
    {"decision.review_min_days", SETTING_INT, "7", 7, 60, "setting.manage", "decision",
     "重大行政决策合法性审查最短期限（工作日）",
     "Legality review of decisions: minimum (working days)",
     "默认 7 个工作日（重大行政决策程序暂行条例第二十七条：送请合法性审查，应当保证必要的审查时间，"
     "一般不少于7个工作日）；可调高，不得低于7"},
};

static const struct migration migrations[] = {
    {1, "major decisions, their steps, experts, execution reports and timeline",
     "CREATE TABLE decisions ("
     " id @ID@, decision_no TEXT UNIQUE, title TEXT NOT NULL, item_id BIGINT,"
     " lead_unit_id BIGINT NOT NULL REFERENCES units(id), started_on TEXT NOT NULL,"
     " summary TEXT NOT NULL DEFAULT '', participation_form TEXT, consultation_id BIGINT,"
     " risk_unit_id BIGINT REFERENCES units(id), reviewer_id BIGINT REFERENCES users(id),"
     " review_days BIGINT, review_version BIGINT, review_opinion TEXT, reviewed_version BIGINT,"
     " decided_on TEXT, decision_result TEXT, days_to_decision BIGINT, published_on TEXT,"
     " exec_unit_id BIGINT REFERENCES units(id), evaluator_unit_id BIGINT REFERENCES units(id),"
     " status TEXT NOT NULL, created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     /* a unit's page by date, the office's by date and by state, a reviewer's, an item's */
     "CREATE INDEX decisions_unit ON decisions(lead_unit_id, started_on);"
     "CREATE INDEX decisions_started ON decisions(started_on);"
     "CREATE INDEX decisions_status ON decisions(status, started_on);"
     "CREATE INDEX decisions_reviewer ON decisions(reviewer_id, started_on);"
     "CREATE INDEX decisions_item ON decisions(item_id);"
     "CREATE TABLE decision_steps ("
     " id @ID@, decision_id BIGINT NOT NULL REFERENCES decisions(id), step TEXT NOT NULL,"
     " state TEXT NOT NULL, on_date TEXT NOT NULL, draft_version BIGINT NOT NULL DEFAULT 0,"
     " reason TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '{}',"
     " actor_id BIGINT, created_at TEXT NOT NULL);"
     "CREATE UNIQUE INDEX decision_steps_step ON decision_steps(decision_id, step);"
     "CREATE INDEX decision_steps_state ON decision_steps(state, decision_id);"
     "CREATE TABLE experts ("
     " id @ID@, name TEXT NOT NULL, specialty TEXT NOT NULL, title TEXT NOT NULL DEFAULT '',"
     " employer TEXT NOT NULL, expertise TEXT NOT NULL DEFAULT '',"
     " active BIGINT NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX experts_specialty ON experts(specialty, active);"
     "CREATE TABLE expert_interests ("
     " id @ID@, expert_id BIGINT NOT NULL REFERENCES experts(id),"
     " decision_id BIGINT NOT NULL REFERENCES decisions(id), interest TEXT NOT NULL,"
     " declared_on TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX expert_interests_expert ON expert_interests(expert_id, decision_id);"
     "CREATE INDEX expert_interests_decision ON expert_interests(decision_id);"
     "CREATE TABLE decision_experts ("
     " id @ID@, decision_id BIGINT NOT NULL REFERENCES decisions(id),"
     " expert_id BIGINT NOT NULL REFERENCES experts(id), how TEXT NOT NULL,"
     " created_at TEXT NOT NULL);"
     "CREATE UNIQUE INDEX decision_experts_pair ON decision_experts(decision_id, expert_id);"
     "CREATE TABLE decision_reports ("
     " id @ID@, decision_id BIGINT NOT NULL REFERENCES decisions(id),"
     " unit_id BIGINT REFERENCES units(id), reported_on TEXT NOT NULL, progress TEXT NOT NULL,"
     " content TEXT NOT NULL, problems TEXT NOT NULL DEFAULT '',"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX decision_reports_decision ON decision_reports(decision_id, reported_on);"
     "CREATE INDEX decision_reports_reported ON decision_reports(reported_on);"
     "CREATE TABLE decision_events ("
     " id @ID@, decision_id BIGINT NOT NULL REFERENCES decisions(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX decision_events_decision ON decision_events(decision_id, id);",
     NULL, NULL},
};

static const struct copy_table tables[] = {
    {"decisions", "id", 1},        {"decision_steps", "id", 1},   {"experts", "id", 1},
    {"expert_interests", "id", 1}, {"decision_experts", "id", 1}, {"decision_reports", "id", 1},
    {"decision_events", "id", 1},
};

static const struct entity *const entities[] = {&entity_decisions, &entity_decision_reports,
                                                &entity_experts, &entity_expert_interests};
static const struct flow_kind *const kinds[] = {&decision_kind};

static const struct menu_item menu[] = {
    {"legality", "/decisions", "entity", "重大行政决策", "Major decisions", "Stamp",
     &perm_decision_view, 10, 0, NULL},
    {"legality", "/experts", "entity", "专家库", "Expert pool", "UserFilled", &perm_decision_view,
     11, 0, NULL},
    /* reached from a decision's page (its execution reports) and an expert's (interests) */
    {"legality", "/decision-reports", "entity", "决策执行情况", "Execution reports", "Document",
     &perm_decision_view, 12, 1, "/decisions"},
    {"legality", "/expert-interests", "entity", "利害关系申报", "Declared interests", "Warning",
     &perm_decision_view, 13, 1, "/experts"},
};

static const struct audit_name audit_names[] = {
    {"decision", "重大行政决策", "Major decision"},
    {"decision_report", "决策执行情况", "Decision execution report"},
    {"expert", "决策咨询专家", "Expert"},
    {"expert_interest", "专家利害关系申报", "Expert's declared interest"},
    /* an attempt the engine refused, kept on the file's timeline (decision_demo.c) */
};

const struct module decision_module = {
    .name = "decision",
    .zh = "重大行政决策",
    .en = "Major administrative decisions",
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
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .kinds = kinds,
    .n_kinds = MODULE_N(kinds),
    .demo = decision_demo,
    .demo_scale = decision_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
