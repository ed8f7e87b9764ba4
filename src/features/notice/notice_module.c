/* notice_module.c — the 通知公告 module's declarations (http/module.h): permissions and grants,
 * the tables, the entity and its kind (their routes generated), the read receipts' routes, the
 * attachments' owner and the menu entries. */
#include "features/notice/notice.h"
#include "features/notice/notice_http.h"
#include "http/module.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_notice_read = {"notice.read",        "notice", "查看通知公告",
                                    "Read announcements", 0,        0};
struct perm_def perm_notice_manage = {"notice.manage",         "notice", "发布通知公告",
                                      "Publish announcements", 0,        0};
static struct perm_def *const perms[] = {&perm_notice_read, &perm_notice_manage};

/* The office writes and publishes; every business role reads (the three administrators do not:
 * announcements are business, not administration). */
static const struct perm_grant grants[] = {
    {"office", "notice.read notice.manage"},
    {"clerk", "notice.read"},
    {"leader", "notice.read"},
    {"reviewer", "notice.read"},
    {"inspector", "notice.read"},
};

static const struct migration migrations[] = {
    {1, "announcements, the units they are addressed to, their timeline and read receipts",
     "CREATE TABLE notices ("
     " id @ID@, title TEXT NOT NULL, body TEXT NOT NULL, pinned BIGINT NOT NULL DEFAULT 0,"
     " all_units BIGINT NOT NULL DEFAULT 1, status TEXT NOT NULL, published_at TEXT,"
     " author_id BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX notices_status ON notices(status, pinned, published_at);"
     "CREATE TABLE notice_units ("
     " notice_id BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,"
     " unit_id BIGINT NOT NULL REFERENCES units(id), PRIMARY KEY (notice_id, unit_id));"
     "CREATE INDEX notice_units_unit ON notice_units(unit_id, notice_id);"
     "CREATE TABLE notice_events ("
     " id @ID@, notice_id BIGINT NOT NULL REFERENCES notices(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX notice_events_notice ON notice_events(notice_id, id);"
     "CREATE TABLE notice_reads ("
     " notice_id BIGINT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,"
     " user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
     " unit_id BIGINT NOT NULL, read_at TEXT NOT NULL, PRIMARY KEY (notice_id, user_id));"
     "CREATE INDEX notice_reads_unit ON notice_reads(notice_id, unit_id);",
     NULL, NULL},
};

static const struct copy_table tables[] = {
    {"notices", "id", 1},
    {"notice_units", "notice_id, unit_id", 0},
    {"notice_events", "id", 1},
    {"notice_reads", "notice_id, user_id", 0},
};

static const struct route routes[] = {
    {M_POST, "/api/v1/notices/:id/read", &perm_notice_read, notice_read_route},
    {M_GET, "/api/v1/notices/:id/reads", &perm_notice_manage, notice_receipts_route},
};

static const struct module_file_owner file_owners[] = {
    {"notice", notice_file_readable},
};

static const struct entity *const entities[] = {&entity_notices};
static const struct flow_kind *const kinds[] = {&notice_kind};

static const struct menu_item menu[] = {
    {"workbench", "/notices", "notice/list", "通知公告", "Announcements", "Bell", &perm_notice_read,
     50, 0, NULL},
    {"workbench", "/notices/:id", "notice/detail", "公告详情", "Announcement", "Bell",
     &perm_notice_read, 51, 1, "/notices"},
};

const struct module notice_module = {
    .name = "notice",
    .zh = "通知公告",
    .en = "Announcements",
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
    .file_owners = file_owners,
    .n_file_owners = MODULE_N(file_owners),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .kinds = kinds,
    .n_kinds = MODULE_N(kinds),
};
