/* mediation_module.c — the 矛盾纠纷 (人民调解) module's declarations (http/module.h): permissions
 * and grants, the 30-day target (a setting), the tables, the entities and the kind (whose routes
 * are generated), the menu entry and the demo data. */
#include "features/mediation/mediation.h"
#include "store/dataver.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_mediation_view = {"mediation.view",       "mediation", "查看矛盾纠纷调解案件",
                                       "View mediation cases", 0,           0};
struct perm_def perm_mediation_work = {
    "mediation.work", "mediation", "受理调解矛盾纠纷", "Take and mediate disputes", 0, 0};
struct perm_def perm_mediation_manage = {
    "mediation.manage", "mediation", "管理矛盾纠纷调解台账", "Manage the mediation register", 0, 0};
static struct perm_def *const perms[] = {&perm_mediation_view, &perm_mediation_work,
                                         &perm_mediation_manage};

/* The office runs the register (every unit's cases, routing any of them); a unit's clerks take,
 * route and mediate their unit's cases; leaders, reviewers and inspectors read. */
static const struct perm_grant grants[] = {
    {"office", "mediation.view mediation.work mediation.manage"},
    {"clerk", "mediation.view mediation.work"},
    {"leader", "mediation.view"},
    {"reviewer", "mediation.view"},
    {"inspector", "mediation.view"},
};

static const struct setting_def settings[] = {
    {"mediation.days", SETTING_INT, "30", 1, 365, "setting.manage", "mediation",
     "人民调解期限（日）", "Mediation: target (days)",
     "默认 30 日（《人民调解工作若干规定》：人民调解委员会调解纠纷，一般在一个月内调结），"
     "自受理之日起计算，末日为节假日的顺延至节后第一个工作日"},
};

static const struct migration migrations[] = {
    {1, "mediation cases, their sessions and their timeline",
     "CREATE TABLE mediations ("
     " id @ID@, case_no TEXT UNIQUE, received_on TEXT NOT NULL, source TEXT NOT NULL,"
     " dispute_type TEXT NOT NULL, summary TEXT NOT NULL,"
     " accepting_unit_id BIGINT REFERENCES units(id),"
     " handling_unit_id BIGINT REFERENCES units(id), grade TEXT, level TEXT,"
     " status TEXT NOT NULL, outcome TEXT, agreed_on TEXT, agreement_terms TEXT,"
     " performance TEXT, judicial_confirmed BIGINT NOT NULL DEFAULT 0, confirmed_on TEXT,"
     " failure_reason TEXT, referred_to TEXT, concluded_on TEXT, visited_on TEXT,"
     " visit_note TEXT, archive_no TEXT UNIQUE, archived_on TEXT,"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     /* a unit's page by date, the office's by date and by state */
     "CREATE INDEX mediations_unit ON mediations(handling_unit_id, received_on);"
     "CREATE INDEX mediations_received ON mediations(received_on);"
     "CREATE INDEX mediations_status ON mediations(status, received_on);"
     "CREATE TABLE mediation_sessions ("
     " id @ID@, mediation_id BIGINT NOT NULL REFERENCES mediations(id), held_on TEXT NOT NULL,"
     " place TEXT NOT NULL, mediators TEXT NOT NULL, summary TEXT NOT NULL,"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX mediation_sessions_case ON mediation_sessions(mediation_id, held_on);"
     "CREATE TABLE mediation_events ("
     " id @ID@, mediation_id BIGINT NOT NULL REFERENCES mediations(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX mediation_events_case ON mediation_events(mediation_id, id);",
     NULL, NULL},
    /* list pages are kept (entity cache_deps): every write to the register's tables bumps its name
     */
    {2, "register pages are kept: its tables bump the mediation data version", NULL,
     DV_SQLITE_ALL("mediations", "mediation") DV_SQLITE_ALL("mediation_sessions", "mediation")
         DV_SQLITE_ALL("mediation_events", "mediation"),
     DV_PG_ALL("mediations", "mediation") DV_PG_ALL("mediation_sessions", "mediation")
         DV_PG_ALL("mediation_events", "mediation")},
};

static const struct copy_table tables[] = {
    {"mediations", "id", 1},
    {"mediation_sessions", "id", 1},
    {"mediation_events", "id", 1},
};

static const struct entity *const entities[] = {&entity_mediations, &entity_mediation_sessions};
static const struct flow_kind *const kinds[] = {&mediation_kind};

static const struct menu_item menu[] = {
    {"cases", "/mediations", "entity", "矛盾纠纷调解", "Dispute mediation", "Connection",
     &perm_mediation_view, 20, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"mediation", "矛盾纠纷调解", "Mediation case"},
    {"mediation_session", "调解记录", "Mediation session"},
};

const struct module mediation_module = {
    .name = "mediation",
    .zh = "矛盾纠纷调解",
    .en = "Dispute mediation",
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
    .demo = mediation_demo,
    .demo_scale = mediation_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
