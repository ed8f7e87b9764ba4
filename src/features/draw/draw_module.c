/* draw_module.c — the 双随机 module's declarations (http/module.h): permissions and grants, the
 * directories' tables and entities, the menu entries. */
#include "features/draw/draw.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_draw_view = {
    "draw.view", "draw", "查看双随机名录与抽取", "View the random-inspection directories and draws",
    0,           0};
struct perm_def perm_draw_manage = {"draw.manage",
                                    "draw",
                                    "管理名录、发起与公布抽取",
                                    "Keep the directories, commit and publish draws",
                                    0,
                                    0};
static struct perm_def *const perms[] = {&perm_draw_view, &perm_draw_manage};

/* The office keeps the directories and runs the draws; inspectors and leaders read them. */
static const struct perm_grant grants[] = {
    {"office", "draw.view draw.manage"},
    {"leader", "draw.view"},
    {"inspector", "draw.view"},
};

static const struct migration migrations[] = {
    {1, "the directories of inspectors and inspectable objects",
     "CREATE TABLE inspectors ("
     " id @ID@, name TEXT NOT NULL, category TEXT NOT NULL,"
     " unit_id BIGINT REFERENCES units(id), employer TEXT NOT NULL DEFAULT '',"
     " title TEXT NOT NULL DEFAULT '', qualifications TEXT NOT NULL DEFAULT '',"
     " cert_no TEXT NOT NULL DEFAULT '', user_id BIGINT REFERENCES users(id),"
     " active BIGINT NOT NULL DEFAULT 1, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX inspectors_unit ON inspectors(unit_id);"
     "CREATE INDEX inspectors_user ON inspectors(user_id);"
     "CREATE TABLE inspect_objects ("
     " id @ID@, name TEXT NOT NULL, object_type TEXT NOT NULL, code TEXT NOT NULL DEFAULT '',"
     " domain TEXT NOT NULL, unit_id BIGINT REFERENCES units(id), risk TEXT NOT NULL,"
     " address TEXT NOT NULL DEFAULT '', active BIGINT NOT NULL DEFAULT 1,"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX inspect_objects_domain ON inspect_objects(domain, object_type, risk);"
     "CREATE INDEX inspect_objects_unit ON inspect_objects(unit_id);",
     NULL, NULL},
};

static const struct copy_table tables[] = {
    {"inspectors", "id", 1},
    {"inspect_objects", "id", 1},
};

static const struct entity *const entities[] = {&entity_inspectors, &entity_inspect_objects};

static const struct menu_item menu[] = {
    {"inspection", "/inspectors", "entity", "督察人员库", "Inspectors", "User", &perm_draw_view, 60,
     0, NULL},
    {"inspection", "/inspect-objects", "entity", "检查对象名录", "Inspectable objects",
     "OfficeBuilding", &perm_draw_view, 61, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"inspector", "督察人员", "Inspector"},
    {"inspect_object", "检查对象", "Inspectable object"},
};

const struct module draw_module = {
    .name = "draw",
    .zh = "双随机抽查",
    .en = "Random inspections",
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
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
