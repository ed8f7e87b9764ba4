/* petition_module.c — the 信访 module's declarations (http/module.h): permissions and grants, the
 * tables, the entities and the kind (whose routes are generated), the menu entry and the demo
 * data. The statutory periods are the kind's clocks (petition.c): fixed by 信访工作条例, no
 * settings. */
#include "features/petition/petition.h"
#include "store/dataver.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_petition_view = {"petition.view",  "petition", "查看信访件",
                                      "View petitions", 0,          0};
struct perm_def perm_petition_work = {"petition.work",    "petition", "办理信访件",
                                      "Handle petitions", 0,          0};
struct perm_def perm_petition_manage = {
    "petition.manage", "petition", "登记交办信访件", "Register and route petitions", 0, 0};
static struct perm_def *const perms[] = {&perm_petition_view, &perm_petition_work,
                                         &perm_petition_manage};

/* The office registers, routes, decides extensions, reviews and marks backlog cases; a unit's
 * clerks sign for, object, handle, reply and ask for clearing; leaders, reviewers and
 * inspectors read. */
static const struct perm_grant grants[] = {
    {"office", "petition.view petition.work petition.manage"},
    {"clerk", "petition.view petition.work"},
    {"leader", "petition.view"},
    {"reviewer", "petition.view"},
    {"inspector", "petition.view"},
};

static const struct migration migrations[] = {
    {1, "petitions, their timeline and the backlog's monthly progress",
     "CREATE TABLE petitions ("
     " id @ID@, petition_no TEXT UNIQUE, received_on TEXT NOT NULL, channel TEXT NOT NULL,"
     " matter_type TEXT NOT NULL, summary TEXT NOT NULL, place TEXT NOT NULL DEFAULT '',"
     " handling_unit_id BIGINT REFERENCES units(id), route_mode TEXT, routed_on TEXT,"
     " accepted_on TEXT, status TEXT NOT NULL, reject_reason TEXT NOT NULL DEFAULT '',"
     " objection_reason TEXT NOT NULL DEFAULT '', ext_pending BIGINT NOT NULL DEFAULT 0,"
     " extended BIGINT NOT NULL DEFAULT 0, outcome TEXT, reply_text TEXT NOT NULL DEFAULT '',"
     " replied_on TEXT, review_requested_on TEXT, review_outcome TEXT, reviewed_on TEXT,"
     " recheck_requested_on TEXT, recheck_outcome TEXT, rechecked_on TEXT,"
     " hearing BIGINT NOT NULL DEFAULT 0, closed_on TEXT, backlog BIGINT NOT NULL DEFAULT 0,"
     " backlog_leader_id BIGINT REFERENCES users(id), backlog_since TEXT, backlog_state TEXT,"
     " cleared_on TEXT, repeat_of BIGINT REFERENCES petitions(id),"
     " repeat_count BIGINT NOT NULL DEFAULT 0, created_by BIGINT REFERENCES users(id),"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     /* a unit's page by date, the office's by date and by state; the backlog and repeat lists */
     "CREATE INDEX petitions_unit ON petitions(handling_unit_id, received_on);"
     "CREATE INDEX petitions_received ON petitions(received_on);"
     "CREATE INDEX petitions_status ON petitions(status, received_on);"
     "CREATE INDEX petitions_backlog ON petitions(backlog, backlog_state, received_on);"
     "CREATE INDEX petitions_repeat ON petitions(repeat_of);"
     "CREATE TABLE petition_events ("
     " id @ID@, petition_id BIGINT NOT NULL REFERENCES petitions(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX petition_events_petition ON petition_events(petition_id, id);"
     "CREATE TABLE petition_progress ("
     " id @ID@, petition_id BIGINT NOT NULL REFERENCES petitions(id), month TEXT NOT NULL,"
     " progress TEXT NOT NULL, author_id BIGINT REFERENCES users(id),"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE UNIQUE INDEX petition_progress_month ON petition_progress(petition_id, month);",
     NULL, NULL},
    /* list pages are kept (entity cache_deps): every write to the register's tables bumps its name
     */
    {2, "register pages are kept: its tables bump the petition data version", NULL,
     DV_SQLITE_ALL("petitions", "petition") DV_SQLITE_ALL("petition_progress", "petition")
         DV_SQLITE_ALL("petition_events", "petition"),
     DV_PG_ALL("petitions", "petition") DV_PG_ALL("petition_progress", "petition")
         DV_PG_ALL("petition_events", "petition")},
};

static const struct copy_table tables[] = {
    {"petitions", "id", 1},
    {"petition_events", "id", 1},
    {"petition_progress", "id", 1},
};

static const struct entity *const entities[] = {&entity_petitions, &entity_petition_progress};
static const struct flow_kind *const kinds[] = {&petition_kind};

static const struct menu_item menu[] = {
    {"cases", "/petitions", "entity", "信访", "Petitions", "Message", &perm_petition_view, 10, 0,
     NULL},
};

static const struct audit_name audit_names[] = {
    {"petition", "信访件", "Petition"},
    {"petition_progress", "积案化解进展", "Backlog progress"},
};

const struct module petition_module = {
    .name = "petition",
    .zh = "信访",
    .en = "Petitions",
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
    .demo = petition_demo,
    .demo_scale = petition_demo_scale,
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
