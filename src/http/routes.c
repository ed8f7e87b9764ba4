/* routes.c — the route table: method, path, permission, handler. Adding an endpoint is adding a
 * row (and documenting it in docs/openapi.yaml; a test compares the two). */
#include "features/accounts/accounts_http.h"
#include "features/auditlog/auditlog_http.h"
#include "features/calendar/calendar_http.h"
#include "features/files/files_http.h"
#include "features/notify/notify_http.h"
#include "features/org/org_http.h"
#include "features/settings/settings_http.h"
#include "features/tasks/tasks_http.h"
#include "http/http.h"
#include "http/system_http.h"

/* Rows leave `flags` out unless they need one (ROUTE_UPLOAD, ROUTE_NO_DB): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

const struct route routes[] = {
    {M_GET, "/healthz", PERM_PUBLIC, system_healthz, ROUTE_NO_DB},
    {M_GET, "/readyz", PERM_PUBLIC, system_readyz, ROUTE_NO_DB}, /* attaches it itself */
    {M_GET, "/metrics", PERM_PUBLIC, system_metrics, ROUTE_NO_DB},
    {M_GET, "/api/v1/openapi.json", PERM_PUBLIC, system_openapi, ROUTE_NO_DB},

    {M_POST, "/api/v1/auth/login", PERM_PUBLIC, auth_login},
    {M_POST, "/api/v1/auth/logout", PERM_SIGNED_IN, auth_logout},
    {M_GET, "/api/v1/auth/me", PERM_SIGNED_IN, auth_me},
    {M_POST, "/api/v1/auth/password", PERM_SIGNED_IN, auth_password},

    {M_GET, "/api/v1/unit-kinds", PERM_UNIT_READ, unit_kinds_list},
    {M_GET, "/api/v1/units", PERM_UNIT_READ, units_list},
    {M_GET, "/api/v1/units/tree", PERM_UNIT_READ, units_tree},
    {M_POST, "/api/v1/units", PERM_UNIT_MANAGE, units_create},
    {M_GET, "/api/v1/units/:id", PERM_UNIT_READ, units_get},
    {M_PUT, "/api/v1/units/:id", PERM_UNIT_MANAGE, units_update},
    {M_DELETE, "/api/v1/units/:id", PERM_UNIT_MANAGE, units_delete},
    {M_POST, "/api/v1/units/:id/deactivate", PERM_UNIT_MANAGE, units_deactivate},
    {M_POST, "/api/v1/units/:id/activate", PERM_UNIT_MANAGE, units_activate},

    {M_GET, "/api/v1/people", PERM_PERSON_READ, people_list},
    {M_POST, "/api/v1/people", PERM_PERSON_MANAGE, people_create},
    {M_GET, "/api/v1/people/:id", PERM_PERSON_READ, people_get},
    {M_PUT, "/api/v1/people/:id", PERM_PERSON_MANAGE, people_update},
    {M_DELETE, "/api/v1/people/:id", PERM_PERSON_MANAGE, people_delete},
    {M_GET, "/api/v1/people/:id/phone", PERM_PERSON_REVEAL, people_phone},

    {M_GET, "/api/v1/users", PERM_USER_READ, users_list},
    {M_POST, "/api/v1/users", PERM_USER_MANAGE, users_create},
    {M_GET, "/api/v1/users/:id", PERM_USER_READ, users_get},
    {M_PUT, "/api/v1/users/:id", PERM_USER_MANAGE, users_update},
    {M_POST, "/api/v1/users/:id/lock", PERM_USER_MANAGE, users_lock},
    {M_POST, "/api/v1/users/:id/unlock", PERM_USER_MANAGE, users_unlock},
    {M_POST, "/api/v1/users/:id/reset-password", PERM_USER_MANAGE, users_reset_password},
    {M_PUT, "/api/v1/users/:id/role", PERM_ROLE_ASSIGN, users_set_role},

    {M_GET, "/api/v1/roles", PERM_ROLE_READ, roles_list},
    {M_POST, "/api/v1/roles", PERM_ROLE_MANAGE, roles_create},
    {M_GET, "/api/v1/roles/:id", PERM_ROLE_READ, roles_get},
    {M_PUT, "/api/v1/roles/:id", PERM_ROLE_MANAGE, roles_update},
    {M_DELETE, "/api/v1/roles/:id", PERM_ROLE_MANAGE, roles_delete},
    {M_GET, "/api/v1/permissions", PERM_ROLE_READ, permissions_list},

    {M_GET, "/api/v1/audit", PERM_AUDIT_READ, audit_list},
    {M_GET, "/api/v1/audit/export.csv", PERM_AUDIT_EXPORT, audit_export_csv},
    {M_GET, "/api/v1/audit/verify", PERM_AUDIT_VERIFY, audit_verify_route},

    {M_GET, "/api/v1/settings", PERM_SETTING_READ, settings_list},
    /* Each setting names the permission that changes it (settings table, its `perm`). */
    {M_PUT, "/api/v1/settings/:key", PERM_PER_SETTING, settings_update},

    {M_GET, "/api/v1/calendar", PERM_SIGNED_IN, calendar_get},
    {M_GET, "/api/v1/calendar/compute", PERM_SIGNED_IN, calendar_compute},
    {M_PUT, "/api/v1/calendar/days/:date", PERM_CALENDAR_MANAGE, calendar_day_put},
    {M_DELETE, "/api/v1/calendar/days/:date", PERM_CALENDAR_MANAGE, calendar_day_delete},
    {M_POST, "/api/v1/calendar/import", PERM_CALENDAR_MANAGE, calendar_import},

    {M_POST, "/api/v1/files", PERM_FILE_UPLOAD, files_upload, ROUTE_UPLOAD},
    {M_GET, "/api/v1/files/:id", PERM_SIGNED_IN, files_download},

    {M_GET, "/api/v1/documents", PERM_TASK_READ, documents_list},
    {M_POST, "/api/v1/documents", PERM_TASK_MANAGE, documents_create},
    {M_GET, "/api/v1/documents/:id", PERM_TASK_READ, documents_get},
    {M_PUT, "/api/v1/documents/:id", PERM_TASK_MANAGE, documents_update},
    {M_DELETE, "/api/v1/documents/:id", PERM_TASK_MANAGE, documents_delete},

    {M_GET, "/api/v1/tasks", PERM_TASK_READ, tasks_list},
    {M_POST, "/api/v1/tasks", PERM_TASK_MANAGE, tasks_create},
    {M_GET, "/api/v1/tasks/stats", PERM_TASK_READ, tasks_stats},
    {M_GET, "/api/v1/tasks/export.xlsx", PERM_TASK_READ, tasks_export_xlsx},
    {M_GET, "/api/v1/tasks/import-template.xlsx", PERM_TASK_MANAGE, tasks_import_template},
    {M_POST, "/api/v1/tasks/import", PERM_TASK_MANAGE, tasks_import},
    {M_GET, "/api/v1/tasks/:id", PERM_TASK_READ, tasks_get},
    {M_PUT, "/api/v1/tasks/:id", PERM_TASK_MANAGE, tasks_update},
    {M_DELETE, "/api/v1/tasks/:id", PERM_TASK_MANAGE, tasks_delete},
    {M_GET, "/api/v1/tasks/:id/children", PERM_TASK_READ, tasks_children},
    {M_GET, "/api/v1/tasks/:id/timeline", PERM_TASK_READ, tasks_timeline},
    {M_GET, "/api/v1/tasks/:id/extensions", PERM_TASK_READ, tasks_extensions},
    {M_GET, "/api/v1/tasks/:id/urgings", PERM_TASK_READ, tasks_urgings},
    /* The state machine: each action checks its own rule (task_flow.c). */
    {M_POST, "/api/v1/tasks/:id/actions/:action", PERM_TASK_READ, tasks_action},

    {M_GET, "/api/v1/notifications", PERM_SIGNED_IN, notifications_list},
    {M_GET, "/api/v1/notifications/unread-count", PERM_SIGNED_IN, notifications_unread_count},
    {M_POST, "/api/v1/notifications/read-all", PERM_SIGNED_IN, notifications_read_all},
    {M_POST, "/api/v1/notifications/:id/read", PERM_SIGNED_IN, notifications_read},
    {M_GET, "/api/v1/deliveries", PERM_NOTIFY_MANAGE, deliveries_list},
};

const int route_count = (int)(sizeof routes / sizeof routes[0]);
