/* org_module.c — the org module's declarations (http/module.h): permissions and their
 * grants, settings, routes and menu entries. */
#include "features/org/org.h"
#include "features/org/org_http.h"
#include "http/module.h"

/* Rows leave trailing fields out (route flags, setting secrecy): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_unit_read = {"unit.read", "org", "查看机构", "View units", 0, 0};
struct perm_def perm_unit_manage = {"unit.manage", "org", "管理机构", "Manage units", 0, 0};
struct perm_def perm_person_read = {"person.read", "org", "查看人员", "View people", 0, 0};
struct perm_def perm_person_manage = {"person.manage", "org", "管理人员", "Manage people", 0, 0};
struct perm_def perm_person_reveal = {
    "person.reveal", "org", "查看完整个人信息", "See unmasked personal data", 0, 0};
static struct perm_def *const perms[] = {&perm_unit_read, &perm_unit_manage, &perm_person_read,
                                         &perm_person_manage, &perm_person_reveal};

static const struct perm_grant grants[] = {
    {"sysadmin", "unit.read unit.manage person.read person.manage"},
    {"secadmin", "unit.read"},
    {"office", "unit.read unit.manage person.read person.manage person.reveal"},
    {"leader", "unit.read person.read"},
    {"reviewer", "unit.read person.read"},
    {"inspector", "unit.read person.read"},
    {"clerk", "unit.read person.read person.manage"},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/unit-kinds", &perm_unit_read, unit_kinds_list},
    {M_GET, "/api/v1/units/tree", &perm_unit_read, units_tree},
    {M_POST, "/api/v1/units/:id/deactivate", &perm_unit_manage, units_deactivate},
    {M_POST, "/api/v1/units/:id/activate", &perm_unit_manage, units_activate},
    {M_GET, "/api/v1/people/:id/phone", &perm_person_reveal, people_phone},
};

/* list, get, create, update, delete and export.xlsx of each: generated (org_entities.c) */
static const struct entity *const entities[] = {&entity_units, &entity_people};

static const struct menu_item menu[] = {
    {"org", "/org/units", "units", "机构管理", "Units", "OfficeBuilding", &perm_unit_read, 10, 0,
     NULL},
    {"org", "/org/people", "people", "人员与第一责任人", "People", "Avatar", &perm_person_read, 20,
     0, NULL},
};

static const struct audit_name audit_names[] = {
    {"unit", "机构", "Unit"},
    {"person", "人员", "Person"},
    {"unit.create", "新增机构", "Create unit"},
    {"unit.activate", "启用机构", "Activate unit"},
    {"unit.deactivate", "停用机构", "Deactivate unit"},
    {"person.create", "新增人员", "Add person"},
    {"person.reveal", "查看完整电话", "Reveal phone number"},
};

static const struct sealed_column sealed[] = {{"people", "phone_enc"}};

/* people.user_id: a person's own account (a first responsible person told of an escalated
 * finding, features/finding) */
static const struct migration migrations[] = {
    {1, "people.user_id: the person's own account",
     "ALTER TABLE people ADD COLUMN user_id BIGINT REFERENCES users(id);", NULL, NULL},
};

const struct module org_module = {
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .name = "org",
    .zh = "组织机构",
    .en = "Organisation",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
    .sealed = sealed,
    .n_sealed = MODULE_N(sealed),
};
