/* auditlog_module.c — the auditlog module's declarations (http/module.h): permissions and their
 * grants, settings, routes and menu entries. */
#include "features/auditlog/auditlog.h"
#include "features/auditlog/auditlog_http.h"
#include "http/module.h"

/* Rows leave trailing fields out (route flags, setting secrecy): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_audit_read = {"audit.read",         "audit", "查看审计日志",
                                   "Read the audit log", 1,       0};
struct perm_def perm_audit_export = {"audit.export",         "audit", "导出审计日志",
                                     "Export the audit log", 1,       0};
struct perm_def perm_audit_verify = {"audit.verify",         "audit", "校验审计日志",
                                     "Verify the audit log", 1,       0};
static struct perm_def *const perms[] = {&perm_audit_read, &perm_audit_export, &perm_audit_verify};

static const struct perm_grant grants[] = {
    {"auditor", "audit.read audit.export audit.verify"},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/audit/export.csv", &perm_audit_export, audit_export_csv},
    {M_GET, "/api/v1/audit/export.xlsx", &perm_audit_export, audit_export_xlsx},
    {M_GET, "/api/v1/audit/verify", &perm_audit_verify, audit_verify_route},
    {M_GET, "/api/v1/audit/names", &perm_audit_read, audit_names_route},
};

/* the list and one record: generated (auditlog_entities.c); reading them is audited */
static const struct entity *const entities[] = {&entity_audit};

static const struct audit_name audit_names[] = {
    {"audit", "审计日志", "Audit log"},
    {"audit_log", "审计日志", "Audit log"},
    {"audit.query", "查询审计日志", "Query the audit log"},
    {"audit.export", "导出审计日志", "Export the audit log"},
    {"audit.verify", "校验审计日志", "Verify the audit log"},
};

static const struct menu_item menu[] = {
    {"audit", "/audit", "audit", "审计日志", "Audit log", "Document", &perm_audit_read, 10, 0,
     NULL},
};

const struct module auditlog_module = {
    .name = "auditlog",
    .zh = "审计日志",
    .en = "Audit log",
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
};
