/* dict_module.c — the data dictionary's declarations (http/module.h): permissions, grants,
 * migrations, copy tables, entities (their routes are generated) and the menu entry. */
#include "features/dict/dict_impl.h"
#include "features/entity/entity.h"
#include "http/module.h"
#include "store/dataver.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_dict_read = {"dict.read", "system", "查看数据字典", "View the data dictionary",
                                  0,           0};
struct perm_def perm_dict_manage = {
    "dict.manage", "system", "维护数据字典", "Maintain the data dictionary", 1, 0};
static struct perm_def *const perms[] = {&perm_dict_read, &perm_dict_manage};

/* the system administrator keeps the lists; the office reads them (its categories) */
static const struct perm_grant grants[] = {
    {"sysadmin", "dict.read dict.manage"},
    {"office", "dict.read"},
};

static const struct migration migrations[] = {
    {1, "the data dictionary: types and items, their data version",
     "CREATE TABLE dict_types ("
     " id @ID@, code TEXT NOT NULL UNIQUE, zh TEXT NOT NULL, en TEXT NOT NULL,"
     " fixed BIGINT NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
     " version BIGINT NOT NULL DEFAULT 1);"
     "CREATE TABLE dict_items ("
     " id @ID@, type_id BIGINT NOT NULL REFERENCES dict_types(id), code TEXT NOT NULL,"
     " zh TEXT NOT NULL, en TEXT NOT NULL DEFAULT '', sort_order BIGINT NOT NULL DEFAULT 0,"
     " enabled BIGINT NOT NULL DEFAULT 1, tag TEXT NOT NULL DEFAULT '',"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1,"
     " UNIQUE (type_id, code));",
     DV_SQLITE_ALL("dict_types", "dict") DV_SQLITE_ALL("dict_items", "dict"),
     DV_PG_ALL("dict_types", "dict") DV_PG_ALL("dict_items", "dict")},
};

static const struct copy_table tables[] = {
    {"dict_types", "id", 1},
    {"dict_items", "id", 1},
};

static const struct entity *const entities[] = {&entity_dict_types, &entity_dict_items};

static const struct menu_item menu[] = {
    {"system", "/system/dict-items", "entity", "数据字典", "Data dictionary", "Collection",
     &perm_dict_read, 35, 0, NULL},
};

const struct module dict_module = {
    .name = "dict",
    .zh = "数据字典",
    .en = "Data dictionary",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .menu = menu,
    .n_menu = MODULE_N(menu),
};
