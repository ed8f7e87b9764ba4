/* reconsider_module.c — the 行政复议 module's declarations (http/module.h): permissions and
 * grants, the tables, the entity and the kind (whose routes are generated), the menu entry and
 * the demo data. */
#include "features/reconsider/reconsider.h"
#include "store/dataver.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_reconsider_view = {
    "reconsider.view", "reconsider", "查看行政复议案件", "View reconsideration cases", 0, 0};
struct perm_def perm_reconsider_work = {"reconsider.work",
                                        "reconsider",
                                        "办理行政复议答复（被申请人）",
                                        "Answer reconsideration cases (respondent)",
                                        0,
                                        0};
struct perm_def perm_reconsider_manage = {"reconsider.manage",
                                          "reconsider",
                                          "登记审理行政复议案件（复议机构）",
                                          "Register and decide reconsideration cases",
                                          0,
                                          0};
static struct perm_def *const perms[] = {&perm_reconsider_view, &perm_reconsider_work,
                                         &perm_reconsider_manage};

/* The reconsideration body's office registers, reviews, hears, decides and closes; the
 * respondent unit's clerks read their cases and answer; leaders and reviewers read. */
static const struct perm_grant grants[] = {
    {"office", "reconsider.view reconsider.work reconsider.manage"},
    {"clerk", "reconsider.view reconsider.work"},
    {"leader", "reconsider.view"},
    {"reviewer", "reconsider.view"},
    {"inspector", "reconsider.view"},
};

static const struct migration migrations[] = {
    {1, "reconsideration cases and their timeline",
     "CREATE TABLE reconsiderations ("
     " id @ID@, case_no TEXT UNIQUE, received_on TEXT NOT NULL, knew_on TEXT NOT NULL,"
     " respondent_unit_id BIGINT NOT NULL REFERENCES units(id), act_type TEXT NOT NULL,"
     " act TEXT NOT NULL, request TEXT NOT NULL, procedure_type TEXT, accepted_on TEXT,"
     " late_reason TEXT NOT NULL DEFAULT '', answered_on TEXT, hearing_on TEXT,"
     " extended_days BIGINT NOT NULL DEFAULT 0, decision_type TEXT, decided_on TEXT,"
     " decision_note TEXT NOT NULL DEFAULT '', closed_at TEXT, status TEXT NOT NULL,"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     /* a unit's page by date, the office's by date, by state and by decision (the metrics) */
     "CREATE INDEX reconsiderations_unit ON reconsiderations(respondent_unit_id, received_on);"
     "CREATE INDEX reconsiderations_received ON reconsiderations(received_on);"
     "CREATE INDEX reconsiderations_status ON reconsiderations(status, received_on);"
     "CREATE INDEX reconsiderations_decision ON reconsiderations(decision_type, received_on);"
     "CREATE TABLE reconsideration_events ("
     " id @ID@, reconsideration_id BIGINT NOT NULL REFERENCES reconsiderations(id),"
     " at TEXT NOT NULL, actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL,"
     " unit_id BIGINT, action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',"
     " detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX reconsideration_events_case ON reconsideration_events(reconsideration_id, id);",
     NULL, NULL},
    /* list pages are kept (entity cache_deps): every write to the register's tables bumps its name
     */
    {2, "register pages are kept: its tables bump the reconsider data version", NULL,
     DV_SQLITE_ALL("reconsiderations", "reconsider")
         DV_SQLITE_ALL("reconsideration_events", "reconsider"),
     DV_PG_ALL("reconsiderations", "reconsider") DV_PG_ALL("reconsideration_events", "reconsider")},
};

static const struct copy_table tables[] = {
    {"reconsiderations", "id", 1},
    {"reconsideration_events", "id", 1},
};

static const struct entity *const entities[] = {&entity_reconsiderations};
static const struct flow_kind *const kinds[] = {&reconsideration_kind};

static const struct menu_item menu[] = {
    {"cases", "/reconsiderations", "entity", "行政复议", "Reconsideration", "Memo",
     &perm_reconsider_view, 30, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"reconsideration", "行政复议案件", "Reconsideration case"},
};

const struct module reconsider_module = {
    .name = "reconsider",
    .zh = "行政复议",
    .en = "Administrative reconsideration",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
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
    .demo = reconsideration_demo,
    .demo_scale = reconsideration_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
