/* module.h — a module declares in one place everything it adds to fazhi: its permissions and
 * the built-in roles they are granted to, settings, migrations and the tables `fazhi migrate`
 * copies, routes, daily jobs, attachment owners, menu entries, workflow kinds and entities
 * (features/entity: declarations whose list, get, write, export and import routes the entity
 * layer generates). src/app/modules.c lists the modules and registers them all at start-up
 * (modules_init), before any thread; nothing else needs to know a module exists. Adding a module
 * is one folder plus one line in that list.
 *
 * Every table a descriptor points to is static and const (permissions are not const: their id
 * is assigned at registration). Counts are given with MODULE_N(array). */
#ifndef FAZHI_MODULE_H
#define FAZHI_MODULE_H

#include <stdint.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "features/entity/entity.h"
#include "http/http.h"
#include "store/job.h"
#include "store/schema.h"
#include "store/settings.h"

#define MODULE_N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct flow_kind; /* features/flow/flow.h: a workflow kind, registered by app/modules.c */

/* Who may read an attachment owned by a record of this type (features/files). */
struct module_file_owner {
    const char *type; /* attachments.owner_type, e.g. "task_event" */
    int (*can_read)(struct db *db, const struct principal *who, int64_t owner_id);
};

/* One entry of the side menu (served by GET /api/v1/menu to whoever holds `perm`). */
struct menu_item {
    const char *group;           /* menu group key, e.g. "tasks" (groups in app/modules.c) */
    const char *path;            /* web path, e.g. "/tasks" */
    const char *page;            /* the web page that shows it, e.g. "tasks/list", or "entity" */
    const char *zh, *en;         /* title */
    const char *icon;            /* Element Plus icon name, e.g. "List" */
    const struct perm_def *perm; /* who sees it (&perm_signed_in for everyone) */
    int order;                   /* within the group, ascending */
    int hidden;                  /* a page reached from other pages, not from the menu */
    const char *active;          /* the menu path highlighted while it shows (hidden pages) */
};

/* A column holding sealed personal data (base/crypto.h: pii_seal with the associated data
 * "<table>:<id>:<column>"): `fazhi keys reseal` seals its values again under the current key. */
struct sealed_column {
    const char *table, *column; /* the table has an integer `id` */
};

struct module {
    const char *name; /* short stable name, e.g. "tasks": migrations are recorded under it */
    const char *zh, *en;
    struct perm_def *const *perms; /* its permissions */
    int n_perms;
    const struct perm_grant *grants; /* which built-in roles hold which of them */
    int n_grants;
    const struct setting_def *settings;
    int n_settings;
    const struct migration *migrations; /* versions 1, 2, … of this module */
    int n_migrations;
    const struct copy_table *tables; /* what its migrations made, parents first */
    int n_tables;
    const struct route *routes;
    int n_routes;
    const struct daily_job *jobs;
    int n_jobs;
    const struct module_file_owner *file_owners;
    int n_file_owners;
    const struct menu_item *menu;
    int n_menu;
    const struct entity *const *entities; /* its record types: their routes are generated */
    int n_entities;
    const struct flow_kind *const *kinds; /* its workflow kinds (flow_register) */
    int n_kinds;
    const struct audit_name *audit_names; /* names of the audit codes it writes (audit.h) */
    int n_audit_names;
    const struct sealed_column *sealed; /* its columns of sealed personal data */
    int n_sealed;
    /* `fazhi demo`: its demo records, inside the command's transaction, after the organisation
     * and the modules before it (NULL: none). DB_OK or < 0. */
    int (*demo)(struct db *db, struct arena *a, int32_t today);
    /* `fazhi demo --scale`: about `volume` records (the plan's task count) for the generated
     * organisation, set-based — INSERT … SELECT, never a query per row. DB_OK or < 0. */
    int (*demo_scale)(struct db *db, int64_t volume, int32_t today);
};

/* The installation's modules (src/app/modules.c), NULL-terminated, in registration order. */
extern const struct module *const fazhi_modules[];

#endif
