/* campaign_module.c — the 专项行动 (五项行动) module's declarations (http/module.h): permissions
 * and grants, the tables, the entities (campaigns, their items) and the kind, the tagging route,
 * the menu entry and the demo's five campaigns. Registered after the registers it tags (its demo
 * tags their records). */
#include "features/campaign/campaign.h"
#include "features/campaign/campaign_http.h"
#include "store/dataver.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_campaign_view = {"campaign.view",  "campaign", "查看专项行动",
                                      "View campaigns", 0,          0};
struct perm_def perm_campaign_work = {
    "campaign.work", "campaign", "纳入专项行动事项", "Tag records with campaigns", 0, 0};
struct perm_def perm_campaign_manage = {"campaign.manage",  "campaign", "管理专项行动",
                                        "Manage campaigns", 0,          0};
static struct perm_def *const perms[] = {&perm_campaign_view, &perm_campaign_work,
                                         &perm_campaign_manage};

/* The office sets campaigns up and ends them; a unit's clerks tag their unit's records with the
 * campaigns their unit owns; leaders, reviewers and inspectors read. */
static const struct perm_grant grants[] = {
    {"office", "campaign.view campaign.work campaign.manage"},
    {"clerk", "campaign.view campaign.work"},
    {"leader", "campaign.view"},
    {"reviewer", "campaign.view"},
    {"inspector", "campaign.view"},
};

static const struct migration migrations[] = {
    {1, "campaigns, their owning units, items and timeline",
     "CREATE TABLE campaigns ("
     " id @ID@, name TEXT NOT NULL UNIQUE, starts_on TEXT NOT NULL, ends_on TEXT NOT NULL,"
     " target BIGINT NOT NULL DEFAULT 0, lead_unit_id BIGINT REFERENCES units(id),"
     " description TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,"
     " created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX campaigns_starts ON campaigns(starts_on);"
     "CREATE TABLE campaign_units ("
     " campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,"
     " unit_id BIGINT NOT NULL REFERENCES units(id), PRIMARY KEY (campaign_id, unit_id));"
     "CREATE INDEX campaign_units_unit ON campaign_units(unit_id, campaign_id);"
     "CREATE TABLE campaign_items ("
     " id @ID@, campaign_id BIGINT NOT NULL REFERENCES campaigns(id), kind TEXT NOT NULL,"
     " record_id BIGINT NOT NULL, unit_id BIGINT REFERENCES units(id), tagged_at TEXT NOT NULL,"
     " tagged_by BIGINT REFERENCES users(id), UNIQUE (campaign_id, kind, record_id));"
     "CREATE INDEX campaign_items_record ON campaign_items(kind, record_id);"
     "CREATE INDEX campaign_items_unit ON campaign_items(unit_id, tagged_at);"
     "CREATE TABLE campaign_events ("
     " id @ID@, campaign_id BIGINT NOT NULL REFERENCES campaigns(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX campaign_events_campaign ON campaign_events(campaign_id, id);",
     NULL, NULL},
    /* list pages are kept (entity cache_deps): every write to the register's tables bumps its name
     */
    {2, "register pages are kept: its tables bump the campaign data version", NULL,
     DV_SQLITE_ALL("campaigns", "campaign") DV_SQLITE_ALL("campaign_units", "campaign")
         DV_SQLITE_ALL("campaign_items", "campaign") DV_SQLITE_ALL("campaign_events", "campaign"),
     DV_PG_ALL("campaigns", "campaign") DV_PG_ALL("campaign_units", "campaign")
         DV_PG_ALL("campaign_items", "campaign") DV_PG_ALL("campaign_events", "campaign")},
};

static const struct copy_table tables[] = {
    {"campaigns", "id", 1},
    {"campaign_units", "campaign_id, unit_id", 0},
    {"campaign_items", "id", 1},
    {"campaign_events", "id", 1},
};

static const struct route routes[] = {
    {M_POST, "/api/v1/campaigns/:id/items", &perm_campaign_work, campaign_items_post},
};

static const struct entity *const entities[] = {&entity_campaigns, &entity_campaign_items};
static const struct flow_kind *const kinds[] = {&campaign_kind};

static const struct menu_item menu[] = {
    {"cases", "/campaigns", "entity", "五项行动", "Campaigns", "Flag", &perm_campaign_view, 50, 0,
     NULL},
};

static const struct audit_name audit_names[] = {
    {"campaign", "专项行动", "Campaign"},
};

const struct module campaign_module = {
    .name = "campaign",
    .zh = "专项行动",
    .en = "Campaigns",
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
    .demo = campaign_demo,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
