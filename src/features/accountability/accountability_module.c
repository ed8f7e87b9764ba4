/* accountability_module.c — the 问责 module's declarations (http/module.h): permissions and
 * grants, the table, the entity, the menu entry and the demo data. */
#include "features/accountability/accountability.h"
#include "store/dataver.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_accountability_view = {"accountability.view",
                                            "accountability",
                                            "查看问责记录（含被问责人信息）",
                                            "View accountability records (with the officials)",
                                            0,
                                            0};
struct perm_def perm_accountability_manage = {"accountability.manage",
                                              "accountability",
                                              "登记、修改问责记录",
                                              "Record and edit accountability measures",
                                              0,
                                              0};
static struct perm_def *const perms[] = {&perm_accountability_view, &perm_accountability_manage};

/* The office records the measures; leaders and inspectors read them. The officials named are
 * personal data of people under accountability: no unit's clerk reads them. */
static const struct perm_grant grants[] = {
    {"office", "accountability.view accountability.manage"},
    {"leader", "accountability.view"},
    {"inspector", "accountability.view"},
};

static const struct migration migrations[] = {
    {1, "accountability records",
     "CREATE TABLE accountabilities ("
     " id @ID@, record_no TEXT UNIQUE, finding_id BIGINT, unit_id BIGINT NOT NULL REFERENCES "
     "units(id), person_name TEXT NOT NULL DEFAULT '', person_position TEXT NOT NULL DEFAULT '',"
     " measure TEXT NOT NULL, deciding_body TEXT NOT NULL, decided_on TEXT NOT NULL,"
     " reason TEXT NOT NULL, basis TEXT NOT NULL DEFAULT '', document_no TEXT NOT NULL DEFAULT '',"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     /* a unit's period, the office's period, a finding's records */
     "CREATE INDEX accountabilities_unit ON accountabilities(unit_id, decided_on);"
     "CREATE INDEX accountabilities_decided ON accountabilities(decided_on);"
     "CREATE INDEX accountabilities_finding ON accountabilities(finding_id);",
     NULL, NULL},
    /* list pages and metrics are kept (entity cache_deps): every write bumps its name */
    {2, "register pages are kept: its table bumps the accountability data version", NULL,
     DV_SQLITE_ALL("accountabilities", "accountability"),
     DV_PG_ALL("accountabilities", "accountability")},
};

static const struct copy_table tables[] = {
    {"accountabilities", "id", 1},
};

static const struct entity *const entities[] = {&entity_accountabilities};

static const struct menu_item menu[] = {
    {"inspection", "/accountabilities", "entity", "问责记录", "Accountability", "Warning",
     &perm_accountability_view, 30, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"accountability", "问责记录", "Accountability record"},
};

const struct module accountability_module = {
    .name = "accountability",
    .zh = "问责",
    .en = "Accountability",
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
    .demo = accountability_demo,
    .demo_scale = accountability_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
