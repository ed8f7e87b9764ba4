/* catalog_module.c — the 决策事项目录 module's declarations (http/module.h): permissions and
 * grants, the tables, the two entities and kinds (whose routes are generated), the public route,
 * the menu entries, the audit names and the demo data. */
#include "features/catalog/catalog.h"
#include "features/catalog/catalog_http.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_catalog_view = {
    "catalog.view", "catalog", "查看决策事项目录", "View the decision catalogue", 0, 0};
struct perm_def perm_catalog_manage = {"catalog.manage",
                                       "catalog",
                                       "编制审定公布决策事项目录",
                                       "Draw up, approve and publish the decision catalogue",
                                       0,
                                       0};
static struct perm_def *const perms[] = {&perm_catalog_view, &perm_catalog_manage};

/* The office (政府办 / 司法局) draws the catalogue up, records its approval, publishes and
 * adjusts it; every unit reads the items it leads; leaders, reviewers, inspectors read. */
static const struct perm_grant grants[] = {
    {"office", "catalog.view catalog.manage"},
    {"clerk", "catalog.view"},
    {"leader", "catalog.view"},
    {"reviewer", "catalog.view"},
    {"inspector", "catalog.view"},
};

#define EVENTS(t, key, parent)                                                                     \
    "CREATE TABLE " t " ("                                                                         \
    " id @ID@, " key " BIGINT NOT NULL REFERENCES " parent "(id), at TEXT NOT NULL,"               \
    " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"             \
    " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"      \
    "CREATE INDEX " t "_record ON " t "(" key ", id);"

static const struct migration migrations[] = {
    {1, "decision catalogues, their items, timelines and adjustments",
     "CREATE TABLE decision_catalogues ("
     " id @ID@, year BIGINT NOT NULL UNIQUE, title TEXT NOT NULL, deciding_body TEXT NOT NULL,"
     " status TEXT NOT NULL, submitted_on TEXT, approved_on TEXT,"
     " approval_ref TEXT NOT NULL DEFAULT '', published_on TEXT,"
     " publish_channel TEXT NOT NULL DEFAULT '', created_by BIGINT REFERENCES users(id),"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     /* the year's items at once (its steps, the public answer) */
     "CREATE TABLE decision_items ("
     " id @ID@, item_no TEXT UNIQUE,"
     " catalogue_id BIGINT NOT NULL REFERENCES decision_catalogues(id), year BIGINT NOT NULL,"
     " title TEXT NOT NULL, deciding_body TEXT NOT NULL,"
     " lead_unit_id BIGINT NOT NULL REFERENCES units(id), legal_basis TEXT NOT NULL,"
     " planned_quarter TEXT NOT NULL, planned_month BIGINT, planned_on TEXT NOT NULL,"
     " matter_type TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL,"
     " published_on TEXT, adjusted_on TEXT, adjustment_note TEXT NOT NULL DEFAULT '',"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX decision_items_catalogue ON decision_items(catalogue_id, status);"
     /* a unit's page by planned time, the office's by planned time and by state */
     "CREATE INDEX decision_items_unit ON decision_items(lead_unit_id, planned_on);"
     "CREATE INDEX decision_items_planned ON decision_items(planned_on);"
     "CREATE INDEX decision_items_status ON decision_items(status, planned_on);"
     "CREATE INDEX decision_items_year ON decision_items(year, planned_on);"
     "CREATE TABLE decision_item_adjustments ("
     " id @ID@, item_id BIGINT NOT NULL REFERENCES decision_items(id),"
     " catalogue_id BIGINT NOT NULL REFERENCES decision_catalogues(id),"
     " adjust_type TEXT NOT NULL, reason TEXT NOT NULL, changes TEXT NOT NULL DEFAULT '',"
     " adjusted_on TEXT NOT NULL, actor_id BIGINT, actor_name TEXT NOT NULL,"
     " created_at TEXT NOT NULL);"
     "CREATE INDEX decision_item_adjustments_item ON decision_item_adjustments(item_id, id);"
     "CREATE INDEX decision_item_adjustments_catalogue ON "
     "decision_item_adjustments(catalogue_id, id);" EVENTS("decision_catalogue_events",
                                                           "catalogue_id", "decision_catalogues")
         EVENTS("decision_item_events", "item_id", "decision_items"),
     NULL, NULL},
};

static const struct copy_table tables[] = {
    {"decision_catalogues", "id", 1},       {"decision_items", "id", 1},
    {"decision_item_adjustments", "id", 1}, {"decision_catalogue_events", "id", 1},
    {"decision_item_events", "id", 1},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/public/decision-catalogue", &perm_public, catalog_public_route},
};

static const struct entity *const entities[] = {&entity_decision_catalogues,
                                                &entity_decision_items};
static const struct flow_kind *const kinds[] = {&decision_catalogue_kind, &decision_item_kind};

static const struct menu_item menu[] = {
    {"legality", "/decision-items", "entity", "决策事项目录", "Decision catalogue", "Memo",
     &perm_catalog_view, 20, 0, NULL},
    {"legality", "/decision-catalogues", "entity", "年度目录审定公布", "Yearly catalogues",
     "Calendar", &perm_catalog_view, 21, 0, NULL},
};

/* The items' events that are no transition of theirs: the catalogue's steps they follow, an
 * item added after publication, its decision file opened. */
static const struct audit_name audit_names[] = {
    {"decision_catalogue", "决策事项目录", "Decision catalogue"},
    {"decision_item", "决策事项", "Decision catalogue item"},
    {"decision_item.submit", "随目录报审", "Submitted with the catalogue"},
    {"decision_item.return", "随目录退回修改", "Returned with the catalogue"},
    {"decision_item.approve", "随目录审定", "Approved with the catalogue"},
    {"decision_item.publish", "随目录公布", "Published with the catalogue"},
    {"decision_item.add", "增补入目录", "Added to the published catalogue"},
    {"decision_item.file", "建立决策档案", "Decision file opened"},
};

const struct module catalog_module = {
    .name = "catalog",
    .zh = "决策事项目录",
    .en = "Decision catalogue",
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
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .kinds = kinds,
    .n_kinds = MODULE_N(kinds),
    .demo = catalog_demo,
    .demo_scale = catalog_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
