/* litigation_module.c — the 行政应诉 module's declarations (http/module.h): permissions and
 * grants, the tables, the entities (cases and their hearings) and the kind (whose routes are
 * generated), the menu entry and the demo data. */
#include "features/litigation/litigation.h"
#include "store/dataver.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_litigation_view = {
    "litigation.view", "litigation", "查看行政应诉案件", "View litigation cases", 0, 0};
struct perm_def perm_litigation_work = {"litigation.work",
                                        "litigation",
                                        "办理本单位行政应诉案件",
                                        "Handle the unit's litigation cases",
                                        0,
                                        0};
struct perm_def perm_litigation_manage = {"litigation.manage",
                                          "litigation",
                                          "办理全部行政应诉案件（依法治区办）",
                                          "Handle every litigation case (the office)",
                                          0,
                                          0};
static struct perm_def *const perms[] = {&perm_litigation_view, &perm_litigation_work,
                                         &perm_litigation_manage};

/* A defendant unit's clerks register their cases, defences, hearings, judgments and appeals;
 * the office may act for any unit; leaders, reviewers and inspectors read. */
static const struct perm_grant grants[] = {
    {"office", "litigation.view litigation.work litigation.manage"},
    {"clerk", "litigation.view litigation.work"},
    {"leader", "litigation.view"},
    {"reviewer", "litigation.view"},
    {"inspector", "litigation.view"},
};

static const struct migration migrations[] = {
    {1, "litigation cases, their hearings and timeline",
     "CREATE TABLE litigations ("
     " id @ID@, case_no TEXT UNIQUE, court_case_no TEXT NOT NULL, court TEXT NOT NULL,"
     " instance TEXT NOT NULL, cause TEXT NOT NULL,"
     " defendant_unit_id BIGINT NOT NULL REFERENCES units(id), filed_on TEXT NOT NULL,"
     " served_on TEXT NOT NULL, claim TEXT NOT NULL, defence_on TEXT, result TEXT,"
     " judged_on TEXT, judgment_note TEXT NOT NULL DEFAULT '', appealed_on TEXT,"
     " appellant TEXT, first_court TEXT, first_case_no TEXT, first_result TEXT,"
     " first_judged_on TEXT, closed_at TEXT, status TEXT NOT NULL,"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     /* a unit's page by date, the office's by date, by state and by result (the metrics) */
     "CREATE INDEX litigations_unit ON litigations(defendant_unit_id, filed_on);"
     "CREATE INDEX litigations_filed ON litigations(filed_on);"
     "CREATE INDEX litigations_status ON litigations(status, filed_on);"
     "CREATE INDEX litigations_result ON litigations(result, filed_on);"
     "CREATE TABLE litigation_hearings ("
     " id @ID@, litigation_id BIGINT NOT NULL REFERENCES litigations(id), instance TEXT,"
     " held_on TEXT NOT NULL, court_room TEXT NOT NULL DEFAULT '',"
     " head_appeared BIGINT NOT NULL DEFAULT 0, head_name TEXT NOT NULL DEFAULT '',"
     " head_position TEXT NOT NULL DEFAULT '', absence_reason TEXT NOT NULL DEFAULT '',"
     " attendees TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX litigation_hearings_case ON litigation_hearings(litigation_id, held_on);"
     "CREATE INDEX litigation_hearings_held ON litigation_hearings(held_on);"
     "CREATE TABLE litigation_events ("
     " id @ID@, litigation_id BIGINT NOT NULL REFERENCES litigations(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX litigation_events_case ON litigation_events(litigation_id, id);",
     NULL, NULL},
    /* list pages are kept (entity cache_deps): every write to the register's tables bumps its name
     */
    {2, "register pages are kept: its tables bump the litigation data version", NULL,
     DV_SQLITE_ALL("litigations", "litigation") DV_SQLITE_ALL("litigation_hearings", "litigation")
         DV_SQLITE_ALL("litigation_events", "litigation"),
     DV_PG_ALL("litigations", "litigation") DV_PG_ALL("litigation_hearings", "litigation")
         DV_PG_ALL("litigation_events", "litigation")},
};

static const struct copy_table tables[] = {
    {"litigations", "id", 1},
    {"litigation_hearings", "id", 1},
    {"litigation_events", "id", 1},
};

static const struct entity *const entities[] = {&entity_litigations, &entity_litigation_hearings};
static const struct flow_kind *const kinds[] = {&litigation_kind};

static const struct menu_item menu[] = {
    {"cases", "/litigations", "entity", "行政应诉", "Litigation", "Document", &perm_litigation_view,
     40, 0, NULL},
    /* every hearing in the caller's scope (the drill-down of 出庭应诉率); also on each case's page
     */
    {"cases", "/litigation-hearings", "entity", "应诉庭审", "Litigation hearings", "Calendar",
     &perm_litigation_view, 41, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"litigation", "行政应诉案件", "Litigation case"},
    {"litigation_hearing", "应诉庭审", "Litigation hearing"},
};

const struct module litigation_module = {
    .name = "litigation",
    .zh = "行政应诉",
    .en = "Administrative litigation",
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
    .demo = litigation_demo,
    .demo_scale = litigation_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
